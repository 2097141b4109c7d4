"""Report-back reminders through the real sweep and outbox (both databases), walking five
weeks across Thanksgiving 2026 (Thu Nov 26 and Fri Nov 27 are holidays) with time-machine.

Item 2026-00200 of DOU, agendized Mon Nov 2, owes two report-backs:

* 1, "Households enrolled", due Wed Dec 9: 10 business days before is Mon Nov 23 (the
  holidays are skipped), 2 before is Mon Dec 7; overdue from Thu Dec 10, weekly: the weeks
  start Thu Dec 10 and Thu Dec 17;
* 2, "Applications in Spanish", due Fri Dec 4: 10 business days before is Wed Nov 18; its
  result is reported on Tue Dec 1, so it gets no 2-day reminder (Wed Dec 2) and is never overdue.

Each reminder goes to the statement's author (staff) and DOU's approvers.
"""

from __future__ import annotations

from datetime import date, timedelta

import time_machine
from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.mail import compose
from app.models import Notification
from app.operations import gate, report_backs, statements
from tests.factories import complete_answers
from tests.integration.test_sweep import at, claimed, sweep_at

D = date
FILE_ID = "2026-00200"
PEOPLE = ("approver2@test.reis", "approver@test.reis", "staff@test.reis")


def owing(world) -> None:
    answers = complete_answers()
    answers["accountability"] = [
        {"name": "Households enrolled", "baseline": "0", "target": "3,000", "due": "2026-12-09"},
        {"name": "Applications in Spanish", "baseline": "Not measured", "target": "1 in 4",
         "due": "2026-12-04"}]
    with time_machine.travel(at(D(2026, 11, 2), 8), tick=False):
        world.item(FILE_ID, meeting_date=D(2027, 3, 2))
        statements.save(world["staff"].user, FILE_ID, answers, 1)
        statements.fire_event(world["staff"].user, FILE_ID, "submit")
        statements.fire_event(world["approver"].user, FILE_ID, "approve")
        statements.fire_event(world["ode"].user, FILE_ID, "approve")
        gate.agendize(world["clerk"].user, FILE_ID)


def every_day(start: date, end: date):
    while start <= end:
        yield start
        start += timedelta(days=1)


def to_all(reason: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(who, (reason,)) for who in PEOPLE]


def test_five_weeks_of_report_back_reminders(world):
    owing(world)
    expected = {
        D(2026, 11, 18): to_all("report_back_in_10"),  # report-back 2
        D(2026, 11, 23): to_all("report_back_in_10"),  # report-back 1
        D(2026, 12, 7): to_all("report_back_in_2"),
        D(2026, 12, 10): to_all("report_back_overdue"),
        D(2026, 12, 17): to_all("report_back_overdue"),
    }
    seen = {}
    for day in every_day(D(2026, 11, 16), D(2026, 12, 23)):
        if day == D(2026, 12, 1):
            with time_machine.travel(at(day, 8), tick=False):
                report_backs.report(world["staff"].user, FILE_ID, 2, "1 in 5 applications so far.")
        new = sweep_at(day)
        assert sweep_at(day, 15) == 0, day  # a second sweep the same day claims nothing
        got = claimed(day)
        assert new == len(got), day
        seen[day] = got
    assert {d: v for d, v in seen.items() if v} == expected
    assert seen[D(2026, 11, 26)] == seen[D(2026, 11, 27)] == []  # the holidays


def test_the_rows_say_which_report_back_and_when(world):
    owing(world)
    sweep_at(D(2026, 11, 23))
    row = db.session.scalars(select(Notification).where(Notification.email == "staff@test.reis",
                                                        Notification.kind == "reminder")).one()
    assert row.email_status == "pending" and row.user_id == world["staff"].user.id
    assert row.payload["file_id"] == FILE_ID and row.payload["reasons"] == ["report_back_in_10"]
    assert "Report-back 1" in row.payload["message"] and "Dec 9, 2026" in row.payload["message"]
    assert FILE_ID in row.subject
    mail = compose(row, language="en", recipient_name="Staff", config=current_app.config)
    text = mail.get_body(("plain",)).get_content()
    assert row.payload["message"] in text and "They stop when the result is reported." in text


def test_an_overdue_week_is_claimed_once_whichever_day_the_sweep_runs(world):
    owing(world)
    # Nothing reported. Report-back 2's weeks start Sat Dec 5 and Sat Dec 12; report-back 1's
    # Thu Dec 10 and Thu Dec 17. No sweep ran on Thu Dec 10: Friday's makes it up.
    assert sweep_at(D(2026, 12, 11)) == 6  # week 0 of both
    assert sweep_at(D(2026, 12, 14)) == 3  # week 1 of report-back 2 only
    assert sweep_at(D(2026, 12, 15)) == sweep_at(D(2026, 12, 16)) == 0
    assert sweep_at(D(2026, 12, 17)) == 3  # week 1 of report-back 1


def test_withdrawn_report_backs_are_not_reminded(world):
    owing(world)
    with time_machine.travel(at(D(2026, 11, 17), 8), tick=False):
        gate.unagendize(world["clerk"].user, FILE_ID)
    assert sweep_at(D(2026, 11, 18)) == 0 and sweep_at(D(2026, 12, 10)) == 0


def test_the_api_calls_a_pending_report_back_past_its_date_overdue(world, client):
    owing(world)
    url = f"/api/v1/items/{FILE_ID}/report-backs"
    with time_machine.travel(at(D(2026, 12, 9), 12), tick=False):
        assert [r["status"] for r in client.get(url, headers=world["staff"].headers).json[
            "report_backs"]] == ["pending", "overdue"]
    with time_machine.travel(at(D(2026, 12, 10), 12), tick=False):
        assert [r["status"] for r in client.get(url, headers=world["staff"].headers).json[
            "report_backs"]] == ["overdue", "overdue"]
