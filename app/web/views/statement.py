"""Writing the statement: save the draft at any time, submit when complete.

A draft is saved with the version the page was loaded with (a hidden field),
so if someone else saved in between, the save is refused with ``conflict``:
the page then says so and shows their saved answers beside what this person
typed, which stays in the form. Submitting saves first and then fires
``submit``; the lifecycle's ``incomplete`` refusal lists the missing sections,
and each is marked next to its field. Every other refusal is placed by
``app.web.refusals``, as on every page.

The page also carries the screening and the choice of form (API.md, "Forms
and screening"): they are saved with the answers. When the form changes, the
answers the new form also asks are kept, the page reloads with the new form's
questions, and nothing is submitted until the author has seen them.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext

from app import permissions
from app.errors import OperationError
from app.models import Item, Statement, User
from app.operations import deciders, lookup, statements
from app.permissions import Action
from app.web import labels, queries, refusals, timing
from app.web.auth import me
from forms.statement import StatementForm
from workflows import questionnaire, screening
from workflows.screening import FormName
from workflows.statement import State
from workflows.states import Event


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
    form = StatementForm.for_statement(statement)
    status, problems, theirs = 200, [], None
    if form.validate_on_submit():
        try:
            switched = _save(user, statement, form)
        except OperationError as exc:
            if exc.code == "not_editable":
                flash(exc.message, "error")
                return redirect(url_for("web.item", file_id=file_id), 303)
            status, problems = exc.status, _place(exc, form)
            current = lookup.item(file_id).statement
            form.version.data = current.version
            if exc.code == "conflict":
                theirs = current.answers or {}
            elif exc.code == "incomplete":
                problems = [gettext("Your draft was saved, but it cannot be submitted yet: answer every "
                                    "section marked below.")]
            elif exc.code == "screening_requires_full":
                problems = [gettext("Your draft was saved, but the screening answers marked below do not "
                                    "allow the %(form)s: answer every question, or switch to the full "
                                    "statement.", form=gettext(screening.FORM_TITLES[current.form]).lower())]
                for key in exc.extra.get("screening", []):
                    form[f"screening_{key}"].errors = [gettext("This answer calls for the full statement.")
                                                       if current.screening.get(key) else
                                                       gettext("Answer this question.")]
        else:
            if switched is not None:
                flash(gettext("The statement now uses the %(form)s. Answers to the questions it also asks "
                              "were kept; answer the others, then submit.",
                              form=gettext(screening.FORM_TITLES[FormName(switched)]).lower()), "success")
                return redirect(url_for("web.statement", file_id=file_id), 303)
            if form.wants_submit:
                flash(gettext("Statement submitted for department review."), "success")
                return redirect(url_for("web.item", file_id=file_id), 303)
            flash(gettext("Draft saved."), "success")
            return redirect(url_for("web.statement", file_id=file_id), 303)
    elif form.is_submitted():
        status = 422
    return _page(user, lookup.item(file_id), form, problems, theirs), status


def _save(user: User, statement: Statement, form: StatementForm) -> str | None:
    """Save answers, screening and form; then submit, when that is what the person asked for
    and the form did not change. Returns the new form's name when it changed."""
    file_id = statement.item.file_id
    was, chosen, answers = statement.form, form.chosen_form(statement.form), form.answers()
    if chosen != was:  # keep what the new form also asks
        version = questionnaire.version_for(chosen, was, statement.questionnaire_version)
        answers = questionnaire.form(chosen, version).carry_over(answers)
    saved = statements.save(user, file_id, answers, form.version_number, chosen, form.screening(),
                            form.summary_translations_given())
    form.version.data = saved.version
    if chosen != was:
        return saved.form
    if form.wants_submit:
        statements.fire_event(user, file_id, Event.SUBMIT, version=saved.version)
    return None


def _place(exc: OperationError, form: StatementForm) -> list[str]:
    """The refusal next to its fields; screening fields are named ``screening_<key>`` here."""
    if exc.code == "invalid":
        fields = {k.replace("screening.", "screening_", 1): v for k, v in exc.extra.get("fields", {}).items()}
        exc = OperationError(exc.message, status=exc.status, code=exc.code, fields=fields)
    return refusals.place(exc, form, prefix="answers.")


def _page(user: User, item: Item, form: StatementForm, problems: list[str], theirs: dict | None) -> str:
    statement = item.statement
    form.add_blank_indicator_row()
    answered = set(form.answers())
    required = [s for s in form.sections if s.required]
    return render_template(
        "statement_form.html", item=item, statement=statement, form=form, problems=problems,
        theirs=theirs, mine=form.answers() if theirs is not None else None,
        answered=answered, required_total=len(required),
        required_answered=sum(1 for s in required if s.key in answered),
        returns=queries.since_last_submission(queries.history(statement.id)),
        deciders_after_submit=len(deciders.after_submit(statement, user)),
        screening=screening_view(statement), timing=timing.for_item(item))


def screening_view(statement: Statement) -> dict:
    """What the page says about the screening and the form: which forms the answers allow, and
    (for an old statement) which version of the questions it is written against."""
    chosen = statement.screening or {}
    return {"allowed": screening.allowed_forms(chosen), "blocks": screening.blocking(statement.form, chosen),
            "version": questionnaire.VERSIONS[statement.questionnaire_version],
            "current": statement.questionnaire_version == questionnaire.CURRENT_VERSION}
