"""Writing the statement: save the draft at any time, submit when complete.

A draft is saved with the version the page was loaded with (a hidden field),
so if someone else saved in between, ``save_answers`` refuses with
``conflict``: the page then says so and shows their saved answers beside
what this person typed, which stays in the form. Submitting saves first and
then fires ``submit``; the lifecycle's ``incomplete`` refusal lists the
missing sections, and each is marked next to its field. Every other refusal
is placed by ``app.web.refusals``, as on every page.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext

from app import permissions
from app.errors import OperationError
from app.models import Item, User
from app.operations import lookup, statements
from app.permissions import Action
from app.web import labels, queries, refusals, timing
from app.web.auth import me
from forms.statement import StatementForm
from workflows.statement import State


def edit(file_id: str):
    user = me()
    item = lookup.item(file_id)
    if not permissions.can(user, Action.EDIT, item):
        abort(403)
    statement = item.statement
    if statement.state != State.DRAFT:
        flash(gettext("The statement is in %(state)s: it can only be changed while it is a draft.",
                      state=labels.state(statement.state)), "info")
        return redirect(url_for("web.item", file_id=file_id), 303)
    form = StatementForm(data={**(statement.answers or {}), "version": statement.version})
    status, problems, theirs = 200, [], None
    if form.validate_on_submit():
        try:
            _save(user, file_id, form)
        except OperationError as exc:
            if exc.code == "not_editable":
                flash(exc.message, "error")
                return redirect(url_for("web.item", file_id=file_id), 303)
            status, problems = exc.status, refusals.place(exc, form, prefix="answers.")
            current = lookup.item(file_id).statement
            form.version.data = current.version
            if exc.code == "conflict":
                theirs = current.answers or {}
            elif exc.code == "incomplete":
                problems = [gettext("Your draft was saved, but it cannot be submitted yet: answer every "
                                    "section marked below.")]
        else:
            if form.wants_submit:
                flash(gettext("Statement submitted for department review."), "success")
                return redirect(url_for("web.item", file_id=file_id), 303)
            flash(gettext("Draft saved."), "success")
            return redirect(url_for("web.statement", file_id=file_id), 303)
    elif form.is_submitted():
        status = 422
    return _page(user, lookup.item(file_id), form, problems, theirs), status


def _save(user: User, file_id: str, form) -> None:
    """Save the answers; then submit, when that is what the person asked for."""
    saved = statements.save_answers(user, file_id, form.answers(), form.version_number)
    form.version.data = saved.version
    if form.wants_submit:
        statements.fire_event(user, file_id, "submit", version=saved.version)


def _page(user: User, item: Item, form, problems: list[str], theirs: dict | None) -> str:
    statement = item.statement
    answered = set(form.answers())
    required = [s for s in form.sections if s.required]
    return render_template(
        "statement_form.html", item=item, statement=statement, form=form, problems=problems,
        theirs=theirs, mine=form.answers() if theirs is not None else None,
        answered=answered, required_total=len(required),
        required_answered=sum(1 for s in required if s.key in answered),
        returns=queries.since_last_submission(queries.history(statement.id)),
        approvers_besides_me=queries.approvers_besides(user, item.department_id),
        timing=timing.for_item(item))
