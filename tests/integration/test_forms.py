"""Forms and screening through the API (API.md, "Forms and screening"), on both databases:
the questions, choosing a form in draft, the screening guard on submit, and the gate, which
is the same for every form."""

from __future__ import annotations

from datetime import date

import pytest

from app.extensions import db
from app.operations import lookup
from tests.factories import complete_answers
from tests.integration.test_bad_input import fingerprint
from workflows import questionnaire, screening

FILE_ID = "2026-00001"
URL = f"/api/v1/items/{FILE_ID}/statement"
ALL_NO = dict.fromkeys(screening.QUESTION_KEYS, False)


def get(client, world, who="staff") -> dict:
    r = client.get(URL, headers=world[who].headers)
    assert r.status_code == 200, r.json
    return r.json


def put(client, world, body: dict, who="staff"):
    return client.put(URL, headers=world[who].headers, json=body)


def submit(client, world, who="staff"):
    return client.post(f"{URL}/events", headers=world[who].headers, json={"event": "submit"})


def assert_error(r, status: int, code: str) -> dict:
    assert (r.status_code, r.json["error"]) == (status, code), r.json
    assert r.json["message"].strip()
    return r.json


class TestQuestions:
    def test_screening_lists_questions_categories_and_forms(self, client, world):
        r = client.get("/api/v1/screening", headers=world["clerk"].headers)
        assert r.status_code == 200
        body = r.json
        assert [q["key"] for q in body["questions"]] == list(screening.QUESTION_KEYS)
        assert all(set(q) == {"key", "question", "help"} and q["question"].endswith("?")
                   for q in body["questions"])
        assert [c["key"] for c in body["exemption_categories"]] == [
            "ceremonial", "minutes_procedural", "appointments", "receipt_of_reports", "other"]
        assert all(c["label"] for c in body["exemption_categories"])
        assert [f["name"] for f in body["forms"]] == ["full", "short", "exemption"]
        assert body["version"] == questionnaire.CURRENT_VERSION

    def test_screening_needs_a_token(self, client):
        assert_error(client.get("/api/v1/screening"), 401, "unauthorized")

    @pytest.mark.parametrize("name", ["full", "short", "exemption"])
    def test_sections_of_each_form(self, client, world, name):
        r = client.get(f"/api/v1/sections?form={name}", headers=world["staff"].headers)
        assert r.status_code == 200
        sections = r.json["sections"]
        assert [s["key"] for s in sections] == [s.key for s in questionnaire.form(name).sections]
        assert sections[0]["key"] == "summary" and sections[0]["max_length"] == 800
        examples = {s["key"]: s["example"] for s in sections}
        assert questionnaire.validate_answers(examples, name) == {}
        assert questionnaire.missing(examples, name) == []

    def test_the_default_is_the_full_form_and_an_old_version_can_be_read(self, client, world):
        headers = world["staff"].headers
        full = client.get("/api/v1/sections", headers=headers).json
        assert full == client.get("/api/v1/sections?form=full", headers=headers).json
        old = client.get("/api/v1/sections?form=full&version=1", headers=headers).json["sections"]
        assert len(old) == 16 and next(s for s in old if s["key"] == "accountability")["kind"] == "text"

    @pytest.mark.parametrize("query", ["form=long", "form=", "form=FULL", "version=3", "version=x",
                                       "version=-1", "version=1&form=short", "version=%C2%B2"])
    def test_bad_queries_are_422(self, client, world, query):
        body = assert_error(client.get(f"/api/v1/sections?{query}", headers=world["staff"].headers),
                            422, "invalid")
        assert set(body["fields"]) <= {"form", "version"} and body["fields"]


class TestTheStatementJson:
    def test_a_new_statement_is_a_full_one_of_the_current_version(self, client, world):
        world.item(FILE_ID)
        s = get(client, world)
        assert (s["form"], s["screening"], s["questionnaire_version"]) == ("full", {}, 2)
        assert s["allowed_forms"] == ["full", "exemption"]
        assert [x["key"] for x in s["sections"]] == [x.key for x in questionnaire.form("full").sections]
        assert s["missing"] == questionnaire.missing({}, "full")

    def test_sections_and_missing_are_those_of_the_form(self, client, world):
        world.item(FILE_ID)
        r = put(client, world, {"answers": {"summary": "A proclamation."}, "version": 1, "form": "exemption"})
        assert r.status_code == 200, r.json
        assert [x["key"] for x in r.json["sections"]] == ["summary", "exemption_category", "exemption_reason"]
        assert r.json["missing"] == ["exemption_category", "exemption_reason"]


