"""The clerk's gate through the JSON API: may this item be agendized (every
reason, alone and together), agendize with or without a meeting date, the 409
with the same reasons, unagendize, and a meeting's items.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.integration.test_bad_input import assert_error, assert_invalid, each, fingerprint

FILE_ID = "2026-00001"
MEETING = date(2027, 3, 2)
NOT_APPROVED, NO_FISCAL, NO_DATE = ("statement_not_approved", "fiscal_statement_missing",
                                    "no_meeting_date")


def unscheduled(client, world, file_id=FILE_ID, state="draft", fiscal="Funded."):
    """An item without a meeting date, walked to ``state``."""
    world.item(file_id, state=state, fiscal=fiscal)
    r = client.patch(f"/api/v1/items/{file_id}", headers=world["staff"].headers,
                     json={"meeting_date": None})
    assert r.status_code == 200 and r.json["meeting_date"] is None, r.json
    assert r.json["statement_state"] == state  # the meeting date is not material


def gate(client, world, file_id=FILE_ID, who="clerk") -> dict:
    r = client.get(f"/api/v1/items/{file_id}/agendizable", headers=world[who].headers)
    assert r.status_code == 200, r.json
    assert set(r.json) == {"file_id", "agendizable", "reasons"}
    assert r.json["file_id"] == file_id
    assert r.json["agendizable"] is (r.json["reasons"] == [])
    for reason in r.json["reasons"]:
        assert set(reason) == {"code", "message"} and reason["message"].strip()
    return r.json


def codes(body: dict) -> list[str]:
    return [r["code"] for r in body["reasons"]]


def agendize(client, world, file_id=FILE_ID, who="clerk", **body):
    return client.post(f"/api/v1/items/{file_id}/agendize", headers=world[who].headers,
                       **({"json": body} if body else {}))


class TestAgendizable:
    def test_an_approved_funded_scheduled_item_passes(self, client, world):
        world.item(FILE_ID, state="ready_to_agendize")
        assert gate(client, world) == {"file_id": FILE_ID, "agendizable": True, "reasons": []}

    @pytest.mark.parametrize("state", ["draft", "department_review", "ode_review"])
    def test_an_unapproved_statement(self, client, world, state):
        world.item(FILE_ID, state=state)
        assert codes(gate(client, world)) == [NOT_APPROVED]

    @pytest.mark.parametrize("fiscal", [None, "", "   \n"])
    def test_no_fiscal_statement(self, client, world, fiscal):
        world.item(FILE_ID, state="ready_to_agendize", fiscal=fiscal)
        assert codes(gate(client, world)) == [NO_FISCAL]

    def test_no_meeting_date(self, client, world):
        unscheduled(client, world, state="ready_to_agendize")
        assert codes(gate(client, world)) == [NO_DATE]

    @pytest.mark.parametrize(("state", "fiscal", "dated", "expected"), [
        ("draft", None, False, [NOT_APPROVED, NO_FISCAL, NO_DATE]),
        ("department_review", "", True, [NOT_APPROVED, NO_FISCAL]),
        ("ode_review", "Funded.", False, [NOT_APPROVED, NO_DATE]),
        ("ready_to_agendize", None, False, [NO_FISCAL, NO_DATE]),
    ])
    def test_reasons_combine(self, client, world, state, fiscal, dated, expected):
        if dated:
            world.item(FILE_ID, state=state, fiscal=fiscal)
        else:
            unscheduled(client, world, state=state, fiscal=fiscal)
        assert codes(gate(client, world)) == expected

    def test_a_material_change_closes_the_gate_again(self, client, world):
        world.item(FILE_ID, state="ready_to_agendize")
        client.patch(f"/api/v1/items/{FILE_ID}", headers=world["staff"].headers,
                     json={"recommendation": "Something else."})
        assert codes(gate(client, world)) == [NOT_APPROVED]

    @pytest.mark.parametrize("who", ["staff", "other_staff", "ode", "admin"])
    def test_anyone_may_ask(self, client, world, who):
        world.item(FILE_ID, state="ready_to_agendize")
        assert gate(client, world, who=who)["agendizable"] is True

    def test_unknown_is_404_and_no_token_401(self, client, world):
        assert_error(client.get("/api/v1/items/2026-09999/agendizable",
                                headers=world["clerk"].headers), 404, "not_found")
        world.item(FILE_ID)
        assert_error(client.get(f"/api/v1/items/{FILE_ID}/agendizable"), 401, "unauthorized")


class TestAgendize:
    def test_on_the_items_meeting_date(self, client, world):
        world.item(FILE_ID, state="ready_to_agendize", meeting_date=MEETING)
        r = agendize(client, world)
        assert r.status_code == 200, r.json
        assert (r.json["agendized"], r.json["agendized_for"]) == (True, MEETING.isoformat())
        assert r.json["meeting_date"] == MEETING.isoformat()

    def test_an_empty_json_object_is_no_meeting_date(self, client, world):
        world.item(FILE_ID, state="ready_to_agendize", meeting_date=MEETING)
        r = client.post(f"/api/v1/items/{FILE_ID}/agendize", headers=world["clerk"].headers, json={})
        assert (r.status_code, r.json["agendized_for"]) == (200, MEETING.isoformat())

    def test_on_a_meeting_date_the_request_names(self, client, world):
        world.item(FILE_ID, state="ready_to_agendize", meeting_date=MEETING)
        r = agendize(client, world, meeting_date="2027-04-06")
        assert r.status_code == 200, r.json
        assert r.json["agendized_for"] == "2027-04-06"

    def test_the_request_date_stands_in_for_a_missing_one(self, client, world):
        unscheduled(client, world, state="ready_to_agendize")
        r = agendize(client, world, meeting_date="2027-05-04")
        assert r.status_code == 200, r.json
        assert (r.json["agendized"], r.json["agendized_for"]) == (True, "2027-05-04")

    def test_no_date_anywhere_is_409_not_agendizable(self, client, world):
        unscheduled(client, world, state="ready_to_agendize")
        before = fingerprint()
        body = assert_error(agendize(client, world), 409, "not_agendizable")
        assert [r["code"] for r in body["reasons"]] == [NO_DATE]
        assert fingerprint() == before

    @pytest.mark.parametrize(("state", "fiscal", "dated"), [
        ("draft", "Funded.", True), ("ode_review", None, True), ("ready_to_agendize", "", False),
        ("department_review", None, False)])
    def test_409_carries_the_same_reasons_as_the_gate(self, client, world, state, fiscal, dated):
        if dated:
            world.item(FILE_ID, state=state, fiscal=fiscal)
        else:
            unscheduled(client, world, state=state, fiscal=fiscal)
        asked = gate(client, world)
        before = fingerprint()
        body = assert_error(agendize(client, world), 409, "not_agendizable")
        assert body["reasons"] == asked["reasons"] != []
        assert fingerprint() == before
        assert client.get(f"/api/v1/items/{FILE_ID}", headers=world["clerk"].headers).json[
            "agendized"] is False

    def test_a_history_row_says_who_and_for_when(self, client, world):
        world.item(FILE_ID, state="ready_to_agendize")
        agendize(client, world)
        last = client.get(f"/api/v1/items/{FILE_ID}/statement/history",
                          headers=world["clerk"].headers).json["events"][-1]
        assert (last["event"], last["actor"]) == ("agendize", world["clerk"].email)
        assert (last["from_state"], last["to_state"]) == ("ready_to_agendize", "ready_to_agendize")
        assert MEETING.isoformat() in last["comment"]

    def test_agendizing_again_for_the_same_date_changes_nothing(self, client, world):
        world.item(FILE_ID, state="ready_to_agendize")
        first = agendize(client, world).json
        before = fingerprint()
        again = agendize(client, world)
        assert again.status_code == 200
        assert again.json == first
        assert fingerprint() == before

    def test_the_statement_is_unchanged(self, client, world):
        world.item(FILE_ID, state="ready_to_agendize")
        url = f"/api/v1/items/{FILE_ID}/statement"
        before = client.get(url, headers=world["clerk"].headers).json
        agendize(client, world)
        after = client.get(url, headers=world["clerk"].headers).json
        assert {**after, "due_date": None} == {**before, "due_date": None}

    @pytest.mark.parametrize("who", ["staff", "approver", "other_staff", "ode"])
    def test_only_clerks_and_admins(self, client, world, who):
        world.item(FILE_ID, state="ready_to_agendize")
        before = fingerprint()
        assert_error(agendize(client, world, who=who), 403, "forbidden")
        assert_error(client.post(f"/api/v1/items/{FILE_ID}/unagendize", headers=world[who].headers),
                     403, "forbidden")
        assert fingerprint() == before
        assert agendize(client, world, who="admin").status_code == 200

    def test_bad_meeting_dates_are_422(self, client, world):
        world.item(FILE_ID, state="ready_to_agendize")
        before = fingerprint()
        each(["2027-02-30", "tomorrow", 20270302, "20270302", ""], lambda value: assert_invalid(
            agendize(client, world, meeting_date=value), "meeting_date"))
        assert fingerprint() == before

    def test_unknown_is_404(self, client, world):
        assert_error(agendize(client, world, file_id="2026-09999"), 404, "not_found")


class TestUnagendize:
    def test_takes_it_off_the_agenda(self, client, world):
        world.item(FILE_ID, state="ready_to_agendize")
        agendize(client, world, meeting_date="2027-04-06")
        r = client.post(f"/api/v1/items/{FILE_ID}/unagendize", headers=world["clerk"].headers)
        assert r.status_code == 200, r.json
        assert (r.json["agendized"], r.json["agendized_for"]) == (False, None)
        assert r.json["statement_state"] == "ready_to_agendize"
        assert r.json["meeting_date"] == MEETING.isoformat()
        last = client.get(f"/api/v1/items/{FILE_ID}/statement/history",
                          headers=world["clerk"].headers).json["events"][-1]
        assert (last["event"], last["actor"]) == ("unagendize", world["clerk"].email)
        assert "2027-04-06" in last["comment"]

    def test_an_item_not_on_an_agenda_is_left_alone(self, client, world):
        world.item(FILE_ID, state="department_review")
        before = fingerprint()
        r = client.post(f"/api/v1/items/{FILE_ID}/unagendize", headers=world["clerk"].headers)
        assert (r.status_code, r.json["agendized"]) == (200, False)
        assert fingerprint() == before

    def test_it_can_be_agendized_again(self, client, world):
        world.item(FILE_ID, state="ready_to_agendize")
        agendize(client, world)
        client.post(f"/api/v1/items/{FILE_ID}/unagendize", headers=world["clerk"].headers)
        assert agendize(client, world).json["agendized"] is True

    def test_unknown_is_404(self, client, world):
        assert_error(client.post("/api/v1/items/2026-09999/unagendize",
                                 headers=world["clerk"].headers), 404, "not_found")


class TestMeetingItems:
    @pytest.fixture
    def meeting(self, client, world):
        world.item("2026-00001", state="ready_to_agendize", meeting_date=MEETING)
        world.item("2026-00002", state="department_review", meeting_date=MEETING, department="CDD")
        world.item("2026-00003", state="ready_to_agendize", meeting_date=MEETING, fiscal=None)
        world.item("2026-00004", state="ready_to_agendize", meeting_date=date(2027, 4, 6))
        return world

    def test_every_item_of_the_meeting_with_its_gate(self, client, meeting):
        r = client.get(f"/api/v1/meetings/{MEETING.isoformat()}/items", headers=meeting["clerk"].headers)
        assert r.status_code == 200, r.json
        assert set(r.json) == {"meeting_date", "items"}
        assert r.json["meeting_date"] == MEETING.isoformat()
        by_id = {i["file_id"]: i for i in r.json["items"]}
        assert set(by_id) == {"2026-00001", "2026-00002", "2026-00003"}
        for item in r.json["items"]:
            assert {"file_id", "title", "department", "statement_state", "agendizable",
                    "reasons"} <= set(item)
            assert item["agendizable"] is (item["reasons"] == [])
            assert item["reasons"] == gate(client, meeting, item["file_id"])["reasons"]
        assert (by_id["2026-00002"]["department"], by_id["2026-00002"]["statement_state"]) == (
            "CDD", "department_review")
        assert by_id["2026-00001"]["title"] == "Item 2026-00001"
        assert [x["code"] for x in by_id["2026-00003"]["reasons"]] == [NO_FISCAL]

    def test_an_agendized_item_appears_on_its_meeting(self, client, meeting):
        agendize(client, meeting, file_id="2026-00004", meeting_date="2027-05-04")
        r = client.get("/api/v1/meetings/2027-05-04/items", headers=meeting["clerk"].headers)
        assert [i["file_id"] for i in r.json["items"]] == ["2026-00004"]
        assert r.json["items"][0]["agendizable"] is True

    def test_a_meeting_without_items(self, client, meeting):
        r = client.get("/api/v1/meetings/2030-01-01/items", headers=meeting["clerk"].headers)
        assert (r.status_code, r.json) == (200, {"meeting_date": "2030-01-01", "items": []})

    def test_a_bad_date_is_422(self, client, meeting):
        each(["2027-02-30", "tomorrow", "20270302", "2027-W09-2", "2027-3-2"],
             lambda value: assert_invalid(client.get(f"/api/v1/meetings/{value}/items",
                                                     headers=meeting["clerk"].headers),
                                          "meeting_date"))
