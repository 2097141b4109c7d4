from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UTCDateTime, utcnow


class HistoryEvent(db.Model):
    """One event in a statement's life. Append-only: no code path updates or deletes one."""

    __tablename__ = "history_events"
    __table_args__ = (UniqueConstraint("statement_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    event: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(32))
    to_state: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: the actor's email at the time, or "system": the record outlives renames
    actor: Mapped[str] = mapped_column(String(254))
    comment: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def to_dict(self) -> dict:
        return {"seq": self.seq, "event": self.event, "from_state": self.from_state,
                "to_state": self.to_state, "actor": self.actor, "comment": self.comment,
                "at": self.at.isoformat()}


@event.listens_for(HistoryEvent, "before_update")
@event.listens_for(HistoryEvent, "before_delete")
def _refuse_rewrite(mapper, connection, target):
    raise RuntimeError("history is append-only")
