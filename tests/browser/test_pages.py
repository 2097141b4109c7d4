"""The remaining pages: accessible, photographed, and usable at 200% zoom."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.checks import check

PAGES = [  # who, path, screenshot
    ("staff", "/notifications", "notifications"),
    ("admin", "/admin", "admin"),
    ("ode", "/review", None),
    ("clerk", "/board?date=2027-03-02", None),
    ("staff", "/", None),
]


class TestPages:
    @pytest.mark.parametrize(("who", "path", "name"), PAGES)
    def test_accessible(self, open_as, who, path, name):
        page = open_as(who)
        page.goto(path)
        check(page, name)

    def test_spanish(self, open_as):
        page = open_as("ode2")
        page.get_by_label("Language", exact=True).select_option("es")
        page.get_by_role("button", name="Change").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Todos los asuntos")
        expect(page.locator("html")).to_have_attribute("lang", "es")
        page.goto("/review")
        check(page, "review-queue-es")

    def test_spanish_before_sign_in(self, open_as):
        page = open_as(None, locale="es-MX")
        page.goto("/sign-in")
        expect(page.get_by_role("heading", level=1)).to_have_text("Iniciar sesión")
        check(page)

    @pytest.mark.parametrize("path", ["/", "/items/new", "/board?date=2027-03-02", "/notifications",
                                      "/admin", "/screening-rules", "/review"])
    def test_usable_at_200_percent_zoom(self, open_as, path):
        """1280 CSS pixels at 200% leave 640: the page reflows with no sideways scrolling
        (a wide table scrolls inside its own box), and the skip link comes first."""
        page = open_as("admin", viewport={"width": 640, "height": 450}, device_scale_factor=2)
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 200% zoom"
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent.trim()")
        assert focused == "Skip to main content"
