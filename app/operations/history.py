"""Writing the statement's append-only, hash-chained history."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import HistoryEvent, Statement, User
from app.models.base import utcnow
from app.models.history import GENESIS, HashedFields, content_hash
from workflows.statement import SYSTEM_ACTOR
from workflows.states import Event


def record(statement: Statement, event: Event, from_state: str | None, to_state: str,
           actor: User | None, comment: str | None = None, on_behalf_of: str | None = None) -> HistoryEvent:
    """Append one event, chained to the statement's previous one.

    The caller holds the statement's lock, so the previous row read here is
    still the last one when this row is inserted: ``seq`` and ``prev_hash``
    cannot fork.
    """
    last = db.session.execute(
        select(HistoryEvent.seq, HistoryEvent.hash).where(HistoryEvent.statement_id == statement.id)
        .order_by(HistoryEvent.seq.desc()).limit(1)).first()
    seq, prev_hash = (last.seq + 1, last.hash) if last else (1, GENESIS)
    fields = HashedFields(
        statement_id=statement.id, seq=seq, event=event,
        from_state=None if from_state is None else str(from_state), to_state=str(to_state),
        actor=actor.email if actor else SYSTEM_ACTOR, comment=comment, at=utcnow(),
    )
    row = HistoryEvent(**fields, actor_id=actor.id if actor else None, prev_hash=prev_hash,
                       on_behalf_of=on_behalf_of,
                       hash=content_hash(**fields, prev_hash=prev_hash, on_behalf_of=on_behalf_of))
    db.session.add(row)
    return row
