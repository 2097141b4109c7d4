"""The report-back reminder rules, pure (the sweep: integration/test_report_back_reminders.py)."""

from __future__ import annotations

from datetime import date

from workflows.deadlines import BusinessCalendar
from workflows.reminders import Person
from workflows.report_back_reminders import ReportBackDue, due, window

D = date
CAL = BusinessCalendar()
AUTHOR = Person(1, "author@x.test")
APPROVERS = {"DOU": [Person(2, "Boss@x.test"), Person(3, "gone@x.test", active=False),
                     Person(1, "AUTHOR@x.test")]}


def row(due_on: date, rid: int = 7) -> ReportBackDue:
    return ReportBackDue(rid, 70, "2026-00001", 1, "Enrolled", due_on, "DOU", AUTHOR)


def reasons(today: date, due_on: date) -> list[tuple[str, tuple[str, ...], str]]:
    return [(r.recipient_email, r.reasons, r.key) for r in due(today, [row(due_on)], APPROVERS, CAL)]


def test_ten_and_two_business_days_before_across_thanksgiving():
    assert reasons(D(2026, 11, 23), D(2026, 12, 9)) == [
        ("author@x.test", ("report_back_in_10",), "rb7:author@x.test:2026-11-23"),
        ("Boss@x.test", ("report_back_in_10",), "rb7:boss@x.test:2026-11-23")]
    assert [r[1] for r in reasons(D(2026, 12, 7), D(2026, 12, 9))] == [("report_back_in_2",)] * 2
    assert reasons(D(2026, 11, 24), D(2026, 12, 9)) == []


def test_overdue_is_keyed_by_week():
    keys = {r[2] for d in (D(2026, 12, 10), D(2026, 12, 11), D(2026, 12, 16))
            for r in reasons(d, D(2026, 12, 9))}
    assert keys == {"rb7:author@x.test:w0", "rb7:boss@x.test:w0"}
    assert {r[2] for r in reasons(D(2026, 12, 17), D(2026, 12, 9))} == {
        "rb7:author@x.test:w1", "rb7:boss@x.test:w1"}


def test_nothing_on_a_holiday_or_weekend():
    assert reasons(D(2026, 11, 26), D(2026, 11, 1)) == []
    assert reasons(D(2026, 12, 12), D(2026, 11, 1)) == []


def test_the_window_reaches_the_ten_day_reminders():
    assert window(D(2026, 11, 23), CAL) >= D(2026, 12, 9)
