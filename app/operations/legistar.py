"""Importing a city's Legistar agenda: create or update items, keep meetings and their agendas.

Why it looks like this: ``workflows.legistar.plan`` decides what the
responses mean; this module only compares with what is stored and writes.
Items go through ``items.create_item`` and ``items.update_item`` as the
system (``IMPORT``), so an imported item gets its draft statement and its
"create" history row exactly like one made through the API, and a changed
title or body reopens an approved statement by the same rule (a material
change of an agendized item is reported, not forced). Each item is its own
transaction; the agenda rows, the matter links and the cursor are written
last, so an import stopped half-way is simply finished by the next run.

Idempotent and incremental: a matter whose ``MatterLastModifiedUtc`` equals
the one last applied is not even compared, other rows are compared field by
field and written only when they differ, and the live cursor never moves past
a matter that could not be applied (unknown department, rejected file
number), so fixing the cause and running again picks it up.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import delete, select

from app.db import write_transaction
from app.errors import OperationError, invalid, not_found
from app.extensions import db
from app.legistar_client import LegistarClient
from app.models import Department, Item, Statement
from app.models.item import MATERIAL_FIELDS
from app.models.legistar import LegistarCursor, LegistarEvent, LegistarEventItem, LegistarMatter
from app.operations import items as item_ops
from workflows import gate, legistar
from workflows.statement import State

FIXABLE = frozenset({"unknown_department", "file_id_rejected", "agendized"})
_CHUNK = 500


#: The import acts as the system (``None`` to the item operations): the permission vocabulary
#: lets the system create and change any department's items, and the history names it "system".
IMPORT = None


@dataclass
class Report:
    client: str
    read: Counter = field(default_factory=Counter)
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    reopened: list[str] = field(default_factory=list)
    unchanged: int = 0
    events_written: int = 0
    event_items_written: int = 0
    event_items_removed: int = 0
    skips: list[legistar.Skip] = field(default_factory=list)
    requests: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.events_written or self.event_items_written
                    or self.event_items_removed)

    def to_dict(self) -> dict[str, Any]:
        return {"client": self.client, "read": dict(sorted(self.read.items())),
                "created": self.created, "updated": self.updated, "reopened": self.reopened,
                "unchanged": self.unchanged, "events_written": self.events_written,
                "event_items_written": self.event_items_written,
                "event_items_removed": self.event_items_removed,
                "skipped": [s.to_dict() for s in self.skips], "requests": self.requests}


def _settings() -> tuple[ZoneInfo, legistar.DepartmentMap]:
    config = current_app.config
    try:
        departments = legistar.DepartmentMap.parse(config["REIS_LEGISTAR_DEPARTMENT_MAP"])
    except ValueError as exc:
        raise invalid({"REIS_LEGISTAR_DEPARTMENT_MAP": str(exc)},
                      "The department map is not valid.") from None
    return ZoneInfo(config["REIS_TIMEZONE"]), departments


def _check(client: str, code: str | None) -> None:
    if not client or len(client) > 64:
        raise invalid({"client": "must be a name of 1 to 64 characters"})
    if code and db.session.scalar(select(Department.id).where(Department.code == code)) is None:
        raise invalid({"default_department": f"no department has code {code!r}"})


def import_files(paths: Iterable[str | Path], client: str = "file",
                 default_department: str | None = None) -> Report:
    """Import saved Web API responses; each file holds an object list or one object."""
    _check(client, default_department)
    batch = legistar.Batch()
    for path in paths:
        legistar.read_json(Path(path).read_bytes(), str(path), batch)
    return apply(batch, client, default_department)


def import_live(api: LegistarClient, client: str, since: datetime | None = None,
                default_department: str | None = None, today: date | None = None) -> Report:
    """Read the client's Web API: reference lists, matters and events changed since the
    cursor (or ``since``), upcoming meetings, and each meeting's agenda."""
    _check(client, default_department)
    tz, _ = _settings()
    cursor = db.session.scalar(select(LegistarCursor).where(LegistarCursor.client == client))
    matters_since = since or (cursor.matters_modified if cursor else None)
    events_since = since or (cursor.events_modified if cursor else None)
    batch = legistar.Batch()
    for listing in api.reference():
        batch.add(listing, "reference")
    batch.add(api.matters(matters_since), "matters")
    events = api.events(events_since, today or datetime.now(tz).date())
    batch.add(events, "events")
    fetched = set()
    for event in events:
        if isinstance(event, dict) and isinstance(event.get("EventId"), int):
            batch.add(api.event_items(event["EventId"]), f"events/{event['EventId']}/eventitems")
            fetched.add(event["EventId"])
    report = apply(batch, client, default_department, complete_agendas=fetched, move_cursor=True)
    report.requests = api.requests
    return report


