"""The whole journey in a real browser: write, submit, approve, return, resubmit,
approve twice, agendize from the clerk board; and what must be refused.

Every page on the way is checked with axe-core and photographed for the README.
"""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from tests.browser.checks import check, screenshot
from workflows import questionnaire

FILE_ID = "2026-00838"
MEETING = "2027-03-02"


def fill_statement(page, form: str = "full") -> None:
    """Answer every question of the form as a person would: some text, the first choice, the
    explanation of that choice, a number, one indicator."""
    questions = questionnaire.form(form)
    for section in questions.sections:
        key = section.key
        if section.kind == questionnaire.KIND_TEXT:
            page.locator(f"#{key}").fill(f"{section.title}: what we found and what we will do.")
        elif section.kind == questionnaire.KIND_EXPLANATIONS:
            first = questions.section(section.explains).choices[0].value
            page.locator(f"#{key}-{first}").fill("Here is how, in a sentence.")
        elif section.kind == questionnaire.KIND_NUMBER:
            page.locator(f"#{key}").fill("12")
        elif section.kind == questionnaire.KIND_INDICATORS:
            for name, value in (("name", "Households reached"), ("baseline", "None"),
                                ("target", "1,000"), ("due", "2027-12-31")):
                page.locator(f"#{key}-0-{name}").fill(value)
        else:
            page.locator(f"#{key}-0").check()


def review(page, decision: str, comment: str = "") -> None:
    page.get_by_role("link", name="Review queue").click()
    page.get_by_role("link", name=re.compile(f"Review {FILE_ID}")).click()
    if comment:
        page.get_by_label("Comment").fill(comment)
    page.get_by_role("button", name=decision).click()
    expect(page.locator(".flash--success")).to_be_visible()


class TestJourney:
    def test_from_draft_to_the_agenda(self, open_as, server, world):
        _base, app = server
        with app.app_context():  # two more items for the same meeting, for the board
            world.item("2026-00839", meeting_date=date.fromisoformat(MEETING))
            world.item("2026-00840", state="ready_to_agendize", fiscal=None,
                       meeting_date=date.fromisoformat(MEETING))
        anonymous = open_as(None)
        anonymous.goto("/sign-in")
        check(anonymous, "sign-in")

        # staff write and submit the statement
        staff = open_as("staff")
        staff.get_by_role("link", name="New item").click()
        check(staff, "new-item")
        staff.get_by_label("File ID").fill(FILE_ID)
        staff.get_by_label("Title").fill("SCORE Work Plan")
        staff.get_by_label("Meeting date").fill(MEETING)
        staff.get_by_label("Fiscal statement (Financial Considerations)").fill("No new General Fund cost.")
        staff.get_by_role("button", name="Create item").click()
        expect(staff.get_by_role("heading", level=1)).to_contain_text(FILE_ID)
        staff.locator("#proposal").fill("Adopt the SCORE work plan.")
        staff.get_by_role("button", name="Save draft").click()
        expect(staff.locator(".flash--success")).to_contain_text("Draft saved.")
        staff.get_by_role("button", name="Submit for review").click()
        expect(staff.locator("#problems")).to_contain_text("cannot be submitted yet")
        expect(staff.locator("#communities_affected-error")).to_contain_text("Answer this section")
        check(staff, "statement-missing-sections")
        fill_statement(staff)
        check(staff, "statement-form")
        staff.get_by_role("button", name="Submit for review").click()
        expect(staff.locator(".status-line")).to_contain_text("Department review")
        check(staff, "item-page")
        staff.get_by_role("link", name="Home").click()
        check(staff, "staff-home")

        # the department approver approves
        approver = open_as("approver")
        approver.get_by_role("link", name="Review queue").click()
        check(approver, "review-queue")
        review(approver, "Approve")

        # ODE returns it with a comment
        ode = open_as("ode")
        review(ode, "Return to the author", "Name the council districts and the 2024 data source.")

        # staff see the comment on top, change the data section, resubmit
        staff.goto(f"/items/{FILE_ID}/statement")
        expect(staff.locator(".returned")).to_contain_text("Name the council districts")
        check(staff, "statement-returned")
        staff.locator("#disparities_data").fill("Citywide Racial Equity Study (2024): districts 2, 5 and 8.")
        staff.get_by_role("button", name="Submit for review").click()
        expect(staff.locator(".status-line")).to_contain_text("Department review")

        # the approver sees what changed and approves again; then ODE approves
        approver.get_by_role("link", name="Review queue").click()
        approver.get_by_role("link", name=re.compile(f"Review {FILE_ID}")).click()
        expect(approver.locator(".diff ins").first).to_contain_text("Citywide Racial Equity Study (2024):")
        check(approver, "review-page")
        approver.get_by_role("button", name="Approve").click()
        review(ode, "Approve")

        # the clerk agendizes it from the board
        clerk = open_as("clerk")
        clerk.get_by_role("link", name="Clerk board").click()
        clerk.get_by_label("Meeting date").fill(MEETING)
        clerk.get_by_role("button", name="Show").click()
        row = clerk.locator("tr", has_text=FILE_ID)
        expect(row).to_contain_text("Yes")
        row.get_by_role("button", name=re.compile("Agendize")).click()
        expect(clerk.locator(".flash--success")).to_contain_text(f"{FILE_ID} is on the agenda")
        expect(clerk.locator("tr", has_text=FILE_ID)).to_contain_text("On the agenda")
        for refused in ("2026-00839", "2026-00840"):
            expect(clerk.locator("tr", has_text=refused).get_by_role("button")).to_be_disabled()
        check(clerk, "clerk-board")

        clerk.goto(f"/items/{FILE_ID}")
        timeline = clerk.locator(".timeline")
        for word in ("created", "submitted", "approved", "returned", "agendized"):
            expect(timeline).to_contain_text(word)
        expect(clerk.locator("svg.lifecycle .state.current")).to_contain_text("Ready to agendize")
        screenshot(clerk, "item-history")


class TestRefusals:
    def test_other_departments_staff_cannot_open_the_edit_form(self, open_as):
        staff = open_as("staff")
        staff.goto("/items/new")
        staff.get_by_label("File ID").fill("2026-00900")
        staff.get_by_label("Title").fill("Only ours")
        staff.get_by_role("button", name="Create item").click()
        other = open_as("other_staff")
        response = other.goto("/items/2026-00900/statement")
        assert response.status == 403
        expect(other.get_by_role("heading", level=1)).to_have_text("Not allowed")
        check(other)
        other.goto("/items/2026-00900")
        expect(other.get_by_role("link", name="Edit the statement")).to_have_count(0)

    def test_a_post_without_the_csrf_token_is_refused(self, open_as):
        staff = open_as("staff")
        staff.goto("/items/new")
        staff.get_by_label("File ID").fill("2026-00901")
        staff.get_by_label("Title").fill("Guarded")
        staff.get_by_role("button", name="Create item").click()
        # the browser's own cookies, but no token: what a forged cross-site form would send
        response = staff.request.post("/items/2026-00901/statement",
                                      form={"version": "1", "proposal": "forged", "save": "1"})
        assert response.status == 400
        staff.goto("/items/2026-00901")
        expect(staff.locator("#main")).not_to_contain_text("forged")
