"""What a set of Legistar Web API responses means: agenda items, meetings and agenda rows.

Why this module exists: cities already keep their agenda in Granicus
Legistar and nobody will retype it. Everything that decides *what* an import
means lives here and beside it (``legistar_values`` checks values,
``legistar_rows`` recognises objects and reads rows, ``legistar_files``
reads saved responses, ``legistar_read`` is the first pass), as pure
Python, so it is unit-tested on the real responses without a database, and
the operation that writes (``app.operations.legistar``) only compares and
stores.

Why it looks like this:

* Two passes. ``read`` (``legistar_read``) goes through every response
  once and checks it; ``Planner.items`` reads the responses again and
  yields the chosen matters as ``ItemData`` one at a time. So an import
  holds one matter at a time, not the file, and a response that cannot be
  read is known, and left out whole, before anything is written.
* Which department owns a matter is the city's to say: ``DepartmentMap`` is
  an ordered list of (Legistar field, {value: department code}) rules from
  configuration; the first rule whose field value is listed places it.
* Every object that does not become an item is accounted for: headings
  without a matter, matters without a file number and malformed rows become a
  ``Skip`` with a reason; reference objects (bodies, types, statuses,
  histories...) are counted. Agenda rows of a meeting that neither the files
  nor an earlier import hold are kept, and reported (``no_meeting``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from workflows.legistar_read import EARLIEST, Batch, Reading, read
from workflows.legistar_rows import (
    BODY_MAX_LENGTH,
    EventData,
    EventItemData,
    Skip,
    kind_of,
    read_matter,
    ref_of,
    walk,
)
from workflows.legistar_values import Malformed, Obj, Unreadable, shown

__all__ = ["Batch", "DepartmentMap", "ItemData", "Plan", "Planner", "Reading", "plan", "read"]


# -- departments -------------------------------------------------------------------

@dataclass(frozen=True)
class DepartmentMap:
    """Ordered rules: (Legistar matter field, {field value: department code})."""

    rules: tuple[tuple[str, Mapping[str, str]], ...] = ()

    @classmethod
    def parse(cls, raw: str | Mapping[str, Any] | None) -> DepartmentMap:
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
            looked.append(f"{name}={shown(value) if value is not None else None}")
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


class Planner:
    """The second pass: the items, one at a time; then what else a person should know."""

    def __init__(self, reading: Reading, departments: DepartmentMap, default_department: str | None = None,
                 known_events: Iterable[EventData] = ()) -> None:
        self.reading, self.departments, self.default = reading, departments, default_department
        self.events = {**{e.event_id: e for e in known_events}, **reading.events}
        self.chosen, self.skips = reading.chosen()  # skips: found while planning (read after ``items``)
        self._agenda_events: dict[int, list[int]] = {}  # matter -> the meetings whose agenda lists it
        for row in reading.event_items.values():
            if row.matter_id is not None and row.event_id in self.events:
                self._agenda_events.setdefault(row.matter_id, []).append(row.event_id)

    def items(self) -> Iterator[ItemData]:
        """Each chosen matter, in the order of the responses; then the matters known only from
        agenda rows, by file number."""
        wanted = {v.at for v in self.chosen.values()}
        for index, source in self.reading.sources:
            matters = 0
            try:
                for obj in source.objects():
                    kind = kind_of(obj)
                    for found_kind, found in walk(obj, kind) if kind else ():
                        if found_kind == "matter":
                            matters += 1
                            if (index, matters) in wanted and (data := self._from_matter(found)):
                                yield data
            except Unreadable as exc:  # it changed since the first pass
                self.reading.unreadable.append(Skip("unreadable", source.name, f"changed while "
                                                    f"it was being imported: {exc}"))
        yield from self._from_agenda()

    def warnings(self) -> list[Skip]:
        counts = Counter(r.event_id for r in self.reading.event_items.values()
                         if r.event_id not in self.events)
        return [Skip("no_meeting", f"event {event_id}",
                     f"{n} agenda row{'s' if n > 1 else ''} of this meeting were read, but not the meeting "
                     "itself (it is not in the files and was not imported before): the rows are kept, and "
                     f"items known only from them have no meeting date; import events/{event_id} too")
                for event_id, n in sorted(counts.items())]

    def _place(self, fields: Mapping[str, Any]) -> tuple[str | None, str]:
        code, why = self.departments.place(fields)
        if code is None and self.default:
            return self.default, f"--default-department (not in the map: {why})"
        return code, why

    def _latest_event(self, matter_id: int) -> EventData | None:
        """The last meeting whose agenda lists this matter."""
        found = [self.events[e] for e in self._agenda_events.get(matter_id, ())]
        return max(found, key=lambda e: (e.event_date, e.event_id), default=None)

    def _name(self, kind: str, obj: Obj, key: str) -> str | None:
        value = obj.get(key)
        return self.reading.lookups[kind].get(value) if isinstance(value, int) else None

    def _from_matter(self, obj: Obj) -> ItemData | None:
        try:
            row = read_matter(obj, self.reading.tz)
        except Malformed as exc:  # checked in the first pass; the response changed since
            self.skips.append(Skip("malformed", ref_of("matter", obj), str(exc)))
            return None
        if row.file_id is None or row.title is None:
            return None
        body = row.body or self._name("body", obj, "MatterBodyId")
        item_type = row.item_type or self._name("matter_type", obj, "MatterTypeId")
        status = row.status or self._name("matter_status", obj, "MatterStatusId")
        department, why = self._place({**obj, "MatterBodyName": body, "MatterTypeName": item_type,
                                       "MatterStatusName": status})
        meeting = row.agenda_date
        if meeting is None and (event := self._latest_event(row.matter_id)) is not None:
            meeting = event.event_date
        return ItemData(row.file_id, row.title, body, meeting, item_type, department, why, "matter",
                        row.matter_id, row.last_modified, status)

    def _from_agenda(self) -> list[ItemData]:
        """Agenda headings are reported; a matter known only from agenda rows becomes an item."""
        by_file: dict[str, ItemData] = {}
        for row in sorted(self.reading.event_items.values(), key=lambda r: r.event_item_id):
            ref = f"event item {row.event_item_id}"
            if row.matter_id is None:
                self.skips.append(Skip("heading", ref,
                                       f"an agenda heading, not a matter: {row.title[:60]!r}"))
            elif row.file_id is None:
                self.skips.append(Skip("no_file_id", ref,
                                       f"matter {row.matter_id} on the agenda has no file number"))
            elif row.file_id not in self.chosen and row.matter_id not in self.reading.versions:
                title = row.matter_name or row.title
                if not title:
                    self.skips.append(Skip("malformed", ref,
                                           "EventItemTitle and EventItemMatterName are both empty"))
                    continue
                data = self._from_agenda_row(row, title)
                old = by_file.setdefault(data.file_id, data)
                if old is data:
                    continue
                newer = (data.last_modified or EARLIEST) > (old.last_modified or EARLIEST)
                winner, loser = (data, old) if newer else (old, data)
                by_file[data.file_id] = winner
                if loser.matter_id != winner.matter_id:
                    self.skips.append(Skip("duplicate", f"matter {loser.matter_id} ({loser.file_id})",
                                           "another matter has the same file number and a later change"))
        return [by_file[k] for k in sorted(by_file)]

    def _from_agenda_row(self, row: EventItemData, title: str) -> ItemData:
        event = self._latest_event(row.matter_id) if row.matter_id is not None else None
        body = (event.body_name or "")[:BODY_MAX_LENGTH] or None if event else None
        department, why = self._place({"MatterFile": row.file_id, "MatterName": title,
                                       "MatterTypeName": row.matter_type,
                                       "MatterStatusName": row.matter_status, "MatterBodyName": body})
        return ItemData(row.file_id or "", title, body, event.event_date if event else None, row.matter_type,
                        department, why, "event_item", row.matter_id or 0, row.last_modified,
                        row.matter_status)


@dataclass
class Plan:
    """Everything at once (for tests and small batches): ``Planner`` is what imports use."""

    items: list[ItemData]
    events: list[EventData]
    event_items: list[EventItemData]
    skips: list[Skip]
    warnings: list[Skip]
    unreadable: list[Skip]
    read: Counter[str]


def plan(batch: Batch, departments: DepartmentMap, tz: tzinfo, default_department: str | None = None,
         known_events: Iterable[EventData] = ()) -> Plan:
    reading = read(batch, tz)
    planner = Planner(reading, departments, default_department, known_events)
    items = sorted(planner.items(), key=lambda d: d.file_id)
    return Plan(items, sorted(reading.events.values(), key=lambda e: e.event_id),
                sorted(reading.event_items.values(), key=lambda r: r.event_item_id),
                reading.skips + planner.skips, planner.warnings(), reading.unreadable, reading.read)
