"""The metrics (API.md, "Follow-through and reports") against hand-computed expectations,
on both databases. The fixture's history is written at known City times with time-machine,
around Thanksgiving 2026 (Thu Nov 26 and Fri Nov 27 are holidays; cutoffs are 10 business
days before the meeting):

* A, 2026-00301 (DOU): submitted Mon Nov 16, department approval Wed Nov 25 (7 business
  days), ODE approval Tue Dec 1 (2 business days across the holidays: Mon 30, Tue 1);
  submit to ready 9. Meeting Tue Dec 15, cutoff Tue Dec 1: on time. Agendized Dec 2: owes
  two report-backs, one reported.
* B, 2026-00302 (DOU): submitted Tue Nov 17, returned Thu Nov 19 (2), submitted again Fri
  Nov 20, approved Mon Nov 23 (1), ODE approval Tue Nov 24 (1); submit to ready 5 (Nov 17
  to 24). Meeting Tue Dec 8, cutoff Fri Nov 20: late.
* C, 2026-00303 (CDD): submitted Wed Nov 18 by CDD's only approver, so nobody may approve
  it: stalled in department review. Meeting Dec 8: late.
* D, 2026-00304 (DOU): a draft never submitted; meeting in March 2027 (cutoff to come).
* E, 2026-00299 (DOU): created in October, outside the period.

The metrics are asked on Wed Dec 16 for November.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
import time_machine
from sqlalchemy import event

from app.extensions import db
from app.operations import gate, items, report_backs, statements
from tests.factories import complete_answers
from tests.integration.test_sweep import at

D = date
URL = "/api/v1/reports/metrics"
NOVEMBER = {"from": "2026-11-01", "to": "2026-11-30"}
ASKED_ON = D(2026, 12, 16)


def step(day: date, hour: int, action) -> None:
    with time_machine.travel(at(day, hour), tick=False):
        action()


def new_item(world, file_id: str, department: str, meeting: date, author: str, created: date) -> None:
    def create():
        items.create_item(world[author].user, {"file_id": file_id, "title": file_id, "department": department,
                                               "fiscal_statement": "Funded.", "meeting_date": meeting})
        statements.save(world[author].user, file_id, complete_answers(), 1)
    step(created, 8, create)


def fire(world, who: str, file_id: str, what: str, day: date) -> None:
    step(day, 10, lambda: statements.fire_event(world[who].user, file_id, what,
                                                "Say more." if what == "return" else None))


@pytest.fixture
def known(world):
    new_item(world, "2026-00299", "DOU", D(2027, 3, 2), "staff", D(2026, 10, 30))
    new_item(world, "2026-00301", "DOU", D(2026, 12, 15), "staff", D(2026, 11, 16))
    fire(world, "staff", "2026-00301", "submit", D(2026, 11, 16))
    fire(world, "approver", "2026-00301", "approve", D(2026, 11, 25))
    fire(world, "ode", "2026-00301", "approve", D(2026, 12, 1))
    step(D(2026, 12, 2), 9, lambda: gate.agendize(world["clerk"].user, "2026-00301"))
    step(D(2026, 12, 3), 9, lambda: report_backs.report(world["staff"].user, "2026-00301", 1, "2,400."))

    new_item(world, "2026-00302", "DOU", D(2026, 12, 8), "staff", D(2026, 11, 16))
    fire(world, "staff", "2026-00302", "submit", D(2026, 11, 17))
    fire(world, "approver", "2026-00302", "return", D(2026, 11, 19))
    fire(world, "staff", "2026-00302", "submit", D(2026, 11, 20))
    fire(world, "approver", "2026-00302", "approve", D(2026, 11, 23))
    fire(world, "ode", "2026-00302", "approve", D(2026, 11, 24))

    new_item(world, "2026-00303", "CDD", D(2026, 12, 8), "other_approver", D(2026, 11, 16))
    fire(world, "other_approver", "2026-00303", "submit", D(2026, 11, 18))

    new_item(world, "2026-00304", "DOU", D(2027, 3, 2), "staff", D(2026, 11, 16))
    return world


def get(client, world, who="ode", **query):
    with time_machine.travel(at(ASKED_ON, 12), tick=False):
        return client.get(URL, headers=world[who].headers, query_string=query)


def test_the_metrics_of_november(client, known):
    r = get(client, known, **NOVEMBER)
    assert r.status_code == 200, r.json
    m = r.json
    assert (m["from"], m["to"], m["department"]) == ("2026-11-01", "2026-11-30", None)
    assert m["statements"] == {
        "total": 4,
        "by_state": {"draft": 1, "department_review": 1, "ode_review": 0, "ready_to_agendize": 2},
        "by_form": {"full": 4, "short": 0, "exemption": 0},
        "by_month": {"2026-11": {"full": 4, "short": 0, "exemption": 0}}}
    assert m["by_department"] == [
        {"department": "CDD", "total": 1, "ready": 0, "returned": 0, "median_business_days_to_ready": None},
        {"department": "DOU", "total": 3, "ready": 2, "returned": 1, "median_business_days_to_ready": 7}]
    assert m["cycle_business_days"] == {
        "department_review": {"n": 3, "median": 2, "p90": 7},
        "ode_review": {"n": 2, "median": 1.5, "p90": 2},
        "submit_to_ready": {"n": 2, "median": 7, "p90": 9}}
    assert m["return_rate"] == pytest.approx(1 / 3)
    assert m["on_time_rate"] == pytest.approx(1 / 3)
    assert (m["late"], m["stalled"]) == (2, 1)
    assert m["report_backs"] == {"due": 2, "reported": 1, "overdue": 0}
    answers = complete_answers()  # A, B and C were submitted with these
    assert m["score_goals"] == dict.fromkeys(answers["score_goals"], 3)
    assert m["inequity_levels"] == dict.fromkeys(answers["inequity_levels"], 3)
    assert m["engagement_levels"] == dict.fromkeys(answers["engagement_levels"], 3)
    assert m["engagement_standards"] == dict.fromkeys(answers["engagement_standards"], 3)


def test_months_are_city_months(client, known):
    # E was created on Fri Oct 30 at 8:00 in the City (15:00 UTC): October, not November
    m = get(client, known, **{"from": "2026-10-01", "to": "2026-11-30"}).json
    assert m["statements"]["by_month"] == {"2026-10": {"full": 1, "short": 0, "exemption": 0},
                                           "2026-11": {"full": 4, "short": 0, "exemption": 0}}


def test_one_department(client, known):
    m = get(client, known, department="DOU", **NOVEMBER).json
    assert m["statements"]["total"] == 3 and m["stalled"] == 0
    assert [d["department"] for d in m["by_department"]] == ["DOU"]
    assert m["return_rate"] == pytest.approx(1 / 2)


def test_an_approver_sees_their_own_department_only(client, known):
    mine = get(client, known, "other_approver", **NOVEMBER)
    assert mine.status_code == 200 and mine.json["department"] == "CDD"
    assert mine.json["statements"]["total"] == 1
    refused = get(client, known, "other_approver", department="DOU", **NOVEMBER)
    assert (refused.status_code, refused.json["error"]) == (403, "forbidden")


@pytest.mark.parametrize("who", ["staff", "other_staff"])
def test_staff_may_not(client, known, who):
    assert get(client, known, who, **NOVEMBER).status_code == 403


@pytest.mark.parametrize("query, field", [
    ({"from": "2026-13-01"}, "from"), ({"to": "yesterday"}, "to"), ({"from": "2026-W01-1"}, "from"),
    ({"from": "2026-12-01", "to": "2026-11-01"}, "from"), ({"department": "NOPE"}, "department")])
def test_bad_input_is_422(client, known, query, field):
    r = get(client, known, **query)
    assert (r.status_code, r.json["error"]) == (422, "invalid")
    assert field in r.json["fields"]


def test_the_csv_has_a_row_per_statement(client, known):
    with time_machine.travel(at(ASKED_ON, 12), tick=False):
        r = client.get(f"{URL}.csv", headers=known["clerk"].headers, query_string=NOVEMBER)
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    assert [row["file_id"] for row in rows] == ["2026-00301", "2026-00302", "2026-00303", "2026-00304"]
    a = rows[0]
    assert (a["first_submitted_on"], a["last_ready_on"], a["submit_to_ready_business_days"], a["cutoff"],
            a["ready_by_cutoff"]) == ("2026-11-16", "2026-12-01", "9", "2026-12-01", "True")
    assert (rows[2]["stalled"], rows[1]["returned"], rows[3]["ready_by_cutoff"]) == ("True", "True", "")


def test_a_fixed_number_of_sql_statements_whatever_the_data(client, known):
    def statements_run() -> int:
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert get(client, known, **NOVEMBER).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    before = statements_run()
    for n in range(5, 25):
        new_item(known, f"2026-{n + 400:05d}", "DOU", D(2026, 12, 15), "staff", D(2026, 11, 20))
        fire(known, "staff", f"2026-{n + 400:05d}", "submit", D(2026, 11, 20))
    assert statements_run() == before
