"""Reading Legistar Web API objects as agenda items, events and agenda rows.

Why this module exists: cities already keep their agenda in Granicus
Legistar and nobody will retype it. Everything that decides *what* an import
means lives here, as pure Python on the decoded JSON, so it is unit-tested on
the real responses without a database, and the operation that writes
(``app.operations.legistar``) only compares and stores.

Why it looks like this:

* Objects are recognised by their fields, never by file or endpoint names: a
  saved file may hold any object list (or one object), and San Jose's
  composite file nests matters inside event items inside an event. Each
  Legistar object carries its own primary key (``MatterId``, ``EventItemId``,
  ``BodyId``...), so the first known key found names the kind.
* Legistar sends timestamps without a zone. Fields named ``…Utc``/``…UTC``
  are UTC (that is what the API documents); every other date (``EventDate``,
  ``MatterAgendaDate``) is the city's wall clock, so a meeting on
  "2017-09-12T00:00:00" is on 12 September in the city, whatever zone the
  server running the import is in.
* Which department owns a matter is the city's to say: ``DepartmentMap`` is
  an ordered list of (Legistar field, {value: department code}) rules from
  configuration; the first rule whose field value is listed places it.
* Every object that does not become an item is accounted for: headings
  without a matter, matters without a file number and malformed rows become a
  ``Skip`` with a reason; reference objects (bodies, types, statuses,
  histories...) are counted.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any

# The first of these keys an object has names its kind (order matters: a matter
# also has MatterTypeId, a body also has BodyTypeId, a vote has VoteEventItemId).
KIND_KEYS: tuple[tuple[str, str], ...] = (
    ("EventItemId", "event_item"), ("EventId", "event"),
    ("MatterHistoryId", "matter_history"), ("MatterSponsorId", "matter_sponsor"),
    ("MatterAttachmentId", "matter_attachment"), ("MatterIndexId", "matter_index"),
    ("MatterTextId", "matter_text"), ("MatterCodeSectionId", "matter_code_section"),
    ("MatterId", "matter"), ("MatterTypeId", "matter_type"), ("MatterStatusId", "matter_status"),
    ("BodyId", "body"), ("BodyTypeId", "body_type"), ("IndexId", "index"), ("VoteId", "vote"),
    ("RollCallId", "roll_call"), ("PersonId", "person"), ("OfficeRecordId", "office_record"),
    ("ActionId", "action"), ("CodeSectionId", "code_section"),
)
IMPORTED_KINDS = frozenset({"matter", "event", "event_item"})
LOOKUP_KINDS = {"body": ("BodyId", "BodyName"), "matter_type": ("MatterTypeId", "MatterTypeName"),
                "matter_status": ("MatterStatusId", "MatterStatusName")}
BODY_MAX_LENGTH = TYPE_MAX_LENGTH = 200  # the item columns' sizes
FILE_ID_MAX_LENGTH = 64

_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?"
    r"(Z|[+-]\d{2}:?\d{2})?$")
_CLOCK = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*([AaPp])\.?\s*[Mm]\.?\s*$")


class Malformed(ValueError):
    """A row that cannot be read; its message says which field and why."""


# -- dates -------------------------------------------------------------------------

def parse_timestamp(value: Any, field_name: str, tz: tzinfo) -> datetime | None:
    """An aware datetime; a value without a zone is read in ``tz`` (UTC for ``…Utc`` fields)."""
    if value is None or value == "":
        return None
    match = _TIMESTAMP.match(value) if isinstance(value, str) else None
    if match is None:
        raise Malformed(f"{field_name} is not a date: {value!r}")
    y, mo, d, h, mi, s, frac, zone = match.groups()
    try:
        moment = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0),
                          int((frac or "0").ljust(6, "0")[:6]))
    except ValueError as exc:
        raise Malformed(f"{field_name} is not a date: {value!r}") from exc
    if zone:
        return datetime.fromisoformat(moment.isoformat() + ("+00:00" if zone == "Z" else zone))
    is_utc = field_name.lower().endswith("utc")
    return moment.replace(tzinfo=UTC if is_utc else tz)


def local_date(value: Any, field_name: str, tz: tzinfo) -> date | None:
    """The city's calendar date of a Legistar date field."""
    moment = parse_timestamp(value, field_name, tz)
    return None if moment is None else moment.astimezone(tz).date()


def clock_time(value: Any) -> time | None:
    """``EventTime`` ("1:30 PM", "10:00 a.m."); None when absent or free text."""
    match = _CLOCK.match(value) if isinstance(value, str) else None
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if not (1 <= hour <= 12 and minute < 60):
        return None
    return time(hour % 12 + (12 if match.group(3).lower() == "p" else 0), minute)


# -- recognising objects -----------------------------------------------------------

