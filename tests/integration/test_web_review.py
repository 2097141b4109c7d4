"""Review queues and the review page: the same rules as the API, shown as buttons."""

from __future__ import annotations

import pytest
import time_machine

from app.operations import lookup, statements
from app.web.auth import limiter
from tests.factories import complete_answers
from tests.integration.web_helpers import give_passwords, signed_in, text


@pytest.fixture
def web(app_ctx, world):
    give_passwords()
    limiter.reset()
    return world


def decide(user, file_id: str, action: str, comment: str = ""):
    version = lookup.item(file_id).statement.version
    user.get(f"/items/{file_id}/review")
    return user.post(f"/items/{file_id}/review", {"version": str(version), "comment": comment, action: "1"})


class TestQueues:
    def test_approvers_see_their_department_oldest_first(self, app_ctx, web):
        with time_machine.travel("2027-01-04 17:00Z", tick=False):
            web.item("2026-00002", state="department_review")
        with time_machine.travel("2027-01-06 17:00Z", tick=False):
            web.item("2026-00001", state="department_review")
            web.item("2026-00003", state="department_review", department="CDD")
            web.item("2026-00004", state="ode_review")
        with time_machine.travel("2027-01-11 17:00Z", tick=False):
            page = signed_in(app_ctx, web["approver"]).get("/review")
        words = text(page.text)
        assert page.status_code == 200
        assert words.index("2026-00002") < words.index("2026-00001")
        assert "2026-00003" not in words and "2026-00004" not in words
        assert "7 days" in words and "5 days" in words
        assert "Review overdue" in words  # 3 business days from 4 January: due on the 7th

    def test_ode_sees_every_department_in_ode_review(self, app_ctx, web):
        web.item("2026-00001", state="ode_review")
        web.item("2026-00003", state="ode_review", department="CDD")
        web.item("2026-00002", state="department_review")
        words = text(signed_in(app_ctx, web["ode"]).get("/review").text)
        assert "2026-00001" in words and "2026-00003" in words and "2026-00002" not in words

    def test_what_a_reviewer_returned_is_listed_until_resubmitted(self, app_ctx, web):
        web.item("2026-00001", state="department_review", title="Back to them")
        web.item("2026-00002", state="ode_review", title="Back from ODE")
        web.item("2026-00003", title="Never submitted")
        statements.fire_event(web["approver"].user, "2026-00001", "return", "More data.")
        statements.fire_event(web["ode"].user, "2026-00002", "return", "Name the districts.")
        words = text(signed_in(app_ctx, web["approver"]).get("/review").text)
        returned = words.split("Returned to the author (1)")[1]
        assert "Back to them" in returned and "Returned — waiting for the author's changes by Approver" \
            in returned
        assert "Back from ODE" not in words and "Never submitted" not in words
        ode = text(signed_in(app_ctx, web["ode"]).get("/review").text)
        assert "Back from ODE" in ode.split("Returned to the author (1)")[1] and "Back to them" not in ode

    def test_staff_and_clerks_have_no_queue(self, app_ctx, web):
        assert signed_in(app_ctx, web["staff"]).get("/review").status_code == 403
        assert signed_in(app_ctx, web["clerk"]).get("/review").status_code == 403


