"""Read-only queries behind the pages, each a fixed number of SQL statements.

Lists load their rows with everything the template shows in one statement
(the item's statement and department are eager joins), so a page costs the
same number of queries for ten items as for two hundred.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.models import Department, HistoryEvent, Item, Notification, Statement, StatementRevision, User
from app.models.notification import NotificationKind
from app.operations import items as item_ops
from workflows.statement import State


def department_items(code: str | None) -> list[Item]:
    """A department's items (every item when ``code`` is None), newest meetings last."""
    return item_ops.list_items(department=code)


def queue(state: State, department: str | None) -> list[Item]:
    """Items waiting in a review step, oldest first."""
    found = item_ops.list_items(department=department, state=state)
    return sorted(found, key=lambda i: (i.statement.state_entered_at, i.file_id))


def history(statement_id: int) -> list[HistoryEvent]:
    return list(db.session.scalars(
        select(HistoryEvent).where(HistoryEvent.statement_id == statement_id).order_by(HistoryEvent.seq)))


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


def departments() -> list[Department]:
    return list(db.session.scalars(select(Department).order_by(Department.code)))
