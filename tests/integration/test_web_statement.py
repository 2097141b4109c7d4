"""Staff pages: home, creating an item, writing, saving and submitting the statement."""

from __future__ import annotations

import pytest

from app.errors import OperationError
from app.operations import lookup, statements
from app.web.auth import limiter
from tests.factories import complete_answers
from tests.integration.web_helpers import give_passwords, signed_in, statement_fields, text
from workflows import questionnaire


@pytest.fixture
def web(app_ctx, world):
    give_passwords()
    limiter.reset()
    return world


def form_data(answers: dict, version: int, action: str = "save") -> dict:
    return {"version": str(version), action: "1", **statement_fields(answers)}


class TestHome:
    def test_staff_see_their_departments_items_by_state_with_deadlines(self, app_ctx, web):
        web.item("2026-00001", title="Our draft")
        web.item("2026-00002", state="department_review")
        web.item("2026-00003", department="CDD", title="Theirs")
        page = signed_in(app_ctx, web["staff"]).get("/")
        assert page.status_code == 200
        words = text(page.text)
        assert "Our draft" in words and "Theirs" not in words
        assert "Draft (1)" in words and "Department review (1)" in words
        assert "Statement due (cutoff)" in words

    def test_late_items_are_flagged_in_words(self, app_ctx, web):
        import datetime as dt

        web.item("2026-00001", meeting_date=dt.date(2020, 1, 14))
        words = text(signed_in(app_ctx, web["staff"]).get("/").text)
        assert "Late: past its cutoff" in words


    def test_a_returned_statement_is_flagged_with_who_and_when(self, app_ctx, web):
        web.item("2026-00001", state="department_review", title="Sent back")
        web.item("2026-00002", title="Never submitted")
        statements.fire_event(web["approver"].user, "2026-00001", "return", "Add the map.")
        words = text(signed_in(app_ctx, web["staff"]).get("/").text)
        assert "1 statement was returned and needs your changes" in words
        row = words.split("Sent back")[1].split("2026-00002")[0]
        assert "Returned — needs your changes by Approver" in row
        assert "Returned" not in words.split("Never submitted")[1].split("Department review")[0]

    def test_finished_items_show_no_deadline(self, app_ctx, web):
        import datetime as dt

        web.item("2026-00001", state="ready_to_agendize", meeting_date=dt.date(2026, 3, 3))
        words = text(signed_in(app_ctx, web["staff"]).get("/").text)
        ready = words.split("Ready to agendize (1)")[1]
        assert "2026-00001" in ready and "none: approved" in ready
        assert "business days ago" not in words and "Late" not in ready
        page = text(signed_in(app_ctx, web["staff"]).get("/items/2026-00001").text)
        assert "business days" not in page and "due " not in page.split("History")[0]


class TestCreateItem:
    def test_staff_create_an_item_for_their_department(self, app_ctx, web):
        user = signed_in(app_ctx, web["staff"])
        user.get("/items/new")
        response = user.post("/items/new", {"file_id": "2026-00123", "department": "DOU",
                                            "title": "  Parks  ", "meeting_date": "2027-03-02",
                                            "location": "District 3", "fiscal_statement": "Funded."})
        assert response.status_code == 303
        assert response.headers["Location"] == "/items/2026-00123/statement"
        item = lookup.item("2026-00123")
        assert (item.title, item.location, item.department.code) == ("Parks", "District 3", "DOU")

    def test_errors_show_next_to_fields_and_keep_what_was_typed(self, app_ctx, web):
        user = signed_in(app_ctx, web["staff"])
        user.get("/items/new")
        response = user.post("/items/new", {"file_id": "26-1", "department": "DOU", "title": "Kept title"})
        assert response.status_code == 422
        assert 'id="file_id-error"' in response.text
        assert "must be a file number such as 2026-00838" in response.text
        assert "Kept title" in response.text

    def test_a_duplicate_file_id_is_refused(self, app_ctx, web):
        web.item("2026-00001")
        user = signed_in(app_ctx, web["staff"])
        user.get("/items/new")
        response = user.post("/items/new", {"file_id": "2026-00001", "department": "DOU", "title": "x"})
        assert response.status_code == 422
        assert "already exists" in response.text

    def test_staff_cannot_create_for_another_department(self, app_ctx, web):
        user = signed_in(app_ctx, web["staff"])
        user.get("/items/new")
        response = user.post("/items/new", {"file_id": "2026-00009", "department": "CDD", "title": "x"})
        assert response.status_code == 422  # CDD is not one of the offered choices
        with pytest.raises(OperationError, match="No agenda item"):
            lookup.item("2026-00009")

    def test_clerks_cannot_open_the_form(self, app_ctx, web):
        assert signed_in(app_ctx, web["clerk"]).get("/items/new").status_code == 403


