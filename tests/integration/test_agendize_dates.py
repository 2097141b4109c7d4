"""Agendizing for a meeting before today (the City's today, ``REIS_TIMEZONE``) is refused:
422 ``invalid`` naming ``meeting_date`` in the API, and the clerk board says so next to the date."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from app.operations import lookup
from tests.integration.test_bad_input import assert_invalid
from tests.integration.web_helpers import give_passwords, signed_in, text

FILE_ID = "2026-00001"
MEETING = date(2027, 3, 2)
# 07:30 UTC on 2 March is still 1 March in Sacramento (23:30 PST)
EVENING_BEFORE = datetime(2027, 3, 2, 7, 30, tzinfo=UTC)
MORNING_AFTER = datetime(2027, 3, 3, 17, 0, tzinfo=UTC)


@pytest.fixture
def ready(world):
    world.item(FILE_ID, state="ready_to_agendize", meeting_date=MEETING)
    return world


def agendize(client, world, **body):
    return client.post(f"/api/v1/items/{FILE_ID}/agendize", headers=world["clerk"].headers,
                       json=body or None)


class TestApi:
    def test_a_past_date_in_the_request_is_422_naming_it(self, client, ready):
        with time_machine.travel(MORNING_AFTER, tick=False):
            body = assert_invalid(agendize(client, ready, meeting_date="2027-03-02"), "meeting_date")
        assert "before today" in body["fields"]["meeting_date"]
        assert lookup.item(FILE_ID).agendized is False

    def test_the_items_own_past_date_is_422_too(self, client, ready):
        with time_machine.travel(MORNING_AFTER, tick=False):
            assert_invalid(agendize(client, ready), "meeting_date")

    def test_today_and_later_are_fine_in_city_time(self, client, ready):
        with time_machine.travel(EVENING_BEFORE, tick=False):  # 2 March in UTC, 1 March in the City
            assert agendize(client, ready, meeting_date="2027-03-01").status_code == 200
            assert agendize(client, ready, meeting_date="2027-03-02").status_code == 200
        assert lookup.item(FILE_ID).agendized_for == MEETING

    def test_a_later_date_still_works_after_the_items_own_has_passed(self, client, ready):
        with time_machine.travel(MORNING_AFTER, tick=False):
            r = agendize(client, ready, meeting_date="2027-03-09")
        assert r.status_code == 200 and r.json["agendized_for"] == "2027-03-09"


class TestBoard:
    def test_a_past_meeting_says_so_next_to_the_date(self, app_ctx, ready):
        give_passwords()
        with time_machine.travel(MORNING_AFTER, tick=False):
            clerk = signed_in(app_ctx, ready["clerk"])
            page = clerk.get("/board?date=2027-03-02")
            assert 'id="date-error"' in page.text
            assert "This meeting is in the past" in text(page.text)
            refused = clerk.post(f"/board/{FILE_ID}/agendize", {"meeting_date": "2027-03-02"})
            assert refused.status_code == 303
            page = clerk.get(refused.headers["Location"])
        assert "before today" in text(page.text) and 'id="date-error"' in page.text
        assert lookup.item(FILE_ID).agendized is False

    def test_a_meeting_to_come_has_no_such_note(self, app_ctx, ready):
        give_passwords()
        with time_machine.travel(EVENING_BEFORE, tick=False):
            page = signed_in(app_ctx, ready["clerk"]).get("/board?date=2027-03-02")
        assert 'id="date-error"' not in page.text
