"""Dates as people read them: always the City's (``REIS_TIMEZONE``), in the reader's language.

Moments are stored in UTC, but a person reads the City's calendar: an
approval at 7:28 PM Pacific on 30 November is stored as 1 December, 03:28
UTC, and must read "November 30". The signed-in pages format through
Flask-Babel, whose timezone is the City's (``BABEL_DEFAULT_TIMEZONE`` is set
from ``REIS_TIMEZONE`` in ``app.languages``); the public pages, the packet PDF
and the mails format through :func:`long_date` here, in the language of what
is being written (``app.languages.current``: the request's, or the one a
``force_locale`` block sets for a mail): "30 de noviembre de 2026",
"30 tháng 11, 2026", "2026年11月30日". Either way the zone comes from the one
setting, and a moment becomes a date only through :func:`city_date`.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_skeleton
from flask import current_app

from app.languages import current


def zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["REIS_TIMEZONE"])


def today() -> date:
    return datetime.now(zone()).date()


def city_date(value: date | datetime) -> date:
    """The City's date of a moment (a plain date is already one)."""
    if isinstance(value, datetime):
        return value.astimezone(zone()).date()
    return value


def month_day(value: date | datetime) -> str:
    """ "November 30" ("30 de noviembre", "11月30日"), on the City's calendar."""
    return format_skeleton("MMMMd", city_date(value), locale=current().locale)


def long_date(value: date | datetime | None, *, weekday: bool = False, empty: str = "—") -> str:
    """ "November 30, 2026" (or "Monday, November 30, 2026"), on the City's calendar."""
    if value is None:
        return empty
    return format_date(city_date(value), "full" if weekday else "long", locale=current().locale)

