"""Who is signed in: server-side sessions through Flask-Login, and slowing down password guessing.

**Sessions.** A person signs in with email and password (argon2, checked by
``app.operations.people.check_password``) and gets a session: a random id
(256 bits) in the signed session cookie, whose SHA-256 is a row of
``user_sessions``. Each request looks the row up together with the user (one
query), so a session ends on the server when its row goes: signing out
deletes that session's row, and deactivation or a new password delete every
row of the user. A copied cookie then opens nothing. Why a table rather than
a per-user counter in the cookie: signing out on one device should not sign
the person out of the others, and a row per session is what a future "your
sessions" page would list.

**Guessing.** Failed sign-ins are counted by Flask-Limiter (``app.extensions.limiter``):

* per email *and* client address, quickly (``PER_EMAIL_AND_ADDRESS``): one
  client guessing one account is stopped after a few tries;
* per client address alone (``PER_ADDRESS``): one client trying many accounts;
* per email alone, only slowly (``PER_EMAIL``): a ceiling on guesses at one
  account from many addresses, set above what one address may do, so nobody
  can lock a known email out from one place.

Past a limit the sign-in is refused for a while (429), whether or not the
password is right. The client address is the real one behind a reverse proxy
only when ``REIS_TRUSTED_PROXIES`` says how many proxies stand in front;
otherwise every user would share the proxy's address and its limit. The
counters live in memory by default and in Redis in production
(``REIS_RATELIMIT_STORAGE_URL``), so every web process sees the same counts.
"""

from __future__ import annotations

from flask import Flask, request
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, UserMixin, current_user
from sqlalchemy import func, select

from app import ratelimit
from app.extensions import db, limiter
from app.models import User
from app.operations import people

# Failed attempts allowed before sign-in is refused for a while.
PER_EMAIL_AND_ADDRESS = "5 per minute; 20 per hour"
PER_ADDRESS = "30 per minute"
PER_EMAIL = "60 per hour"  # above PER_EMAIL_AND_ADDRESS's hourly 20: one address cannot reach it

login_manager = LoginManager()


class Account(UserMixin):
    """Flask-Login's view of a signed-in ``User``; ``.user`` is the row the operations take.
    Its id, which Flask-Login keeps in the session cookie, is the session's random id."""

    def __init__(self, user: User, session_id: str) -> None:
        self.user = user
        self.session_id = session_id

    def get_id(self) -> str:
        return self.session_id

    @property
    def is_active(self) -> bool:
        return bool(self.user.active)


@login_manager.user_loader
def _load(session_id: str) -> Account | None:
    user = people.user_for_session(session_id)
    return Account(user, session_id) if user is not None else None


def me() -> User:
    """The signed-in user (views run only once sign-in is checked)."""
    return current_user.user


def authenticate(email: str, password: str) -> User | None:
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None or not user.active:
        people.hash_password(password)  # the same work either way: no timing hint
        return None
    return user if people.check_password(user, password) else None


def sign_in(user: User) -> Account:
    """A new server-side session for ``user``, for ``flask_login.login_user``."""
    return Account(user, people.start_session(user))


def sign_out() -> None:
    """End this request's session on the server (its cookie is cleared by the caller)."""
    if current_user.is_authenticated:
        people.end_session(current_user.session_id)


def _email() -> str:
    return request.form.get("email", "").strip().lower()


def email_key() -> str:
    return "signin:" + _email()


def email_and_address_key() -> str:
    return f"signin:{_email()}:{get_remote_address()}"


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
