"""The statement: save its answers, form and screening in draft, and fire lifecycle events,
one statement at a time or a page of exemption requests at once."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext, lazy_gettext
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from app.db import write_transaction
from app.errors import OperationError, conflict, forbidden, invalid
from app.extensions import db
from app.languages import said
from app.models import HistoryEvent, Statement, StatementRevision, User
from app.models.base import utcnow
from app.models.user import Language
from app.operations import assignment, deciders, history, lookup, notify
from app.permissions import Action, actor_of, can_read, require
from workflows import questionnaire, screening
from workflows.i18n import N_, Text
from workflows.questions_v2 import SUMMARY_LENGTH
from workflows.screening import FormName
from workflows.statement import STATE_WORDS, Decision, State, decide
from workflows.states import Event

log = logging.getLogger(__name__)
#: at most this many items in one bulk event (API.md)
BULK_LIMIT = 200


def _check_version(statement: Statement, version: int | None) -> None:
    if version is not None and version != statement.version:
        raise conflict("conflict", gettext("Someone else changed this statement (it is now version "
                                             "%(current)s, you sent %(sent)s); reload and try again.",
                                             current=statement.version, sent=version),
                       version=statement.version)


def save_answers(actor: User, file_id: str, answers: dict, version: int) -> Statement:
    return save(actor, file_id, answers, version)


def save(actor: User, file_id: str, answers: dict, version: int, form: str | None = None,
         screening_answers: Mapping[str, Any] | None = None,
         summary_translations: Mapping[str, Any] | None = None) -> Statement:
    """Replace the draft's answers and, when given, its form, its screening answers and the
    translations of its summary (``{language tag: text}``, a blank text removes one).

    Switching form moves the statement to the current questionnaire version (an old
    version may not have the new form); ``answers`` are checked against the form chosen.
    """
    try:
        with write_transaction():
            statement = lookup.locked_statement(file_id)
            require(actor, Action.EDIT, statement,
                    lazy_gettext("You may not edit statements of department %(department)s.",
                            department=statement.item.department.code))
            if statement.state != State.DRAFT:
                raise conflict("not_editable", gettext(
                    "The statement is in %(state)s; it can only be edited as a draft.",
                    state=gettext(STATE_WORDS[statement.state])), state=statement.state.value)
            _check_version(statement, version)
            wanted = _checked(statement, answers, form, screening_answers)
            translations = (statement.summary_translations or {} if summary_translations is None
                            else checked_translations(summary_translations))
            # A save that changes nothing changes nobody's standing (separation of duties)
            # and writes nothing, so the version does not move either.
            if wanted != _current(statement) or translations != (statement.summary_translations or {}):
                (statement.answers, statement.form, statement.questionnaire_version,
                 statement.screening) = wanted
                statement.summary_translations = translations
                statement.last_edited_by_id = actor.id
    except StaleDataError as exc:
        raise conflict("conflict", N_("Someone else changed this statement; reload and try again.")) from exc
    return statement


def checked_translations(given: Mapping[str, Any]) -> dict[str, str]:
    """The summary's translations as they would be saved, or 422: shipped languages only,
    each at most as long as the summary itself; blank ones are dropped."""
    problems: dict[str, str | Text] = {}
    kept: dict[str, str] = {}
    for tag, text in given.items():
        if tag not in {lang.value for lang in Language}:
            problems[f"summary_translations.{tag}"] = Text(
                N_("must be one of the languages %(languages)s"),
                {"languages": ", ".join(lang.value for lang in Language)})
        elif not isinstance(text, str):
            problems[f"summary_translations.{tag}"] = Text(N_("must be text"))
        elif len(text) > SUMMARY_LENGTH:
            problems[f"summary_translations.{tag}"] = Text(N_("must be at most %(limit)s characters"),
                                                           {"limit": SUMMARY_LENGTH})
        elif text.strip():
            kept[tag] = text
    if problems:
        raise invalid(problems)
    return kept


def _current(statement: Statement) -> tuple:
    return (statement.answers or {}, FormName(statement.form), statement.questionnaire_version,
            statement.screening or {})


def _checked(statement: Statement, answers: dict, form: str | None,
             screening_answers: Mapping[str, Any] | None) -> tuple:
    """(answers, form, questionnaire version, screening) as they would be saved, or 422."""
    errors: dict[str, str | Text] = {}
    name = FormName(statement.form) if form is None else form
    if name not in questionnaire.FORM_NAMES:
        errors["form"] = Text(N_("must be one of %(values)s"),
                              {"values": ", ".join(questionnaire.FORM_NAMES)})
    if screening_answers is not None:
        errors.update(screening.validate(screening_answers))
    if errors:
        raise invalid(errors)
    version = questionnaire.version_for(name, statement.form, statement.questionnaire_version)
    problems = questionnaire.validate_answers(answers, name, version)
    if problems:
        raise invalid({f"answers.{k}": v for k, v in problems.items()})
    chosen = dict(screening_answers) if screening_answers is not None else dict(statement.screening or {})
    return dict(answers), FormName(name), version, chosen


def fire_event(actor: User, file_id: str, event: Event, comment: str | None = None,
               version: int | None = None, exemptions_only: bool = False) -> Statement:
    try:
        with write_transaction():
            statement = lookup.locked_statement(file_id)
            decision = decide(event, statement.facts(), actor_of(actor), comment)
            if decision.refusal and decision.refusal.status == 403:
                raise _refused(decision.refusal)
            if exemptions_only and statement.form != FormName.EXEMPTION:
                raise OperationError(
                    gettext(_ONLY_EXEMPTIONS.get(event, _ONLY_EXEMPTIONS[Event.APPROVE]),
                            file_id=file_id, form=statement.form.value),
                    status=422, code="bulk_not_allowed", form=statement.form.value)
            _check_version(statement, version)
            if decision.refusal:
                raise _refused(decision.refusal)
            apply_event(statement, event, actor, comment, decision=decision)
    except StaleDataError as exc:
        raise conflict("conflict", N_("Someone else changed this statement; reload and try again.")) from exc
    return statement


_ONLY_EXEMPTIONS = {
    Event.SUBMIT: N_("Only exemption requests may be submitted in bulk; the statement of %(file_id)s "
                     "is a %(form)s statement: open it on its own."),
    Event.APPROVE: N_("Only exemption requests may be approved in bulk; the statement of %(file_id)s "
                      "is a %(form)s statement: open it on its own."),
}


def bulk_event(actor: User, event: Event, file_ids: list[str], comment: str | None = None) -> list[dict]:
    """Fire ``event`` on each exemption request in turn, each in its own transaction with every
    rule of the single event; one item's refusal or failure never stops or touches the others."""
    results = []
    for file_id in file_ids:
        try:
            statement = fire_event(actor, file_id, event, comment, exemptions_only=True)
        except OperationError as exc:
            results.append({"file_id": file_id, "ok": False, "error": exc.to_dict()})
        except Exception:  # a fault in one item (its transaction is rolled back) is that item's result
            log.exception("bulk %s of %s failed", event, file_id)
            results.append({"file_id": file_id, "ok": False, "error": {
                "error": "internal", "message": "Something went wrong on our side with this item; "
                                                "it has been logged and nothing was changed."}})
        else:
            results.append({"file_id": file_id, "ok": True, "state": statement.state.value})
    return results


