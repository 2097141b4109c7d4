"""The clerk's board: one meeting's items, whether each may be agendized and why not."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from app.errors import OperationError
from app.operations import gate
from app.web import permissions, queries, timing
from app.web.auth import me
from forms.base import ActionForm
from forms.board import MeetingForm
from workflows import gate as rules


def board():
    user = me()
    if not permissions.is_clerk(user):
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
    rows = []
    if when is not None:
        for file_id, title, department, state, fiscal, agendized, agendized_for in gate.meeting_items(when):
            reasons = rules.reasons(state, fiscal, when)
            rows.append({"file_id": file_id, "title": title, "department": department, "state": state,
                         "reasons": reasons, "agendized_here": agendized and agendized_for == when,
                         "agendized_for": agendized_for if agendized else None})
    return render_template("board.html", form=form, when=when, rows=rows, upcoming=upcoming,
                           action=ActionForm(),
                           cutoff=timing.timing("draft", None, when).cutoff if when else None), \
        (200 if when is not None else 422)


def agendize(file_id: str):
    return _act(file_id, "agendize")


def unagendize(file_id: str):
    return _act(file_id, "unagendize")


def _act(file_id: str, what: str):
    user = me()
    form = ActionForm()
    raw = request.form.get("meeting_date", "")
    try:
        when = date.fromisoformat(raw)
    except ValueError:
        abort(400)
    if form.validate_on_submit():
        try:
            if what == "agendize":
                gate.agendize(user, file_id, when)
                flash(gettext("%(file_id)s is on the agenda of %(date)s.", file_id=file_id,
                              date=when.isoformat()), "success")
            else:
                gate.unagendize(user, file_id)
                flash(gettext("%(file_id)s was taken off the agenda.", file_id=file_id), "success")
        except OperationError as exc:
            if exc.status in (403, 404):
                raise
            flash(" ".join(exc.extra.get("fields", {}).values()) or exc.message, "error")
    return redirect(url_for("web.board", date=when.isoformat()), 303)
