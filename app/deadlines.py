"""The deployment's business-day calendar, deadline policy and escalation contacts, from config.

Why here: ``workflows.deadlines`` and ``workflows.reminders`` are pure and take
their calendar, policy and time zone as arguments. This module builds them once
per app from the ``REIS_*`` settings, so the API's cutoffs, the gate and the
reminder sweep all count the same business days. A malformed setting (a date
that does not parse) stops the app at start-up with a ``ConfigError``, not at
the first sweep.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, tzinfo
from zoneinfo import ZoneInfo

from flask import Flask, current_app

from config import ConfigError
from workflows import deadlines


def _dates(name: str, value: str | Iterable[date | str] | None) -> list[date]:
    """``"2026-12-24, 2026-12-31"`` (or a list of dates / ISO strings) as dates."""
    if value is None:
        return []
    parts = value.split(",") if isinstance(value, str) else list(value)
    out = []
    for part in parts:
        if isinstance(part, date):
            out.append(part)
            continue
        part = part.strip()
        if not part:
            continue
        try:
            out.append(date.fromisoformat(part))
        except ValueError:
            raise ConfigError(f"REIS_{name} must list ISO dates (YYYY-MM-DD), got {part!r}") from None
    return out


def _days(name: str, value: str | Iterable[int]) -> tuple[int, ...]:
    parts = value.split(",") if isinstance(value, str) else list(value)
    try:
        return tuple(int(p) for p in parts if str(p).strip())
    except ValueError:
        raise ConfigError(f"REIS_{name} must list whole numbers, got {value!r}") from None


class Deadlines:
    """What every deadline computation of this deployment needs."""

    def __init__(self, calendar: deadlines.BusinessCalendar, policy: deadlines.DeadlinePolicy,
                 tz: tzinfo, ode_escalation_email: str | None = None):
        self.calendar = calendar
        self.policy = policy
        self.tz = tz
        self.ode_escalation_email = ode_escalation_email or None

    def cutoff(self, meeting_date: date | None) -> date | None:
        return deadlines.cutoff(meeting_date, self.calendar, self.policy)


def init_app(app: Flask) -> None:
    c = app.config
    try:
        tz = ZoneInfo(c["REIS_TIMEZONE"])
    except (KeyError, ValueError) as exc:
        raise ConfigError(f"REIS_TIMEZONE is not a known time zone: {c['REIS_TIMEZONE']!r}") from exc
    reminder_days = _days("REMINDER_DAYS_BEFORE_CUTOFF", c["REIS_REMINDER_DAYS_BEFORE_CUTOFF"])
    try:
        policy = deadlines.DeadlinePolicy(
            cutoff_business_days=c["REIS_CUTOFF_BUSINESS_DAYS"],
            sla_business_days={"department_review": c["REIS_SLA_DEPARTMENT_REVIEW_DAYS"],
                               "ode_review": c["REIS_SLA_ODE_REVIEW_DAYS"]},
            reminder_days_before_cutoff=reminder_days,
            escalate_after_reminders=c["REIS_ESCALATE_AFTER_REMINDERS"],
        )
    except ValueError as exc:
        raise ConfigError(f"deadline settings: {exc}") from exc
    calendar = deadlines.BusinessCalendar(
        _dates("CITY_CLOSURES", c["REIS_CITY_CLOSURES"]),
        extra_open_days=_dates("CITY_OPEN_DAYS", c["REIS_CITY_OPEN_DAYS"]),
    )
    app.extensions["reis.deadlines"] = Deadlines(calendar, policy, tz, c["REIS_ODE_ESCALATION_EMAIL"])


def current() -> Deadlines:
    """The running app's deadlines."""
    return current_app.extensions["reis.deadlines"]
