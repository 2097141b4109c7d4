"""Dates as people read them: always the City's (``REIS_TIMEZONE``).

Moments are stored in UTC, but a person reads the City's calendar: an
approval at 7:28 PM Pacific on 30 November is stored as 1 December, 03:28
UTC, and must read "November 30". The signed-in pages format through
Flask-Babel, whose timezone is the City's (``BABEL_DEFAULT_TIMEZONE`` is set
from ``REIS_TIMEZONE`` in ``app.web.i18n``); the public pages and the packet
PDF, which are English documents, format through :func:`long_date` here.
Either way the zone comes from the one setting, and a moment becomes a date
only through :func:`city_date`.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date
from flask import current_app

DOCUMENT_LOCALE = "en_US"  # the public pages and the packet are written in English


def zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["REIS_TIMEZONE"])


def today() -> date:
    return datetime.now(zone()).date()


def city_date(value: date | datetime) -> date:
    """The City's date of a moment (a plain date is already one)."""
    if isinstance(value, datetime):
        return value.astimezone(zone()).date()
    return value


def long_date(value: date | datetime | None, *, weekday: bool = False, empty: str = "—") -> str:
    """ "November 30, 2026" (or "Monday, November 30, 2026"), on the City's calendar."""
    if value is None:
        return empty
    return format_date(city_date(value), "full" if weekday else "long", locale=DOCUMENT_LOCALE)