def apply(batch: legistar.Batch, client: str, default_department: str | None = None, *,
          complete_agendas: Iterable[int] = (), move_cursor: bool = False) -> Report:
    tz, departments = _settings()
    planned = legistar.plan(batch, departments, tz, default_department)
    report = Report(client=client, read=Counter(batch.read), skips=list(planned.skips))
    links = _links(client, [d.matter_id for d in planned.items])
    found = {i.file_id: i for i in _rows(Item, Item.file_id, [d.file_id for d in planned.items])}
    codes = set(db.session.scalars(select(Department.code)))
    applied: list[tuple[legistar.ItemData, bool]] = []
    held: list[datetime] = []  # changes of matters not applied in full: the cursor stays before them
    for data in planned.items:
        skips_before = len(report.skips)
        outcome = _apply_item(data, found.get(data.file_id), links.get(data.matter_id), codes, report)
        if outcome is not None:
            applied.append((data, outcome))
        if data.source == "matter" and data.last_modified and any(
                s.kind in FIXABLE for s in report.skips[skips_before:]):
            held.append(data.last_modified)
    with write_transaction():
        _store_links(client, applied)
        _store_agenda(client, planned, set(complete_agendas), report)
        if move_cursor:
            _move_cursor(client, planned, held)
    return report


def _rows(model, column, keys: list, client: str | None = None) -> list:
    """Rows whose ``column`` is one of ``keys`` (in chunks: drivers cap bound parameters)."""
    rows = []
    for start in range(0, len(keys), _CHUNK):
        query = select(model).where(column.in_(keys[start:start + _CHUNK]))
        if client is not None:
            query = query.where(model.client == client)
        rows.extend(db.session.scalars(query))
    return rows


def _links(client: str, matter_ids: list[int]) -> dict[int, LegistarMatter]:
    return {r.matter_id: r for r in _rows(LegistarMatter, LegistarMatter.matter_id, matter_ids, client)}


def _apply_item(data: legistar.ItemData, item: Item | None, link: LegistarMatter | None,
                codes: set[str], report: Report) -> bool | None:
    """Create or update one item; True when applied in full, False when partly, None when not."""
    ref = f"{data.source.replace('_', ' ')} {data.matter_id} ({data.file_id})"
    if item is None:
        return _create(data, codes, report, ref)
    if data.source == "matter" and link is not None and link.source == "matter" \
            and link.last_modified is not None and link.last_modified == data.last_modified:
        report.unchanged += 1
        return True
    wanted = data.fields()
    if data.source == "event_item":  # an agenda row only fills what nothing else gave
        wanted = {k: v for k, v in wanted.items() if getattr(item, k) in (None, "")}
    changes = {k: v for k, v in wanted.items() if v is not None and getattr(item, k) != v}
    if not changes:
        report.unchanged += 1
        return True
    material = sorted(k for k in changes if k in MATERIAL_FIELDS)
    complete = True
    if material and item.agendized:
        report.skips.append(legistar.Skip(
            "agendized", ref, f"on the agenda of {item.agendized_for}; a clerk must unagendize it "
            f"before its {', '.join(material)} can change"))
        changes = {k: v for k, v in changes.items() if k not in MATERIAL_FIELDS}
        material, complete = [], False
    if changes:
        was = item.statement.state
        try:
            item_ops.update_item(IMPORT, data.file_id, changes)
        except OperationError as exc:
            report.skips.append(legistar.Skip("malformed", ref, exc.message))
            return None
        report.updated.append(data.file_id)
        if material and was != State.DRAFT:
            report.reopened.append(data.file_id)
    return complete


