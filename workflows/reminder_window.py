"""Which statements the reminder sweep must load on a given day (its pre-filter).

Why this module exists: ``workflows.reminders.due()`` is linear in the
statements it is given, so the sweep must not give it the whole table. These
functions turn the reminder rules around: from today they work out the range
of meeting dates whose cutoff can produce a reminder today, and for each
review state the instant before which entering it makes the step overdue.
The sweep loads exactly the statements inside that window (an index range
scan each); ``due()`` then decides. Pure and deterministic, like ``due()``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from types import MappingProxyType
from zoneinfo import ZoneInfo

from workflows.deadlines import BusinessCalendar, DeadlinePolicy, cutoff, sla_due

__all__ = [
    "CITY_TZ",
    "CandidateWindow",
    "candidates_window",
    "earliest_meeting_date_to_consider",
    "latest_meeting_date_to_consider",
    "sla_entered_before",
]

CITY_TZ = ZoneInfo("America/Los_Angeles")
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class CandidateWindow:
    """What the sweep must load: state != ready_to_agendize and (meeting_date in
    [meeting_from, meeting_to] or state_entered_at < sla_entered_before[state])."""

    meeting_from: date
    meeting_to: date
    sla_entered_before: Mapping[str, datetime]


def _cutoff_range(
    today: date, calendar: BusinessCalendar, policy: DeadlinePolicy
) -> tuple[date, date]:
    """Cutoffs that can produce a reminder today: previous business day to the furthest reminder."""
    furthest = max(policy.reminder_days_before_cutoff, default=0)
    return calendar.add_business_days(today, -1), calendar.add_business_days(today, furthest)


def _meeting_cutoff(m: date, calendar: BusinessCalendar, policy: DeadlinePolicy) -> date:
    c = cutoff(m, calendar, policy)
    assert c is not None
    return c


def earliest_meeting_date_to_consider(
    today: date, calendar: BusinessCalendar, policy: DeadlinePolicy
) -> date:
    """The earliest meeting date whose cutoff can produce a reminder (``cutoff_passed``) today."""
    low, _ = _cutoff_range(today, calendar, policy)
    m = calendar.add_business_days(low, policy.cutoff_business_days)
    while _meeting_cutoff(m, calendar, policy) < low:
        m += _ONE_DAY
    while _meeting_cutoff(m - _ONE_DAY, calendar, policy) >= low:
        m -= _ONE_DAY
    return m


def latest_meeting_date_to_consider(
    today: date, calendar: BusinessCalendar, policy: DeadlinePolicy
) -> date:
    """The latest meeting date whose cutoff can produce a reminder (``cutoff_in_{max n}``) today."""
    _, high = _cutoff_range(today, calendar, policy)
    m = calendar.add_business_days(high, policy.cutoff_business_days)
    while _meeting_cutoff(m, calendar, policy) > high:
        m -= _ONE_DAY
    while _meeting_cutoff(m + _ONE_DAY, calendar, policy) <= high:
        m += _ONE_DAY
    return m


def sla_entered_before(
    today: date,
    state: str,
    calendar: BusinessCalendar,
    policy: DeadlinePolicy,
    tz: tzinfo = CITY_TZ,
) -> datetime | None:
    """The UTC instant before which entering ``state`` makes the step overdue today.

    None when ``state`` has no SLA. Overdue means ``today > sla_due(entered_on)``.
    """
    if str(state) not in policy.sla_business_days:
        return None

    def overdue(entered_on: date) -> bool:
        due_on = sla_due(state, entered_on, calendar, policy)
        return due_on is not None and due_on < today

    e = today - _ONE_DAY
    while not overdue(e):
        e -= _ONE_DAY
    while overdue(e + _ONE_DAY):
        e += _ONE_DAY
    return datetime.combine(e + _ONE_DAY, time(0), tzinfo=tz).astimezone(UTC)


def candidates_window(
    today: date, calendar: BusinessCalendar, policy: DeadlinePolicy, tz: tzinfo = CITY_TZ
) -> CandidateWindow:
    """Everything the sweep needs to pre-filter statements for ``due()`` on ``today``."""
    before = {
        s: instant
        for s in policy.sla_business_days
        if (instant := sla_entered_before(today, s, calendar, policy, tz)) is not None
    }
    return CandidateWindow(
        meeting_from=earliest_meeting_date_to_consider(today, calendar, policy),
        meeting_to=latest_meeting_date_to_consider(today, calendar, policy),
        sla_entered_before=MappingProxyType(before),
    )
