"""The clerk board: the gate's answer and reasons per item, agendize from there,
in a fixed number of SQL statements whatever the number of items."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from sqlalchemy import event

from app.extensions import db
from app.operations import items, lookup
from app.web.auth import limiter
from tests.integration.web_helpers import give_passwords, signed_in, text

MEETING = dt.date(2027, 3, 2)


@pytest.fixture
def web(app_ctx, world):
    give_passwords()
    limiter.reset()
    return world


def row_of(page: str, file_id: str) -> str:
    """The board's table row of one item."""
    rows = page.split("<tbody")[1].split("</tbody>")[0].split("</tr>")[:-1]
    return next(row for row in rows if f">{file_id}</a>" in row)


class CountStatements:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *args) -> None:
        self.count += 1

    def __enter__(self):
        event.listen(db.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(db.engine, "before_cursor_execute", self)


class TestBoard:
    def test_lists_the_meetings_items_with_reasons(self, app_ctx, web):
        web.item("2026-00001", state="ready_to_agendize", meeting_date=MEETING)
        web.item("2026-00002", state="ode_review", meeting_date=MEETING, fiscal=None)
        web.item("2026-00003", meeting_date=dt.date(2027, 4, 6))
        page = signed_in(app_ctx, web["clerk"]).get("/board?date=2027-03-02")
        words = text(page.text)
        assert page.status_code == 200
        assert "2026-00001" in words and "2026-00002" in words and "2026-00003" not in words
        assert "2 items for this meeting; 1 may be agendized." in words
        assert "waiting for review by the Office of Diversity & Equity" in words
        assert "The item has no fiscal statement" in words

    def test_the_cutoff_is_told_in_the_right_tense(self, app_ctx, web):
        web.item("2026-00001", meeting_date=MEETING)
        said = []
        for now in ("2027-01-04 17:00Z", "2027-03-01 17:00Z"):
            with time_machine.travel(now, tick=False):
                said.append(text(signed_in(app_ctx, web["clerk"]).get("/board?date=2027-03-02").text))
        assert "Statements for this meeting must be approved by Tuesday, February 16, 2027." in said[0]
        assert "Statements for this meeting had to be approved by Tuesday, February 16, 2027." in said[1]

    def test_each_item_is_told_what_it_waits_for(self, app_ctx, web):
        web.item("2026-00001", state="ode_review", meeting_date=MEETING)
        web.item("2026-00002", state="department_review", meeting_date=MEETING)
        page = signed_in(app_ctx, web["clerk"]).get("/board?date=2027-03-02").text
        ode = text(row_of(page, "2026-00001"))
        assert "needs ODE's approval" in ode and "by the department" not in ode
        assert "needs the department's approval, then ODE's" in text(row_of(page, "2026-00002"))

    def test_the_agendized_date_is_written_for_people(self, app_ctx, web):
        web.item("2026-00001", state="ready_to_agendize", meeting_date=MEETING)
        clerk = signed_in(app_ctx, web["clerk"])
        clerk.get("/board?date=2027-03-02")
        clerk.post("/board/2026-00001/agendize", {"meeting_date": "2027-03-02"})
        page = clerk.get("/board?date=2027-03-02").text
        flash = text(page.split('class="flash flash--')[1].split("</p>")[0])
        assert "2026-00001 is on the agenda of Tuesday, March 2, 2027." in flash
        assert "2027-03-02" not in flash

    def test_the_board_and_the_api_give_the_same_answer(self, app_ctx, web, client):
        web.item("2026-00001", state="ready_to_agendize", meeting_date=MEETING)
        web.item("2026-00002", state="ode_review", meeting_date=MEETING, fiscal=None)
        web.item("2026-00003", meeting_date=MEETING)
        api = client.get("/api/v1/meetings/2027-03-02/items", headers=web["clerk"].headers).json["items"]
        page = signed_in(app_ctx, web["clerk"]).get("/board?date=2027-03-02").text
        for item in api:
            cell = row_of(page, item["file_id"]).split('class="board__verdict">')[1]
            verdict = text(cell.split("</td>")[0])
            assert verdict.startswith("Yes" if item["agendizable"] else "No"), verdict
            for reason in item["reasons"]:
                assert reason["message"] in verdict, reason

    def test_the_button_of_a_refused_item_is_disabled_and_says_why(self, app_ctx, web):
        web.item("2026-00002", meeting_date=MEETING)
        page = signed_in(app_ctx, web["clerk"]).get("/board?date=2027-03-02")
        row = page.text.split("<tbody")[1].split("</tr>")[0]
        assert "2026-00002" in row
        assert 'disabled aria-describedby="reasons-1"' in row
        assert 'id="reasons-1"' in row and "still a draft" in row

    def test_agendize_and_unagendize(self, app_ctx, web):
        web.item("2026-00001", state="ready_to_agendize", meeting_date=MEETING)
        clerk = signed_in(app_ctx, web["clerk"])
        clerk.get("/board?date=2027-03-02")
        response = clerk.post("/board/2026-00001/agendize", {"meeting_date": "2027-03-02"})
        assert response.status_code == 303
        assert response.headers["Location"] == "/board?date=2027-03-02"
        item = lookup.item("2026-00001")
        assert item.agendized and item.agendized_for == MEETING
        assert "Unagendize" in clerk.get("/board?date=2027-03-02").text
        clerk.post("/board/2026-00001/unagendize", {"meeting_date": "2027-03-02"})
        assert not lookup.item("2026-00001").agendized

    def test_a_refused_agendize_says_why_and_changes_nothing(self, app_ctx, web):
        web.item("2026-00002", meeting_date=MEETING)
        clerk = signed_in(app_ctx, web["clerk"])
        clerk.get("/board?date=2027-03-02")
        clerk.post("/board/2026-00002/agendize", {"meeting_date": "2027-03-02"})
        page = clerk.get("/board?date=2027-03-02")
        assert "cannot be agendized" in page.text
        assert not lookup.item("2026-00002").agendized

    def test_only_clerks_see_the_board_or_agendize(self, app_ctx, web):
        web.item("2026-00001", state="ready_to_agendize", meeting_date=MEETING)
        staff = signed_in(app_ctx, web["staff"])
        assert staff.get("/board").status_code == 403
        assert staff.post("/board/2026-00001/agendize", {"meeting_date": "2027-03-02"}).status_code == 403
        assert not lookup.item("2026-00001").agendized

    def test_a_bad_date_is_said_to_be_bad(self, app_ctx, web):
        page = signed_in(app_ctx, web["clerk"]).get("/board?date=2027-02-30")
        assert page.status_code == 422
        assert 'id="date-error"' in page.text


class TestBoundedQueries:
    def _statements(self, app_ctx, web, count: int) -> tuple[int, int]:
        """SQL statements for the clerk's board and for the staff home, with ``count`` items."""
        for n in range(count):
            items.create_item(web["staff"].user, {
                "file_id": f"2026-{n + 1:05d}", "title": f"Item {n}", "department": "DOU",
                "meeting_date": MEETING, "fiscal_statement": "Funded." if n % 2 else None})
        clerk, staff = signed_in(app_ctx, web["clerk"]), signed_in(app_ctx, web["staff"])
        with CountStatements() as board:
            page = clerk.get("/board?date=2027-03-02")
        assert f"{count} items for this meeting" in text(page.text)
        with CountStatements() as home:
            page = staff.get("/")
        assert f"Draft ({count})" in text(page.text)
        return board.count, home.count

    def test_200_items_cost_what_10_do(self, app_ctx, web):
        small = self._statements(app_ctx, web, 10)
        from tests.conftest import _empty_tables
        from tests.factories import World

        _empty_tables(app_ctx)
        web = World.build()
        give_passwords()
        large = self._statements(app_ctx, web, 200)
        assert small == large
