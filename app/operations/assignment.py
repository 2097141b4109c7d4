"""ODE assignment: which ODE reviewer's queue a statement in ODE review is in.

``auto_assign`` runs in the transaction that moves a statement into ODE review
(unless ``REIS_ODE_AUTO_ASSIGN`` is false): the active ODE reviewer with the
fewest open assignments (statements in ODE review assigned to them) gets it;
ties go to the one assigned least recently (never assigned first), then the
lowest id. The count is taken under a PostgreSQL transaction-level advisory
lock, so two statements entering ODE review at the same moment are assigned
one after the other, the second seeing the first's committed choice: without
it both could read the same stale counts and pick the same person. On SQLite
the write transaction (``BEGIN IMMEDIATE``) already serialises writers.

``assign`` is the claim ("assign to me") and the reassignment: by an ODE
reviewer or an admin, only in ODE review, to an active ODE reviewer (or to
nobody). Assignment says whose queue it is; any ODE reviewer may still decide.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import func, select, text

from app.db import write_transaction
from app.errors import conflict, forbidden, invalid
from app.extensions import db
from app.models import Statement, User
from app.models.base import utcnow
from app.operations import deciders, lookup, notify
from app.permissions import Action, actor_of
from workflows import permissions as rules
from workflows.statement import STATE_WORDS, Role, State

#: the advisory lock's key (any constant that nothing else in the database uses)
ADVISORY_KEY = 5_245_001
_NEVER = datetime.min.replace(tzinfo=UTC)


def _lock() -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_KEY})


def pick(exclude_statement: int | None = None) -> User | None:
    """The active ODE reviewer with the fewest open assignments (ties: least recently assigned)."""
    reviewers = list(db.session.scalars(select(User).where(User.role == Role.ODE_REVIEWER,
                                                           User.active.is_(True)).order_by(User.id)))
    if not reviewers:
        return None
    ids = [u.id for u in reviewers]
    open_query = (select(Statement.assignee_id, func.count(Statement.id))
                  .where(Statement.state == State.ODE_REVIEW, Statement.assignee_id.in_(ids))
                  .group_by(Statement.assignee_id))
    if exclude_statement is not None:
        open_query = open_query.where(Statement.id != exclude_statement)
    counts = dict(db.session.execute(open_query).all())
    last = dict(db.session.execute(
        select(Statement.assignee_id, func.max(Statement.assigned_at))
        .where(Statement.assignee_id.in_(ids)).group_by(Statement.assignee_id)).all())
    return min(reviewers, key=lambda u: (counts.get(u.id, 0), last.get(u.id) or _NEVER, u.id))


def auto_assign(statement: Statement) -> User | None:
    """Give a statement entering ODE review to the next reviewer (in the caller's transaction)."""
    statement.assignee_id, statement.assigned_at = None, None
    if not current_app.config.get("REIS_ODE_AUTO_ASSIGN", True):
        return None
    with db.session.no_autoflush:  # one UPDATE of the statement, at the end
        _lock()
        chosen = pick(exclude_statement=statement.id)
    if chosen is not None:
        statement.assignee_id, statement.assigned_at = chosen.id, utcnow()
    return chosen


def assign(actor: User, file_id: str, email: str | None) -> Statement:
    """Claim or reassign a statement in ODE review (``email`` None: nobody's)."""
    with write_transaction():
        statement = lookup.locked_statement(file_id)
        if not rules.can_ever(actor_of(actor), Action.ASSIGN):
            raise forbidden("Only ODE reviewers and administrators assign statements in ODE review.")
        if statement.state != State.ODE_REVIEW:
            raise conflict("invalid_transition", f"The statement is in {STATE_WORDS[statement.state]}; "
                           "only a statement in ODE review is assigned.", state=statement.state.value)
        chosen = None
        if email is not None:
            chosen = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
            if chosen is None or not chosen.active or chosen.role != Role.ODE_REVIEWER:
                raise invalid({"assignee": "must be the email of an active ODE reviewer"})
        if chosen is None:
            statement.assignee_id, statement.assigned_at = None, None
        elif chosen.id != statement.assignee_id:
            statement.assignee_id, statement.assigned_at = chosen.id, utcnow()
            if chosen.id != actor.id:
                notify.on_assignment(statement, chosen, actor)
        deciders.refresh(statement)
    return statement
