"""Importing a city's Legistar agenda: create or update items, keep meetings and their agendas.

Why it looks like this: ``workflows.legistar`` decides what the responses
mean; this module only compares with what is stored and writes
(``legistar_store`` keeps the import's own tables). Items go through
``items.create_item`` and ``items.update_item`` as the system (``IMPORT``),
so an imported item gets its draft statement and its "create" history row
exactly like one made through the API, and a changed title or body reopens an
approved statement by the same rule (a material change of an agendized item
is reported, not forced).

Nothing is written before every response has been read once: a response
that cannot be read is reported and left out whole (with ``strict``, nothing
is written at all), and every value was checked then, so no row reaches the
database with a value it cannot store. Matters are then applied in chunks:
each item is its own transaction (the item, its statement and its history);
each chunk's matter links, then the meetings and agenda rows, follow, so an
import stopped half-way is simply finished by the next run. Nothing is held
across chunks but a few counters: the time an import takes and the memory it
needs grow with the number of matters, linearly (docs/PERFORMANCE.md).

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
from sqlalchemy import select

from app.errors import OperationError, invalid
from app.extensions import db
from app.legistar_client import LegistarClient
from app.models import Department
from app.models.item import MATERIAL_FIELDS
from app.operations import items as item_ops
from app.operations import legistar_store as store
from workflows import legistar
from workflows.legistar_rows import Skip
from workflows.statement import State

FIXABLE = frozenset({"unknown_department", "file_id_rejected", "agendized"})
NOT_APPLIED_ASIDE = frozenset({"heading"})  # skips that are not a row left out: agenda headings


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
    skips: list[Skip] = field(default_factory=list)
    warnings: list[Skip] = field(default_factory=list)  # applied, but a person should know
    unreadable: list[Skip] = field(default_factory=list)  # responses left out whole
    requests: int = 0
    dry_run: bool = False
    stopped: bool = False  # strict: a response could not be read, so nothing was written

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.events_written or self.event_items_written
                    or self.event_items_removed)

    @property
    def rejected(self) -> list[Skip]:
        """Rows that were read but not applied (or not in full)."""
        return [s for s in self.skips if s.kind not in NOT_APPLIED_ASIDE]

    def to_dict(self) -> dict[str, Any]:
        return {"client": self.client, "dry_run": self.dry_run, "stopped": self.stopped,
                "read": dict(sorted(self.read.items())),
                "unreadable": [s.to_dict() for s in self.unreadable],
                "created": self.created, "updated": self.updated, "reopened": self.reopened,
                "unchanged": self.unchanged, "events_written": self.events_written,
                "event_items_written": self.event_items_written,
                "event_items_removed": self.event_items_removed,
                "skipped": [s.to_dict() for s in self.skips],
                "warnings": [s.to_dict() for s in self.warnings], "requests": self.requests}


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


def import_files(paths: Iterable[str | Path], client: str = "file", default_department: str | None = None,
                 *, strict: bool = False, dry_run: bool = False) -> Report:
    """Import saved Web API responses; each file holds an object list or one object."""
    _check(client, default_department)
    batch = legistar.Batch()
    for path in paths:
        batch.add_file(Path(path))
    return apply(batch, client, default_department, strict=strict, dry_run=dry_run)


def import_live(api: LegistarClient, client: str, since: datetime | None = None,
                default_department: str | None = None, today: date | None = None,
                *, dry_run: bool = False) -> Report:
    """Read the client's Web API: reference lists, matters and events changed since the
    cursor (or ``since``), upcoming meetings, and each meeting's agenda."""
    _check(client, default_department)
    tz, _ = _settings()
    matters_since, events_since = (since, since) if since else store.cursor_of(client)
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
    report = apply(batch, client, default_department, complete_agendas=fetched, move_cursor=True,
                   dry_run=dry_run)
    report.requests = api.requests
    return report


def apply(batch: legistar.Batch, client: str, default_department: str | None = None, *,
          complete_agendas: Iterable[int] = (), move_cursor: bool = False, strict: bool = False,
          dry_run: bool = False) -> Report:
    tz, departments = _settings()
    reading = legistar.read(batch, tz, strict=strict)
    report = Report(client=client, read=Counter(reading.read), skips=list(reading.skips),
                    unreadable=reading.unreadable, dry_run=dry_run, stopped=reading.stopped)
    if reading.stopped:
        return report
    planner = legistar.Planner(reading, departments, default_department,
                               store.events(client, reading.missing_events()))
    run = _Run(client, report, set(db.session.scalars(select(Department.code))), dry_run)
    for chunk in store.chunks(planner.items()):
        run.apply(chunk)
    report.skips += planner.skips
    report.warnings = planner.warnings()
    report.events_written, report.event_items_written, report.event_items_removed = store.store_agenda(
        client, reading, set(complete_agendas), dry_run)
    if move_cursor and not dry_run:
        changed = (e.last_modified for e in reading.events.values() if e.last_modified)
        store.move_cursor(client, run.newest, max(changed, default=None), run.held)
    if dry_run:
        db.session.rollback()
    return report