def kind_of(obj: Any) -> str | None:
    if not isinstance(obj, dict):
        return None
    return next((kind for key, kind in KIND_KEYS if key in obj), None)


@dataclass(frozen=True)
class Skip:
    """One object that did not become (or change) an item, and why."""

    kind: str  # heading, no_file_id, malformed, unknown_department, file_id_rejected, agendized, ...
    ref: str  # what it was, for a person: "matter 17071 (LU 1505-1997)"
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "ref": self.ref, "reason": self.reason}


@dataclass
class Batch:
    """The objects read from one or more responses, by kind."""

    matters: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    event_items: list[dict] = field(default_factory=list)
    lookups: dict[str, dict[int, str]] = field(default_factory=lambda: {k: {} for k in LOOKUP_KINDS})
    read: Counter = field(default_factory=Counter)
    skips: list[Skip] = field(default_factory=list)

    def add(self, payload: Any, source: str = "input") -> None:
        """Add a decoded response: a list of objects or one object."""
        objects = payload if isinstance(payload, list) else [payload]
        for n, obj in enumerate(objects):
            kind = kind_of(obj)
            if kind is None:
                keys = ", ".join(list(obj)[:4]) if isinstance(obj, dict) else type(obj).__name__
                self.skips.append(Skip("unrecognised", f"{source}[{n}]",
                                       f"not a Legistar object this import knows ({keys})"))
                continue
            self._take(kind, obj)

    def _take(self, kind: str, obj: dict) -> None:
        self.read[kind] += 1
        if kind == "matter":
            self.matters.append(obj)
        elif kind == "event":
            self.events.append(obj)
        elif kind == "event_item":
            self.event_items.append(obj)
        elif kind in LOOKUP_KINDS:
            key, name = LOOKUP_KINDS[kind]
            if isinstance(obj.get(key), int) and isinstance(obj.get(name), str):
                self.lookups[kind][obj[key]] = obj[name].strip()
        for value in obj.values():  # nested objects: EventItems, San Jose's items/Matter, Histories...
            for child in value if isinstance(value, list) else [value]:
                child_kind = kind_of(child)
                if child_kind is not None:
                    self._take(child_kind, child)


def read_json(text: str | bytes, source: str, batch: Batch | None = None) -> Batch:
    batch = batch if batch is not None else Batch()
    try:
        payload = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        batch.skips.append(Skip("malformed", source, f"not JSON: {exc}"))
        return batch
    batch.add(payload, source)
    return batch


# -- departments -------------------------------------------------------------------

@dataclass(frozen=True)
class DepartmentMap:
    """Ordered rules: (Legistar matter field, {field value: department code})."""

    rules: tuple[tuple[str, Mapping[str, str]], ...] = ()

    @classmethod
    def parse(cls, raw: str | Mapping | None) -> DepartmentMap:
        """From REIS_LEGISTAR_DEPARTMENT_MAP: a JSON object of objects; ValueError says what is wrong."""
        if raw in (None, ""):
            return cls()
        data = json.loads(raw) if isinstance(raw, str) else raw
        if not isinstance(data, Mapping):
            raise ValueError("the department map must be a JSON object: {field: {value: code}}")
        rules = []
        for name, values in data.items():
            if not isinstance(values, Mapping) or not all(
                    isinstance(k, str) and isinstance(v, str) and v for k, v in values.items()):
                raise ValueError(f"the department map's {name!r} must map values to department codes")
            rules.append((name, {_norm(k): v for k, v in values.items()}))
        return cls(tuple(rules))

    def place(self, fields: Mapping[str, Any]) -> tuple[str | None, str]:
        """The department code for these fields and what placed it (or what was looked at)."""
        looked = []
        for name, values in self.rules:
            value = fields.get(name)
            if isinstance(value, str) and _norm(value) in values:
                return values[_norm(value)], f"{name}={value.strip()!r}"
            looked.append(f"{name}={value!r}")
        return None, ", ".join(looked) or "no mapping configured"


def _norm(value: str) -> str:
    return " ".join(value.split()).casefold()


# -- what the import writes --------------------------------------------------------

@dataclass(frozen=True)
class ItemData:
    file_id: str
    title: str
    body: str | None
    meeting_date: date | None
    item_type: str | None
    department: str | None  # a code, or None when nothing places it
    placed_by: str
    source: str  # "matter" (authoritative) or "event_item" (the matter seen on an agenda)
    matter_id: int
    last_modified: datetime | None
    status: str | None = None

    def fields(self) -> dict[str, Any]:
        return {"title": self.title, "body": self.body, "meeting_date": self.meeting_date,
                "item_type": self.item_type}


@dataclass(frozen=True)
class EventData:
    event_id: int
    body_name: str | None
    event_date: date
    starts_at: datetime | None  # UTC
    time_text: str | None
    location: str | None
    agenda_status: str | None
    comment: str | None
    url: str | None
    last_modified: datetime | None


