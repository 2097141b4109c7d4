"""Who is signed in: Flask-Login sessions, and slowing down password guessing.

A person signs in with email and password (argon2, checked by
``app.operations.people.check_password``). The session keeps only the user's
id; each request reloads the user, so a deactivated account is signed out on
its next click. Failed sign-ins are counted by Flask-Limiter, per email
address and per client address: after a few failures in a minute further
attempts are refused for a while (429), whether or not the password is right.
The counters live in memory by default and in Redis in production
(``REIS_RATELIMIT_STORAGE_URL``), so every web process sees the same counts.
"""

from __future__ import annotations

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, UserMixin, current_user
from sqlalchemy import func, select

from app import ratelimit
from app.extensions import db
from app.models import User
from app.operations import people

# Failed attempts allowed before sign-in is refused for a while.
PER_EMAIL = "5 per minute; 20 per hour"
PER_ADDRESS = "30 per minute"

login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=False)


class Account(UserMixin):
    """Flask-Login's view of a ``User``; ``.user`` is the row the operations take."""

    def __init__(self, user: User) -> None:
        self.user = user

    def get_id(self) -> str:
        return str(self.user.id)

    @property
    def is_active(self) -> bool:
        return bool(self.user.active)


@login_manager.user_loader
def _load(user_id: str) -> Account | None:
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    return Account(user) if user is not None and user.active else None


def me() -> User:
    """The signed-in user (views run only once sign-in is checked)."""
    return current_user.user


def authenticate(email: str, password: str) -> User | None:
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None or not user.active:
        people.hash_password(password)  # the same work either way: no timing hint
        return None
    return user if people.check_password(user, password) else None


def email_key() -> str:
    return "signin:" + request.form.get("email", "").strip().lower()


def failed(response) -> bool:
    """Only failed sign-ins count (a success redirects)."""
    return response.status_code != 303


def init_app(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REIS_RATELIMIT_STORAGE_URL"])
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "reis")
    limiter.init_app(app)
    ratelimit.init_app(app)  # failed API tokens, counted in the same storage
    login_manager.init_app(app)
    login_manager.login_view = "web.login"
    login_manager.session_protection = "basic"
