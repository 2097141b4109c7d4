"""What every page visited by the browser tests must pass, and its screenshot."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import SCREENSHOTS

_axe = Axe()
SERIOUS = ("serious", "critical")


def accessible(page) -> None:
    """axe-core (shipped inside axe-playwright-python, nothing fetched): no serious or critical violation."""
    results = _axe.run(page)
    bad = [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3])
           for v in results.response["violations"] if v["impact"] in SERIOUS]
    assert not bad, f"{page.url}: {bad}"


def no_script(page) -> None:
    """Everything works without JavaScript: the pages ship none."""
    assert page.locator("script").count() == 0, page.url


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def check(page, name: str | None = None) -> None:
    accessible(page)
    no_script(page)
    if name:
        screenshot(page, name)
