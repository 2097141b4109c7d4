"""Proportionate review in a real browser: screening leads to the short form, which is approved
like any statement; ODE approves a page of exemption requests at once; ODE's rules page.

Every page on the way is checked with axe-core and photographed for the README.
"""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from tests.browser.checks import check
from tests.browser.test_journey import fill_statement
from workflows.screening import QUESTIONS

MEETING = "2027-04-06"


class TestShortForm:
    def test_screening_then_the_short_form_then_two_approvals(self, open_as):
        staff = open_as("staff")
        staff.get_by_role("link", name="New item").click()
        staff.get_by_label("File ID").fill("2026-00850")
        staff.get_by_label("Title").fill("Share anonymized water-quality results with the regional network")
        staff.get_by_label("Meeting date").fill(MEETING)
        staff.get_by_label("Fiscal statement (Financial Considerations)").fill("No cost.")
        staff.get_by_role("button", name="Create item").click()

        # the screening: every answer no, then the short form
        expect(staff.locator("#screening-heading")).to_be_visible()
        for question in QUESTIONS:
            staff.get_by_role("group", name=question.question).get_by_label("No").check()
        staff.get_by_role("radio", name=re.compile("^Short form")).check()
        staff.locator("#summary").fill("The City will share water test results, with no personal data.")
        staff.locator("#form-name-hint").scroll_into_view_if_needed()
        check(staff, "statement-screening")
        staff.get_by_role("button", name="Save draft").click()
        expect(staff.locator(".flash--success")).to_contain_text("now uses the short form")
        expect(staff.locator(".form-name")).to_have_text("Short form")
        expect(staff.locator("#short_form_reason")).to_be_visible()
        expect(staff.locator("#summary")).to_have_value(
            "The City will share water test results, with no personal data.")
        fill_statement(staff, "short")
        how = staff.locator("section.question", has=staff.locator("#engagement_levels_how-title"))
        how.get_by_text("See an example answer").click()
        staff.locator("#engagement_levels-0").scroll_into_view_if_needed()
        check(staff, "statement-short-form")
        staff.get_by_role("button", name="Submit for review").click()
        expect(staff.locator(".status-line")).to_contain_text("Department review")
        expect(staff.locator(".status-line")).to_contain_text("Short form")

        approver = open_as("approver")
        approver.get_by_role("link", name="Review queue").click()
        approver.get_by_role("link", name=re.compile("Review 2026-00850")).click()
        expect(approver.locator(".form-name")).to_have_text("Short form")
        approver.get_by_role("button", name="Approve").click()
        expect(approver.locator(".flash--success")).to_be_visible()

        ode = open_as("ode")
        ode.get_by_role("link", name="Review queue").click()
        ode.get_by_role("link", name=re.compile("Review 2026-00850")).click()
        ode.locator("#statement-heading").scroll_into_view_if_needed()
        check(ode, "review-short-form")
        ode.get_by_role("button", name="Approve").click()
        expect(ode.locator(".flash--success")).to_contain_text("2026-00850 approved")
        ode.goto("/items/2026-00850")
        expect(ode.locator(".status-line")).to_contain_text("Ready to agendize")

    def test_a_yes_keeps_the_short_form_from_being_submitted(self, open_as):
        staff = open_as("staff")
        staff.goto("/items/new")
        staff.get_by_label("File ID").fill("2026-00851")
        staff.get_by_label("Title").fill("A fee change")
        staff.get_by_role("button", name="Create item").click()
        staff.get_by_role("group", name=QUESTIONS[2].question).get_by_label("Yes").check()
        staff.get_by_role("radio", name=re.compile("^Short form")).check()
        staff.get_by_role("button", name="Save draft").click()
        fill_statement(staff, "short")
        staff.get_by_role("button", name="Submit for review").click()
        expect(staff.locator("#problems")).to_contain_text("do not allow the short form")
        expect(staff.locator("#screening_rules-error")).to_contain_text("calls for the full statement")
        check(staff)


class TestExemptions:
    def test_ode_approves_a_page_of_exemption_requests(self, open_as, server, world):
        _base, app = server
        with app.app_context():
            for n in range(860, 864):
                world.item(f"2026-00{n}", state="ode_review", form="exemption",
                           meeting_date=date.fromisoformat(MEETING))
            world.item("2026-00864", state="ode_review", meeting_date=date.fromisoformat(MEETING))
        ode = open_as("ode")
        ode.get_by_role("link", name="Review queue").click()
        batch = ode.locator("form.exemption-batch")
        expect(batch.locator("input[type=checkbox]")).to_have_count(4)
        expect(batch).not_to_contain_text("2026-00864")
        ode.get_by_role("link", name="Select all").first.click()
        for box in batch.locator("input[type=checkbox]").all():
            expect(box).to_be_checked()
        batch.get_by_label("Select 2026-00863").uncheck()
        check(ode, "review-queue-exemptions")
        ode.get_by_role("button", name="Approve selected").click()
        expect(ode.locator(".flash--success")).to_contain_text(
            "3 exemption requests approved: 2026-00860, 2026-00861, 2026-00862.")
        expect(ode.locator("form.exemption-batch input[type=checkbox]")).to_have_count(1)
        ode.goto("/items/2026-00860")
        expect(ode.locator(".status-line")).to_contain_text("Ready to agendize")
        expect(ode.locator(".status-line")).to_contain_text("Exemption request")
        ode.locator("#statement-heading").scroll_into_view_if_needed()
        check(ode, "item-exemption")

    def test_ode_sets_a_rule_and_the_next_item_of_that_type_is_an_exemption(self, open_as, server, world):
        _base, app = server
        with app.app_context():  # item types as the Legistar import brings them
            types = ("Consent Agenda", "Ceremonial Item", "Resolution", "Consent Agenda")
            for n, item_type in enumerate(types):
                world.item(f"2026-0088{n}", item_type=item_type)
        ode = open_as("ode")
        ode.get_by_role("link", name="Screening rules").click()
        ode.get_by_label("Another item type").fill("Proclamation")
        ode.get_by_label("Its exemption category").select_option("ceremonial")
        ode.get_by_label("Exemption category for Ceremonial Item").select_option("ceremonial")
        ode.get_by_role("button", name="Save the rules").click()
        expect(ode.locator(".flash--success")).to_contain_text("Screening rules saved")
        expect(ode.get_by_label("Exemption category for Consent Agenda")).to_have_value("")
        expect(ode.get_by_role("row", name=re.compile("Proclamation"))).to_be_visible()
        check(ode, "screening-rules")

        staff = open_as("staff")
        staff.goto("/items/new")
        staff.get_by_label("File ID").fill("2026-00870")
        staff.get_by_label("Title").fill("Proclamation: Arbor Week")
        staff.get_by_label("Item type").fill("proclamation")
        staff.get_by_role("button", name="Create item").click()
        expect(staff.locator(".form-name")).to_have_text("Exemption request")
        expect(staff.locator("#exemption_category-0")).to_be_checked()
        expect(staff.locator("#summary")).to_have_value("Proclamation: Arbor Week")