class TestChoosingTheForm:
    def test_the_short_form_with_its_screening(self, client, world):
        world.item(FILE_ID)
        r = put(client, world, {"answers": complete_answers("short"), "version": 1, "form": "short",
                                "screening": ALL_NO})
        assert r.status_code == 200, r.json
        assert (r.json["form"], r.json["screening"], r.json["version"]) == ("short", ALL_NO, 2)
        assert r.json["allowed_forms"] == ["full", "short", "exemption"] and r.json["missing"] == []
        assert submit(client, world).json["state"] == "department_review"

    def test_a_change_of_form_or_screening_makes_the_actor_the_last_editor(self, client, world):
        world.item(FILE_ID)
        put(client, world, {"answers": {}, "version": 1, "screening": {"services": False}}, who="approver")
        assert lookup.item(FILE_ID).statement.last_edited_by_id == world["approver"].user.id
        put(client, world, {"answers": {}, "version": 2, "form": "exemption"}, who="staff")
        statement = lookup.item(FILE_ID).statement
        assert (statement.last_edited_by_id, statement.version) == (world["staff"].user.id, 3)

    def test_a_save_that_changes_nothing_changes_nobodys_standing(self, client, world):
        world.item(FILE_ID)
        body = {"answers": {}, "version": 1, "form": "exemption", "screening": {"spending": False}}
        assert put(client, world, body, who="staff").json["version"] == 2
        again = put(client, world, {**body, "version": 2}, who="approver")
        assert again.status_code == 200 and again.json["version"] == 2
        assert lookup.item(FILE_ID).statement.last_edited_by_id == world["staff"].user.id
        # leaving out form and screening keeps them as they are
        same = put(client, world, {"answers": {}, "version": 2}, who="approver").json
        assert (same["version"], same["form"], same["screening"]) == (2, "exemption", {"spending": False})

    def test_switching_form_takes_the_current_version(self, client, world):
        world.item(FILE_ID)
        statement = lookup.item(FILE_ID).statement
        statement.questionnaire_version = 1  # as if written before version 2
        db.session.commit()
        assert get(client, world)["questionnaire_version"] == 1
        kept = put(client, world, {"answers": {"accountability": "Yearly report."}, "version": 2}).json
        assert (kept["questionnaire_version"], kept["answers"]) == (1, {"accountability": "Yearly report."})
        moved = put(client, world, {"answers": {}, "version": 3, "form": "short"}).json
        assert (moved["form"], moved["questionnaire_version"]) == ("short", 2)

    @pytest.mark.parametrize(("extra", "field"), [
        ({"form": "long"}, "form"), ({"form": "Full"}, "form"), ({"form": 1}, "form"),
        ({"screening": {"colour": True}}, "screening.colour"), ({"screening": {"services": "no"}},
                                                                "screening.services"),
        ({"screening": {"services": None}}, "screening.services"), ({"screening": ["services"]}, "screening"),
        ({"form": "exemption", "answers": {"proposal": "x"}}, "answers.proposal"),
        ({"form": "short", "answers": {"summary": "x" * 801}}, "answers.summary"),
    ])
    def test_bad_input_is_422_and_changes_nothing(self, client, world, extra, field):
        world.item(FILE_ID)
        before = fingerprint()
        body = assert_error(put(client, world, {"answers": {}, "version": 1, **extra}), 422, "invalid")
        assert field in body["fields"], body["fields"]
        assert fingerprint() == before

    @pytest.mark.parametrize("state", ["department_review", "ode_review", "ready_to_agendize"])
    def test_no_switch_outside_draft(self, client, world, state):
        world.item(FILE_ID, state=state)
        version = get(client, world)["version"]
        before = fingerprint()
        for extra in ({"form": "exemption"}, {"screening": ALL_NO}):
            r = put(client, world, {"answers": complete_answers(), "version": version, **extra})
            assert_error(r, 409, "not_editable")
        assert fingerprint() == before


