"""The City business-day calendar and the deadlines counted in it.

Holiday dates asserted here are what ``holidays.country_holidays("US",
subdiv="CA")`` returns, checked against the real 2026 calendar.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import holidays
import pytest

from workflows.deadlines import CITY_CLOSURE, BusinessCalendar, DeadlinePolicy, cutoff, sla_due

D = date


@pytest.fixture(scope="module")
def cal() -> BusinessCalendar:
    return BusinessCalendar()


def naive_between(cal: BusinessCalendar, start: date, end: date) -> int:
    if end < start:
        return -naive_between(cal, end, start)
    n, d = 0, start
    while d < end:
        d += timedelta(days=1)
        n += cal.is_business_day(d)
    return n


class TestHolidays:
    def test_independence_day_2026_falls_on_saturday_and_is_observed_friday(self, cal):
        assert D(2026, 7, 4).weekday() == 5
        assert cal.holiday_name(D(2026, 7, 4)) == "Independence Day"
        assert cal.holiday_name(D(2026, 7, 3)) == "Independence Day (observed)"
        assert not cal.is_business_day(D(2026, 7, 3))
        assert cal.is_business_day(D(2026, 7, 2))
        assert cal.is_business_day(D(2026, 7, 6))
        assert cal.add_business_days(D(2026, 7, 2), 1) == D(2026, 7, 6)

    def test_thanksgiving_and_the_day_after_are_california_holidays(self, cal):
        assert cal.holiday_name(D(2026, 11, 26)) == "Thanksgiving Day"
        assert cal.holiday_name(D(2026, 11, 27)) == "Day After Thanksgiving"
        assert not cal.is_business_day(D(2026, 11, 26))
        assert not cal.is_business_day(D(2026, 11, 27))
        assert cal.add_business_days(D(2026, 11, 25), 1) == D(2026, 11, 30)

    def test_cesar_chavez_day(self, cal):
        assert D(2026, 3, 31).weekday() == 1  # a Tuesday
        assert cal.holiday_name(D(2026, 3, 31)) == "Cesar Chavez Day"
        assert not cal.is_business_day(D(2026, 3, 31))
        assert cal.add_business_days(D(2026, 3, 30), 1) == D(2026, 4, 1)

    def test_other_2026_closures(self, cal):
        for d in (
            D(2026, 1, 1),
            D(2026, 1, 19),
            D(2026, 2, 16),
            D(2026, 5, 25),
            D(2026, 6, 19),
            D(2026, 9, 7),
            D(2026, 11, 11),
            D(2026, 12, 25),
        ):
            assert not cal.is_business_day(d), d
            assert cal.holiday_name(d)

    def test_new_years_day_observed_on_the_previous_december_31(self, cal):
        assert D(2028, 1, 1).weekday() == 5
        assert cal.holiday_name(D(2027, 12, 31)) == "New Year's Day (observed)"
        assert not cal.is_business_day(D(2027, 12, 31))

    def test_ordinary_days_and_weekends(self, cal):
        assert cal.is_business_day(D(2026, 7, 1))
        assert cal.holiday_name(D(2026, 7, 1)) is None
        assert not cal.is_business_day(D(2026, 7, 11))  # Saturday
        assert cal.holiday_name(D(2026, 7, 11)) is None

    def test_extra_city_closures_come_from_config(self):
        cal = BusinessCalendar(extra_closures=[D(2026, 12, 24)])
        assert not cal.is_business_day(D(2026, 12, 24))
        assert cal.holiday_name(D(2026, 12, 24)) == CITY_CLOSURE
        assert cal.add_business_days(D(2026, 12, 23), 1) == D(2026, 12, 28)
        assert BusinessCalendar().is_business_day(D(2026, 12, 24))

    def test_extra_open_days_override_a_listed_holiday(self):
        # The package lists Susan B. Anthony Day; on a weekday in 2028 the City may stay open.
        assert BusinessCalendar().holiday_name(D(2028, 2, 15)) == "Susan B. Anthony Day"
        cal = BusinessCalendar(extra_open_days=[D(2028, 2, 15)])
        assert cal.is_business_day(D(2028, 2, 15))
        assert cal.holiday_name(D(2028, 2, 15)) is None

    def test_each_year_is_computed_once(self, monkeypatch):
        calls: list[object] = []
        real = holidays.country_holidays

        def counting(*args, **kwargs):
            calls.append(kwargs.get("years"))
            return real(*args, **kwargs)

        monkeypatch.setattr(holidays, "country_holidays", counting)
        cal = BusinessCalendar()
        for i in range(400):
            cal.is_business_day(D(2026, 1, 1) + timedelta(days=i % 365))
        cal.business_days_between(D(2026, 1, 1), D(2026, 12, 31))
        assert calls == [2026]


class TestAddBusinessDays:
    def test_forward_skips_weekend(self, cal):
        assert cal.add_business_days(D(2026, 7, 10), 1) == D(2026, 7, 13)  # Fri -> Mon
        assert cal.add_business_days(D(2026, 7, 6), 5) == D(2026, 7, 13)

    def test_from_a_weekend_counts_from_the_next_business_day(self, cal):
        assert cal.add_business_days(D(2026, 7, 11), 1) == D(2026, 7, 13)

    def test_zero(self, cal):
        assert cal.add_business_days(D(2026, 7, 2), 0) == D(2026, 7, 2)
        assert cal.add_business_days(D(2026, 7, 3), 0) == D(2026, 7, 6)  # holiday -> next
        assert cal.add_business_days(D(2026, 11, 26), 0) == D(2026, 11, 30)

    def test_negative(self, cal):
        assert cal.add_business_days(D(2026, 7, 6), -1) == D(2026, 7, 2)
        assert cal.add_business_days(D(2026, 7, 4), -1) == D(2026, 7, 2)
        assert cal.add_business_days(D(2026, 11, 30), -3) == D(2026, 11, 23)

    def test_negative_across_new_year(self, cal):
        assert cal.add_business_days(D(2026, 1, 2), -1) == D(2025, 12, 31)

    def test_consistent_with_business_days_between(self, cal):
        for start in (D(2026, 3, 27), D(2026, 7, 1), D(2026, 11, 20), D(2026, 12, 30)):
            for n in range(0, 40):
                assert cal.business_days_between(start, cal.add_business_days(start, n)) == n
                back = cal.add_business_days(start, -n) if n else start
                assert cal.business_days_between(back, start) == n


class TestBusinessDaysBetween:
    def test_simple(self, cal):
        assert cal.business_days_between(D(2026, 7, 2), D(2026, 7, 6)) == 1
        assert cal.business_days_between(D(2026, 7, 6), D(2026, 7, 2)) == -1
        assert cal.business_days_between(D(2026, 7, 6), D(2026, 7, 6)) == 0
        assert cal.business_days_between(D(2026, 11, 20), D(2026, 12, 1)) == 5

    def test_matches_a_day_by_day_count(self):
        cal = BusinessCalendar(extra_closures=[D(2026, 12, 24), D(2027, 3, 3)])
        rng = random.Random(838)
        for _ in range(300):
            a = D(2025, 6, 1) + timedelta(days=rng.randrange(1000))
            b = a + timedelta(days=rng.randrange(-400, 400))
            assert cal.business_days_between(a, b) == naive_between(cal, a, b), (a, b)


class TestPolicy:
    def test_defaults(self):
        p = DeadlinePolicy()
        assert p.cutoff_business_days == 10
        assert dict(p.sla_business_days) == {"department_review": 3, "ode_review": 5}
        assert p.reminder_days_before_cutoff == (5, 2)
        assert p.escalate_after_reminders == 3

    def test_is_immutable_and_copies_config(self):
        cfg = {"department_review": 2}
        p = DeadlinePolicy(sla_business_days=cfg, reminder_days_before_cutoff=[7, 3])
        cfg["ode_review"] = 1
        assert dict(p.sla_business_days) == {"department_review": 2}
        assert p.reminder_days_before_cutoff == (7, 3)
        with pytest.raises(TypeError):
            p.sla_business_days["x"] = 1  # type: ignore[index]

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"cutoff_business_days": -1},
            {"sla_business_days": {"ode_review": -2}},
            {"reminder_days_before_cutoff": (5, -1)},
            {"escalate_after_reminders": 0},
        ],
    )
    def test_rejects_nonsense(self, kwargs):
        with pytest.raises(ValueError):
            DeadlinePolicy(**kwargs)


class TestCutoff:
    def test_none_without_a_meeting(self, cal):
        assert cutoff(None, cal, DeadlinePolicy()) is None

    def test_ten_business_days_before(self, cal):
        # Tue Jul 21 2026: Jul 20, 17, 16, 15, 14, 13, 10, 9, 8, 7
        assert cutoff(D(2026, 7, 21), cal, DeadlinePolicy()) == D(2026, 7, 7)

    def test_meeting_on_a_tuesday_after_labor_day(self, cal):
        # Tue Sep 8 2026, Labor Day Mon Sep 7 skipped: Sep 4..Aug 31 (5), Aug 28..24 (10)
        assert cutoff(D(2026, 9, 8), cal, DeadlinePolicy()) == D(2026, 8, 24)

    def test_meeting_on_the_tuesday_after_thanksgiving(self, cal):
        # Tue Dec 1 2026: Nov 30, 25, 24, 23, 20, 19, 18, 17, 16, 13
        assert cutoff(D(2026, 12, 1), cal, DeadlinePolicy()) == D(2026, 11, 13)

    def test_cutoff_crosses_independence_day_observed(self, cal):
        # Tue Jul 14 2026: Jul 13, 10, 9, 8, 7, 6, (3 observed holiday) 2, 1, Jun 30, 29
        assert cutoff(D(2026, 7, 14), cal, DeadlinePolicy()) == D(2026, 6, 29)

    def test_configurable(self, cal):
        assert cutoff(D(2026, 7, 21), cal, DeadlinePolicy(cutoff_business_days=3)) == D(2026, 7, 16)

    def test_zero_day_cutoff_never_after_the_meeting(self, cal):
        p = DeadlinePolicy(cutoff_business_days=0)
        assert cutoff(D(2026, 7, 21), cal, p) == D(2026, 7, 21)
        assert cutoff(D(2026, 7, 4), cal, p) == D(2026, 7, 2)


class TestSlaDue:
    def test_department_review(self, cal):
        assert sla_due("department_review", D(2026, 11, 19), cal, DeadlinePolicy()) == D(
            2026, 11, 24
        )

    def test_entered_on_a_weekend(self, cal):
        assert sla_due("department_review", D(2026, 11, 21), cal, DeadlinePolicy()) == D(
            2026, 11, 25
        )

    def test_ode_review_across_thanksgiving(self, cal):
        assert sla_due("ode_review", D(2026, 11, 25), cal, DeadlinePolicy()) == D(2026, 12, 4)

    def test_states_without_sla(self, cal):
        assert sla_due("draft", D(2026, 11, 25), cal, DeadlinePolicy()) is None
        assert sla_due("ready_to_agendize", D(2026, 11, 25), cal, DeadlinePolicy()) is None