class TestReviewPage:
    def test_shows_item_fiscal_statement_and_whole_statement(self, app_ctx, web):
        web.item("2026-00001", state="department_review", fiscal="Costs $40,000 from the General Fund.")
        page = signed_in(app_ctx, web["approver"]).get("/items/2026-00001/review")
        words = text(page.text)
        assert page.status_code == 200
        assert "Costs $40,000 from the General Fund." in words
        assert complete_answers()["sustainability"] in words
        assert "This is the first submission" in words

    def test_the_conversation_and_the_decision_sit_beside_the_statement(self, app_ctx, web):
        web.item("2026-00001", state="department_review")
        statements.fire_event(web["approver"].user, "2026-00001", "return", "Add the census data.")
        statement = lookup.item("2026-00001").statement
        statements.save_answers(web["staff"].user, "2026-00001", complete_answers(), statement.version)
        statements.fire_event(web["staff"].user, "2026-00001", "submit")
        statements.fire_event(web["approver2"].user, "2026-00001", "approve", "Good work on the data.")
        page = signed_in(app_ctx, web["ode"]).get("/items/2026-00001/review").text
        words = text(page)
        assert "submitted by Staff" in words and "staff@test.reis" not in words
        side = page.split('<aside class="review-side"')[1].split("</aside>")[0]
        assert side.index('id="decision"') < side.index("conversation-heading")
        talk = text(side.split('id="conversation-heading"')[1])
        for said in ("returned by Approver", "Add the census data.", "submitted by Staff",
                     "approved by Approver2", "Good work on the data."):
            assert said in talk, said
        assert talk.index("Add the census data.") < talk.index("Good work on the data.")
        assert 'href="#decision"' in page  # the way to the decision on a narrow screen
        main = page.split('<div class="review-main">')[1].split("<aside")[0]
        assert "The whole statement" in main and 'id="decision"' not in main

    def test_a_reopen_reason_is_part_of_the_conversation(self, app_ctx, web):
        from app.operations import items

        web.item("2026-00001", state="ode_review")
        items.update_item(web["staff"].user, "2026-00001", {"title": "Retitled"})
        statement = lookup.item("2026-00001").statement
        statements.save_answers(web["staff"].user, "2026-00001", complete_answers(), statement.version)
        statements.fire_event(web["staff"].user, "2026-00001", "submit")
        talk = text(signed_in(app_ctx, web["approver"]).get("/items/2026-00001/review").text
                    .split('id="conversation-heading"')[1])
        assert "reopened by the system" in talk and "Reopened because the item's title changed." in talk

    def test_approve_moves_it_on(self, app_ctx, web):
        web.item("2026-00001", state="department_review")
        response = decide(signed_in(app_ctx, web["approver"]), "2026-00001", "approve")
        assert response.status_code == 303
        assert lookup.item("2026-00001").statement.state.value == "ode_review"

    def test_return_needs_a_comment(self, app_ctx, web):
        web.item("2026-00001", state="department_review")
        user = signed_in(app_ctx, web["approver"])
        response = decide(user, "2026-00001", "send_back", "   ")
        assert response.status_code == 422
        assert 'id="comment-error"' in response.text
        assert lookup.item("2026-00001").statement.state.value == "department_review"
        response = decide(user, "2026-00001", "send_back", "Name the districts.")
        assert response.status_code == 303
        assert lookup.item("2026-00001").statement.state.value == "draft"
        assert statements.events(web["approver"].user, "2026-00001")[-1].comment == "Name the districts."

    def test_separation_of_duties_disables_approve_and_refuses_it(self, app_ctx, web):
        web.item("2026-00001")
        statements.save_answers(web["approver"].user, "2026-00001", complete_answers(), 1)
        statements.fire_event(web["approver"].user, "2026-00001", "submit")
        user = signed_in(app_ctx, web["approver"])
        page = user.get("/items/2026-00001/review")
        assert 'name="approve"' in page.text and "disabled" in page.text
        assert "someone else must approve it" in page.text
        response = decide(user, "2026-00001", "approve")
        assert response.status_code == 403
        assert lookup.item("2026-00001").statement.state.value == "department_review"

    def test_someone_who_may_not_review_is_sent_to_the_item_page(self, app_ctx, web):
        web.item("2026-00001", state="department_review")
        for who in ("ode", "other_approver", "staff"):
            user = signed_in(app_ctx, web[who])
            assert user.get("/items/2026-00001/review").status_code == 303
            response = decide(user, "2026-00001", "approve")
            assert response.status_code == 303
        assert lookup.item("2026-00001").statement.state.value == "department_review"

    def test_a_resubmission_shows_what_changed(self, app_ctx, web):
        web.item("2026-00001", state="department_review")
        statements.fire_event(web["approver"].user, "2026-00001", "return", "More data.")
        answers = complete_answers()
        answers["disparities_data"] = "Answer to Data on disparities, with 2024 census figures."
        answers["score_goals"] = ["structural_equity_alignment", "learning_that_drives_systems_change"]
        answers["score_goals_how"] = {"structural_equity_alignment": "It changes a rule.",
                                      "learning_that_drives_systems_change": "Staff learn from the data."}
        statement = statements.save_answers(web["staff"].user, "2026-00001", answers,
                                            lookup.item("2026-00001").statement.version)
        statements.fire_event(web["staff"].user, "2026-00001", "submit", version=statement.version)
        page = signed_in(app_ctx, web["approver"]).get("/items/2026-00001/review")
        assert "with 2024 census figures.<span" in page.text.split("<ins>")[1]  # marked as added
        changes = text(page.text.split("What changed since the last submission")[1].split("The item")[0])
        assert "Data on disparities" in changes and "census figures" in changes
        assert "Added: Learning that Drives Systems Change" in changes
        assert "Proposal and desired results" not in changes