def _create(data: legistar.ItemData, codes: set[str], report: Report, ref: str) -> bool | None:
    if data.department is None:
        report.skips.append(legistar.Skip(
            "unknown_department", ref, f"no department owns it ({data.placed_by}); add it to "
            "REIS_LEGISTAR_DEPARTMENT_MAP or pass --default-department"))
        return None
    if data.department not in codes:
        report.skips.append(legistar.Skip(
            "unknown_department", ref, f"department {data.department!r} ({data.placed_by}) does not "
            "exist; create it with `reis departments create`"))
        return None
    try:
        item_ops.create_item(IMPORT, {"file_id": data.file_id, "department": data.department,
                                      **{k: v for k, v in data.fields().items() if v is not None}})
    except OperationError as exc:
        if "file_id" in exc.extra.get("fields", {}):
            report.skips.append(legistar.Skip(
                "file_id_rejected", ref, "the file number does not match REIS_FILE_ID_PATTERN "
                f"({current_app.config['REIS_FILE_ID_PATTERN']})"))
        else:
            report.skips.append(legistar.Skip("malformed" if exc.status == 422 else exc.code, ref,
                                              exc.message))
        return None
    report.created.append(data.file_id)
    return True


def _store_links(client: str, applied: list[tuple[legistar.ItemData, bool]]) -> None:
    existing = _links(client, [d.matter_id for d, _ in applied])
    item_ids = dict(db.session.execute(select(Item.file_id, Item.id).where(
        Item.file_id.in_([d.file_id for d, _ in applied]))).all()) if applied else {}
    for data, complete in applied:
        link = existing.get(data.matter_id)
        if link is None:
            link = LegistarMatter(client=client, matter_id=data.matter_id, source=data.source)
            db.session.add(link)
        elif link.source == "matter" and data.source == "event_item":
            continue
        values = {"file_id": data.file_id, "item_id": item_ids.get(data.file_id), "source": data.source,
                  "status": data.status}
        if complete:
            values["last_modified"] = data.last_modified
        _assign(link, values)


def _assign(row, values: dict[str, Any]) -> bool:
    """Set only what differs, so an unchanged row is never written."""
    changed = {k: v for k, v in values.items() if getattr(row, k) != v}
    for name, value in changed.items():
        setattr(row, name, value)
    return bool(changed)


def _store_agenda(client: str, planned: legistar.Plan, complete: set[int], report: Report) -> None:
    events = {e.event_id: e for e in _rows(LegistarEvent, LegistarEvent.event_id,
                                           [e.event_id for e in planned.events], client)}
    for data in planned.events:
        row = events.get(data.event_id)
        if row is None:
            row = LegistarEvent(client=client, event_id=data.event_id)
            db.session.add(row)
        values = {k: getattr(data, k) for k in ("body_name", "event_date", "starts_at", "time_text",
                                                  "location", "agenda_status", "comment", "url",
                                                  "last_modified")}
        report.events_written += _assign(row, values)
    rows = {r.event_item_id: r for r in _rows(LegistarEventItem, LegistarEventItem.event_item_id,
                                              [r.event_item_id for r in planned.event_items], client)}
    for data in planned.event_items:
        row = rows.get(data.event_item_id)
        if row is None:
            row = LegistarEventItem(client=client, event_item_id=data.event_item_id)
            db.session.add(row)
        values = {k: getattr(data, k) for k in ("event_id", "agenda_sequence", "agenda_number", "title",
                                                  "matter_id", "file_id", "consent", "last_modified")}
        report.event_items_written += _assign(row, values)
    for event_id in sorted(complete):  # a live agenda listing is complete: drop rows it no longer has
        keep = [r.event_item_id for r in planned.event_items if r.event_id == event_id]
        report.event_items_removed += db.session.execute(
            delete(LegistarEventItem).where(LegistarEventItem.client == client,
                                            LegistarEventItem.event_id == event_id,
                                            LegistarEventItem.event_item_id.not_in(keep))).rowcount


