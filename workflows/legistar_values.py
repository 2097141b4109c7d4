"""Checking each value a Legistar response gives before it goes anywhere near the database.

Why this module exists: a saved response is text from another system; the
database has narrower types than JSON. Every value the import keeps is read
through one of these functions, which either return a value the database can
store or raise ``Malformed`` with a sentence saying which field and why, so a
bad row is reported and skipped and never reaches a SQL statement.

Why it looks like this:

* Legistar ids, ``EventItemAgendaSequence`` and our columns are 32-bit
  integers (PostgreSQL ``INTEGER``); a whole number outside that range is out
  of range, whatever its size in the file.
* Legistar sends timestamps without a zone. Fields named ``…Utc``/``…UTC``
  are UTC (that is what the API documents); every other date (``EventDate``,
  ``MatterAgendaDate``) is the city's wall clock. A timestamp that cannot be
  moved to UTC or to the city's zone (9999-12-31 late in the evening, year 1
  east of Greenwich) is out of range.
* Text is kept as people wrote it, but without what no one can see: control
  characters other than newlines and tabs, bidirectional overrides (U+202E
  would reverse a line) and lone surrogates are removed. A file number may
  not contain any of them: it is a key, and an invisible difference would make
  two numbers look the same.
* ``printable`` is the one way a value is shown in a report line: anything
  that is not printable is written as its escape (``\\n``, ``\\u202e``), so
  one line stays one line, in its own direction.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any

from config import FILE_ID_MAX_LENGTH  # the items' file_id column

INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # PostgreSQL INTEGER, the columns Legistar ids go into
SHOWN_MAX = 40  # characters of a bad value quoted in a reason

_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?"
    r"(Z|[+-]\d{2}:?\d{2})?$", re.ASCII)
_CLOCK = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*([AaPp])\.?\s*[Mm]\.?\s*$", re.ASCII)

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# What clean_text removes or replaces: C0/C1 controls but newline and tab, the bidi controls,
# the zero-width no-break space (a stray BOM), and lone surrogates (no database stores them).
_CLEAN: dict[int, str | None] = {c: None for c in (*range(0x20), *range(0x7F, 0xA0)) if c not in (0x09, 0x0A)}
_CLEAN.update({ord(c): None for c in BIDI_CONTROLS + "\ufeff"})
_CLEAN.update({c: None for c in range(0xD800, 0xE000)})
_CLEAN.update({0x09: " ", 0x2028: "\n", 0x2029: "\n"})


Obj = dict[str, Any]  # one decoded JSON object


class Malformed(ValueError):
    """A row that cannot be read; its message says which field and why."""


class Unreadable(ValueError):
    """A whole response that cannot be read; its message says why, in plain words."""


# -- text ----------------------------------------------------------------------------

def clean_text(value: str) -> str:
    """Newlines as ``\\n``, tabs as spaces, no other control or bidi character, no surrogate."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value if value.isprintable() else value.translate(_CLEAN)


def printable(value: Any) -> str:
    """One report line: every character that is not printable shown as its escape."""
    text = str(value)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def shown(value: Any) -> str:
    """A bad value quoted in a reason: short, and as the file had it (``1.5``, ``'soon'``)."""
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= SHOWN_MAX else text[:SHOWN_MAX - 1] + "…"


def text(obj: Obj, key: str, *, required: bool = False, limit: int | None = None) -> str | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise Malformed(f"{key} should be text, got {shown(value)}")
    value = clean_text(value).strip() if value else None
    if required and not value:
        raise Malformed(f"{key} is missing")
    if value and limit and len(value) > limit:
        raise Malformed(f"{key} is longer than {limit} characters")
    return value or None


def file_number(obj: Obj, key: str) -> str | None:
    """A file number as the city writes it: visible characters only, at most 64 of them."""
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise Malformed(f"{key} should be text, got {shown(value)}")
    value = value.strip()
    hidden = next((c for c in value if not c.isprintable()), None)
    if hidden is not None:
        raise Malformed(f"{key} contains a control or invisible character (U+{ord(hidden):04X}): "
                        f"{printable(shown(value))}")
    if len(value) > FILE_ID_MAX_LENGTH:
        raise Malformed(f"{key} is longer than {FILE_ID_MAX_LENGTH} characters")
    return value or None


def whole_number(obj: Obj, key: str) -> int | None:
    """A whole number the database can store (32 bits), or None when absent."""
    return None if obj.get(key) is None else number(obj, key)


def number(obj: Obj, key: str) -> int:
    """A whole number the database can store (32 bits), required."""
    value = obj.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise Malformed(f"{key} should be a whole number, got {shown(value)}")
    if not INT_MIN <= value <= INT_MAX:
        raise Malformed(f"{key} is out of range ({shown(value)}): Legistar numbers are at most "
                        f"{INT_MAX:,}")
    return value


# -- dates ---------------------------------------------------------------------------

def parse_timestamp(value: Any, field_name: str, tz: tzinfo) -> datetime | None:
    """An aware datetime; a value without a zone is read in ``tz`` (UTC for ``…Utc`` fields).

    The result can always be moved to UTC (the database stores UTC) and to ``tz``.
    """
    if value is None or value == "":
        return None
    match = _TIMESTAMP.match(value) if isinstance(value, str) else None
    if match is None:
        raise Malformed(f"{field_name} is not a date: {shown(value)}")
    y, mo, d, h, mi, s, frac, zone = match.groups()
    try:
        moment = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0),
                          int((frac or "0").ljust(6, "0")[:6]))
        if zone:
            moment = datetime.fromisoformat(moment.isoformat() + ("+00:00" if zone == "Z" else zone))
    except ValueError as exc:
        raise Malformed(f"{field_name} is not a date: {shown(value)}") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC if field_name.lower().endswith("utc") else tz)
    return in_range(moment, field_name, tz)


def in_range(moment: datetime, what: str, tz: tzinfo) -> datetime:
    """``moment`` unchanged, if it exists in UTC and in the city's zone; else Malformed."""
    try:
        moment.astimezone(UTC)
        moment.astimezone(tz)
    except (OverflowError, ValueError):
        raise Malformed(f"{what} is out of range ({moment.replace(tzinfo=None).isoformat()} "
                        "cannot be stored)") from None
    return moment


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
