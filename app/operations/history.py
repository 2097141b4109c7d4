"""Writing the statement's append-only history."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import HistoryEvent, Statement, User
from app.models.base import utcnow
from workflows.statement import SYSTEM_ACTOR


def record(statement: Statement, event: str, from_state: str | None, to_state: str,
           actor: User | None, comment: str | None = None) -> HistoryEvent:
    """Append one event; the caller holds the statement's lock, so ``seq`` is safe."""
    last = db.session.scalar(
        select(func.max(HistoryEvent.seq)).where(HistoryEvent.statement_id == statement.id))
    row = HistoryEvent(
        statement_id=statement.id, seq=(last or 0) + 1, event=event,
        from_state=None if from_state is None else str(from_state), to_state=str(to_state),
        actor_id=actor.id if actor else None, actor=actor.email if actor else SYSTEM_ACTOR,
        comment=comment, at=utcnow(),
    )
    db.session.add(row)
    return row
