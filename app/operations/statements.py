"""The statement: save answers in draft, and fire lifecycle events."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from app.db import write_transaction
from app.errors import OperationError, conflict, forbidden, invalid
from app.extensions import db
from app.models import HistoryEvent, Statement, StatementRevision, User
from app.models.base import utcnow
from app.operations import history, lookup, notify
from app.permissions import Action, actor_of, can_read, require
from workflows import questionnaire
from workflows.statement import STATE_WORDS, State, decide
from workflows.states import Event


def _check_version(statement: Statement, version: int | None) -> None:
    if version is not None and version != statement.version:
        raise conflict("conflict", f"Someone else changed this statement (it is now version "
                       f"{statement.version}, you sent {version}); reload and try again.",
                       version=statement.version)


def save_answers(actor: User, file_id: str, answers: dict, version: int) -> Statement:
    try:
        with write_transaction():
            statement = lookup.locked_statement(file_id)
            require(actor, Action.EDIT, statement,
                    f"You may not edit statements of department {statement.item.department.code}.")
            if statement.state != State.DRAFT:
                raise conflict("not_editable", f"The statement is in {STATE_WORDS[statement.state]}; "
                               "it can only be edited as a draft.", state=statement.state.value)
            _check_version(statement, version)
            errors = questionnaire.validate_answers(answers)
            if errors:
                raise invalid({f"answers.{k}": v for k, v in errors.items()})
            # A save that changes nothing changes nobody's standing (separation of duties)
            # and writes nothing, so the version does not move either.
            if answers != (statement.answers or {}):
                statement.answers = dict(answers)
                statement.last_edited_by_id = actor.id
    except StaleDataError as exc:
        raise conflict("conflict", "Someone else changed this statement; reload and try again.") from exc
    return statement


def fire_event(actor: User, file_id: str, event: str, comment: str | None = None,
               version: int | None = None) -> Statement:
    try:
        with write_transaction():
            statement = lookup.locked_statement(file_id)
            decision = decide(event, statement.facts(), actor_of(actor), comment)
            if decision.refusal and decision.refusal.status == 403:
                raise _refused(decision.refusal)
            _check_version(statement, version)
            if decision.refusal:
                raise _refused(decision.refusal)
            apply_event(statement, event, actor, comment, decision_to=decision.to_state)
    except StaleDataError as exc:
        raise conflict("conflict", "Someone else changed this statement; reload and try again.") from exc
    return statement


def apply_event(statement: Statement, event: str, actor: User | None, comment: str | None,
                decision_to: State | None = None) -> None:
    """Write a transition decided by ``workflows.statement``: state, history, revision."""
    if decision_to is None:
        decision = decide(event, statement.facts(), actor_of(actor), comment)
        if decision.refusal:
            raise _refused(decision.refusal)
        decision_to = decision.to_state
    now = utcnow()
    from_state = State(statement.state)
    statement.state = decision_to
    statement.state_entered_at = now
    if event == Event.SUBMIT:  # a new round: nobody has approved it yet
        statement.submitted_by_id = actor.id
        statement.submitted_at = now
        statement.department_approved_by_id = None
        number = db.session.scalar(select(func.count(StatementRevision.id))
                                   .where(StatementRevision.statement_id == statement.id))
        db.session.add(StatementRevision(statement_id=statement.id, number=number + 1,
                                         answers=dict(statement.answers or {}),
                                         submitted_by_id=actor.id, submitted_at=now))
    if event == Event.APPROVE and from_state == State.DEPARTMENT_REVIEW:
        statement.department_approved_by_id = actor.id
    if decision_to == State.READY_TO_AGENDIZE:
        statement.approved_at = now
    elif decision_to == State.DRAFT:
        statement.approved_at = None
    history.record(statement, event, from_state, decision_to, actor, comment)
    notify.on_event(statement, event, actor, comment)  # outbox rows, same transaction


def _refused(refusal) -> OperationError:
    return OperationError(refusal.message, status=refusal.status, code=refusal.code, **refusal.extra)


def read(actor: User, file_id: str) -> Statement:
    """The item's statement, for someone who may read it (API.md, "Reading")."""
    statement = lookup.item(file_id, submitter=True).statement
    if not can_read(actor, statement):
        raise forbidden(f"The statement of {file_id} is a draft that has never been submitted: only its "
                        "department, the Office of Diversity & Equity, the clerks and the administrators "
                        "may read it.")
    return statement


def events(actor: User, file_id: str) -> list[HistoryEvent]:
    statement = read(actor, file_id)
    return list(db.session.scalars(
        select(HistoryEvent).where(HistoryEvent.statement_id == statement.id)
        .order_by(HistoryEvent.seq)))
