"""Writing the statement: save the draft at any time, submit when complete.

A draft is saved with the version the page was loaded with (a hidden field),
so if someone else saved in between, ``save_answers`` refuses with
``conflict``: the page then says so and shows their saved answers beside
what this person typed, which stays in the form. Submitting saves first and
then fires ``submit``; the lifecycle's ``incomplete`` refusal lists the
missing sections, and each is marked next to its field.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext

from app import permissions
from app.errors import OperationError
from app.operations import lookup, statements
from app.permissions import Action
from app.web import queries, timing
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
                      state=_state_name(statement.state)), "info")
        return redirect(url_for("web.item", file_id=file_id), 303)
    form = StatementForm(data={**(statement.answers or {}), "version": statement.version})
    status, problems, theirs, missing = 200, [], None, []
    if form.validate_on_submit():
        try:
            saved = statements.save_answers(user, file_id, form.answers(), form.version_number)
            form.version.data = saved.version
            if form.wants_submit:
                statements.fire_event(user, file_id, "submit", version=saved.version)
                flash(gettext("Statement submitted for department review."), "success")
                return redirect(url_for("web.item", file_id=file_id), 303)
            flash(gettext("Draft saved."), "success")
            return redirect(url_for("web.statement", file_id=file_id), 303)
        except OperationError as exc:
            status = exc.status
            if exc.status in (403, 404):
                raise
            if exc.code == "not_editable":
                flash(exc.message, "error")
                return redirect(url_for("web.item", file_id=file_id), 303)
            problems = [exc.message]
            current = lookup.item(file_id).statement
            if exc.code == "conflict":
                theirs = current.answers or {}
                form.version.data = current.version
            elif exc.code == "incomplete":
                form.version.data = current.version
                problems = [gettext("Your draft was saved, but it cannot be submitted yet: answer every "
                                    "section marked below.")]
                missing = [s for s in form.sections if s.key in exc.extra.get("missing", [])]
                for key in exc.extra.get("missing", []):
                    if key in form:
                        form[key].errors = [*form[key].errors,
                                            gettext("Answer this section before submitting.")]
            elif exc.code == "invalid":
                problems += form.add_errors(exc.extra.get("fields", {}), prefix="answers.")
    elif form.is_submitted():
        status = 422
    statement = lookup.item(file_id).statement
    return render_template(
        "statement_form.html", item=item, statement=statement, form=form, problems=problems,
        missing=missing, theirs=theirs, mine=form.answers() if theirs is not None else None,
        returns=returns_since_submission(queries.history(statement.id)),
        timing=timing.for_item(item)), status


def returns_since_submission(events) -> list:
    """The reviewers' return (and system reopen) events since the last submission."""
    found = []
    for event in events:
        if event.event == "submit":
            found = []
        elif event.event in ("return", "reopen"):
            found.append(event)
    return found


def _state_name(state) -> str:
    from app.web import labels

    return labels.state(state)