@dataclass(frozen=True)
class EventItemData:
    event_item_id: int
    event_id: int
    agenda_sequence: int | None
    agenda_number: str | None
    title: str
    matter_id: int | None
    file_id: str | None
    consent: bool
    last_modified: datetime | None


@dataclass
class Plan:
    items: list[ItemData] = field(default_factory=list)
    events: list[EventData] = field(default_factory=list)
    event_items: list[EventItemData] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)


def _text(obj: dict, key: str, *, required: bool = False, limit: int | None = None) -> str | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise Malformed(f"{key} should be text, got {type(value).__name__}")
    value = value.replace("\r\n", "\n").strip() if value else None
    if required and not value:
        raise Malformed(f"{key} is missing")
    if value and limit and len(value) > limit:
        raise Malformed(f"{key} is longer than {limit} characters")
    return value or None


def _int(obj: dict, key: str, *, required: bool = False) -> int | None:
    value = obj.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise Malformed(f"{key} should be a whole number, got {value!r}")
    return value


def read_event(obj: dict, tz: tzinfo) -> EventData:
    event_date = local_date(obj.get("EventDate"), "EventDate", tz)
    if event_date is None:
        raise Malformed("EventDate is missing")
    clock = clock_time(obj.get("EventTime"))
    starts = datetime.combine(event_date, clock, tzinfo=tz).astimezone(UTC) if clock else None
    return EventData(
        event_id=_int(obj, "EventId", required=True), body_name=_text(obj, "EventBodyName"),
        event_date=event_date, starts_at=starts, time_text=_text(obj, "EventTime"),
        location=_text(obj, "EventLocation"), agenda_status=_text(obj, "EventAgendaStatusName"),
        comment=_text(obj, "EventComment"), url=_text(obj, "EventInSiteURL"),
        last_modified=parse_timestamp(obj.get("EventLastModifiedUtc"), "EventLastModifiedUtc", tz))


def read_event_item(obj: dict, tz: tzinfo) -> EventItemData:
    return EventItemData(
        event_item_id=_int(obj, "EventItemId", required=True),
        event_id=_int(obj, "EventItemEventId", required=True),
        agenda_sequence=_int(obj, "EventItemAgendaSequence"),
        agenda_number=_text(obj, "EventItemAgendaNumber"),
        title=_text(obj, "EventItemTitle") or "", matter_id=_int(obj, "EventItemMatterId"),
        file_id=_text(obj, "EventItemMatterFile", limit=FILE_ID_MAX_LENGTH),
        consent=bool(obj.get("EventItemConsent")),
        last_modified=parse_timestamp(obj.get("EventItemLastModifiedUtc"),
                                      "EventItemLastModifiedUtc", tz))


def plan(batch: Batch, departments: DepartmentMap, tz: tzinfo,
         default_department: str | None = None) -> Plan:
    """What the batch means: one ItemData per file number, the events and agenda rows, the skips."""
    out = Plan(skips=list(batch.skips))
    events: dict[int, EventData] = {}
    for obj in batch.events:
        try:
            event = read_event(obj, tz)
        except Malformed as exc:
            out.skips.append(Skip("malformed", f"event {obj.get('EventId')!r}", str(exc)))
            continue
        events[event.event_id] = event
    agenda: dict[int, EventItemData] = {}
    for obj in batch.event_items:
        try:
            row = read_event_item(obj, tz)
        except Malformed as exc:
            out.skips.append(Skip("malformed", f"event item {obj.get('EventItemId')!r}", str(exc)))
            continue
        agenda[row.event_item_id] = row
    out.events = sorted(events.values(), key=lambda e: e.event_id)
    out.event_items = sorted(agenda.values(), key=lambda r: r.event_item_id)

    ctx = _Context(batch, departments, tz, default_department, events)
    by_file: dict[str, ItemData] = {}
    for obj in batch.matters:
        data = ctx.from_matter(obj, out.skips)
        if data is not None:
            _keep(by_file, data, out.skips)
    for row, obj in zip(out.event_items, _rows_by_id(batch.event_items, agenda), strict=True):
        if row.matter_id is None:
            out.skips.append(Skip("heading", f"event item {row.event_item_id}",
                                  f"an agenda heading, not a matter: {row.title[:60]!r}"))
        elif row.file_id is None:
            out.skips.append(Skip("no_file_id", f"event item {row.event_item_id}",
                                  f"matter {row.matter_id} on the agenda has no file number"))
        elif row.file_id not in by_file or by_file[row.file_id].source == "event_item":
            data = ctx.from_event_item(row, obj, out.skips)
            if data is not None:
                _keep(by_file, data, out.skips)
    out.items = [by_file[k] for k in sorted(by_file)]
    return out


