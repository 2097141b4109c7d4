"""Error texts are sentences for people, in the API and on the pages: no regular
expression, no column or state names. The codes and the ``fields`` keys are the
contract and stay as they were; only the sentences changed."""

from __future__ import annotations

import re

import pytest

from app.errors import invalid
from app.operations import gate, items, lookup, statements
from app.web import refusals
from app.web.auth import limiter
from tests.factories import complete_answers
from tests.integration.test_bad_input import assert_error
from tests.integration.web_helpers import give_passwords, signed_in, text

INTERNALS = re.compile(r"[\^$\\]|\b[a-z]+_[a-z_]+\b")  # regex syntax, snake_case names


def speaks(sentence: str) -> bool:
    return INTERNALS.search(sentence) is None


@pytest.fixture
def web(app_ctx, world):
    give_passwords()
    limiter.reset()
    return world


class TestApiSentences:
    def test_a_bad_file_id_is_told_with_an_example(self, client, world):
        r = client.post("/api/v1/items", headers=world["staff"].headers,
                        json={"file_id": "26-1", "title": "T", "department": "DOU"})
        body = assert_error(r, 422, "invalid")
        assert body["fields"] == {"file_id": "must be a file number such as 2026-00838"}

    @pytest.mark.parametrize("pattern", [r"^\d{2}-\d{3}$", r"^[A-Z]{3}/\d{4}$", r"^(?:R|O)-\d{1,3}[a-z]?$"])
    def test_another_citys_pattern_gets_an_example_of_its_own(self, app, client, world, monkeypatch,
                                                               pattern):
        monkeypatch.setitem(app.config, "REIS_FILE_ID_PATTERN", pattern)
        said = []
        for _ in range(2):
            r = client.post("/api/v1/items", headers=world["staff"].headers,
                            json={"file_id": "nope", "title": "T", "department": "DOU"})
            said.append(assert_error(r, 422, "invalid")["fields"]["file_id"])
        assert said[0] == said[1]  # the same example every time
        example = said[0].removeprefix("must be a file number such as ")
        assert example != said[0] and re.fullmatch(pattern, example, re.ASCII), said[0]
        assert pattern not in said[0]

    def test_states_and_fields_are_named_in_words(self, client, world):
        world.item("2026-00001", state="department_review")
        body = assert_error(client.put("/api/v1/items/2026-00001/statement", headers=world["staff"].headers,
                                       json={"answers": {}, "version": 99}), 409, "not_editable")
        assert "in department review" in body["message"] and speaks(body["message"]), body
        assert body["state"] == "department_review"  # the contract's value stays
        body = assert_error(client.post("/api/v1/items/2026-00001/statement/events",
                                        headers=world["ode"].headers, json={"event": "approve"}),
                            409, "invalid_transition")
        assert speaks(body["message"]), body
        assert body["state"] == "department_review"

    def test_an_agendized_item_names_the_fields_it_refuses(self, client, world):
        world.item("2026-00001", state="ready_to_agendize")
        gate.agendize(world["clerk"].user, "2026-00001")
        r = client.patch("/api/v1/items/2026-00001", headers=world["staff"].headers,
                         json={"fiscal_statement": "More.", "title": "New"})
        body = assert_error(r, 409, "agendized")
        assert "its fiscal statement and title can change" in body["message"], body
        assert speaks(body["message"])

    def test_a_reopen_says_what_changed_in_words(self, client, world):
        world.item("2026-00001", state="ode_review")
        items.update_item(world["staff"].user, "2026-00001", {"fiscal_statement": "Revised."})
        last = statements.events(world["clerk"].user, "2026-00001")[-1]
        assert last.event == "reopen"
        assert last.comment == "Reopened because the item's fiscal statement changed."

    def test_rules_that_moved_out_of_the_views_still_hold(self, client, world):
        body = assert_error(client.get("/api/v1/items?department=NOPE", headers=world["clerk"].headers),
                            422, "invalid")
        assert set(body["fields"]) == {"department"}
        world.item("2026-00001")
        body = assert_error(client.patch("/api/v1/items/2026-00001", headers=world["staff"].headers,
                                         json={"title": None}), 422, "invalid")
        assert set(body["fields"]) == {"title"} and speaks(body["fields"]["title"])
        assert lookup.item("2026-00001").title == "Item 2026-00001"
        body = assert_error(client.get("/api/v1/meetings/2027-3-2/items", headers=world["clerk"].headers),
                            422, "invalid")
        assert body["fields"] == {"meeting_date": "must be a date written year-month-day, such as 2027-03-02"}


class TestPageSentences:
    def test_a_field_the_form_lacks_is_named_by_its_label(self, app_ctx):
        with app_ctx.test_request_context():
            problems = refusals.place(invalid({"answers.disparities_data": "This answer must be text.",
                                               "fiscal_statement": "is too long"}))
        assert problems == ["Data on disparities: This answer must be text.",
                            "Fiscal statement (Financial Considerations): is too long"]

    def test_the_item_page_says_which_fields_an_agenda_locks(self, app_ctx, web):
        web.item("2026-00001", state="ready_to_agendize", fiscal="Funded.")
        gate.agendize(web["clerk"].user, "2026-00001")
        user = signed_in(app_ctx, web["staff"])
        user.get("/items/2026-00001/edit")
        response = user.post("/items/2026-00001/edit", {
            "title": "Item 2026-00001", "meeting_date": "2027-03-02", "fiscal_statement": "Changed."})
        assert response.status_code == 422
        assert "before its fiscal statement can change" in text(response.text)
        assert "fiscal_statement can" not in response.text

    def test_a_submitted_statement_is_not_editable_in_words(self, app_ctx, web):
        web.item("2026-00001")
        statements.save_answers(web["staff"].user, "2026-00001", complete_answers(), 1)
        user = signed_in(app_ctx, web["staff"])
        user.get("/items/2026-00001/statement")
        statements.fire_event(web["staff2"].user, "2026-00001", "submit")
        version = lookup.item("2026-00001").statement.version
        response = user.post("/items/2026-00001/statement", {"version": str(version), "save": "1",
                                                              "proposal": "Late words."})
        flash = user.get("/items/2026-00001").text.split('class="flash flash--')[1].split("</p>")[0]
        assert response.status_code == 303
        assert "The statement is in Department review: it can only be changed while it is a draft." \
            in text(flash)
