"""The statement's history: append-only and hash-chained.

Each row carries the SHA-256 of its own content and of the previous row of
the same statement (``prev_hash``), so a row edited, removed or reordered
behind the application's back breaks the chain, and ``reis audit verify``
names the first broken link. The hash covers what the record says (who did
what, when, with which comment); ``actor_id`` is only a convenience join.
"""

import hashlib
import json
from datetime import UTC, datetime
from typing import TypedDict

from sqlalchemy import Enum, ForeignKey, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow
from workflows.states import Event

EVENT_ENUM = Enum(Event, name="event", values_callable=lambda e: [m.value for m in e], native_enum=False,
                  length=32, validate_strings=True, create_constraint=True)


class HistoryEvent(Model):
    """One event in a statement's life. Append-only: no code path updates or deletes one."""

    __tablename__ = "history_events"
    __table_args__ = (UniqueConstraint("statement_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    event: Mapped[Event] = mapped_column(EVENT_ENUM)
    from_state: Mapped[str | None] = mapped_column(String(32))
    to_state: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: the actor's email at the time, or "system": the record outlives renames
    actor: Mapped[str] = mapped_column(String(254))
    comment: Mapped[str | None] = mapped_column(Text)
    #: the delegator's email when a delegate acted with their grant (None otherwise)
    on_behalf_of: Mapped[str | None] = mapped_column(String(254))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the hash of the previous row of the same statement, or GENESIS for the first
    prev_hash: Mapped[str] = mapped_column(String(64))
    #: SHA-256 (hex) of this row's content and ``prev_hash``: see ``content_hash``
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    def to_dict(self) -> dict:
        return {"seq": self.seq, "event": Event(self.event).value, "from_state": self.from_state,
                "to_state": self.to_state, "actor": self.actor, "on_behalf_of": self.on_behalf_of,
                "comment": self.comment, "at": self.at.isoformat()}


#: ``prev_hash`` of a statement's first row
GENESIS = "0" * 64


class HashedFields(TypedDict):
    """A row's fields that its hash covers, but the previous row's hash."""

    statement_id: int
    seq: int
    event: str
    from_state: str | None
    to_state: str
    actor: str
    comment: str | None
    at: datetime


def content_hash(statement_id: int, seq: int, event: str, from_state: str | None, to_state: str,
                 actor: str, comment: str | None, at: datetime, prev_hash: str,
                 on_behalf_of: str | None = None) -> str:
    """SHA-256 of the row's canonical JSON: sorted keys, no spaces, UTF-8, ``at`` in UTC
    with microseconds. The migration that added the chain repeats this; keep them equal.

    ``on_behalf_of`` (v1.1) is in the content only when set, so every row written before
    delegation existed (and every row without a delegator since) hashes as it always did."""
    content = {"statement_id": statement_id, "seq": seq, "event": event, "from_state": from_state,
               "to_state": to_state, "actor": actor, "comment": comment,
               "at": at.astimezone(UTC).isoformat(timespec="microseconds"), "prev_hash": prev_hash}
    if on_behalf_of is not None:
        content["on_behalf_of"] = on_behalf_of
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@event.listens_for(HistoryEvent, "before_update")
@event.listens_for(HistoryEvent, "before_delete")
def _refuse_rewrite(mapper, connection, target):
    raise RuntimeError("history is append-only")
