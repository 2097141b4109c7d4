"""What the Legistar import keeps besides the items themselves.

Legistar ids are only unique within one client (city), so every row carries
the client name. Event items are kept as Legistar sends them, headings
included, so a meeting's agenda can be shown in order with each matter's gate
result next to it. ``LegistarMatter`` links a Legistar matter to the item it
became and remembers its ``MatterLastModifiedUtc``: an unchanged matter is
skipped without touching the item, which is what makes the import
incremental and a second run a no-op.
"""

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.models.base import UTCDateTime


class LegistarMatter(Model):
    __tablename__ = "legistar_matters"
    __table_args__ = (UniqueConstraint("client", "matter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client: Mapped[str] = mapped_column(String(64))
    matter_id: Mapped[int] = mapped_column(Integer)
    file_id: Mapped[str] = mapped_column(String(64), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"), index=True)
    #: "matter" once the matter itself was read; "event_item" while only seen on an agenda
    source: Mapped[str] = mapped_column(String(16))
    status: Mapped[str | None] = mapped_column(Text)
    #: MatterLastModifiedUtc of the version last applied to the item in full
    last_modified: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LegistarEvent(Model):
    """A meeting (Legistar event) of one body."""

    __tablename__ = "legistar_events"
    __table_args__ = (UniqueConstraint("client", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client: Mapped[str] = mapped_column(String(64))
    event_id: Mapped[int] = mapped_column(Integer)
    body_name: Mapped[str | None] = mapped_column(Text)
    #: the city's calendar date of the meeting
    event_date: Mapped[date] = mapped_column(Date, index=True)
    #: EventDate + EventTime in the city's zone, stored in UTC (None when EventTime is free text)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    time_text: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(Text)
    agenda_status: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LegistarEventItem(Model):
    """One row of a meeting's agenda: a matter, or a heading (no matter)."""

    __tablename__ = "legistar_event_items"
    __table_args__ = (
        UniqueConstraint("client", "event_item_id"),
        Index("ix_legistar_event_items_event", "client", "event_id", "agenda_sequence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client: Mapped[str] = mapped_column(String(64))
    event_item_id: Mapped[int] = mapped_column(Integer)
    #: the Legistar EventId (not a foreign key: agenda rows may arrive before their event)
    event_id: Mapped[int] = mapped_column(Integer)
    agenda_sequence: Mapped[int | None] = mapped_column(Integer)
    agenda_number: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    matter_id: Mapped[int | None] = mapped_column(Integer)
    file_id: Mapped[str | None] = mapped_column(String(64), index=True)
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    last_modified: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LegistarCursor(Model):
    """Where the last live import of one client got to: the next one asks only for newer changes."""

    __tablename__ = "legistar_cursors"

    id: Mapped[int] = mapped_column(primary_key=True)
    client: Mapped[str] = mapped_column(String(64), unique=True)
    matters_modified: Mapped[datetime | None] = mapped_column(UTCDateTime)
    events_modified: Mapped[datetime | None] = mapped_column(UTCDateTime)
