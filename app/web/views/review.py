"""Review queues and the review page (approve, or return with a comment)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext

from app import permissions
from app.errors import OperationError
from app.operations import lookup, statements
from app.permissions import Action
from app.web import diff, labels, queries, refusals, timing
from app.web.auth import me
from forms.review import ReviewForm
from workflows import questionnaire
from workflows.states import Event


def queues():
    user = me()
    worked = permissions.queues(user)
    if not worked:
        abort(403)
    today = timing.today()
    lists = [(state, department,
              [(item, timing.for_item(item, today)) for item in queries.queue(state, department)],
              queries.returned_from(state, department))
             for state, department in worked]
    return render_template("queues.html", lists=lists)


def review(file_id: str):
    user = me()
    item = lookup.item(file_id)
    statement = item.statement
    if not permissions.can(user, Action.RETURN, statement):  # the decision is theirs now
        flash(gettext("This statement is not waiting for your review (it is in %(state)s).",
                      state=labels.state(statement.state)), "info")
        return redirect(url_for("web.item", file_id=file_id), 303)
    form = ReviewForm(data={"version": statement.version})
    status, problems = 200, []
    if form.validate_on_submit():
        try:
            statements.fire_event(user, file_id, form.event, form.comment.data or None,
                                  int(form.version.data))
        except OperationError as exc:
            status, problems = exc.status, refusals.place(exc, form)
        else:
            done = gettext("approved") if form.event == "approve" else gettext("returned to the author")
            flash(gettext("Statement of %(file_id)s %(done)s.", file_id=file_id, done=done), "success")
            return redirect(url_for("web.queues"), 303)
    elif form.is_submitted():
        status = 422
    statement = lookup.item(file_id).statement
    revisions = queries.last_two_revisions(statement.id)
    changes = diff.changes(revisions[1].answers, revisions[0].answers) if len(revisions) == 2 else None
    return render_template(
        "review.html", item=item, statement=statement, form=form, problems=problems,
        sections=questionnaire.SECTIONS, answers=statement.answers or {}, changes=changes,
        revisions=revisions, approve=permissions.decision(user, statement, Event.APPROVE),
        conversation=queries.conversation(statement.id), timing=timing.for_item(item)), status
