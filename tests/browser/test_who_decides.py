"""The approver-on-leave story in a real browser: DOU's approver names a delegate on their
account page before leaving, the delegate finds the submitted statement in their queue and
approves it, and the item's history says on whose behalf. (JavaScript off: the pages ship none.)"""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.checks import check

FILE_ID = "2026-09101"  # its own: the browser tests share one database
NO_SCRIPT = {"java_script_enabled": False}


def test_an_approver_on_leave_names_a_delegate_who_approves(open_as, server, world):
    _base, app = server
    with app.app_context():
        world.item(FILE_ID, state="department_review")  # staff submitted it
    approver = open_as("approver", **NO_SCRIPT)
    approver.goto("/account")
    today = date.today()
    approver.get_by_label("Delegate's email").fill("staff2@test.reis")
    approver.get_by_label("First day").fill(today.isoformat())
    approver.get_by_label("Last day").fill((today + timedelta(days=7)).isoformat())
    approver.get_by_role("button", name="Name my delegate").click()
    expect(approver.locator("#current-delegation")).to_contain_text("staff2@test.reis")
    with_js = open_as("approver")  # axe-core runs in the page: JavaScript on for the check
    with_js.goto("/account")
    check(with_js, "account-delegation")
    try:
        delegate = open_as("staff2", **NO_SCRIPT)
        delegate.goto("/review")
        delegate.get_by_role("link", name=f"Review {FILE_ID}").click()
        delegate.get_by_role("button", name="Approve").click()
        delegate.goto(f"/items/{FILE_ID}")
        expect(delegate.locator("#history-heading + ol")).to_contain_text("Staff2 on behalf of Approver")
        checked = open_as("staff2")
        checked.goto(f"/items/{FILE_ID}")
        check(checked)
        checked.locator("#history-heading").scroll_into_view_if_needed()
        check(checked, "item-history-on-behalf")
    finally:
        approver.goto("/account")
        if approver.get_by_role("button", name="Revoke my delegation").count():
            approver.get_by_role("button", name="Revoke my delegation").click()
