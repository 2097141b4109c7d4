"""Driving the web pages through Flask's test client, as a browser would:
sign in with a password, read the CSRF token from the page, post forms."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from argon2 import PasswordHasher
from sqlalchemy import update

from app.extensions import db
from app.models import User

PASSWORD = "correct horse battery staple"
_TOKEN = re.compile(r'name="(?:[\w-]+-)?csrf_token"[^>]*value="([^"]+)"')


@lru_cache(maxsize=1)
def _password_hash() -> str:
    """An argon2 hash with the cheapest parameters: verifying reads them from the hash,
    so sign-ins in tests take milliseconds instead of the production second."""
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)


def give_passwords() -> None:
    """The world's people are made without passwords; give them all the same one."""
    db.session.execute(update(User).values(password_hash=_password_hash()))
    db.session.commit()


def csrf_from(page: str) -> str:
    match = _TOKEN.search(page)
    assert match, "the page has no CSRF token"
    return html.unescape(match.group(1))


def text(page: str) -> str:
    """The page's visible words, tags removed and whitespace collapsed."""
    without_tags = re.sub(r"<[^>]+>", " ", page)
    return " ".join(html.unescape(without_tags).split())


class WebUser:
    """One browser session: a test client with its own cookies.

    Each request runs in an application context of its own, as under a real
    server: otherwise the test's context (and its ``g``, where Flask-Login and
    Flask-Babel keep the request's user and locale) would be shared by every
    request of every client.
    """

    def __init__(self, app, email: str | None = None, address: str = "127.0.0.1",
                 headers: dict[str, str] | None = None) -> None:
        self.app = app
        self.client = app.test_client()
        self.email = email
        self.token = None
        self.address = address  # the client's IP address, as the server sees it
        self.headers = headers or {}  # sent with every request (e.g. a proxy's X-Forwarded-For)

    def open(self, path: str, method: str = "GET", **kwargs):
        kwargs.setdefault("environ_base", {"REMOTE_ADDR": self.address})
        kwargs["headers"] = {**self.headers, **kwargs.get("headers", {})}
        with self.app.app_context():
            response = self.client.open(path, method=method, **kwargs)
            response.get_data()
            response.close()  # static files are streamed from an open file
        db.session.rollback()  # the test's own session now sees what the request wrote
        return response

    def sign_in(self, password: str = PASSWORD, next_path: str | None = None):
        page = self.open("/sign-in")
        target = "/sign-in" + (f"?next={next_path}" if next_path else "")
        return self.open(target, "POST", data={
            "csrf_token": csrf_from(page.text), "email": self.email, "password": password})

    def get(self, path: str, **kwargs):
        response = self.open(path, **kwargs)
        if _TOKEN.search(response.text):
            self.token = csrf_from(response.text)
        return response

    def post(self, path: str, data: dict | None = None, *, csrf: bool = True, **kwargs):
        data = dict(data or {})
        if csrf:
            if self.token is None:
                self.get("/")
            data.setdefault("csrf_token", self.token)
        return self.open(path, "POST", data=data, **kwargs)


def statement_fields(answers: dict) -> dict:
    """Answers as the statement page's fields post them: a list as repeated values, explanations
    as one field per choice (``key-choice``), indicators as rows of fields (``key-N-field``)."""
    fields: dict = {}
    for key, value in answers.items():
        if isinstance(value, dict):
            fields.update({f"{key}-{choice}": text for choice, text in value.items()})
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for n, row in enumerate(value):
                fields.update({f"{key}-{n}-{name}": cell for name, cell in row.items()})
        else:
            fields[key] = value if isinstance(value, (str, list)) else str(value)
    return fields


def signed_in(app, person) -> WebUser:
    user = WebUser(app, person.email)
    response = user.sign_in()
    assert response.status_code == 303, response.text
    return user