class TestTheScreeningGuard:
    @pytest.mark.parametrize(("chosen", "blocks"), [
        ({}, list(screening.QUESTION_KEYS)),
        ({**ALL_NO, "spending": True}, ["spending"]),
        ({k: False for k in screening.QUESTION_KEYS[1:]}, ["services"]),
        ({**ALL_NO, "rules": True, "staffing": True}, ["rules", "staffing"]),
    ])
    def test_the_short_form_needs_every_answer_no(self, client, world, chosen, blocks):
        world.item(FILE_ID)
        put(client, world, {"answers": complete_answers("short"), "version": 1, "form": "short",
                            "screening": chosen})
        before = fingerprint()
        body = assert_error(submit(client, world), 422, "screening_requires_full")
        assert body["screening"] == blocks
        assert fingerprint() == before and get(client, world)["state"] == "draft"

    def test_an_exemption_is_stopped_by_a_yes_only(self, client, world):
        world.item(FILE_ID)
        put(client, world, {"answers": complete_answers("exemption"), "version": 1, "form": "exemption",
                            "screening": {"places_or_groups": True}})
        assert assert_error(submit(client, world), 422, "screening_requires_full")["screening"] == [
            "places_or_groups"]
        put(client, world, {"answers": complete_answers("exemption"), "version": 2, "screening": {}})
        assert submit(client, world).json["state"] == "department_review"

    def test_the_full_form_is_never_stopped_by_the_screening(self, client, world):
        world.item(FILE_ID)
        put(client, world, {"answers": complete_answers(), "version": 1, "screening": {
            **ALL_NO, "spending": True}})
        assert submit(client, world).json["state"] == "department_review"

    def test_the_screening_is_reported_before_missing_sections(self, client, world):
        world.item(FILE_ID)
        put(client, world, {"answers": {}, "version": 1, "form": "short"})
        assert_error(submit(client, world), 422, "screening_requires_full")


MEETING = date(2027, 3, 2)


class TestTheGateIsTheSameForEveryForm:
    @pytest.mark.parametrize("form", ["full", "short", "exemption"])
    def test_only_an_approved_statement_with_a_fiscal_statement_passes(self, client, world, form):
        for n, state in enumerate(("draft", "department_review", "ode_review", "ready_to_agendize"), 1):
            world.item(f"2026-0000{n}", state=state, form=form, meeting_date=MEETING)
        world.item("2026-00009", state="ready_to_agendize", form=form, meeting_date=MEETING, fiscal=None)
        clerk = world["clerk"].headers
        gate = {f: client.get(f"/api/v1/items/{f}/agendizable", headers=clerk).json
                for f in ("2026-00001", "2026-00002", "2026-00003", "2026-00004", "2026-00009")}
        assert [gate[f]["agendizable"] for f in sorted(gate)] == [False, False, False, True, False]
        assert [r["code"] for r in gate["2026-00001"]["reasons"]] == ["statement_not_approved"]
        assert [r["code"] for r in gate["2026-00009"]["reasons"]] == ["fiscal_statement_missing"]
        r = client.post("/api/v1/items/2026-00004/agendize", headers=clerk, json={})
        assert r.status_code == 200 and r.json["agendized_for"] == MEETING.isoformat()
        assert_error(client.post("/api/v1/items/2026-00003/agendize", headers=clerk, json={}), 409,
                     "not_agendizable")

    @pytest.mark.parametrize("form", ["short", "exemption"])
    def test_every_form_needs_both_approvals(self, client, world, form):
        world.item(FILE_ID, state="department_review", form=form)
        r = client.post(f"{URL}/events", headers=world["ode"].headers, json={"event": "approve"})
        assert_error(r, 409, "invalid_transition")
        r = client.post(f"{URL}/events", headers=world["staff"].headers, json={"event": "approve"})
        assert_error(r, 403, "forbidden")
