"""Each person's deadline feed, parsed back with the icalendar library."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from icalendar import Calendar

from app import calendar_feed
from app.deadlines import current as current_deadlines
from app.operations import people
from tests.integration.services import app_settings
from workflows import deadlines

MEETING = date(2027, 3, 2)
MONDAY_MORNING = datetime(2027, 2, 1, 17, 0, tzinfo=UTC)  # 9:00 in Sacramento


@pytest.fixture
def desk(world):
    """DOU items in each state, one CDD item, all for the 2 March 2027 meeting; made on 1 February."""
    with time_machine.travel(MONDAY_MORNING, tick=False):
        world.item("2026-00001", state="draft", meeting_date=MEETING)
        world.item("2026-00002", state="department_review", meeting_date=MEETING)
        world.item("2026-00003", state="ode_review", meeting_date=MEETING)
        world.item("2026-00004", state="ready_to_agendize", meeting_date=MEETING)
        world.item("2026-00005", state="department_review", department="CDD", meeting_date=MEETING)
        world.item("2026-00006", state="draft")
        from app.operations import items

        items.update_item(world["staff"].user, "2026-00006", {"meeting_date": None})
    return world


def feed(client, person) -> Calendar:
    r = client.get(f"/calendar/{calendar_feed.feed_token(person.user)}.ics")
    assert r.status_code == 200 and r.mimetype == "text/calendar"
    return Calendar.from_ical(r.data)


def events(cal: Calendar) -> dict[str, tuple[str, date]]:
    """UID -> (summary, day) of every VEVENT."""
    return {str(e["UID"]): (str(e["SUMMARY"]), e.decoded("DTSTART")) for e in cal.walk("VEVENT")}


def cutoff() -> date:
    rules = current_deadlines()
    return deadlines.cutoff(MEETING, rules.calendar, rules.policy)


class TestWhoSeesWhat:
    def test_staff_see_their_departments_cutoffs(self, desk, client):
        cal = feed(client, desk["staff"])
        found = events(cal)
        assert sorted(s.split(": ")[1].split()[0] for s, _ in found.values()) == [
            "2026-00001", "2026-00002", "2026-00003"]  # not the approved one, not CDD's, not dateless
        assert {day for _, day in found.values()} == {cutoff()}
        assert cutoff() == date(2027, 2, 16)  # 10 business days before 2 March, Presidents' Day skipped

    def test_department_approvers_also_see_their_review_deadlines(self, desk, client):
        found = events(feed(client, desk["approver"]))
        sla = {s: d for s, d in found.values() if "department review due" in s}
        assert sla == {"REIS department review due: 2026-00002": date(2027, 2, 4)}  # 3 business days

    def test_ode_reviewers_see_the_ode_queue(self, desk, client):
        found = sorted(events(feed(client, desk["ode"])).values())
        assert found == [("REIS ODE review due: 2026-00003", date(2027, 2, 8)),  # 5 business days
                         ("REIS cutoff: 2026-00003 must be ready to agendize", cutoff())]

    def test_clerks_see_every_cutoff_and_admins_everything(self, desk, client):
        clerk = events(feed(client, desk["clerk"]))
        assert len(clerk) == 4 and all("cutoff" in s for s, _ in clerk.values())
        admin = events(feed(client, desk["admin"]))
        assert len(admin) == 4 + 3  # plus the SLAs of 00002, 00003 and CDD's 00005


class TestTheFeed:
    def test_a_calendar_clients_view(self, desk, client):
        cal = feed(client, desk["approver"])
        assert str(cal["VERSION"]) == "2.0" and "REIS" in str(cal["PRODID"])
        assert str(cal["X-WR-CALNAME"]) == "REIS deadlines — Approver"
        for event in cal.walk("VEVENT"):
            start, end = event.decoded("DTSTART"), event.decoded("DTEND")
            assert type(start) is date and (end - start).days == 1  # all-day
            assert event.decoded("DTSTAMP").tzinfo is not None
            assert str(event["UID"]).endswith("@reis")
            assert "Department DOU" in str(event["DESCRIPTION"])

    def test_each_event_opens_its_item(self, desk, client, app_ctx):
        with app_settings(app_ctx, BASE_URL="https://reis.city.example"):
            cal = feed(client, desk["clerk"])
        urls = {str(e["URL"]) for e in cal.walk("VEVENT")}
        assert urls == {f"https://reis.city.example/items/2026-0000{n}" for n in (1, 2, 3, 5)}
        without = {str(e["URL"]) for e in feed(client, desk["clerk"]).walk("VEVENT")}
        assert "http://localhost/items/2026-00001" in without  # else this request's address

    def test_uids_are_stable_between_polls(self, desk, client):
        assert set(events(feed(client, desk["clerk"]))) == set(events(feed(client, desk["clerk"])))

    def test_an_approved_statement_leaves_the_feed(self, desk, client):
        from app.operations import statements

        statements.fire_event(desk["ode"].user, "2026-00003", "approve")
        found = events(feed(client, desk["ode"]))
        assert found == {}


class TestTheSecretUrl:
    def test_the_url_works_without_headers_and_names_nobody(self, desk, client, app_ctx):
        with app_ctx.test_request_context():
            url = calendar_feed.feed_url(desk["staff"].user)
        assert "staff" not in url and url.endswith(".ics")
        r = client.get("/calendar/feed-url", headers=desk["staff"].headers)
        assert r.status_code == 200 and r.json["url"] == url
        assert r.json["webcal"].startswith("webcal://")

    def test_asking_for_the_url_needs_a_token(self, desk, client):
        assert client.get("/calendar/feed-url").status_code == 401

    @pytest.mark.parametrize("token", ["nonsense", "eyJ1IjoxfQ.forged"])
    def test_a_wrong_token_is_a_plain_404(self, desk, client, token):
        assert client.get(f"/calendar/{token}.ics").status_code == 404

    def test_a_token_cannot_be_moved_to_another_user(self, desk, client):
        token = calendar_feed.feed_token(desk["staff"].user)
        payload, signature = token.split(".")
        other = calendar_feed.feed_token(desk["admin"].user).split(".")[0]
        assert client.get(f"/calendar/{other}.{signature}.ics").status_code == 404
        assert client.get(f"/calendar/{payload}.{signature}.ics").status_code == 200

    def test_another_deployments_key_does_not_open_it(self, desk, client, app_ctx, monkeypatch):
        token = calendar_feed.feed_token(desk["staff"].user)
        monkeypatch.setitem(app_ctx.config, "SECRET_KEY", "rotated-" + "x" * 40)
        assert client.get(f"/calendar/{token}.ics").status_code == 404

    def test_a_deactivated_user_has_no_feed(self, desk, client):
        from app.db import write_transaction
        from app.extensions import db

        token = calendar_feed.feed_token(desk["staff2"].user)
        with write_transaction():
            db.session.get(people.User, desk["staff2"].user.id).active = False
        assert client.get(f"/calendar/{token}.ics").status_code == 404


class TestANewUrl:
    """A person whose feed URL leaked gets a new one; the old one stops working at once."""

    def test_through_the_api(self, desk, client):
        old = client.get("/calendar/feed-url", headers=desk["staff"].headers).json["url"]
        r = client.post("/api/v1/me/calendar-feed", headers=desk["staff"].headers)
        assert r.status_code == 200 and r.json["url"] != old
        new_path, old_path = (u.split("://", 1)[1].partition("/")[2] for u in (r.json["url"], old))
        assert client.get(f"/{old_path}").status_code == 404
        assert client.get(f"/{new_path}").status_code == 200
        assert client.get("/calendar/feed-url", headers=desk["staff"].headers).json["url"] == r.json["url"]
        assert client.get("/api/v1/me/calendar-feed", headers=desk["staff"].headers).json == r.json

    def test_needs_a_token(self, desk, client):
        assert client.post("/api/v1/me/calendar-feed").status_code == 401

    def test_only_the_callers_own_url_changes(self, desk, client):
        others = calendar_feed.feed_token(desk["approver"].user)
        client.post("/api/v1/me/calendar-feed", headers=desk["staff"].headers)
        assert client.get(f"/calendar/{others}.ics").status_code == 200

    def test_from_the_account_page(self, desk, app_ctx):
        from tests.integration.web_helpers import give_passwords, signed_in

        give_passwords()
        user = signed_in(app_ctx, desk["staff"])
        page = user.get("/account")
        old = calendar_feed.feed_token(desk["staff"].user)
        assert f"/calendar/{old}.ics" in page.text
        assert user.post("/account/calendar-feed").status_code == 303
        page = user.get("/account")
        assert "the old one no longer works" in page.text and f"/calendar/{old}.ics" not in page.text
        assert user.open(f"/calendar/{old}.ics").status_code == 404

    def test_urls_from_before_generations_keep_working_until_rotated(self, desk, client, app_ctx):
        from itsdangerous import URLSafeSerializer

        legacy = URLSafeSerializer(app_ctx.config["SECRET_KEY"], salt=calendar_feed.SALT).dumps(
            {"u": desk["staff"].user.id})
        assert client.get(f"/calendar/{legacy}.ics").status_code == 200
        client.post("/api/v1/me/calendar-feed", headers=desk["staff"].headers)
        assert client.get(f"/calendar/{legacy}.ics").status_code == 404

    @pytest.mark.parametrize("payload", [{"u": 2**40}, {"u": True}, {"u": "1"}, {"u": 1, "g": "0"}, [1]])
    def test_a_signed_but_strange_payload_is_a_plain_404(self, desk, client, app_ctx, payload):
        from itsdangerous import URLSafeSerializer

        token = URLSafeSerializer(app_ctx.config["SECRET_KEY"], salt=calendar_feed.SALT).dumps(payload)
        assert client.get(f"/calendar/{token}.ics").status_code == 404
