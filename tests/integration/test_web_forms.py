"""Forms and screening on the web pages, on both databases: the screening and the choice of form
on the statement page, every kind of question, a returned exemption switched to the full
statement, ODE's rules page, the queue's exemption batch, and what the pages say of the form."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from app.operations import gate, lookup, screening, statements
from app.web.auth import limiter
from tests.factories import complete_answers
from tests.integration.test_packet import flat, pdf_text
from tests.integration.web_helpers import give_passwords, signed_in, statement_fields, text
from workflows.screening import QUESTION_KEYS, QUESTIONS

FILE_ID = "2026-00001"
PAGE = f"/items/{FILE_ID}/statement"


@pytest.fixture
def web(app_ctx, world):
    give_passwords()
    limiter.reset()
    return world


def post(user, answers: dict, version: int, action: str = "save", **extra):
    return user.post(PAGE, {"version": str(version), action: "1", **statement_fields(answers), **extra})


def screened(**answers: str) -> dict:
    return {f"screening_{k}": answers.get(k, "no") for k in QUESTION_KEYS}


class TestScreeningOnTheStatementPage:
    def test_the_page_asks_the_screening_and_offers_the_forms(self, app_ctx, web):
        web.item(FILE_ID)
        page = signed_in(app_ctx, web["staff"]).get(PAGE)
        words = text(page.text)
        assert page.status_code == 200 and "Screening: how much review does this item need?" in words
        for question in QUESTIONS:
            assert question.question in words
        assert "Full statement allowed" in words and "Short form not allowed by the screening" in words
        assert "1. Summary for the public" in words and "See an example answer" in words

    def test_choosing_the_short_form_keeps_what_it_also_asks(self, app_ctx, web):
        web.item(FILE_ID)
        user = signed_in(app_ctx, web["staff"])
        user.get(PAGE)
        typed = {"summary": "A data-sharing agreement.", "proposal": "Share test results.",
                 "root_causes": "Not asked by the short form."}
        response = post(user, typed, 1, form_name="short", **screened())
        assert response.status_code == 303
        statement = lookup.item(FILE_ID).statement
        assert statement.form.value == "short" and statement.screening == dict.fromkeys(QUESTION_KEYS, False)
        assert statement.answers == {"summary": "A data-sharing agreement.",
                                     "proposal": "Share test results."}
        assert statement.last_edited_by_id == web["staff"].user.id
        page = text(user.get(PAGE).text)
        assert "The statement now uses the short form" in page and "Why the short form is enough" in page

    def test_submitting_the_short_form_with_a_yes_is_refused_next_to_the_question(self, app_ctx, web):
        web.item(FILE_ID, form="short")
        user = signed_in(app_ctx, web["staff"])
        user.get(PAGE)
        version = lookup.item(FILE_ID).statement.version
        response = post(user, complete_answers("short"), version, "submit", form_name="short",
                        **screened(spending="yes"))
        assert response.status_code == 422
        assert "do not allow the short form" in text(response.text)
        assert re.search(r'id="screening_spending-error".*This answer calls for the full statement',
                         response.text, re.S)
        statement = lookup.item(FILE_ID).statement
        assert statement.state.value == "draft" and statement.screening["spending"] is True

    def test_a_returned_exemption_is_switched_to_the_full_statement(self, app_ctx, web):
        web.item(FILE_ID, state="department_review", form="exemption")
        statements.fire_event(web["approver"].user, FILE_ID, "return", "It changes a fee: write a statement.")
        user = signed_in(app_ctx, web["staff"])
        page = user.get(PAGE)
        assert "Switch to the full statement" in page.text and 'form="statement-form"' in page.text
        version = lookup.item(FILE_ID).statement.version
        response = post(user, complete_answers("exemption"), version, "use_full", form_name="exemption")
        assert response.status_code == 303
        statement = lookup.item(FILE_ID).statement
        assert statement.form.value == "full" and statement.answers == {
            "summary": complete_answers("exemption")["summary"]}


class TestEveryKindOfQuestion:
    def test_indicator_rows_explanations_and_a_number(self, app_ctx, web):
        web.item(FILE_ID)
        user = signed_in(app_ctx, web["staff"])
        page = user.get(PAGE).text
        assert 'name="accountability-0-name"' in page and 'name="accountability-1-due"' in page
        answers = {"score_goals": ["structural_equity_alignment"],
                   "score_goals_how": {"structural_equity_alignment": "It changes a rule."},
                   "engagement_participants": 40,
                   "accountability": [{"name": "Households enrolled", "baseline": "None", "target": "3,000",
                                       "due": "2027-12-31"}]}
        fields = {**statement_fields(answers), "accountability-1-name": "", "accountability-1-due": ""}
        response = user.post(PAGE, {"version": "1", "save": "1", **fields})
        assert response.status_code == 303
        saved = lookup.item(FILE_ID).statement.answers
        assert saved == answers
        again = user.get(PAGE).text
        assert 'value="Households enrolled"' in again and 'name="accountability-1-name"' in again

    def test_a_bad_indicator_is_shown_next_to_the_rows_and_kept(self, app_ctx, web):
        web.item(FILE_ID)
        user = signed_in(app_ctx, web["staff"])
        user.get(PAGE)
        response = user.post(PAGE, {"version": "1", "save": "1", "accountability-0-name": "Enrolled",
                                    "accountability-0-baseline": "None", "accountability-0-target": "3,000",
                                    "accountability-0-due": "2027-02-30"})
        assert response.status_code == 422
        assert "Indicator 1: due must be a date" in text(response.text)
        assert 'value="2027-02-30"' in response.text and 'value="Enrolled"' in response.text
        assert lookup.item(FILE_ID).statement.version == 1

    def test_an_explanation_of_an_unticked_choice_is_refused_and_kept(self, app_ctx, web):
        web.item(FILE_ID)
        user = signed_in(app_ctx, web["staff"])
        user.get(PAGE)
        response = user.post(PAGE, {"version": "1", "save": "1",
                                    "inequity_levels_how-structural": "Housing history."})
        assert response.status_code == 422
        assert "structural is not ticked" in text(response.text) and "Housing history." in response.text


class TestRulesPage:
    def test_ode_sets_rules_for_the_types_it_sees(self, app_ctx, web):
        web.item(FILE_ID, item_type="Ceremonial Item")
        web.item("2026-00002", item_type="Consent Agenda")
        ode = signed_in(app_ctx, web["ode"])
        page = ode.get("/screening-rules")
        assert page.status_code == 200 and "Screening rules" in text(ode.get("/").text)
        assert "Ceremonial Item" in page.text and "Consent Agenda" in page.text
        rows = {m.group(2): m.group(1) for m in re.finditer(
            r'name="rows-(\d+)-item_type"[^>]*value="([^"]+)"', page.text)}
        response = ode.post("/screening-rules", {
            **{f"rows-{n}-item_type": t for t, n in rows.items()},
            f"rows-{rows['Ceremonial Item']}-category": "ceremonial",
            f"rows-{rows['Consent Agenda']}-category": "",
            "new_item_type": "Minutes", "new_category": "minutes_procedural"})
        assert response.status_code == 303
        assert screening.as_map() == {"Ceremonial Item": "ceremonial", "Minutes": "minutes_procedural"}

    def test_a_type_without_a_category_is_refused_and_kept(self, app_ctx, web):
        ode = signed_in(app_ctx, web["ode"])
        ode.get("/screening-rules")
        response = ode.post("/screening-rules", {"new_item_type": "Proclamation", "new_category": ""})
        assert response.status_code == 422 and 'value="Proclamation"' in response.text
        assert "Choose the category for this item type." in text(response.text)
        assert screening.as_map() == {}

    @pytest.mark.parametrize("who", ["staff", "approver", "clerk"])
    def test_others_may_not_open_it(self, app_ctx, web, who):
        user = signed_in(app_ctx, web[who])
        assert user.get("/screening-rules").status_code == 403
        assert "Screening rules" not in text(user.get("/").text)


class TestTheQueue:
    def test_ode_approves_a_batch_of_exemption_requests(self, app_ctx, web):
        for n in (1, 2, 3):
            web.item(f"2026-0000{n}", state="ode_review", form="exemption")
        web.item("2026-00004", state="ode_review")
        ode = signed_in(app_ctx, web["ode"])
        page = ode.get("/review")
        batch = page.text.split('class="stack exemption-batch"')[1].split("</form>")[0]
        assert batch.count('name="file_ids"') == 3 and "2026-00004" not in batch and "checked" not in batch
        assert "Ceremonial item" in text(batch)
        everything = ode.get("/review?select=all").text.split('class="stack exemption-batch"')[1]
        assert everything.split("</form>")[0].count("checked") == 3
        response = ode.post("/review/exemptions", {"file_ids": ["2026-00001", "2026-00003"]})
        assert response.status_code == 303
        assert [lookup.item(f"2026-0000{n}").statement.state.value for n in (1, 2, 3, 4)] == [
            "ready_to_agendize", "ode_review", "ready_to_agendize", "ode_review"]
        assert "2 exemption requests approved: 2026-00001, 2026-00003." in text(ode.get("/review").text)

    def test_what_cannot_be_approved_is_said_and_the_rest_goes_through(self, app_ctx, web):
        web.item("2026-00001", state="ode_review", form="exemption")
        web.item("2026-00002", state="ode_review")
        ode = signed_in(app_ctx, web["ode"])
        ode.get("/review")
        ode.post("/review/exemptions", {"file_ids": ["2026-00002", "2026-00001"]})
        words = text(ode.get("/review").text)
        assert "2026-00002 was not approved: Only exemption requests may be approved in bulk" in words
        assert lookup.item("2026-00001").statement.state.value == "ready_to_agendize"

    def test_nothing_ticked(self, app_ctx, web):
        ode = signed_in(app_ctx, web["ode"])
        ode.get("/review")
        assert ode.post("/review/exemptions", {}).status_code == 303
        assert "Tick at least one exemption request" in text(ode.get("/review").text)

    def test_people_without_a_queue_may_not_post(self, app_ctx, web):
        web.item("2026-00001", state="ode_review", form="exemption")
        staff = signed_in(app_ctx, web["staff"])
        staff.get("/")
        assert staff.post("/review/exemptions", {"file_ids": ["2026-00001"]}).status_code == 403
        assert lookup.item("2026-00001").statement.state.value == "ode_review"


class TestWhatThePagesSay:
    def test_an_exemption_shows_its_category_and_reason_not_sixteen_blanks(self, app_ctx, web, client):
        meeting = dt.date.today() + dt.timedelta(days=30)
        web.item(FILE_ID, state="ready_to_agendize", form="exemption", meeting_date=meeting)
        reason = complete_answers("exemption")["exemption_reason"]
        review_page = text(signed_in(app_ctx, web["clerk"]).get(f"/items/{FILE_ID}").text)
        assert "Exemption request" in review_page and reason in review_page
        gate.agendize(web["clerk"].user, FILE_ID, meeting)
        public = text(client.get(f"/public/statements/{FILE_ID}").text)
        assert "Form approved Exemption request: Ceremonial item" in public
        assert "Exempt from a full statement" in public and reason in public
        assert "Not answered" not in public and "Proposal and desired results" not in public
        feed = client.get("/public/feed.json").json["items"][0]["_reis"]
        assert (feed["form"], feed["exemption"]) == ("exemption", {"category": "Ceremonial item",
                                                                    "reason": reason})
        _reader, pdf = pdf_text(client.get(f"/public/statements/{FILE_ID}/packet.pdf").data)
        pdf = flat(pdf)
        assert "Form approved Exemption request: Ceremonial item" in pdf and reason in pdf
        assert "approved this item's exemption request" in pdf
        assert "Proposal and desired results" not in pdf and "Not answered" not in pdf

    def test_a_short_form_says_so_on_the_public_page_and_the_packet(self, app_ctx, web, client):
        meeting = dt.date.today() + dt.timedelta(days=30)
        web.item(FILE_ID, state="ready_to_agendize", form="short", meeting_date=meeting)
        gate.agendize(web["clerk"].user, FILE_ID, meeting)
        public = text(client.get(f"/public/statements/{FILE_ID}").text)
        assert "Form approved Short form" in public and "The statement (short form)" in public
        assert "Why the short form is enough" in public and "Root causes" not in public
        pdf = flat(pdf_text(client.get(f"/public/statements/{FILE_ID}/packet.pdf").data)[1])
        assert "Form approved Short form" in pdf and "Why the short form is enough" in pdf

    def test_the_review_page_of_an_exemption_request(self, app_ctx, web):
        web.item(FILE_ID, state="ode_review", form="exemption")
        words = text(signed_in(app_ctx, web["ode"]).get(f"/items/{FILE_ID}/review").text)
        assert "An exemption request" in words and "Category Ceremonial item" in words
