"""Departments, users and their credentials: passwords, API tokens, web sessions and the
calendar feed's generation.

Every credential is checked against the database on every use, and each can be
ended on its own: a session by deleting its row (``end_session``), all of a
user's sessions at once (``end_sessions``: deactivation, a new password), API
tokens by ``revoke_tokens``, the calendar-feed URL by ``rotate_feed``. Only
hashes of the random secrets are stored, so a copy of the database signs nobody in.
"""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext
from sqlalchemy import delete, select, update

from app.db import write_transaction
from app.errors import conflict, invalid
from app.extensions import db
from app.models import ApiToken, Department, User, UserSession
from app.models.base import utcnow
from app.models.user import DEPARTMENT_ROLES
from app.operations import lookup
from app.text import plain, strip_bidi
from workflows.i18n import N_, Text
from workflows.statement import Role

_hasher = PasswordHasher()
#: a password's length, in characters (a passphrase is welcome; argon2 takes any length)
PASSWORD_MIN, PASSWORD_MAX = 10, 1000


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(user: User, password: str) -> bool:
    if not user.password_hash:
        return False
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def create_department(code: str, name: str, escalation_email: str | None = None) -> Department:
    name = plain(name, "name")
    with write_transaction():
        if lookup.department(code) is not None:
            raise conflict("exists", gettext("Department %(code)s already exists.", code=code))
        department = Department(code=code, name=name, escalation_email=escalation_email)
        db.session.add(department)
    return department


def create_user(email: str, name: str, role: str, department: str | None = None,
                password: str | None = None) -> User:
    try:
        role = Role(role)
    except ValueError:
        raise invalid({"role": Text(N_("must be one of %(values)s"),
                                    {"values": ", ".join(r.value for r in Role)})}) from None
    name = plain(name, "name")
    if strip_bidi(email) != email:  # an address is shown as who acted: it may not turn text around
        raise invalid({"email": "must not contain direction marks"})
    with write_transaction():
        dept = None
        if department:
            dept = lookup.department(department)
            if dept is None:
                raise invalid({"department": Text(N_("no department has code “%(code)s”"),
                                                  {"code": department})})
        if role in DEPARTMENT_ROLES and dept is None:
            raise invalid({"department": "staff and department approvers belong to a department"})
        if db.session.scalar(select(User.id).where(User.email == email)) is not None:
            raise conflict("exists", gettext("A user with email %(email)s already exists.", email=email))
        user = User(email=email, name=name, role=role, department=dept, active=True,
                    password_hash=hash_password(password) if password else None)
        db.session.add(user)
    return user


def issue_token(user: User, name: str = "") -> str:
    """A new API token; only its hash is kept, so this is the one time it is seen."""
    token = secrets.token_urlsafe(32)
    with write_transaction():
        db.session.add(ApiToken(user_id=user.id, token_hash=hash_token(token), name=name))
    return token


def user_for_token(token: str) -> User | None:
    return db.session.scalar(
        select(User).join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None),
               User.active.is_(True)))


def revoke_tokens(user_id: int) -> None:
    """Revoke every live API token of the user (in the caller's transaction)."""
    db.session.execute(update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
                       .values(revoked_at=utcnow()))


def start_session(user: User) -> str:
    """A new web session for ``user``; the random id goes into the signed session cookie."""
    session_id = secrets.token_urlsafe(32)
    with write_transaction():
        db.session.add(UserSession(user_id=user.id, id_hash=hash_token(session_id)))
    return session_id


def user_for_session(session_id: str) -> User | None:
    """The active user whose session this is (one query, on every signed-in request)."""
    return db.session.scalar(
        select(User).join(UserSession, UserSession.user_id == User.id)
        .where(UserSession.id_hash == hash_token(session_id), User.active.is_(True)))


def end_session(session_id: str) -> None:
    with write_transaction():
        db.session.execute(delete(UserSession).where(UserSession.id_hash == hash_token(session_id)))


def end_sessions(user_id: int) -> None:
    """End every web session of the user, on every device (in the caller's transaction)."""
    db.session.execute(delete(UserSession).where(UserSession.user_id == user_id))


def rotate_feed(user: User) -> User:
    """A new calendar-feed URL for the user: every earlier one stops working."""
    with write_transaction():
        row = db.session.get(User, user.id, populate_existing=True)
        assert row is not None, "the user asking is a row"
        row.feed_generation += 1
    return row
