"""The statement through the JSON API: read, save answers (versions, draft only,
validation, text kept exactly), fire events (guards, separation of duties,
versions), the history, and the sections it asks.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.operations import statements
from tests.factories import complete_answers
from tests.integration.test_bad_input import assert_error, assert_invalid, each, fingerprint
from workflows import questionnaire

FILE_ID = "2026-00001"
URL = f"/api/v1/items/{FILE_ID}/statement"
STATEMENT_KEYS = {"file_id", "state", "version", "answers", "missing", "sections", "submitted_by",
                  "submitted_at", "approved_at", "due_date"}
HISTORY_KEYS = {"seq", "event", "from_state", "to_state", "actor", "comment", "at"}
REQUIRED = [s.key for s in questionnaire.SECTIONS if s.required]
TEXT_KEY = next(s.key for s in questionnaire.SECTIONS if s.kind == "text" and s.limit == 20_000)
CHOICES = next(s for s in questionnaire.SECTIONS if s.kind == "choices")


def get(client, world, who="clerk") -> dict:
    r = client.get(URL, headers=world[who].headers)
    assert r.status_code == 200, r.json
    return r.json


def put(client, world, answers, version, who="staff"):
    return client.put(URL, headers=world[who].headers, json={"answers": answers, "version": version})


def fire(client, world, who, event, **extra):
    return client.post(f"{URL}/events", headers=world[who].headers, json={"event": event, **extra})


def events(client, world) -> list[dict]:
    r = client.get(f"{URL}/history", headers=world["clerk"].headers)
    assert r.status_code == 200, r.json
    assert set(r.json) == {"events"}
    return r.json["events"]


def aware(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    assert parsed.utcoffset() is not None, value
    return parsed


class TestRead:
    def test_a_new_statement(self, client, world):
        world.item(FILE_ID)
        s = get(client, world)
        assert set(s) >= STATEMENT_KEYS
        assert (s["file_id"], s["state"], s["answers"]) == (FILE_ID, "draft", {})
        assert isinstance(s["version"], int) and not isinstance(s["version"], bool)
        assert s["missing"] == REQUIRED
        assert (s["submitted_by"], s["submitted_at"], s["approved_at"]) == (None, None, None)
        assert [x["key"] for x in s["sections"]] == [x.key for x in questionnaire.SECTIONS]
        for section in s["sections"]:
            assert {"key", "title", "prompt", "required", "kind"} <= set(section)
            assert isinstance(section["required"], bool)

    def test_the_due_date_is_the_cutoff_before_the_meeting(self, client, world):
        world.item(FILE_ID, meeting_date=date(2027, 3, 2))
        due = date.fromisoformat(get(client, world)["due_date"])
        assert due < date(2027, 3, 2)
        assert due.weekday() < 5

    def test_no_meeting_no_due_date(self, client, world):
        r = client.post("/api/v1/items", headers=world["staff"].headers,
                        json={"file_id": FILE_ID, "title": "T", "department": "DOU"})
        assert r.status_code == 201
        assert get(client, world)["due_date"] is None

    @pytest.mark.parametrize("who", ["staff", "approver", "ode", "clerk", "admin"])
    def test_a_never_submitted_draft_is_read_by_its_department_ode_clerks_admins(self, client, world, who):
        world.item(FILE_ID)
        assert get(client, world, who)["file_id"] == FILE_ID
        r = client.get(f"{URL}/history", headers=world[who].headers)
        assert r.status_code == 200, r.json

    @pytest.mark.parametrize("who", ["other_staff", "other_approver"])
    def test_a_never_submitted_draft_is_not_read_by_other_departments(self, client, world, who):
        world.item(FILE_ID)
        assert_error(client.get(URL, headers=world[who].headers), 403, "forbidden")
        assert_error(client.get(f"{URL}/history", headers=world[who].headers), 403, "forbidden")

    @pytest.mark.parametrize("who", ["staff", "other_staff", "other_approver", "ode", "clerk", "admin"])
    def test_everyone_may_read_a_statement_submitted_once(self, client, world, who):
        """Even when it is back in draft: it has been in front of reviewers."""
        world.item(FILE_ID, state="department_review")
        assert fire(client, world, "approver", "return", comment="More data, please.").status_code == 200
        assert get(client, world, who)["state"] == "draft"
        assert client.get(f"{URL}/history", headers=world[who].headers).status_code == 200

    def test_unknown_item_is_404(self, client, world):
        assert_error(client.get(URL, headers=world["clerk"].headers), 404, "not_found")


class TestSave:
    def test_answers_are_saved_and_the_version_grows(self, client, world):
        world.item(FILE_ID)
        v = get(client, world)["version"]
        r = put(client, world, {"proposal": "Build it."}, v)
        assert r.status_code == 200, r.json
        assert set(r.json) >= STATEMENT_KEYS
        assert r.json["answers"] == {"proposal": "Build it."}
        assert r.json["version"] > v
        assert "proposal" not in r.json["missing"]
        assert get(client, world) == r.json

    def test_put_replaces_the_whole_answers_object(self, client, world):
        world.item(FILE_ID)
        v = put(client, world, {"proposal": "A", "sustainability": "B"}, 1).json["version"]
        r = put(client, world, {"proposal": "A2"}, v)
        assert r.json["answers"] == {"proposal": "A2"}
        assert "sustainability" in r.json["missing"]
        r = put(client, world, {}, r.json["version"])
        assert (r.json["answers"], r.json["missing"]) == ({}, REQUIRED)

    def test_complete_answers_leave_nothing_missing(self, client, world):
        world.item(FILE_ID)
        r = put(client, world, complete_answers(), 1)
        assert r.status_code == 200, r.json
        assert r.json["missing"] == []

    @pytest.mark.parametrize("value", [
        "<script>alert('x')</script>", "  padded  ", "line\r\nbreak\n", "ünïcödé — 😀 \U0001d518",
        "&amp; &lt;b&gt;", "\\u0041 \\n", '"quoted" \\', "\t", "\u200b\u202e",
        "x" * questionnaire.MAX_ANSWER_LENGTH, "😀" * questionnaire.MAX_ANSWER_LENGTH,
    ], ids=lambda v: repr(v[:20]))
    def test_text_is_stored_exactly_as_sent(self, client, world, value):
        world.item(FILE_ID)
        r = put(client, world, {TEXT_KEY: value}, 1)
        assert r.status_code == 200, r.json
        assert r.json["answers"][TEXT_KEY] == value
        assert get(client, world, "ode")["answers"][TEXT_KEY] == value

    def test_one_character_over_the_limit_is_422(self, client, world):
        world.item(FILE_ID)
        before = fingerprint()
        for value in ("x" * (questionnaire.MAX_ANSWER_LENGTH + 1),
                      "😀" * (questionnaire.MAX_ANSWER_LENGTH + 1)):
            fields = assert_invalid(put(client, world, {TEXT_KEY: value}, 1))["fields"]
            assert list(fields) == [f"answers.{TEXT_KEY}"]
        assert fingerprint() == before

    def test_invalid_answers_are_422_naming_each_section(self, client, world):
        world.item(FILE_ID)
        before = fingerprint()
        text_sections = [s.key for s in questionnaire.SECTIONS if s.kind == "text"]
        cases = [
            ({"no_such_section": "x"}, ["no_such_section"]),
            ({"": "x"}, [""]),
            ({"Proposal": "x"}, ["Proposal"]),
            ({TEXT_KEY: 5}, [TEXT_KEY]),
            ({TEXT_KEY: ["a"]}, [TEXT_KEY]),
            ({TEXT_KEY: {"a": 1}}, [TEXT_KEY]),
            ({TEXT_KEY: True}, [TEXT_KEY]),
            ({CHOICES.key: CHOICES.choices[0].value}, [CHOICES.key]),
            ({CHOICES.key: ["not_a_choice"]}, [CHOICES.key]),
            ({CHOICES.key: [CHOICES.choices[0].value] * 2}, [CHOICES.key]),
            ({CHOICES.key: [1]}, [CHOICES.key]),
            ({text_sections[0]: 1, text_sections[1]: 2, "bogus": "x"},
             [text_sections[0], text_sections[1], "bogus"]),
        ]

        def check(case):
            answers, bad = case
            fields = assert_invalid(put(client, world, answers, 1))["fields"]
            assert set(fields) == {f"answers.{k}" for k in bad}

        each(cases, check)
        assert fingerprint() == before

    def test_a_stale_version_is_409_conflict(self, client, world):
        world.item(FILE_ID)
        v = put(client, world, {"proposal": "First"}, 1).json["version"]
        before = fingerprint()
        for stale in (v - 1, v + 1, 0, -1, 10**12):
            body = assert_error(put(client, world, {"proposal": "Second"}, stale, who="staff2"),
                                409, "conflict")
            assert "message" in body
        assert fingerprint() == before
        assert get(client, world)["answers"] == {"proposal": "First"}

    def test_two_editors_from_the_same_version_one_wins(self, client, world):
        world.item(FILE_ID)
        v = get(client, world)["version"]
        assert put(client, world, {"proposal": "Mine"}, v, who="staff").status_code == 200
        assert_error(put(client, world, {"proposal": "Theirs"}, v, who="staff2"), 409, "conflict")
        assert get(client, world)["answers"] == {"proposal": "Mine"}

    @pytest.mark.parametrize("state", ["department_review", "ode_review", "ready_to_agendize"])
    def test_outside_draft_is_409_not_editable(self, client, world, state):
        world.item(FILE_ID, state=state)
        s = get(client, world)
        before = fingerprint()
        for who in ("staff", "approver", "admin"):
            assert_error(put(client, world, {"proposal": "Late edit"}, s["version"], who=who),
                         409, "not_editable")
        assert fingerprint() == before

    @pytest.mark.parametrize("who", ["staff2", "approver", "admin"])
    def test_who_may_edit(self, client, world, who):
        world.item(FILE_ID)
        assert put(client, world, {"proposal": who}, 1, who=who).status_code == 200

    @pytest.mark.parametrize("who", ["other_staff", "other_approver", "ode", "clerk"])
    def test_who_may_not(self, client, world, who):
        world.item(FILE_ID)
        before = fingerprint()
        assert_error(put(client, world, {"proposal": "x"}, 1, who=who), 403, "forbidden")
        assert fingerprint() == before

    def test_unknown_item_is_404(self, client, world):
        assert_error(put(client, world, {}, 1, who="admin"), 404, "not_found")


class TestEvents:
    def test_submit_with_missing_sections_is_422_incomplete(self, client, world):
        world.item(FILE_ID)
        v = put(client, world, {"proposal": "Only this."}, 1).json["version"]
        before = fingerprint()
        body = assert_error(fire(client, world, "staff", "submit"), 422, "incomplete")
        assert body["missing"] == [k for k in REQUIRED if k != "proposal"]
        assert body["missing"] == get(client, world)["missing"]
        assert fingerprint() == before
        assert get(client, world)["version"] == v

    def test_blank_answers_are_missing(self, client, world):
        world.item(FILE_ID)
        answers = {**complete_answers(), "proposal": "   \n", "score_goals": [], "score_goals_how": {}}
        assert put(client, world, answers, 1).status_code == 200
        body = assert_error(fire(client, world, "staff", "submit"), 422, "incomplete")
        assert body["missing"] == ["proposal", "score_goals", "score_goals_how"]

    def test_submit_records_who_and_when(self, client, world):
        world.item(FILE_ID)
        v = put(client, world, complete_answers(), 1).json["version"]
        r = fire(client, world, "staff2", "submit", version=v)
        assert r.status_code == 200, r.json
        assert set(r.json) >= STATEMENT_KEYS
        assert (r.json["state"], r.json["submitted_by"]) == ("department_review", world["staff2"].email)
        aware(r.json["submitted_at"])
        assert r.json["version"] > v
        assert r.json["approved_at"] is None

    def test_the_full_approval_sets_approved_at(self, client, world):
        world.item(FILE_ID, state="ode_review")
        r = fire(client, world, "ode", "approve", comment="Thorough.")
        assert r.json["state"] == "ready_to_agendize"
        aware(r.json["approved_at"])
        assert events(client, world)[-1]["comment"] == "Thorough."

    @pytest.mark.parametrize(("state", "who"), [("department_review", "approver"),
                                                ("ode_review", "ode")])
    def test_return_needs_a_comment(self, client, world, state, who):
        world.item(FILE_ID, state=state)
        before = fingerprint()
        for body in ({}, {"comment": None}, {"comment": ""}, {"comment": "  \n\t"}):
            assert_error(fire(client, world, who, "return", **body), 422, "comment_required")
        assert fingerprint() == before
        r = fire(client, world, who, "return", comment="Please quantify the disparities.")
        assert r.status_code == 200, r.json
        assert r.json["state"] == "draft"
        assert events(client, world)[-1]["comment"] == "Please quantify the disparities."

    def test_a_returned_statement_can_be_edited_and_resubmitted(self, client, world):
        world.item(FILE_ID, state="ode_review")
        fire(client, world, "ode", "return", comment="More data.")
        s = get(client, world)
        r = put(client, world, {**s["answers"], "disparities_data": "New data."}, s["version"])
        assert r.status_code == 200, r.json
        r = fire(client, world, "staff", "submit", version=r.json["version"])
        assert r.json["state"] == "department_review"
        assert [e["event"] for e in events(client, world)] == [
            "create", "submit", "approve", "return", "submit"]

    def test_a_stale_version_is_409_conflict_and_changes_nothing(self, client, world):
        world.item(FILE_ID, state="department_review")
        v = get(client, world)["version"]
        before = fingerprint()
        assert_error(fire(client, world, "approver", "approve", version=v - 1), 409, "conflict")
        assert fingerprint() == before
        assert fire(client, world, "approver", "approve", version=v).status_code == 200

    def test_the_version_is_optional(self, client, world):
        world.item(FILE_ID, state="department_review")
        assert fire(client, world, "approver", "approve", version=None).status_code == 200

    def test_a_refused_transition_names_the_state(self, client, world):
        world.item(FILE_ID, state="ode_review")
        body = assert_error(fire(client, world, "approver", "approve"), 409, "invalid_transition")
        assert body["state"] == "ode_review"

    def test_nobody_fires_reopen(self, client, world):
        world.item(FILE_ID, state="ready_to_agendize")
        before = fingerprint()
        for who in ("staff", "approver", "ode", "clerk", "admin"):
            assert_error(fire(client, world, who, "reopen", comment="Please."), 403, "forbidden")
        assert fingerprint() == before

    def test_a_second_approval_from_the_same_version_is_refused(self, client, world):
        world.item(FILE_ID, state="department_review")
        v = get(client, world)["version"]
        assert fire(client, world, "approver", "approve", version=v).status_code == 200
        r = fire(client, world, "approver2", "approve", version=v)
        assert r.status_code == 409 and r.json["error"] in ("conflict", "invalid_transition")
        assert len([e for e in events(client, world) if e["event"] == "approve"]) == 1

    def test_unknown_item_is_404(self, client, world):
        assert_error(fire(client, world, "admin", "submit"), 404, "not_found")


class TestSeparationOfDuties:
    """Nobody may approve a statement they submitted or last edited (403 forbidden)."""

    def test_an_approver_who_submitted_may_not_approve(self, client, world):
        world.item(FILE_ID)
        put(client, world, complete_answers(), 1, who="staff")
        assert fire(client, world, "approver", "submit").status_code == 200
        before = fingerprint()
        body = assert_error(fire(client, world, "approver", "approve"), 403, "forbidden")
        assert body["message"]
        assert fingerprint() == before
        assert fire(client, world, "approver2", "approve").json["state"] == "ode_review"

    def test_an_approver_who_last_edited_may_not_approve(self, client, world):
        world.item(FILE_ID)
        put(client, world, complete_answers(), 1, who="approver")
        assert fire(client, world, "staff", "submit").status_code == 200
        assert_error(fire(client, world, "approver", "approve"), 403, "forbidden")
        assert fire(client, world, "approver2", "approve").status_code == 200

    def test_an_earlier_edit_does_not_count_once_someone_else_edits(self, client, world):
        world.item(FILE_ID)
        v = put(client, world, complete_answers(), 1, who="approver").json["version"]
        put(client, world, {**complete_answers(), "proposal": "Revised."}, v, who="staff")
        assert fire(client, world, "staff", "submit").status_code == 200
        assert fire(client, world, "approver", "approve").status_code == 200

    def test_an_admin_who_submitted_may_not_approve_at_either_step(self, client, world):
        world.item(FILE_ID)
        put(client, world, complete_answers(), 1, who="staff")
        assert fire(client, world, "admin", "submit").status_code == 200
        assert_error(fire(client, world, "admin", "approve"), 403, "forbidden")
        assert fire(client, world, "approver", "approve").json["state"] == "ode_review"
        assert_error(fire(client, world, "admin", "approve"), 403, "forbidden")
        assert fire(client, world, "ode", "approve").json["state"] == "ready_to_agendize"

    def test_a_resubmission_by_someone_else_frees_the_first_submitter(self, client, world):
        world.item(FILE_ID)
        put(client, world, complete_answers(), 1, who="staff")
        fire(client, world, "approver", "submit")
        fire(client, world, "approver2", "return", comment="Redo.")
        s = get(client, world)
        put(client, world, {**s["answers"], "proposal": "Redone."}, s["version"], who="staff")
        fire(client, world, "staff", "submit")
        assert fire(client, world, "approver", "approve").status_code == 200


class TestHistory:
    def test_oldest_first_with_every_field(self, client, world):
        world.item(FILE_ID, state="ready_to_agendize")
        client.patch(f"/api/v1/items/{FILE_ID}", headers=world["staff"].headers,
                     json={"title": "Changed"})
        got = events(client, world)
        assert [(e["event"], e["from_state"], e["to_state"], e["actor"]) for e in got] == [
            ("create", None, "draft", world["staff"].email),
            ("submit", "draft", "department_review", world["staff"].email),
            ("approve", "department_review", "ode_review", world["approver"].email),
            ("approve", "ode_review", "ready_to_agendize", world["ode"].email),
            ("reopen", "ready_to_agendize", "draft", "system"),
        ]
        assert [e["seq"] for e in got] == list(range(1, len(got) + 1))
        for e in got:
            assert set(e) >= HISTORY_KEYS
        times = [aware(e["at"]) for e in got]
        assert times == sorted(times)
        assert got[0]["comment"] is None and got[-1]["comment"]

    def test_history_only_grows(self, client, world):
        world.item(FILE_ID, state="department_review")
        first = events(client, world)
        fire(client, world, "approver", "return", comment="No.")
        second = events(client, world)
        assert second[:len(first)] == first and len(second) == len(first) + 1
        statements.save_answers(world["staff"].user, FILE_ID, complete_answers(),
                                version=get(client, world)["version"])
        assert events(client, world) == second  # saving answers is not an event

    def test_everyone_may_read_it_once_submitted(self, client, world):
        world.item(FILE_ID, state="department_review")
        for who in ("staff", "other_staff", "ode", "clerk", "admin"):
            r = client.get(f"{URL}/history", headers=world[who].headers)
            assert r.status_code == 200 and len(r.json["events"]) == 2

    def test_a_never_submitted_draft_has_its_departments_history(self, client, world):
        world.item(FILE_ID)
        for who in ("staff", "approver", "ode", "clerk", "admin"):
            r = client.get(f"{URL}/history", headers=world[who].headers)
            assert r.status_code == 200 and len(r.json["events"]) == 1
        assert_error(client.get(f"{URL}/history", headers=world["other_staff"].headers), 403, "forbidden")

    def test_unknown_item_is_404(self, client, world):
        assert_error(client.get(f"{URL}/history", headers=world["clerk"].headers), 404, "not_found")


class TestSections:
    def test_lists_the_questions(self, client, world):
        r = client.get("/api/v1/sections", headers=world["staff"].headers)
        assert r.status_code == 200
        assert set(r.json) == {"sections"}
        sections = r.json["sections"]
        assert [s["key"] for s in sections] == [s.key for s in questionnaire.SECTIONS]
        for s in sections:
            assert {"key", "title", "prompt", "required", "kind"} <= set(s)
            assert s["title"].strip() and s["prompt"].strip()
            assert s["kind"] in ("text", "choice", "choices", "explanations", "number", "indicators")

    def test_same_as_in_every_statement(self, client, world):
        world.item(FILE_ID)
        listed = client.get("/api/v1/sections", headers=world["staff"].headers).json["sections"]
        assert get(client, world)["sections"] == listed

    def test_covers_what_api_md_requires(self, client, world):
        sections = {s["key"]: s for s in client.get(
            "/api/v1/sections", headers=world["staff"].headers).json["sections"]}
        # proposal and results; SCORE goals; levels of inequity; communities; data on
        # disparities; engagement; benefits and burdens; unintended consequences;
        # strategies; implementation and accountability; sustainability
        for key in ("proposal", "score_goals", "inequity_levels", "communities_affected",
                    "disparities_data", "community_engagement", "benefits_and_burdens",
                    "adverse_impacts", "strategies", "implementation", "accountability",
                    "sustainability"):
            assert key in sections and sections[key]["required"], key
        standards = {c["value"] for c in sections["engagement_standards"]["choices"]}
        assert {"language_access", "accessibility", "timing", "compensation"} <= standards

    def test_needs_a_token(self, client):
        assert_error(client.get("/api/v1/sections"), 401, "unauthorized")
