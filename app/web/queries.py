"""Read-only queries behind the pages, each a fixed number of SQL statements.

Lists load their rows with everything the template shows in one statement
(the item's statement and department are eager joins), so a page costs the
same number of queries for ten items as for two hundred.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from app import dates
from app.extensions import db
from app.models import (
    Delegation,
    Department,
    HistoryEvent,
    Item,
    Notification,
    Statement,
    StatementRevision,
    User,
)
from app.models.notification import NotificationKind
from app.operations import items as item_ops
from workflows.statement import Role, State
from workflows.states import Event

#: The events that put a statement into draft: the latest of them says how it got there.
INTO_DRAFT = (Event.CREATE, Event.RETURN, Event.REOPEN)
CONVERSATION = (Event.SUBMIT, Event.APPROVE, Event.RETURN, Event.REOPEN)


@dataclass(frozen=True)
class Entry:
    """A history event as people read it: the actor by name (``who`` is None for the system)."""

    seq: int
    event: str
    from_state: str | None
    to_state: str
    who: str | None
    comment: str | None
    at: datetime
    #: the delegator (by name, as history keeps their email) when a delegate acted with their grant
    on_behalf_of: str | None = None


#: The delegator of a history row, to show them by name.
PRINCIPAL = aliased(User)


def _entry(event: HistoryEvent, name: str | None, principal: str | None = None) -> Entry:
    who = None if event.actor_id is None else (name or event.actor)
    return Entry(event.seq, event.event, event.from_state, event.to_state, who, event.comment, event.at,
                 principal or event.on_behalf_of)


def department_items(code: str | None) -> list[Item]:
    """A department's items (every item when ``code`` is None), newest meetings last."""
    return item_ops.list_items(department=code)


def queue(state: State, department: str | None) -> list[Item]:
    """Items waiting in a review step, oldest first."""
    found = item_ops.list_items(department=department, state=state)
    return sorted(found, key=lambda i: (i.statement.state_entered_at, i.file_id))


def returned_from(state: State, department: str | None) -> list[tuple[Item, Entry]]:
    """Drafts that a reviewer returned from ``state`` and that wait for their author,
    most recently returned first."""
    drafts = {i.statement.id: i for i in item_ops.list_items(department=department, state=State.DRAFT)}
    back = [(drafts[sid], e) for sid, e in sent_back(drafts).items()
            if e.event == Event.RETURN and e.from_state == State(state).value]
    return sorted(back, key=lambda pair: (pair[1].at, pair[0].file_id), reverse=True)


def history(statement_id: int) -> list[Entry]:
    """The statement's history, oldest first, each event with its actor's name."""
    rows = db.session.execute(
        select(HistoryEvent, User.name, PRINCIPAL.name).outerjoin(User, User.id == HistoryEvent.actor_id)
        .outerjoin(PRINCIPAL, PRINCIPAL.email == HistoryEvent.on_behalf_of)
        .where(HistoryEvent.statement_id == statement_id).order_by(HistoryEvent.seq))
    return [_entry(event, name, principal) for event, name, principal in rows]


def conversation(statement_id: int) -> list[Entry]:
    """What people said and did to the statement, oldest first: every submission, approval,
    return and reopen with its comment (not the item's creation or the agenda's changes)."""
    return [e for e in history(statement_id) if e.event in CONVERSATION]


def since_last_submission(entries: list[Entry],
                          events: tuple[Event, ...] = (Event.RETURN, Event.REOPEN)) -> list[Entry]:
    """The ``events`` (by default: returns and reopens) after the latest submission."""
    found: list[Entry] = []
    for entry in entries:
        if entry.event == Event.SUBMIT:
            found = []
        elif entry.event in events:
            found.append(entry)
    return found


def sent_back(statement_ids: Iterable[int]) -> dict[int, Entry]:
    """For drafts: the return or reopen that put each one back into draft, by statement id.

    A draft that was only ever created is not in the answer. One statement, whatever
    the number of drafts: the latest of the events that lead into draft, per statement.
    """
    ids = list(statement_ids)
    if not ids:
        return {}
    latest = (select(HistoryEvent.statement_id, func.max(HistoryEvent.seq).label("seq"))
              .where(HistoryEvent.statement_id.in_(ids), HistoryEvent.event.in_(INTO_DRAFT))
              .group_by(HistoryEvent.statement_id).subquery())
    rows = db.session.execute(
        select(HistoryEvent, User.name)
        .join(latest, (latest.c.statement_id == HistoryEvent.statement_id)
              & (latest.c.seq == HistoryEvent.seq))
        .outerjoin(User, User.id == HistoryEvent.actor_id)
        .where(HistoryEvent.event != Event.CREATE))
    return {event.statement_id: _entry(event, name) for event, name in rows}


def last_two_revisions(statement_id: int) -> list[StatementRevision]:
    """The latest submission and the one before it, latest first."""
    return list(db.session.scalars(
        select(StatementRevision).where(StatementRevision.statement_id == statement_id)
        .order_by(StatementRevision.number.desc()).limit(2)))


def meeting_dates(since: date, limit: int = 12) -> list[date]:
    """Upcoming meeting dates that have items, for the board's quick links."""
    column = func.coalesce(Item.agendized_for, Item.meeting_date)
    return list(db.session.scalars(
        select(column).where(column >= since).group_by(column).order_by(column).limit(limit)))


def unread_count(user_id: int) -> int:
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user_id, Notification.read_at.is_(None),
        Notification.kind != NotificationKind.DIGEST)) or 0


def statement_file_ids(statement_ids: set[int]) -> dict[int, str]:
    if not statement_ids:
        return {}
    return dict(db.session.execute(
        select(Statement.id, Item.file_id).join(Item, Item.id == Statement.item_id)
        .where(Statement.id.in_(statement_ids))).all())


def users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.email)))


def ode_reviewers() -> list[User]:
    """The active ODE reviewers, by name (whom a statement in ODE review may be assigned to)."""
    return list(db.session.scalars(select(User).where(User.role == Role.ODE_REVIEWER, User.active.is_(True))
                                   .order_by(User.name, User.id)))


def thin_departments() -> list[tuple[Department, int]]:
    """Departments with fewer than two active approvers (one absence or one own item stalls
    them), with how many they have."""
    count = func.count(User.id)
    rows = db.session.execute(
        select(Department, count).outerjoin(User, (User.department_id == Department.id)
                                            & (User.role == Role.DEPARTMENT_APPROVER) & User.active.is_(True))
        .group_by(Department.id).having(count < 2).order_by(Department.code)).all()
    return [(department, n) for department, n in rows]


def delegations() -> list[Delegation]:
    """The delegations in force or to come, by delegator."""
    return list(db.session.scalars(
        select(Delegation).where(Delegation.revoked_at.is_(None), Delegation.ends >= dates.today())
        .order_by(Delegation.delegator_id)))


def departments() -> list[Department]:
    return list(db.session.scalars(select(Department).order_by(Department.code)))