def _move_cursor(client: str, planned: legistar.Plan, held: list[datetime]) -> None:
    """The newest change read, but never past a matter that still has to be applied."""
    newest = max((d.last_modified for d in planned.items if d.source == "matter" and d.last_modified),
                 default=None)
    events_newest = max((e.last_modified for e in planned.events if e.last_modified), default=None)
    cursor = db.session.scalar(select(LegistarCursor).where(LegistarCursor.client == client))
    if cursor is None:
        cursor = LegistarCursor(client=client)
        db.session.add(cursor)
    matters_to = min(held) if held else max(filter(None, (newest, cursor.matters_modified)), default=None)
    events_to = max(filter(None, (events_newest, cursor.events_modified)), default=None)
    _assign(cursor, {"matters_modified": matters_to, "events_modified": events_to})


# -- meetings ----------------------------------------------------------------------

def agenda_order(meeting_date: date) -> dict[str, int]:
    """File ID -> position on the imported agendas of that day's meetings (first listing wins).

    Meetings of the day in order of start time, then each agenda in its own order;
    items not on an imported agenda are absent, so callers sort them after these.
    """
    rows = db.session.execute(
        select(LegistarEventItem.file_id)
        .join(LegistarEvent, (LegistarEvent.client == LegistarEventItem.client)
              & (LegistarEvent.event_id == LegistarEventItem.event_id))
        .where(LegistarEvent.event_date == meeting_date, LegistarEventItem.file_id.is_not(None))
        .order_by(LegistarEvent.starts_at.is_(None), LegistarEvent.starts_at, LegistarEvent.event_id,
                  LegistarEventItem.agenda_sequence.is_(None), LegistarEventItem.agenda_sequence,
                  LegistarEventItem.event_item_id)).scalars()
    order: dict[str, int] = {}
    for file_id in rows:
        order.setdefault(file_id, len(order))
    return order


def readiness(event_id: int, client: str | None = None) -> dict[str, Any]:
    """An imported meeting's agenda in order, each matter with the gate's answer for that day."""
    query = select(LegistarEvent).where(LegistarEvent.event_id == event_id)
    if client:
        query = query.where(LegistarEvent.client == client)
    events = list(db.session.scalars(query))
    if not events:
        raise not_found(f"No imported Legistar event has id {event_id}.")
    if len(events) > 1:
        names = ", ".join(sorted(e.client for e in events))
        raise OperationError(f"Event {event_id} was imported for several clients ({names}); "
                             "name one with --client.", status=409, code="ambiguous")
    event = events[0]
    rows = db.session.scalars(
        select(LegistarEventItem).where(LegistarEventItem.client == event.client,
                                        LegistarEventItem.event_id == event.event_id)
        .order_by(LegistarEventItem.agenda_sequence.is_(None), LegistarEventItem.agenda_sequence,
                  LegistarEventItem.event_item_id)).all()
    file_ids = sorted({r.file_id for r in rows if r.file_id})
    known = {f: (s, fiscal) for f, s, fiscal in db.session.execute(
        select(Item.file_id, Statement.state, Item.fiscal_statement)
        .join(Statement, Statement.item_id == Item.id).where(Item.file_id.in_(file_ids)))}
    out, seen = [], set()
    for row in rows:
        entry = {"sequence": row.agenda_sequence, "agenda_number": row.agenda_number,
                 "title": row.title, "file_id": row.file_id, "kind": "heading",
                 "statement_state": None, "agendizable": None, "reasons": []}
        if row.file_id:
            if row.file_id in seen:
                continue  # listed again (e.g. a minutes-only row): the first listing is its place
            seen.add(row.file_id)
            entry["kind"] = "not_imported"
            if row.file_id in known:
                state, fiscal = known[row.file_id]
                reasons = gate.reasons(state, fiscal, event.event_date)
                entry.update(kind="item", statement_state=State(state).value,
                             agendizable=not reasons, reasons=[r.to_dict() for r in reasons])
        out.append(entry)
    return {"client": event.client, "event_id": event.event_id, "body": event.body_name,
            "date": event.event_date.isoformat(), "time": event.time_text,
            "starts_at": event.starts_at.isoformat() if event.starts_at else None,
            "agenda_status": event.agenda_status, "items": out}