def apply_event(statement: Statement, event: Event, actor: User | None, comment: str | None,
                decision: Decision | None = None) -> None:
    """Write a transition decided by ``workflows.statement``: state, history, revision, the ODE
    assignment, notifications and the stall check, all in the caller's transaction."""
    if decision is None:
        decision = decide(event, statement.facts(), actor_of(actor), comment)
    if decision.refusal:
        raise _refused(decision.refusal)
    decision_to = decision.to_state
    assert decision_to is not None  # an allowed decision names the state it goes to
    actor_id = actor.id if actor is not None else None  # (only the system, None, reopens)
    lender = db.session.get(User, decision.on_behalf_of.id) \
        if decision.on_behalf_of is not None and decision.on_behalf_of.id is not None else None
    now = utcnow()
    from_state = State(statement.state)
    statement.state = decision_to
    statement.state_entered_at = now
    if event == Event.SUBMIT:  # a new round: nobody has approved it yet
        statement.submitted_by_id = actor_id
        statement.submitted_at = now
        statement.department_approved_by_id = None
        number = db.session.scalar(select(func.count(StatementRevision.id))
                                   .where(StatementRevision.statement_id == statement.id))
        db.session.add(StatementRevision(statement_id=statement.id, number=(number or 0) + 1,
                                         answers=dict(statement.answers or {}), form=statement.form,
                                         submitted_by_id=actor_id, submitted_at=now))
    if event == Event.APPROVE and from_state == State.DEPARTMENT_REVIEW:
        statement.department_approved_by_id = actor_id
    if decision_to == State.READY_TO_AGENDIZE:
        statement.approved_at = now
    elif decision_to == State.DRAFT:
        statement.approved_at = None
    if decision_to == State.ODE_REVIEW:
        assignment.auto_assign(statement)
    history.record(statement, event, from_state, decision_to, actor, comment,
                   on_behalf_of=lender.email if lender else None)
    notify.on_event(statement, event, actor, comment, on_behalf_of=lender)  # outbox rows, same transaction
    deciders.refresh(statement)


def _refused(refusal) -> OperationError:
    return OperationError(said(refusal), status=refusal.status, code=refusal.code, **refusal.extra)


def read(actor: User, file_id: str) -> Statement:
    """The item's statement, for someone who may read it (API.md, "Reading")."""
    statement = lookup.item(file_id, submitter=True).statement
    if not can_read(actor, statement):
        raise unreadable(file_id)
    return statement


def unreadable(file_id: str) -> OperationError:
    """The 403 for someone who may not read the statement (also ``app.api.reads``)."""
    return forbidden(gettext("The statement of %(file_id)s is a draft that has never been submitted: "
                             "only its department, the Office of Diversity & Equity, the clerks and "
                             "the administrators may read it.", file_id=file_id))


def events(actor: User, file_id: str) -> list[HistoryEvent]:
    statement = read(actor, file_id)
    return list(db.session.scalars(
        select(HistoryEvent).where(HistoryEvent.statement_id == statement.id)
        .order_by(HistoryEvent.seq)))
