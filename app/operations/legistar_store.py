"""The Legistar import's own tables: matter links, meetings, agenda rows and the live cursor.

Why it looks like this: every one of these tables is keyed by (client,
Legistar id) and written the same way, by ``upsert``: the rows of one chunk
are read, the missing ones inserted and the others changed only where they
differ, so an unchanged row is never written and a second run writes
nothing. Each chunk is its own transaction and nothing read is kept across
one (a session's commit expires every object it holds, so holding the rows
of a whole import made each commit cost as much as the import so far).
Reads of stored state are plain rows, not ORM objects, for the same reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import nullcontext
from datetime import datetime
from itertools import islice
from typing import Any, NamedTuple, TypeVar, cast

from sqlalchemy import CursorResult, delete, select

from app.db import write_transaction
from app.extensions import db
from app.models import Item, Statement
from app.models.legistar import LegistarCursor, LegistarEvent, LegistarEventItem, LegistarMatter
from workflows.legistar import ItemData, Reading
from workflows.legistar_rows import EventData

CHUNK = 500  # rows per statement and per transaction (drivers cap bound parameters)
EVENT_FIELDS = ("body_name", "event_date", "starts_at", "time_text", "location", "agenda_status", "comment",
                "url", "last_modified")
EVENT_ITEM_FIELDS = ("event_id", "agenda_sequence", "agenda_number", "title", "matter_id", "file_id",
                     "consent", "last_modified")
T = TypeVar("T")


def chunks(values: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk


class StoredItem(NamedTuple):
    file_id: str
    title: str
    body: str | None
    meeting_date: Any
    item_type: str | None
    agendized: bool
    agendized_for: Any
    state: str


class StoredLink(NamedTuple):
    matter_id: int
    source: str
    last_modified: datetime | None


def items(file_ids: Sequence[str]) -> dict[str, StoredItem]:
    rows = db.session.execute(
        select(Item.file_id, Item.title, Item.body, Item.meeting_date, Item.item_type, Item.agendized,
               Item.agendized_for, Statement.state)
        .join(Statement, Statement.item_id == Item.id).where(Item.file_id.in_(file_ids)))
    return {r.file_id: StoredItem(*r) for r in rows}


def links(client: str, matter_ids: Sequence[int]) -> dict[int, StoredLink]:
    rows = db.session.execute(
        select(LegistarMatter.matter_id, LegistarMatter.source, LegistarMatter.last_modified)
        .where(LegistarMatter.client == client, LegistarMatter.matter_id.in_(matter_ids)))
    return {r.matter_id: StoredLink(*r) for r in rows}


def events(client: str, event_ids: Iterable[int]) -> list[EventData]:
    """Meetings imported before (an agenda file read now may list them)."""
    found = []
    for ids in chunks(sorted(event_ids)):
        query = select(LegistarEvent).where(LegistarEvent.client == client, LegistarEvent.event_id.in_(ids))
        found += [EventData(event_id=e.event_id, **{k: getattr(e, k) for k in EVENT_FIELDS})
                  for e in db.session.scalars(query)]
    return found


def upsert(model: Any, client: str, key: str, wanted: dict[int, dict[str, Any]],
           dry_run: bool = False) -> int:
    """Rows of ``model`` for ``client`` keyed by ``key``: insert the missing, change only what differs;
    the number of rows written (or that would be, on a dry run)."""
    written = 0
    column = getattr(model, key)
    for keys in chunks(wanted):
        with nullcontext() if dry_run else write_transaction():
            rows = {getattr(r, key): r for r in db.session.scalars(
                select(model).where(model.client == client, column.in_(keys)))}
            for k in keys:
                row, values = rows.get(k), wanted[k]
                if row is None:
                    if not dry_run:
                        db.session.add(model(client=client, **{key: k}, **values))
                    written += 1
                    continue
                changed = {name: v for name, v in values.items() if getattr(row, name) != v}
                if changed and not dry_run:
                    for name, value in changed.items():
                        setattr(row, name, value)
                written += bool(changed)
    return written


def store_links(client: str, applied: list[tuple[ItemData, bool]], known: dict[int, StoredLink]) -> None:
    """Which item each matter became; ``last_modified`` only for a matter applied in full."""
    item_ids = dict(db.session.execute(select(Item.file_id, Item.id).where(
        Item.file_id.in_([d.file_id for d, _ in applied]))).all()) if applied else {}
    wanted: dict[int, dict[str, Any]] = {}
    for data, complete in applied:
        link = known.get(data.matter_id)
        if link is not None and link.source == "matter" and data.source == "event_item":
            continue  # what an agenda row says never replaces what the matter said
        values: dict[str, Any] = {"file_id": data.file_id, "item_id": item_ids.get(data.file_id),
                                  "source": data.source, "status": data.status}
        if complete:
            values["last_modified"] = data.last_modified
        wanted[data.matter_id] = values
    upsert(LegistarMatter, client, "matter_id", wanted)


def store_agenda(client: str, reading: Reading, complete: set[int], dry_run: bool) -> tuple[int, int, int]:
    """Meetings and agenda rows; a live agenda listing is complete, so rows it no longer has go.
    (meetings written, agenda rows written, agenda rows removed)"""
    meetings = upsert(LegistarEvent, client, "event_id", {
        e.event_id: {k: getattr(e, k) for k in EVENT_FIELDS} for e in reading.events.values()}, dry_run)
    rows = upsert(LegistarEventItem, client, "event_item_id", {
        r.event_item_id: {k: getattr(r, k) for k in EVENT_ITEM_FIELDS} for r in reading.event_items.values()},
        dry_run)
    removed = 0
    for event_id in sorted(complete):
        keep = [r.event_item_id for r in reading.event_items.values() if r.event_id == event_id]
        gone = (LegistarEventItem.client == client, LegistarEventItem.event_id == event_id,
                LegistarEventItem.event_item_id.not_in(keep))
        if dry_run:
            removed += len(db.session.scalars(select(LegistarEventItem.id).where(*gone)).all())
            continue
        with write_transaction():
            done = cast(CursorResult[Any], db.session.execute(delete(LegistarEventItem).where(*gone)))
            removed += done.rowcount
    return meetings, rows, removed


def move_cursor(client: str, newest_matter: datetime | None, newest_event: datetime | None,
                held: datetime | None) -> None:
    """The newest change read, but never past a matter that still has to be applied (``held``)."""
    with write_transaction():
        cursor = db.session.scalar(select(LegistarCursor).where(LegistarCursor.client == client))
        if cursor is None:
            cursor = LegistarCursor(client=client)
            db.session.add(cursor)
        matters_to = held or max(filter(None, (newest_matter, cursor.matters_modified)), default=None)
        events_to = max(filter(None, (newest_event, cursor.events_modified)), default=None)
        if (cursor.matters_modified, cursor.events_modified) != (matters_to, events_to):
            cursor.matters_modified, cursor.events_modified = matters_to, events_to


def cursor_of(client: str) -> tuple[datetime | None, datetime | None]:
    cursor = db.session.scalar(select(LegistarCursor).where(LegistarCursor.client == client))
    return (cursor.matters_modified, cursor.events_modified) if cursor else (None, None)
