"""What a person needs in reach, in a real browser, with JavaScript off (the pages ship none):
the clerk board on a 390-pixel phone, the review decision beside a long statement, and the
statement form's Save and Submit wherever one is in the form. (axe-core and the layout
measurements run in the page, so those checks open the page again with JavaScript on.)"""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.checks import check
from workflows import questionnaire

PHONE = {"viewport": {"width": 390, "height": 844}, "java_script_enabled": False}
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "java_script_enabled": False}


@pytest.fixture(scope="module")
def items(server, world):
    """A meeting with an item of each kind for the board, and a statement to review and to write."""
    _base, app = server
    meeting = date(2027, 4, 6)
    with app.app_context():
        world.item("2026-01001", state="ready_to_agendize", meeting_date=meeting,
                   title="A long title about the citywide tree canopy program and its maintenance")
        world.item("2026-01002", state="ode_review", meeting_date=meeting, fiscal=None)
        world.item("2026-01003", meeting_date=meeting)
        world.item("2026-01004", state="department_review", meeting_date=meeting)
        world.item("2026-01005", meeting_date=meeting)
        world.item("2026-01006", meeting_date=meeting)
    return meeting


def sideways_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


class TestBoardOnAPhone:
    def test_verdicts_and_agenda_buttons_are_on_screen_at_390_px(self, open_as, items):
        page = open_as("clerk", **{**PHONE, "java_script_enabled": True})  # to measure the layout
        page.goto(f"/board?date={items.isoformat()}")
        assert sideways_overflow(page) <= 0
        wrap = page.locator(".table-wrap")
        assert wrap.evaluate("e => e.scrollWidth - e.clientWidth") <= 0, "the table scrolls sideways"
        rows = page.locator("table.board tbody tr")
        assert rows.count() == 6
        for i in range(rows.count()):
            for cell in (".board__verdict", ".board__agenda"):
                box = rows.nth(i).locator(cell).bounding_box()
                assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, (i, cell, box)
        expect(rows.first.get_by_role("button", name="Agendize 2026-01001")).to_be_enabled()
        expect(page.locator("table.board tbody tr", has_text="2026-01002")).to_contain_text(
            "needs ODE's approval")
        check(page, "clerk-board-phone")


class TestReviewDecisionInReach:
    def test_the_decision_stays_on_screen_while_reading(self, open_as, items):
        page = open_as("approver", **DESKTOP)
        page.goto("/items/2026-01004/review")
        approve = page.get_by_role("button", name="Approve")
        expect(approve).to_be_in_viewport()
        page.get_by_role("heading", name="Sustainability").scroll_into_view_if_needed()
        page.keyboard.press("End")  # the foot of sixteen answers
        expect(page.get_by_role("heading", name="Sustainability")).to_be_in_viewport()
        expect(approve).to_be_in_viewport()
        expect(page.get_by_role("heading", name="The conversation so far")).to_be_visible()

    def test_on_a_phone_a_link_at_the_top_leads_to_it(self, open_as, items):
        page = open_as("approver", **PHONE)
        page.goto("/items/2026-01004/review")
        page.get_by_role("link", name="Go to your decision").click()
        expect(page.get_by_role("heading", name="Your decision")).to_be_in_viewport()
        expect(page.get_by_role("button", name="Approve")).to_be_in_viewport()
        measured = open_as("approver", **{**PHONE, "java_script_enabled": True})
        measured.goto("/items/2026-01004/review")
        assert sideways_overflow(measured) <= 0
        check(measured, "review-page-phone")


class TestStatementActionsInReach:
    @pytest.mark.parametrize(("options", "file_id"), [(DESKTOP, "2026-01005"), (PHONE, "2026-01006")],
                             ids=["desktop", "phone"])
    def test_save_and_submit_are_on_screen_at_the_top_middle_and_end(self, open_as, items, options,
                                                                    file_id):
        page = open_as("staff", **options)
        page.goto(f"/items/{file_id}/statement")
        save = page.get_by_role("button", name="Save draft")
        submit = page.get_by_role("button", name="Submit for review")
        required = sum(1 for s in questionnaire.SECTIONS if s.required)
        expect(page.get_by_text(f"0 of {required} required sections answered")).to_be_visible()
        for _ in range(3):  # the top of the page, then further and further down the form
            expect(save).to_be_in_viewport()
            expect(submit).to_be_in_viewport()
            page.mouse.wheel(0, 2500)
        page.keyboard.press("End")
        expect(save).to_be_in_viewport()
        section = questionnaire.SECTIONS[-1]
        page.locator(f"#{section.key}").fill("Funding continues through the general fund.")
        save.click()  # a plain form post: no JavaScript needed
        expect(page.locator(".flash--success")).to_contain_text("Draft saved.")
        expect(page.get_by_text(f"1 of {required} required sections answered")).to_be_visible()
        measured = open_as("staff", **{**options, "java_script_enabled": True})
        measured.goto(f"/items/{file_id}/statement")
        assert sideways_overflow(measured) <= 0
        check(measured, "statement-form-phone" if options is PHONE else None)
