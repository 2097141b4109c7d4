"""Review queues and the review page (approve, or return with a comment).

A queue groups the exemption requests apart, with a checkbox each and one
*Approve selected* button: each is approved on its own, with every rule of a
single approval (``statements.bulk_event``), and the page says what happened to
each. "Select all" is a link that draws the page with every box ticked, so no
JavaScript is needed.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext

from app import permissions
from app.errors import OperationError
from app.operations import lookup, publication, statements
from app.permissions import Action
from app.web import diff, labels, queries, refusals, timing
from app.web.auth import me
from forms.base import ActionForm
from forms.review import ReviewForm
from workflows.screening import FormName
from workflows.states import Event


def queues():
    user = me()
    worked = permissions.queues(user)
    if not worked:
        abort(403)
    today = timing.today()
    lists = [(state, department,
              # the statements assigned to me first (stable: oldest first within each part; the
              # page of exemption requests, approved together, stays oldest first)
              sorted(((item, timing.for_item(item, today)) for item in queries.queue(state, department)),
                     key=lambda row: row[0].statement.form != FormName.EXEMPTION
                     and row[0].statement.assignee_id != user.id),
              queries.returned_from(state, department))
             for state, department in worked]
    return render_template("queues.html", lists=lists, action=ActionForm(),
                           select_all=request.args.get("select") == "all")


def approve_exemptions():
    """Approve the exemption requests ticked on the queue page, each on its own."""
    user = me()
    if not permissions.queues(user):
        abort(403)
    file_ids = list(dict.fromkeys(request.form.getlist("file_ids")))
    if not ActionForm().validate_on_submit() or len(file_ids) > statements.BULK_LIMIT:
        abort(400)
    if not file_ids:
        flash(gettext("Tick at least one exemption request, then press Approve selected."), "error")
        return redirect(url_for("web.queues"), 303)
    results = statements.bulk_event(user, Event.APPROVE, file_ids)
    approved = [r["file_id"] for r in results if r["ok"]]
    if approved:
        flash(ngettext("%(num)d exemption request approved: %(list)s.",
                       "%(num)d exemption requests approved: %(list)s.", len(approved),
                       list=", ".join(approved)), "success")
    for result in results:
        if not result["ok"]:
            flash(gettext("%(file_id)s was not approved: %(why)s", file_id=result["file_id"],
                          why=result["error"]["message"]), "error")
    return redirect(url_for("web.queues"), 303)


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
        version = form.version.data
        assert version is not None  # (required: the form validated)
        try:
            statements.fire_event(user, file_id, form.event, form.comment.data or None, int(version))
        except OperationError as exc:
            status, problems = exc.status, refusals.place(exc, form)
        else:
            done = gettext("approved") if form.event == Event.APPROVE else gettext("returned to the author")
            flash(gettext("Statement of %(file_id)s %(done)s.", file_id=file_id, done=done), "success")
            return redirect(url_for("web.queues"), 303)
    elif form.is_submitted():
        status = 422
    statement = lookup.item(file_id).statement
    revisions = queries.last_two_revisions(statement.id)
    sections = statement.questions.sections
    latest, earlier = [*revisions, None, None][:2]
    assert latest is not None  # a statement in review was submitted: it has a revision
    changes = diff.changes(earlier.answers, latest.answers, sections) if earlier else None
    return render_template(
        "review.html", item=item, statement=statement, form=form, problems=problems,
        sections=sections, answers=statement.answers or {}, changes=changes,
        form_was=earlier.form if earlier and earlier.form != latest.form else None,
        questions=publication.form(statement),
        revisions=revisions, approve=permissions.decision(user, statement, Event.APPROVE),
        conversation=queries.conversation(statement.id), timing=timing.for_item(item)), status
