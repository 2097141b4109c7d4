"""Items through the JSON API, exactly as API.md says: create, get, patch, list,
file IDs (the deployment's pattern, percent-encoding), material changes that
reopen the statement, the agendized lock. Also the API's frame: authentication,
``/healthz`` and ``openapi.json``.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import ApiToken, User
from app.models.base import utcnow
from app.operations.items import FIELD_WORDS
from tests.integration.test_bad_input import assert_error, assert_invalid, each, fingerprint

ITEM_KEYS = {"file_id", "title", "department", "body", "meeting_date", "location",
             "recommendation", "contact", "presenter", "fiscal_statement", "agendized",
             "agendized_for", "statement_state", "created_at", "updated_at"}
MATERIAL = {"title": "A new title", "recommendation": "Adopt a different resolution.",
            "fiscal_statement": "Now costs $2M.", "location": "District 4", "body": "City Council"}
NON_MATERIAL = {"contact": "Dana Lee, 916-555-0100", "presenter": "Dana Lee",
                "meeting_date": "2027-04-06"}
FULL = {"file_id": "2026-00838", "title": "SCORE Work Plan", "department": "DOU",
        "body": "City Council", "meeting_date": "2027-03-02", "location": "Citywide",
        "recommendation": "Pass a motion.", "contact": "Sam Doe", "presenter": "Sam Doe",
        "fiscal_statement": "No new cost."}


def timestamp(value: str) -> datetime:
    """An ISO 8601 timestamp with a UTC offset (API.md), or the test fails."""
    parsed = datetime.fromisoformat(value)
    assert parsed.utcoffset() is not None, value
    return parsed


def assert_item(body: dict) -> dict:
    assert set(body) >= ITEM_KEYS, ITEM_KEYS - set(body)
    assert isinstance(body["agendized"], bool)
    for key in ("meeting_date", "agendized_for"):
        if body[key] is not None:
            date.fromisoformat(body[key])
            assert len(body[key]) == 10
    timestamp(body["created_at"])
    timestamp(body["updated_at"])
    return body


def history(client, world, file_id: str) -> list[dict]:
    r = client.get(f"/api/v1/items/{file_id}/statement/history", headers=world["clerk"].headers)
    assert r.status_code == 200, r.json
    return r.json["events"]


def statement(client, world, file_id: str) -> dict:
    r = client.get(f"/api/v1/items/{file_id}/statement", headers=world["clerk"].headers)
    assert r.status_code == 200, r.json
    return r.json


class TestCreate:
    def test_every_field_round_trips(self, client, world):
        r = client.post("/api/v1/items", headers=world["staff"].headers, json=FULL)
        assert r.status_code == 201, r.json
        body = assert_item(r.json)
        assert {k: body[k] for k in FULL} == FULL
        assert body["agendized"] is False and body["agendized_for"] is None
        assert body["statement_state"] == "draft"
        assert client.get("/api/v1/items/2026-00838", headers=world["clerk"].headers).json == body

    def test_only_the_required_fields(self, client, world):
        r = client.post("/api/v1/items", headers=world["staff"].headers,
                        json={"file_id": "2026-00001", "title": "T", "department": "DOU"})
        assert r.status_code == 201, r.json
        body = assert_item(r.json)
        assert all(body[k] is None for k in ("body", "meeting_date", "location", "recommendation",
                                              "contact", "presenter", "fiscal_statement"))

    def test_the_statement_is_born_in_draft_with_a_create_event(self, client, world):
        client.post("/api/v1/items", headers=world["staff"].headers, json=FULL)
        s = statement(client, world, "2026-00838")
        assert (s["state"], s["answers"], s["submitted_by"]) == ("draft", {}, None)
        events = history(client, world, "2026-00838")
        assert [(e["event"], e["from_state"], e["to_state"], e["actor"]) for e in events] == [
            ("create", None, "draft", world["staff"].email)]

    def test_every_location_of_api_md(self, client, world):
        def check(n):
            location = "Citywide" if n == 0 else f"District {n}"
            r = client.post("/api/v1/items", headers=world["staff"].headers,
                            json={"file_id": f"2026-0000{n}", "title": "T", "department": "DOU",
                                  "location": location})
            assert r.status_code == 201, r.json
            assert r.json["location"] == location

        each(range(9), check)

    @pytest.mark.parametrize(("who", "department"), [("staff", "DOU"), ("approver", "DOU"),
                                                     ("admin", "CDD"), ("other_staff", "CDD")])
    def test_who_may_create(self, client, world, who, department):
        r = client.post("/api/v1/items", headers=world[who].headers,
                        json={"file_id": "2026-00001", "title": "T", "department": department})
        assert r.status_code == 201, r.json
        assert r.json["department"] == department

    @pytest.mark.parametrize(("who", "department"), [("other_staff", "DOU"), ("other_approver", "DOU"),
                                                     ("staff", "CDD"), ("ode", "DOU"), ("clerk", "DOU")])
    def test_who_may_not(self, client, world, who, department):
        before = fingerprint()
        r = client.post("/api/v1/items", headers=world[who].headers,
                        json={"file_id": "2026-00001", "title": "T", "department": department})
        assert_error(r, 403, "forbidden")
        assert fingerprint() == before

    def test_a_duplicate_is_409_exists(self, client, world):
        client.post("/api/v1/items", headers=world["staff"].headers, json=FULL)
        before = fingerprint()
        r = client.post("/api/v1/items", headers=world["admin"].headers,
                        json={**FULL, "title": "Another", "department": "CDD"})
        assert_error(r, 409, "exists")
        assert fingerprint() == before

    def test_an_unknown_department_is_422(self, client, world):
        before = fingerprint()
        r = client.post("/api/v1/items", headers=world["admin"].headers,
                        json={"file_id": "2026-00001", "title": "T", "department": "XYZ"})
        assert_invalid(r, "department")
        assert fingerprint() == before

    def test_a_file_id_off_the_pattern_is_422(self, client, world):
        before = fingerprint()
        each(["2026-1", "26-00001", "2026-000001", "2026-0001", "2026 00001", "2026_00001",
              "202600001", " 2026-00001", "2026-00001 ", "2026-00001\n", "abcd-efghi",
              "\uff12\uff10\uff12\uff16-\uff10\uff10\uff10\uff10\uff11",  # full-width digits
              "\u0662\u0660\u0662\u0666-\u0660\u0660\u0660\u0660\u0661",  # Arabic-Indic digits
              "2026-00001/1", "2026-%30%30001", "x" * 65],
             lambda file_id: assert_invalid(client.post(
                 "/api/v1/items", headers=world["staff"].headers,
                 json={"file_id": file_id, "title": "T", "department": "DOU"}), "file_id"))
        assert fingerprint() == before


class TestFileIdPattern:
    def test_a_deployment_with_another_pattern(self, app, client, world):
        """REIS_FILE_ID_PATTERN through create_app: a city whose IDs look like 17-052."""
        other = create_app({"ENV": "testing", "DATABASE_URL": app.config["REIS_DATABASE_URL"],
                            "SECRET_KEY": "test-" + uuid.uuid4().hex,
                            "FILE_ID_PATTERN": r"^\d{2}-\d{3}$"})
        try:
            c = other.test_client()
            h = world["staff"].headers
            r = c.post("/api/v1/items", headers=h,
                       json={"file_id": "17-052", "title": "T", "department": "DOU"})
            assert r.status_code == 201, r.json
            assert c.get("/api/v1/items/17-052", headers=h).json["file_id"] == "17-052"
            for bad in ("2026-00001", "17-52", "117-052", "17-0520"):
                assert_invalid(c.post("/api/v1/items", headers=h, json={
                    "file_id": bad, "title": "T", "department": "DOU"}), "file_id")
            # and the default deployment still refuses the other city's form
            assert_invalid(client.post("/api/v1/items", headers=h, json={
                "file_id": "17-053", "title": "T", "department": "DOU"}), "file_id")
        finally:
            with other.app_context():
                db.session.remove()
                db.engine.dispose()

    @pytest.mark.parametrize(("pattern", "file_id", "encoded"), [
        (r"^Int \d{4}-\d{4}$", "Int 0891-2024", "Int%200891-2024"),
        (r"^[A-Z]{2}#\d+$", "CB#12", "CB%2312"),
        (r"^\d{4}-\d{5}$", "2026-00838", "2026%2D00838"),
        (r"^.+$", "Réso ü?&=+", "R%C3%A9so%20%C3%BC%3F%26%3D%2B"),
    ])
    def test_percent_encoded_file_ids_in_paths(self, app, client, world, monkeypatch, pattern,
                                               file_id, encoded):
        monkeypatch.setitem(app.config, "REIS_FILE_ID_PATTERN", pattern)
        staff, clerk = world["staff"].headers, world["clerk"].headers
        r = client.post("/api/v1/items", headers=staff,
                        json={"file_id": file_id, "title": "T", "department": "DOU",
                              "fiscal_statement": "Funded."})
        assert r.status_code == 201, r.json
        base = f"/api/v1/items/{encoded}"
        assert client.get(base, headers=clerk).json["file_id"] == file_id
        assert client.patch(base, headers=staff, json={"contact": "C"}).json["contact"] == "C"
        s = client.get(f"{base}/statement", headers=clerk).json
        assert s["file_id"] == file_id
        assert client.put(f"{base}/statement", headers=staff, json={
            "answers": {"proposal": "P"}, "version": s["version"]}).status_code == 200
        assert client.get(f"{base}/statement/history", headers=clerk).status_code == 200
        gate = client.get(f"{base}/agendizable", headers=clerk).json
        assert gate["file_id"] == file_id
        r = client.post(f"{base}/statement/events", headers=staff, json={"event": "submit"})
        assert_error(r, 422, "incomplete")
        assert client.post(f"{base}/unagendize", headers=clerk).json["file_id"] == file_id

    def test_at_most_64_characters_whatever_the_pattern(self, app, client, world, monkeypatch):
        monkeypatch.setitem(app.config, "REIS_FILE_ID_PATTERN", r"^x+$")
        h = world["staff"].headers
        ok = client.post("/api/v1/items", headers=h, json={"file_id": "x" * 64, "title": "T",
                                                            "department": "DOU"})
        assert ok.status_code == 201, ok.json
        assert_invalid(client.post("/api/v1/items", headers=h, json={
            "file_id": "x" * 65, "title": "T", "department": "DOU"}), "file_id")

    def test_the_pattern_must_match_the_whole_id(self, app, client, world, monkeypatch):
        monkeypatch.setitem(app.config, "REIS_FILE_ID_PATTERN", r"\d{2}-\d{3}")  # no anchors
        h = world["staff"].headers
        for bad in ("x17-052", "17-052x", "17-052\n"):
            assert_invalid(client.post("/api/v1/items", headers=h, json={
                "file_id": bad, "title": "T", "department": "DOU"}), "file_id")


class TestGet:
    def test_an_item(self, client, world):
        world.item("2026-00001", state="ode_review", location="District 2")
        body = assert_item(client.get("/api/v1/items/2026-00001", headers=world["other_staff"].headers).json)
        assert (body["statement_state"], body["location"], body["department"]) == (
            "ode_review", "District 2", "DOU")

    def test_unknown_is_404(self, client, world):
        assert_error(client.get("/api/v1/items/2026-00002", headers=world["clerk"].headers),
                     404, "not_found")


class TestPatch:
    @pytest.mark.parametrize("state", ["department_review", "ode_review", "ready_to_agendize"])
    @pytest.mark.parametrize("field", sorted(MATERIAL))
    def test_a_material_change_reopens_the_statement(self, client, world, state, field):
        world.item("2026-00001", state=state)
        before = statement(client, world, "2026-00001")
        events_before = history(client, world, "2026-00001")

        r = client.patch("/api/v1/items/2026-00001", headers=world["staff"].headers,
                         json={field: MATERIAL[field]})

        assert r.status_code == 200, r.json
        assert assert_item(r.json)[field] == MATERIAL[field]
        assert r.json["statement_state"] == "draft"
        after = statement(client, world, "2026-00001")
        assert after["state"] == "draft" and after["version"] > before["version"]
        assert after["approved_at"] is None
        assert after["answers"] == before["answers"]  # the work is kept, only its state moves
        events = history(client, world, "2026-00001")
        assert events[:-1] == events_before
        reopen = events[-1]
        assert (reopen["event"], reopen["from_state"], reopen["to_state"], reopen["actor"]) == (
            "reopen", state, "draft", "system")
        assert FIELD_WORDS[field] in reopen["comment"]  # in words: "fiscal statement"

    @pytest.mark.parametrize("state", ["draft", "department_review", "ready_to_agendize"])
    def test_a_non_material_change_leaves_the_statement_alone(self, client, world, state):
        world.item("2026-00001", state=state)
        before = statement(client, world, "2026-00001")
        events = history(client, world, "2026-00001")
        r = client.patch("/api/v1/items/2026-00001", headers=world["staff"].headers,
                         json=NON_MATERIAL)
        assert r.status_code == 200, r.json
        assert {k: r.json[k] for k in NON_MATERIAL} == NON_MATERIAL
        assert r.json["statement_state"] == state
        after = statement(client, world, "2026-00001")
        assert {**after, "due_date": None} == {**before, "due_date": None}
        # the cutoff follows the meeting (before the new one, later than the old one)
        assert before["due_date"] < after["due_date"] < NON_MATERIAL["meeting_date"]
        assert history(client, world, "2026-00001") == events

    def test_a_material_change_in_draft_does_not_reopen(self, client, world):
        world.item("2026-00001")
        version = statement(client, world, "2026-00001")["version"]
        r = client.patch("/api/v1/items/2026-00001", headers=world["staff"].headers, json=MATERIAL)
        assert r.status_code == 200, r.json
        assert {k: r.json[k] for k in MATERIAL} == MATERIAL
        assert [e["event"] for e in history(client, world, "2026-00001")] == ["create"]
        assert statement(client, world, "2026-00001")["version"] == version

    def test_the_same_value_again_is_no_change(self, client, world):
        world.item("2026-00001", state="ready_to_agendize", location="District 1")
        events = history(client, world, "2026-00001")
        r = client.patch("/api/v1/items/2026-00001", headers=world["staff"].headers,
                         json={"title": "Item 2026-00001", "location": "District 1",
                               "fiscal_statement": "Funded."})
        assert r.status_code == 200, r.json
        assert r.json["statement_state"] == "ready_to_agendize"
        assert history(client, world, "2026-00001") == events

    def test_clearing_the_fiscal_statement_is_a_material_change(self, client, world):
        world.item("2026-00001", state="ready_to_agendize")
        r = client.patch("/api/v1/items/2026-00001", headers=world["staff"].headers,
                         json={"fiscal_statement": None})
        assert r.status_code == 200, r.json
        assert (r.json["fiscal_statement"], r.json["statement_state"]) == (None, "draft")

    def test_an_empty_patch_changes_nothing(self, client, world):
        world.item("2026-00001", state="ode_review")
        before = fingerprint()
        r = client.patch("/api/v1/items/2026-00001", headers=world["staff"].headers, json={})
        assert r.status_code == 200, r.json
        assert fingerprint() == before

    def test_updated_at_moves_and_created_at_does_not(self, client, world):
        world.item("2026-00001")
        first = client.get("/api/v1/items/2026-00001", headers=world["clerk"].headers).json
        second = client.patch("/api/v1/items/2026-00001", headers=world["staff"].headers,
                              json={"contact": "New"}).json
        assert second["created_at"] == first["created_at"]
        assert timestamp(second["updated_at"]) > timestamp(first["updated_at"])

    @pytest.mark.parametrize("who", ["staff", "staff2", "approver", "admin"])
    def test_who_may_change(self, client, world, who):
        world.item("2026-00001")
        r = client.patch("/api/v1/items/2026-00001", headers=world[who].headers, json={"title": who})
        assert r.status_code == 200, r.json

    @pytest.mark.parametrize("who", ["other_staff", "other_approver", "ode", "clerk"])
    def test_who_may_not(self, client, world, who):
        world.item("2026-00001", state="department_review")
        before = fingerprint()
        r = client.patch("/api/v1/items/2026-00001", headers=world[who].headers, json={"title": "x"})
        assert_error(r, 403, "forbidden")
        assert fingerprint() == before

    def test_unknown_is_404(self, client, world):
        r = client.patch("/api/v1/items/2026-00009", headers=world["admin"].headers,
                         json={"title": "x"})
        assert_error(r, 404, "not_found")


class TestAgendizedLock:
    @pytest.fixture
    def agendized(self, client, world):
        world.item("2026-00001", state="ready_to_agendize")
        r = client.post("/api/v1/items/2026-00001/agendize", headers=world["clerk"].headers)
        assert r.status_code == 200 and r.json["agendized"], r.json
        return world

    @pytest.mark.parametrize("field", sorted(MATERIAL))
    def test_a_material_field_cannot_change(self, client, agendized, field):
        before = fingerprint()
        r = client.patch("/api/v1/items/2026-00001", headers=agendized["staff"].headers,
                         json={field: MATERIAL[field]})
        body = assert_error(r, 409, "agendized")
        assert FIELD_WORDS[field] in body["message"]
        assert fingerprint() == before

    def test_not_even_with_a_non_material_field_alongside(self, client, agendized):
        before = fingerprint()
        r = client.patch("/api/v1/items/2026-00001", headers=agendized["admin"].headers,
                         json={"contact": "New", "title": "New"})
        assert_error(r, 409, "agendized")
        assert fingerprint() == before

    def test_non_material_fields_can(self, client, agendized):
        r = client.patch("/api/v1/items/2026-00001", headers=agendized["staff"].headers,
                         json=NON_MATERIAL)
        assert r.status_code == 200, r.json
        assert r.json["agendized"] is True
        assert r.json["statement_state"] == "ready_to_agendize"

    def test_after_unagendize_the_change_goes_through_and_reopens(self, client, agendized):
        r = client.post("/api/v1/items/2026-00001/unagendize", headers=agendized["clerk"].headers)
        assert r.status_code == 200 and r.json["agendized"] is False, r.json
        r = client.patch("/api/v1/items/2026-00001", headers=agendized["staff"].headers,
                         json={"title": "Retitled"})
        assert r.status_code == 200, r.json
        assert (r.json["title"], r.json["statement_state"]) == ("Retitled", "draft")
        assert [e["event"] for e in history(client, agendized, "2026-00001")][-3:] == [
            "agendize", "unagendize", "reopen"]


class TestList:
    @pytest.fixture
    def items(self, client, world):
        world.item("2026-00001", meeting_date=date(2027, 3, 2))
        world.item("2026-00002", state="ready_to_agendize", meeting_date=date(2027, 4, 6))
        world.item("2026-00003", state="department_review", department="CDD",
                   meeting_date=date(2027, 3, 2))
        r = client.post("/api/v1/items", headers=world["staff"].headers,
                        json={"file_id": "2026-00004", "title": "Unscheduled", "department": "DOU"})
        assert r.status_code == 201
        return world

    FILTERS = [
        ({}, {"2026-00001", "2026-00002", "2026-00003", "2026-00004"}),
        ({"meeting_date": "2027-03-02"}, {"2026-00001", "2026-00003"}),
        ({"meeting_date": "2027-04-06"}, {"2026-00002"}),
        ({"meeting_date": "2030-01-01"}, set()),
        ({"department": "DOU"}, {"2026-00001", "2026-00002", "2026-00004"}),
        ({"department": "CDD"}, {"2026-00003"}),
        ({"state": "draft"}, {"2026-00001", "2026-00004"}),
        ({"state": "department_review"}, {"2026-00003"}),
        ({"state": "ode_review"}, set()),
        ({"state": "ready_to_agendize"}, {"2026-00002"}),
        ({"meeting_date": "2027-03-02", "department": "DOU"}, {"2026-00001"}),
        ({"meeting_date": "2027-03-02", "state": "department_review"}, {"2026-00003"}),
        ({"department": "DOU", "state": "draft", "meeting_date": "2027-03-02"}, {"2026-00001"}),
        ({"department": "CDD", "state": "draft"}, set()),
    ]

    def test_filters(self, client, items):
        def check(case):
            query, expected = case
            r = client.get("/api/v1/items", headers=items["clerk"].headers, query_string=query)
            assert r.status_code == 200, r.json
            assert set(r.json) == {"items"}
            assert {i["file_id"] for i in r.json["items"]} == expected
            assert len(r.json["items"]) == len(expected)
            for item in r.json["items"]:
                assert_item(item)
                for name, value in query.items():
                    assert item["statement_state" if name == "state" else name] == value

        each(self.FILTERS, check)

    def test_every_role_may_list(self, client, items):
        for who in ("staff", "other_staff", "approver", "ode", "clerk", "admin"):
            assert len(client.get("/api/v1/items", headers=items[who].headers).json["items"]) == 4

    def test_bad_filter_values_are_422(self, client, items):
        each([("meeting_date", "2026-02-30"), ("meeting_date", "tomorrow"),
              ("meeting_date", "20260101"), ("meeting_date", ""), ("meeting_date", "2026-W01-1"),
              ("state", "approved"), ("state", "DRAFT"), ("state", ""), ("department", "XYZ"),
              ("department", ""), ("department", "dou")],
             lambda case: assert_invalid(client.get("/api/v1/items", headers=items["clerk"].headers,
                                                    query_string={case[0]: case[1]}), case[0]))


class TestAuthentication:
    ENDPOINTS = [("GET", "/api/v1/items"), ("POST", "/api/v1/items"), ("GET", "/api/v1/sections"),
                 ("GET", "/api/v1/items/2026-00001"), ("GET", "/api/v1/items/2026-00001/agendizable"),
                 ("GET", "/api/v1/meetings/2027-03-02/items"),
                 ("POST", "/api/v1/items/2026-00001/statement/events")]

    def check_401(self, client, headers):
        for method, path in self.ENDPOINTS:
            r = client.open(path, method=method, headers=headers,
                            json={"file_id": "2026-00002", "title": "T", "department": "DOU"})
            assert_error(r, 401, "unauthorized")
            assert r.headers.get("WWW-Authenticate", "").startswith("Bearer")

    def test_a_missing_or_unknown_token_is_401(self, client, world):
        world.item("2026-00001")
        before = fingerprint()
        each([None, "", "Bearer", "Bearer ", "Bearer nope", "Basic dXNlcjpwYXNz", "Token abc",
              "bearer", f"Bearer {world['staff'].token}x", f"Bearer {world['staff'].token[:-1]}"],
             lambda header: self.check_401(client, {} if header is None else {"Authorization": header}))
        assert fingerprint() == before

    def test_another_scheme_with_a_valid_token_is_401(self, client, world):
        world.item("2026-00001")
        self.check_401(client, {"Authorization": f"Token {world['staff'].token}"})

    def test_the_scheme_is_case_insensitive(self, client, world):
        r = client.get("/api/v1/items", headers={"Authorization": f"bearer {world['staff'].token}"})
        assert r.status_code == 200, r.json

    def test_a_deactivated_user_is_401(self, client, world):
        world.item("2026-00001")
        assert client.get("/api/v1/items", headers=world["clerk"].headers).status_code == 200
        user = db.session.get(User, world["clerk"].user.id)
        user.active = False
        db.session.commit()
        self.check_401(client, world["clerk"].headers)
        assert client.get("/api/v1/items", headers=world["staff"].headers).status_code == 200

    def test_a_revoked_token_is_401(self, client, world):
        world.item("2026-00001")
        token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == world["clerk"].user.id))
        token.revoked_at = utcnow()
        db.session.commit()
        self.check_401(client, world["clerk"].headers)


class TestHealthz:
    def test_ok_without_a_token(self, client):
        r = client.get("/healthz")
        assert r.status_code == 200
        assert r.is_json and r.json["status"] == "ok"

    def test_503_when_the_database_does_not_answer(self):
        down = create_app({"ENV": "testing", "SECRET_KEY": "test-" + uuid.uuid4().hex,
                           "DATABASE_URL": "postgresql://root@127.0.0.1:1/nothing"})
        try:
            r = down.test_client().get("/healthz")
            assert r.status_code == 503
            assert r.is_json and r.json["status"] != "ok"
        finally:
            with down.app_context():
                db.session.remove()
                db.engine.dispose()


# Every path and method of API.md, as an OpenAPI path template.
API_MD_PATHS = {
    "/api/v1/items": {"get", "post"},
    "/api/v1/items/{file_id}": {"get", "patch"},
    "/api/v1/items/{file_id}/statement": {"get", "put"},
    "/api/v1/items/{file_id}/statement/events": {"post"},
    "/api/v1/items/{file_id}/statement/history": {"get"},
    "/api/v1/items/{file_id}/agendizable": {"get"},
    "/api/v1/items/{file_id}/agendize": {"post"},
    "/api/v1/items/{file_id}/unagendize": {"post"},
    "/api/v1/meetings/{meeting_date}/items": {"get"},
    "/api/v1/sections": {"get"},
    "/api/v1/openapi.json": {"get"},
    "/healthz": {"get"},
}


class TestOpenApi:
    @pytest.fixture
    def document(self, client):
        r = client.get("/api/v1/openapi.json")  # no token needed
        assert r.status_code == 200
        return r.json

    def test_is_a_valid_openapi_3_document(self, document):
        from openapi_spec_validator import validate

        assert document["openapi"].startswith("3.")
        validate(document)

    def test_lists_every_path_and_method_of_api_md(self, document):
        for path, methods in API_MD_PATHS.items():
            assert path in document["paths"], path
            assert methods <= set(document["paths"][path]), (path, set(document["paths"][path]))

    @pytest.mark.parametrize(("path", "method", "statuses"), [
        ("/api/v1/items", "post", {"201", "400", "401", "403", "409", "413", "422"}),
        ("/api/v1/items", "get", {"200", "401", "422"}),
        ("/api/v1/items/{file_id}", "patch", {"200", "400", "401", "403", "404", "409", "413", "422"}),
        ("/api/v1/items/{file_id}/statement", "put", {"200", "401", "403", "404", "409", "422"}),
        ("/api/v1/items/{file_id}/statement/events", "post", {"200", "401", "403", "404", "409", "422"}),
        ("/api/v1/items/{file_id}/agendize", "post", {"200", "401", "403", "404", "409"}),
        ("/healthz", "get", {"200", "503"}),
    ])
    def test_documents_the_statuses(self, document, path, method, statuses):
        assert statuses <= set(document["paths"][path][method]["responses"])

    def test_describes_the_shapes(self, document):
        schemas = document["components"]["schemas"]

        def props(name):
            return set(schemas[name]["properties"])

        assert props("ItemOut") >= ITEM_KEYS
        assert {"file_id", "state", "version", "answers", "missing", "sections", "submitted_by",
                "submitted_at", "approved_at", "due_date"} <= props("StatementOut")
        assert {"seq", "event", "from_state", "to_state", "actor", "comment", "at"} <= props(
            "HistoryEventOut")
        assert {"file_id", "agendizable", "reasons"} <= props("GateOut")
        assert {"meeting_date", "items"} <= props("MeetingOut")
        assert {"error", "message"} <= props("ErrorOut")
        event = schemas["StatementEvent"]["properties"]["event"]
        assert {"submit", "approve", "return"} <= set(event["enum"])