@dataclass
class _Run:
    """One import's item writes, a chunk at a time; what it keeps is counters and two dates."""

    client: str
    report: Report
    codes: set[str]
    dry_run: bool
    newest: datetime | None = None  # the latest matter change read
    held: datetime | None = None  # the earliest change of a matter not applied in full

    def apply(self, chunk: list[legistar.ItemData]) -> None:
        stored = store.items([d.file_id for d in chunk])
        links = store.links(self.client, [d.matter_id for d in chunk])
        applied: list[tuple[legistar.ItemData, bool]] = []
        for data in chunk:
            skips_before = len(self.report.skips)
            outcome = self._item(data, stored.get(data.file_id), links.get(data.matter_id))
            if outcome is not None:
                applied.append((data, outcome))
            if data.source == "matter" and data.last_modified:
                self.newest = max(filter(None, (self.newest, data.last_modified)))
                if any(s.kind in FIXABLE for s in self.report.skips[skips_before:]):
                    self.held = min(filter(None, (self.held, data.last_modified)))
        if not self.dry_run:
            store.store_links(self.client, applied, links)

    def _skip(self, kind: str, data: legistar.ItemData, reason: str) -> None:
        ref = f"{data.source.replace('_', ' ')} {data.matter_id} ({data.file_id})"
        self.report.skips.append(Skip(kind, ref, reason))

    def _item(self, data: legistar.ItemData, item: store.StoredItem | None,
              link: store.StoredLink | None) -> bool | None:
        """Create or update one item; True when applied in full, False when partly, None when not."""
        if item is None:
            return self._create(data)
        if data.source == "matter" and link is not None and link.source == "matter" \
                and link.last_modified is not None and link.last_modified == data.last_modified:
            self.report.unchanged += 1
            return True
        wanted = data.fields()
        if data.source == "event_item":  # an agenda row only fills what nothing else gave
            wanted = {k: v for k, v in wanted.items() if getattr(item, k) in (None, "")}
        changes = {k: v for k, v in wanted.items() if v is not None and getattr(item, k) != v}
        if not changes:
            self.report.unchanged += 1
            return True
        material = sorted(k for k in changes if k in MATERIAL_FIELDS)
        complete = True
        if material and item.agendized:
            self._skip("agendized", data, f"on the agenda of {item.agendized_for}; a clerk must unagendize "
                       f"it before its {', '.join(material)} can change")
            changes = {k: v for k, v in changes.items() if k not in MATERIAL_FIELDS}
            material, complete = [], False
        if changes:
            if not self.dry_run:
                try:
                    item_ops.update_item(IMPORT, data.file_id, changes)
                except OperationError as exc:
                    self._skip("malformed", data, exc.message)
                    return None
            self.report.updated.append(data.file_id)
            if material and item.state != State.DRAFT:
                self.report.reopened.append(data.file_id)
        return complete

    def _create(self, data: legistar.ItemData) -> bool | None:
        if data.department is None:
            self._skip("unknown_department", data, f"no department owns it ({data.placed_by}); add it to "
                       "REIS_LEGISTAR_DEPARTMENT_MAP or pass --default-department")
            return None
        if data.department not in self.codes:
            self._skip("unknown_department", data, f"department {data.department!r} ({data.placed_by}) "
                       "does not exist; create it with `reis departments create`")
            return None
        try:
            item_ops.check_file_id(data.file_id)
            if not self.dry_run:
                item_ops.create_item(IMPORT, {"file_id": data.file_id, "department": data.department,
                                              **{k: v for k, v in data.fields().items() if v is not None}})
        except OperationError as exc:
            if "file_id" in exc.extra.get("fields", {}):
                self._skip("file_id_rejected", data, "the file number does not match REIS_FILE_ID_PATTERN "
                           f"({current_app.config['REIS_FILE_ID_PATTERN']})")
            else:
                self._skip("malformed" if exc.status == 422 else exc.code, data, exc.message)
            return None
        self.report.created.append(data.file_id)
        return True