class TestStatementForm:
    def test_the_form_is_built_from_the_questionnaire(self, app_ctx, web):
        web.item("2026-00001")
        page = signed_in(app_ctx, web["staff"]).get("/items/2026-00001/statement")
        assert page.status_code == 200
        for section in questionnaire.SECTIONS:
            assert f'id="{section.key}' in page.text
            assert text(f"<p>{section.prompt}</p>") in text(page.text)
            assert text(f"<p>{section.guidance}</p>") in text(page.text)

    def test_another_departments_staff_cannot_open_the_edit_form(self, app_ctx, web):
        web.item("2026-00001")
        user = signed_in(app_ctx, web["other_staff"])
        assert user.get("/items/2026-00001/statement").status_code == 403
        assert user.post("/items/2026-00001/statement", form_data({"proposal": "x"}, 1)).status_code == 403
        assert lookup.item("2026-00001").statement.answers == {}

    def test_save_draft_keeps_partial_answers(self, app_ctx, web):
        web.item("2026-00001")
        user = signed_in(app_ctx, web["staff"])
        user.get("/items/2026-00001/statement")
        response = user.post("/items/2026-00001/statement",
                             form_data({"proposal": "Plant trees.",
                                        "score_goals": ["structural_equity_alignment"]}, 1))
        assert response.status_code == 303
        statement = lookup.item("2026-00001").statement
        assert statement.answers == {"proposal": "Plant trees.",
                                     "score_goals": ["structural_equity_alignment"]}
        assert statement.state.value == "draft"
        page = user.get("/items/2026-00001/statement")
        assert "Draft saved." in page.text and "Plant trees." in page.text

    def test_answers_are_shown_escaped(self, app_ctx, web):
        web.item("2026-00001")
        user = signed_in(app_ctx, web["staff"])
        user.get("/items/2026-00001/statement")
        user.post("/items/2026-00001/statement", form_data({"proposal": "<script>alert(1)</script>"}, 1))
        for path in ("/items/2026-00001/statement", "/items/2026-00001"):
            page = user.get(path).text
            assert "<script>alert(1)</script>" not in page
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page

    def test_a_version_conflict_says_so_and_shows_both(self, app_ctx, web):
        web.item("2026-00001")
        user = signed_in(app_ctx, web["staff"])
        user.get("/items/2026-00001/statement")
        statements.save_answers(web["staff2"].user, "2026-00001", {"proposal": "Their words."}, 1)
        response = user.post("/items/2026-00001/statement", form_data({"proposal": "My words."}, 1))
        assert response.status_code == 409
        words = text(response.text)
        assert "Someone else saved this statement first" in words
        assert "Their words." in words and "My words." in words
        assert lookup.item("2026-00001").statement.answers == {"proposal": "Their words."}
        # saving again, knowingly, replaces theirs
        version = lookup.item("2026-00001").statement.version
        assert f'value="{version}"' in response.text
        again = user.post("/items/2026-00001/statement", form_data({"proposal": "My words."}, version))
        assert again.status_code == 303
        assert lookup.item("2026-00001").statement.answers == {"proposal": "My words."}

    def test_submit_with_missing_sections_marks_each_and_saves_the_draft(self, app_ctx, web):
        web.item("2026-00001")
        user = signed_in(app_ctx, web["staff"])
        user.get("/items/2026-00001/statement")
        response = user.post("/items/2026-00001/statement",
                             form_data({"proposal": "Plant trees."}, 1, action="submit"))
        assert response.status_code == 422
        missing = questionnaire.missing({"proposal": "Plant trees."})
        for key in missing:
            assert f'id="{key}-error"' in response.text
        assert 'id="proposal-error"' not in response.text
        statement = lookup.item("2026-00001").statement
        assert statement.state.value == "draft" and statement.answers == {"proposal": "Plant trees."}

    def test_submit_complete_goes_to_department_review(self, app_ctx, web):
        web.item("2026-00001")
        user = signed_in(app_ctx, web["staff"])
        user.get("/items/2026-00001/statement")
        response = user.post("/items/2026-00001/statement", form_data(complete_answers(), 1, "submit"))
        assert response.status_code == 303
        assert lookup.item("2026-00001").statement.state.value == "department_review"
        page = user.get("/items/2026-00001/statement")
        assert page.status_code == 303  # read-only outside draft: back to the item page

    def test_the_section_list_shows_progress_and_the_actions_stay_in_reach(self, app_ctx, web):
        web.item("2026-00001")
        answers = {k: v for k, v in list(complete_answers().items())[:4]}
        statements.save_answers(web["staff"].user, "2026-00001", answers, 1)
        page = signed_in(app_ctx, web["staff"]).get("/items/2026-00001/statement").text
        required = [s for s in questionnaire.SECTIONS if s.required]
        done = sum(1 for s in required if s.key in answers)
        assert f"{done} of {len(required)} required sections answered" in text(page)
        nav = page.split('class="section-nav"')[1].split("</nav>")[0]
        for section in questionnaire.SECTIONS:
            assert f'href="#{section.key}-title"' in nav
        assert text(nav).count("answered") >= len(answers)
        bar = page.split('class="form-actions form-actions--sticky"')[1].split("</div>")[0]
        assert 'name="save"' in bar and 'name="submit"' in bar and bar.count('form="statement-form"') == 2
        assert 'id="statement-form"' in page
        assert "<script" not in page

    def test_the_only_approver_is_warned_before_submitting(self, app_ctx, web):
        from app.operations import accounts

        web.item("2026-00001")
        page = signed_in(app_ctx, web["approver"]).get("/items/2026-00001/statement").text
        assert 'id="no-other-approver"' not in page  # approver2 can approve what approver submits
        accounts.set_active(web["admin"].user, web["approver2"].user.id, False)
        page = signed_in(app_ctx, web["approver"]).get("/items/2026-00001/statement").text
        warning = "nobody else in your department can approve this; ask an admin or name a delegate"
        assert warning in text(page)
        assert 'aria-describedby="no-other-approver"' in page
        staff = signed_in(app_ctx, web["staff"]).get("/items/2026-00001/statement").text
        assert 'id="no-other-approver"' not in staff  # staff submit, the one approver decides

    def test_return_comments_stay_on_top_until_resubmitted(self, app_ctx, web):
        web.item("2026-00001", state="department_review")
        statements.fire_event(web["approver"].user, "2026-00001", "return", "Add data for District 2.")
        user = signed_in(app_ctx, web["staff"])
        page = user.get("/items/2026-00001/statement")
        assert "Returned to you" in page.text and "Add data for District 2." in page.text
        assert "Approver" in text(page.text.split("Add data for District 2.")[1].split("</figure>")[0])
        version = lookup.item("2026-00001").statement.version
        user.post("/items/2026-00001/statement", form_data(complete_answers(), version, "submit"))
        statements.fire_event(web["approver"].user, "2026-00001", "return", "Now the map, please.")
        page = user.get("/items/2026-00001/statement")
        assert "Now the map, please." in page.text
        assert "Add data for District 2." not in page.text
