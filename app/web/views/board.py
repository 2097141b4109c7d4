"""The clerk's board: one meeting's items, whether each may be agendized and why not.

The rows are ``app.operations.gate.meeting``, the same function behind
``GET /meetings/{date}/items``, so the board and the clerks' agenda software
can never disagree.
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, gettext

from app import permissions
from app.errors import OperationError
from app.operations import gate
from app.permissions import Action
from app.web import queries, refusals, timing
from app.web.auth import me
from forms.base import ActionForm
from forms.board import MeetingForm
from workflows.states import Event


def board():
    user = me()
    if not permissions.can(user, Action.AGENDIZE):
        abort(403)
    today = timing.today()
    upcoming = queries.meeting_dates(today)
    form = MeetingForm(request.args)
    when = form.date.data if "date" in request.args and form.validate() else None
    if when is None and "date" not in request.args:
        when = upcoming[0] if upcoming else today
        form.date.data = when
    if when is not None and when < today:  # said next to the date, as agendize would refuse it
        form.date.errors = [*form.date.errors,
                            gettext("This meeting is in the past: no item can be agendized for it.")]
    rows = gate.meeting(when) if when is not None else []
    cutoff = timing.cutoff(when) if when is not None else None
    return render_template("board.html", form=form, when=when, rows=rows, upcoming=upcoming,
                           action=ActionForm(), cutoff=cutoff,
                           cutoff_passed=cutoff is not None and cutoff < today), \
        (200 if when is not None else 422)


def agendize(file_id: str):
    return _act(file_id, Event.AGENDIZE)


def unagendize(file_id: str):
    return _act(file_id, Event.UNAGENDIZE)


def _act(file_id: str, what: Event):
    user = me()
    form = ActionForm()
    raw = request.form.get("meeting_date", "")
    try:
        when = date.fromisoformat(raw)
    except ValueError:
        abort(400)
    if form.validate_on_submit():
        try:
            if what == Event.AGENDIZE:
                gate.agendize(user, file_id, when)
                flash(gettext("%(file_id)s is on the agenda of %(date)s.", file_id=file_id,
                              date=format_date(when, "full")), "success")
            else:
                gate.unagendize(user, file_id)
                flash(gettext("%(file_id)s was taken off the agenda.", file_id=file_id), "success")
        except OperationError as exc:
            refusals.flash_refusal(exc)
    return redirect(url_for("web.board", date=when.isoformat()), 303)
