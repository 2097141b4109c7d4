"""Recognising Legistar objects by their fields, and reading each one into a checked row.

Why this module exists: one place says what a matter, a meeting (event) and
an agenda row (event item) are made of, and checks every field the import
keeps (``workflows.legistar_values``), so a row either comes out whole and
storable or is a ``Skip`` with the reason.

Why it looks like this: objects are recognised by their fields, never by file
or endpoint names: a saved file may hold any object list (or one object), and
San Jose's composite file nests matters inside event items inside an event.
Each Legistar object carries its own primary key (``MatterId``,
``EventItemId``, ``BodyId``...), so the first known key found names the kind.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from workflows.legistar_values import (
    Malformed,
    Obj,
    clock_time,
    file_number,
    in_range,
    local_date,
    number,
    parse_timestamp,
    shown,
    text,
    whole_number,
)

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
BODY_MAX_LENGTH = TYPE_MAX_LENGTH = 200  # the item columns' sizes
# reference lists: (id key, name key, longest name the item column takes)
LOOKUP_KINDS: dict[str, tuple[str, str, int | None]] = {
    "body": ("BodyId", "BodyName", BODY_MAX_LENGTH),
    "matter_type": ("MatterTypeId", "MatterTypeName", TYPE_MAX_LENGTH),
    "matter_status": ("MatterStatusId", "MatterStatusName", None),
}


def kind_of(obj: Any) -> str | None:
    if not isinstance(obj, dict):
        return None
    return next((kind for key, kind in KIND_KEYS if key in obj), None)


def walk(obj: Obj, kind: str) -> Iterator[tuple[str, Obj]]:
    """The object and every known object nested in it (EventItems, San Jose's items/Matter,
    Histories...), depth first, always in the same order."""
    yield kind, obj
    for value in obj.values():
        for child in value if isinstance(value, list) else [value]:
            child_kind = kind_of(child)
            if child_kind is not None:
                yield from walk(child, child_kind)


@dataclass(frozen=True)
class Skip:
    """One object that did not become (or change) an item, a file that could not be read, or
    something a person should know; and why."""

    kind: str  # heading, no_file_id, malformed, unknown_department, file_id_rejected, unreadable...
    ref: str  # what it was, for a person: "matter 17071 (LU 1505-1997)", a file name
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "ref": self.ref, "reason": self.reason}


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
    # what the row says about its matter (used when the matter itself is not in the files)
    matter_name: str | None = None
    matter_type: str | None = None
    matter_status: str | None = None


@dataclass(frozen=True)
class MatterRow:
    matter_id: int
    file_id: str | None
    title: str | None
    body: str | None
    item_type: str | None
    status: str | None
    agenda_date: date | None
    last_modified: datetime | None


def read_event(obj: Obj, tz: tzinfo) -> EventData:
    event_id = number(obj, "EventId")
    event_date = local_date(obj.get("EventDate"), "EventDate", tz)
    if event_date is None:
        raise Malformed("EventDate is missing")
    clock = clock_time(obj.get("EventTime"))
    starts = None if clock is None else in_range(
        datetime.combine(event_date, clock, tzinfo=tz), "EventDate with EventTime", tz).astimezone(UTC)
    return EventData(
        event_id=event_id, body_name=text(obj, "EventBodyName"),
        event_date=event_date, starts_at=starts, time_text=text(obj, "EventTime"),
        location=text(obj, "EventLocation"), agenda_status=text(obj, "EventAgendaStatusName"),
        comment=text(obj, "EventComment"), url=text(obj, "EventInSiteURL"),
        last_modified=parse_timestamp(obj.get("EventLastModifiedUtc"), "EventLastModifiedUtc", tz))


def read_event_item(obj: Obj, tz: tzinfo) -> EventItemData:
    return EventItemData(
        event_item_id=number(obj, "EventItemId"),
        event_id=number(obj, "EventItemEventId"),
        agenda_sequence=whole_number(obj, "EventItemAgendaSequence"),
        agenda_number=text(obj, "EventItemAgendaNumber"),
        title=text(obj, "EventItemTitle") or "", matter_id=whole_number(obj, "EventItemMatterId"),
        file_id=file_number(obj, "EventItemMatterFile"),
        consent=bool(obj.get("EventItemConsent")),
        last_modified=parse_timestamp(obj.get("EventItemLastModifiedUtc"),
                                      "EventItemLastModifiedUtc", tz),
        matter_name=text(obj, "EventItemMatterName"),
        matter_type=text(obj, "EventItemMatterType", limit=TYPE_MAX_LENGTH),
        matter_status=text(obj, "EventItemMatterStatus"))


def read_matter(obj: Obj, tz: tzinfo) -> MatterRow:
    """Every field the import keeps, checked; ``file_id`` None when the matter has none."""
    matter_id = number(obj, "MatterId")
    file_id = file_number(obj, "MatterFile")
    if file_id is None:
        return MatterRow(matter_id, None, None, None, None, None, None, None)
    title = text(obj, "MatterTitle") or text(obj, "MatterName")
    if title is None:
        raise Malformed("MatterTitle and MatterName are both empty")
    return MatterRow(
        matter_id=matter_id, file_id=file_id, title=title,
        body=text(obj, "MatterBodyName", limit=BODY_MAX_LENGTH),
        item_type=text(obj, "MatterTypeName", limit=TYPE_MAX_LENGTH),
        status=text(obj, "MatterStatusName"),
        agenda_date=local_date(obj.get("MatterAgendaDate"), "MatterAgendaDate", tz),
        last_modified=parse_timestamp(obj.get("MatterLastModifiedUtc"), "MatterLastModifiedUtc", tz))


def read_lookup(kind: str, obj: Obj) -> tuple[int, str] | None:
    """(id, name) of a body, matter type or status; None when it has no usable name."""
    key, name, limit = LOOKUP_KINDS[kind]
    if not isinstance(obj.get(key), int):
        return None
    try:
        value = text(obj, name, limit=limit)
    except Malformed:
        return None
    return (obj[key], value) if value else None


def ref_of(kind: str, obj: Obj) -> str:
    """What a person calls a row that could not be read: "matter 17071", "event item 'x'"."""
    key = next(k for k, v in KIND_KEYS if v == kind)
    return f"{kind.replace('_', ' ')} {shown(obj.get(key))}"
