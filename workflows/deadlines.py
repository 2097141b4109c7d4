"""City business days and the deadlines counted in them.

Why this module exists: the SCORE rule is only enforceable if everybody agrees
on *when* a statement is late. The City counts its deadlines in business days,
so a statement due "10 business days before the meeting" must skip weekends,
California state holidays and the City's own closures, or the cutoff shown to
staff and the one the reminders use would drift apart around every holiday.

Why it looks like this:

* Holidays come from the maintained ``holidays`` package
  (``country_holidays("US", subdiv="CA")``), never from a list typed here: the
  package follows new holidays (Juneteenth, observed-day rules) as the law
  changes. City-only closures (furlough days, a closed City Hall) come from
  configuration as ``extra_closures``; ``extra_open_days`` does the opposite
  for the rare date the package lists but the City keeps open (e.g. a
  commemorative day such as Susan B. Anthony Day falling on a weekday).
* Pure Python, no Flask or database: the web pages, the gate and the reminder
  sweep all call the same functions, and the unit tests need nothing running.
* Each year's closures are computed once and cached, so the reminder sweep can
  ask about thousands of statements cheaply; counting business days between
  two dates is arithmetic on weekdays minus the closures in range, not a walk.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import MappingProxyType

import holidays

__all__ = ["BusinessCalendar", "DeadlinePolicy", "cutoff", "sla_due"]

CITY_CLOSURE = "City closure"
_ONE_DAY = timedelta(days=1)


def _weekdays_through(d: date) -> int:
    """Number of Monday-to-Friday days from 0001-01-01 (a Monday) to ``d`` inclusive."""
    o = d.toordinal()
    return (o // 7) * 5 + min(o % 7, 5)


class BusinessCalendar:
    """Business days of the City of Sacramento.

    A day is a business day when it is Monday to Friday, not a California
    holiday (observed dates included) and not one of ``extra_closures``;
    ``extra_open_days`` removes a holiday the City does not observe.
    """

    def __init__(
        self,
        extra_closures: Iterable[date] = (),
        *,
        extra_open_days: Iterable[date] = (),
    ) -> None:
        self._extra_closures = frozenset(extra_closures)
        self._extra_open = frozenset(extra_open_days)
        # year -> {date: name} of every closure (weekends included, for names)
        self._names: dict[int, dict[date, str]] = {}
        # year -> sorted closures that fall on a weekday (the ones that cost a day)
        self._weekday_closures: dict[int, list[date]] = {}

    # -- the per-year cache -------------------------------------------------

    def _year(self, year: int) -> dict[date, str]:
        names = self._names.get(year)
        if names is None:
            names = {
                d: name
                for d, name in holidays.country_holidays("US", subdiv="CA", years=year).items()
                if d.year == year
            }
            for d in self._extra_closures:
                if d.year == year:
                    names.setdefault(d, CITY_CLOSURE)
            for d in self._extra_open:
                names.pop(d, None)
            self._names[year] = names
            self._weekday_closures[year] = sorted(d for d in names if d.weekday() < 5)
        return names

    def _closures_through(self, d: date, since_year: int) -> int:
        """Weekday closures from 1 January of ``since_year`` to ``d`` inclusive."""
        total = 0
        for year in range(since_year, d.year):
            self._year(year)
            total += len(self._weekday_closures[year])
        self._year(d.year)
        return total + bisect_right(self._weekday_closures[d.year], d)

    # -- the public API -----------------------------------------------------

    def is_business_day(self, d: date) -> bool:
        return d.weekday() < 5 and d not in self._year(d.year)

    def holiday_name(self, d: date) -> str | None:
        """The holiday or closure on ``d`` ("City closure" for a configured one), else None."""
        return self._year(d.year).get(d)

    def add_business_days(self, d: date, n: int) -> date:
        """The ``n``-th business day after ``d`` (before it when ``n`` < 0), ``d`` not counted.

        ``n == 0`` gives ``d`` itself when it is a business day, else the next one.
        """
        if n == 0:
            while not self.is_business_day(d):
                d += _ONE_DAY
            return d
        step = _ONE_DAY if n > 0 else -_ONE_DAY
        remaining = abs(n)
        while remaining:
            d += step
            if self.is_business_day(d):
                remaining -= 1
        return d

    def business_days_between(self, start: date, end: date) -> int:
        """Business days after ``start`` up to and including ``end``; negative if ``end < start``.

        So ``business_days_between(d, add_business_days(d, n)) == n`` for ``n >= 0``.
        """
        if end < start:
            return -self.business_days_between(end, start)
        if end == start:
            return 0
        weekdays = _weekdays_through(end) - _weekdays_through(start)
        closed = self._closures_through(end, start.year) - self._closures_through(start, start.year)
        return weekdays - closed


def _default_sla() -> Mapping[str, int]:
    return MappingProxyType({"department_review": 3, "ode_review": 5})


@dataclass(frozen=True)
class DeadlinePolicy:
    """The configurable numbers behind every deadline (DESIGN.md, "Deadlines")."""

    cutoff_business_days: int = 10
    sla_business_days: Mapping[str, int] = field(default_factory=_default_sla)
    reminder_days_before_cutoff: tuple[int, ...] = (5, 2)
    escalate_after_reminders: int = 3

    def __post_init__(self) -> None:
        # Freeze what the caller passed (a dict from config, a list from JSON).
        object.__setattr__(
            self, "sla_business_days", MappingProxyType(dict(self.sla_business_days))
        )
        object.__setattr__(
            self, "reminder_days_before_cutoff", tuple(self.reminder_days_before_cutoff)
        )
        if self.cutoff_business_days < 0:
            raise ValueError("cutoff_business_days must be >= 0")
        if any(n < 0 for n in self.sla_business_days.values()):
            raise ValueError("sla_business_days values must be >= 0")
        if any(n < 0 for n in self.reminder_days_before_cutoff):
            raise ValueError("reminder_days_before_cutoff values must be >= 0")
        if self.escalate_after_reminders < 1:
            raise ValueError("escalate_after_reminders must be >= 1")


def cutoff(
    meeting_date: date | None, calendar: BusinessCalendar, policy: DeadlinePolicy
) -> date | None:
    """The business day ``cutoff_business_days`` business days before the meeting.

    The statement must be ``ready_to_agendize`` by the end of that day. None
    when the item has no meeting yet. With a cutoff of 0 days it is the meeting
    day itself, or the business day before a meeting held on a closed day.
    """
    if meeting_date is None:
        return None
    n = policy.cutoff_business_days
    if n == 0:
        d = meeting_date
        while not calendar.is_business_day(d):
            d -= _ONE_DAY
        return d
    return calendar.add_business_days(meeting_date, -n)


def sla_due(
    state: str, entered_on: date, calendar: BusinessCalendar, policy: DeadlinePolicy
) -> date | None:
    """The day the step in ``state``, entered on ``entered_on``, must be finished by.

    ``entered_on`` plus the SLA in business days (the entry day not counted);
    the step is overdue from the day after. None for states without an SLA.
    """
    n = policy.sla_business_days.get(str(state))
    if n is None:
        return None
    return calendar.add_business_days(entered_on, n)