def _rows_by_id(objs: Iterable[dict], rows: dict[int, EventItemData]) -> list[dict]:
    by_id = {o.get("EventItemId"): o for o in objs}
    return [by_id[i] for i in sorted(rows)]


def _keep(by_file: dict[str, ItemData], data: ItemData, skips: list[Skip]) -> None:
    """One ItemData per file number: a matter beats an agenda row; the later change wins."""
    old = by_file.get(data.file_id)
    if old is None or (old.source, data.source) == ("event_item", "matter"):
        by_file[data.file_id] = data
        return
    if old.source == "matter" and data.source == "event_item":
        return
    newer = (data.last_modified or datetime.min.replace(tzinfo=UTC)) > (
        old.last_modified or datetime.min.replace(tzinfo=UTC))
    if old.matter_id != data.matter_id:
        loser = old if newer else data
        skips.append(Skip("duplicate", f"matter {loser.matter_id} ({data.file_id})",
                          "another matter has the same file number and a later change"))
    if newer:
        by_file[data.file_id] = data


@dataclass
class _Context:
    batch: Batch
    departments: DepartmentMap
    tz: tzinfo
    default_department: str | None
    events: dict[int, EventData]
    _agenda_events: dict[int, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for r in self.batch.event_items:  # matter -> the events whose agenda lists it
            if r.get("EventItemEventId") in self.events:
                self._agenda_events.setdefault(r.get("EventItemMatterId"), []).append(r["EventItemEventId"])

    def _place(self, fields: Mapping[str, Any]) -> tuple[str | None, str]:
        code, why = self.departments.place(fields)
        if code is None and self.default_department:
            return self.default_department, f"--default-department (not in the map: {why})"
        return code, why

    def _latest_event(self, matter_id: int) -> EventData | None:
        """The last meeting in the batch whose agenda lists this matter."""
        found = [self.events[e] for e in self._agenda_events.get(matter_id, ())]
        return max(found, key=lambda e: (e.event_date, e.event_id), default=None)

    def from_matter(self, obj: dict, skips: list[Skip]) -> ItemData | None:
        ref = f"matter {obj.get('MatterId')!r}"
        try:
            matter_id = _int(obj, "MatterId", required=True)
            file_id = _text(obj, "MatterFile")
            if file_id is None:
                skips.append(Skip("no_file_id", ref, "the matter has no file number (MatterFile)"))
                return None
            ref = f"matter {matter_id} ({file_id})"
            title = _text(obj, "MatterTitle") or _text(obj, "MatterName")
            if title is None:
                raise Malformed("MatterTitle and MatterName are both empty")
            body = (_text(obj, "MatterBodyName", limit=BODY_MAX_LENGTH)
                    or self.batch.lookups["body"].get(obj.get("MatterBodyId")))
            item_type = (_text(obj, "MatterTypeName", limit=TYPE_MAX_LENGTH)
                         or self.batch.lookups["matter_type"].get(obj.get("MatterTypeId")))
            meeting = local_date(obj.get("MatterAgendaDate"), "MatterAgendaDate", self.tz)
            modified = parse_timestamp(obj.get("MatterLastModifiedUtc"), "MatterLastModifiedUtc", self.tz)
            status = (_text(obj, "MatterStatusName")
                      or self.batch.lookups["matter_status"].get(obj.get("MatterStatusId")))
        except Malformed as exc:
            skips.append(Skip("malformed", ref, str(exc)))
            return None
        fields = {**obj, "MatterBodyName": body, "MatterTypeName": item_type, "MatterStatusName": status}
        department, why = self._place(fields)
        if meeting is None and (event := self._latest_event(matter_id)) is not None:
            meeting = event.event_date
        return ItemData(file_id, title, body, meeting, item_type, department, why, "matter",
                        matter_id, modified, status)

    def from_event_item(self, row: EventItemData, obj: dict, skips: list[Skip]) -> ItemData | None:
        event = self._latest_event(row.matter_id)
        try:
            title = _text(obj, "EventItemMatterName") or row.title
            if not title:
                raise Malformed("EventItemTitle and EventItemMatterName are both empty")
            item_type = _text(obj, "EventItemMatterType", limit=TYPE_MAX_LENGTH)
            status = _text(obj, "EventItemMatterStatus")
        except Malformed as exc:
            skips.append(Skip("malformed", f"event item {row.event_item_id}", str(exc)))
            return None
        body = (event.body_name or "")[:BODY_MAX_LENGTH] or None if event else None
        fields = {"MatterFile": row.file_id, "MatterName": title, "MatterTypeName": item_type,
                  "MatterStatusName": status, "MatterBodyName": body}
        department, why = self._place(fields)
        return ItemData(row.file_id, title, body, event.event_date if event else None, item_type,
                        department, why, "event_item", row.matter_id, row.last_modified, status)
