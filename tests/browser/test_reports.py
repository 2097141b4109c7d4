"""The reports page and the public dashboard in Chromium: accessible (axe), no script, usable at
200% zoom (the charts and their tables reflow; a wide table scrolls in its own box), and
photographed for the README."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import User
from app.operations import gate, report_backs, statements
from tests.browser.checks import check


@pytest.fixture(scope="module")
def follow_through(server, world):
    """Two published items with report-backs (one reported), one returned on the way, one in review."""
    _base, app = server
    meeting = date(2027, 5, 4)
    with app.app_context():
        clerk, staff, approver = (db.session.get(User, world[who].user.id)
                                  for who in ("clerk", "staff", "approver"))
        world.item("2026-09001", state="ready_to_agendize", meeting_date=meeting)
        gate.agendize(clerk, "2026-09001")
        report_backs.report(staff, "2026-09001", 1, "2,400 renter households enrolled by May.")
        world.item("2026-09002", state="department_review", meeting_date=meeting)
        statements.fire_event(approver, "2026-09002", "return", "Say more about the data.")
        world.item("2026-09003", state="ode_review", meeting_date=meeting, department="CDD")
        world.item("2026-09004", state="ready_to_agendize", meeting_date=meeting, form="short")
        gate.agendize(clerk, "2026-09004")
    return meeting


def test_the_reports_page(open_as, follow_through):
    page = open_as("ode")
    page.goto("/reports")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    expect(page.get_by_role("img", name="Statements by state")).to_be_visible()
    expect(page.get_by_role("link", name="Download the figures (CSV, one row per statement)")).to_be_visible()
    page.get_by_role("heading", name="In short").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, document.querySelector('#summary-heading')"
                  ".getBoundingClientRect().top)")
    check(page, "reports")


def test_the_public_dashboard(open_as, follow_through):
    page = open_as(None)
    page.goto("/public/")
    page.get_by_role("link", name="equity dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Equity dashboard")
    expect(page.get_by_text("2,400 renter households enrolled by May.")).to_be_visible()
    page.evaluate("window.scrollBy(0, document.querySelector('.charts').getBoundingClientRect().top)")
    check(page, "public-dashboard")


@pytest.mark.parametrize(("who", "path"), [("ode", "/reports"), (None, "/public/dashboard")])
def test_usable_at_200_percent_zoom(open_as, follow_through, who, path):
    page = open_as(who, viewport={"width": 640, "height": 450}, device_scale_factor=2)
    page.goto(path)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 200% zoom"
