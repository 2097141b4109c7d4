"""The first pass of an import: every response read once, every row checked, nothing applied yet.

Why this module exists: a response that cannot be read must be known, and
left out whole, before anything is written; and an import must not hold a
50 MB file's matters in memory. ``read`` goes through each response once
(``Batch`` lists them): it keeps the meetings, agenda rows and reference
names (small), checks every matter and remembers only which version of each
to apply (``_Version``: its place, id, file number and last change). The
second pass (``workflows.legistar.Planner``) reads the responses again for
the matters themselves.

Why it looks like this: a matter listed twice is applied once, its latest
change wins (``Reading.offer``); of two matters with one file number the
later change wins (``Reading.chosen``), and the other is reported
(``duplicate``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any

from workflows.legistar_files import Payload, SavedFile, Source
from workflows.legistar_rows import (
    LOOKUP_KINDS,
    EventData,
    EventItemData,
    Skip,
    kind_of,
    read_event,
    read_event_item,
    read_lookup,
    read_matter,
    ref_of,
    walk,
)
from workflows.legistar_values import Malformed, Unreadable

EARLIEST = datetime.min.replace(tzinfo=UTC)


class Batch:
    """The responses of one import, in the order given (read by ``read``, then by ``Planner``)."""

    def __init__(self) -> None:
        self.sources: list[Source] = []

    def add(self, payload: Any, source: str = "input") -> None:
        """A decoded response: a list of objects or one object."""
        self.sources.append(Payload(source, payload))

    def add_file(self, path: Any) -> None:
        self.sources.append(SavedFile(path))


@dataclass(frozen=True)
class _Version:
    """Which object of the responses is a matter's version to apply."""

    at: tuple[int, int]  # (response, n-th matter in it)
    matter_id: int
    file_id: str
    last_modified: datetime | None

    def newer_than(self, other: _Version) -> bool:
        return (self.last_modified or EARLIEST) > (other.last_modified or EARLIEST)


@dataclass
class Reading:
    """What the first pass found: everything but the matters themselves."""

    tz: tzinfo
    read: Counter[str] = field(default_factory=Counter)
    lookups: dict[str, dict[int, str]] = field(default_factory=lambda: {k: {} for k in LOOKUP_KINDS})
    events: dict[int, EventData] = field(default_factory=dict)
    event_items: dict[int, EventItemData] = field(default_factory=dict)
    skips: list[Skip] = field(default_factory=list)
    unreadable: list[Skip] = field(default_factory=list)
    sources: list[tuple[int, Source]] = field(default_factory=list)  # the readable ones
    versions: dict[int, _Version] = field(default_factory=dict)  # matter id -> version to apply
    stopped: bool = False  # strict: a response could not be read, the rest were not

    def missing_events(self) -> set[int]:
        """Meetings whose agenda rows are here but the meeting itself is not."""
        return {r.event_id for r in self.event_items.values()} - set(self.events)

    def take(self, other: Reading) -> None:
        self.read.update(other.read)
        for kind, names in other.lookups.items():
            self.lookups[kind].update(names)
        self.events.update(other.events)
        self.event_items.update(other.event_items)
        self.skips.extend(other.skips)
        for version in other.versions.values():
            self.offer(version)

    def offer(self, version: _Version) -> None:
        """A matter's version: kept if it is the matter's latest change."""
        old = self.versions.get(version.matter_id)
        if old is None:
            self.versions[version.matter_id] = version
            return
        winner, loser = (version, old) if version.newer_than(old) else (old, version)
        self.versions[version.matter_id] = winner
        if loser.file_id != winner.file_id:
            self.skips.append(Skip("duplicate", f"matter {loser.matter_id} ({loser.file_id})",
                                   f"a later version of the matter has file number {winner.file_id}"))

    def chosen(self) -> tuple[dict[str, _Version], list[Skip]]:
        """File number -> the matter to apply (of two matters with one number, the later change),
        and the other matters."""
        by_file: dict[str, _Version] = {}
        skips = []
        for version in sorted(self.versions.values(), key=lambda v: v.at):
            old = by_file.get(version.file_id)
            if old is None:
                by_file[version.file_id] = version
                continue
            loser = old if version.newer_than(old) else version
            skips.append(Skip("duplicate", f"matter {loser.matter_id} ({loser.file_id})",
                              "another matter has the same file number and a later change"))
            by_file[version.file_id] = version if loser is old else old
        return by_file, skips


def read(batch: Batch, tz: tzinfo, *, strict: bool = False) -> Reading:
    """The first pass; a response that cannot be read is reported and left out whole
    (``strict``: and the ones after it are not read)."""
    reading = Reading(tz)
    for index, source in enumerate(batch.sources):
        part = Reading(tz)
        try:
            _read_source(part, index, source)
        except Unreadable as exc:
            reading.unreadable.append(Skip("unreadable", source.name, str(exc)))
            if strict:
                reading.stopped = True
                break
            continue
        reading.take(part)
        reading.sources.append((index, source))
    return reading


def _read_source(part: Reading, index: int, source: Source) -> None:
    matters = 0
    for position, obj in enumerate(source.objects()):
        kind = kind_of(obj)
        if kind is None:
            keys = ", ".join(map(str, list(obj)[:4])) if isinstance(obj, dict) else type(obj).__name__
            part.skips.append(Skip("unrecognised", f"{source.name}[{position}]",
                                   f"not a Legistar object this import knows ({keys})"))
            continue
        for found_kind, found in walk(obj, kind):
            part.read[found_kind] += 1
            try:
                if found_kind == "matter":
                    matters += 1
                    row = read_matter(found, part.tz)
                    if row.file_id is None:
                        part.skips.append(Skip("no_file_id", ref_of("matter", found),
                                               "the matter has no file number (MatterFile)"))
                    else:
                        part.offer(_Version((index, matters), row.matter_id, row.file_id,
                                             row.last_modified))
                elif found_kind == "event":
                    event = read_event(found, part.tz)
                    part.events[event.event_id] = event
                elif found_kind == "event_item":
                    agenda_row = read_event_item(found, part.tz)
                    part.event_items[agenda_row.event_item_id] = agenda_row
                elif found_kind in LOOKUP_KINDS and (named := read_lookup(found_kind, found)):
                    part.lookups[found_kind][named[0]] = named[1]
            except Malformed as exc:
                part.skips.append(Skip("malformed", ref_of(found_kind, found), str(exc)))
