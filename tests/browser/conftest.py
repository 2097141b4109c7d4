"""A real server and Debian's Chromium, driven by Playwright.

The app runs on a SQLite file in a thread (werkzeug's ``make_server`` on a
free port), exactly as ``reis run`` would serve it. The browser is the
system's ``/usr/bin/chromium``: Playwright never downloads one. Without
Chromium these tests skip and say so, except in CI, where that fails.
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from app import create_app
from app.extensions import db

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("REIS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # one line per request drowns the test output
        pass


@pytest.fixture(scope="session")
def chromium_path() -> str:
    from tests.conftest import service_missing

    path = shutil.which(CHROMIUM) or shutil.which("chromium")
    if path is None:
        service_missing(f"Chromium is not installed ({CHROMIUM}); apt-get install chromium")
    return path


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The app on a real HTTP server; yields (base URL, app)."""
    from flask_migrate import upgrade

    database = tmp_path_factory.mktemp("browser") / "reis.sqlite3"
    app = create_app({"ENV": "testing", "DATABASE_URL": f"sqlite:///{database}",
                      "SECRET_KEY": "browser-" + uuid.uuid4().hex})
    with app.app_context():
        upgrade()
    http = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{http.server_port}", app
    finally:
        http.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="session")
def world(server):
    """Departments and people (one of each role), all with the same password."""
    from tests.factories import World
    from tests.integration.web_helpers import give_passwords

    _base, app = server
    with app.app_context():
        world = World.build()
        give_passwords()
        for person in world.people.values():
            db.session.refresh(person.user)  # loaded now, readable once the session is gone
        db.session.remove()
    return world


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_as(browser, server, world):
    """``open_as("staff")``: a new browser context signed in as that person; closed afterwards."""
    from tests.integration.web_helpers import PASSWORD

    base, _app = server
    contexts = []

    def sign_in(who: str | None, **context_options):
        options = {"viewport": {"width": 1280, "height": 900}, **context_options}
        context = browser.new_context(base_url=base, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if who is not None:
            page.goto("/sign-in")
            page.get_by_label("Email").fill(world[who].email)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{base}/")
        return page

    yield sign_in
    for context in contexts:
        context.close()
