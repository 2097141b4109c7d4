"""A person's own settings and the admin's changes to people.

The web pages call these; they check who may do what, like every operation,
so a page can never do more than the rule here allows.
"""

from __future__ import annotations

from enum import StrEnum

from flask_babel import gettext
from sqlalchemy import select

from app.db import write_transaction
from app.errors import invalid, not_found
from app.extensions import db
from app.models import User
from app.models.base import utcnow
from app.models.user import DEPARTMENT_ROLES, Language, NotifyMode
from app.operations import deciders, lookup, people
from app.permissions import Action, require
from workflows.i18n import N_, Text
from workflows.statement import Role


def set_preferences(actor: User, *, language: str | None = None, notify_mode: str | None = None) -> User:
    """The actor's language (pages and mail) and mail mode (each notification, or a daily digest).

    The API (``PUT /me/preferences``) and the settings page both call this.
    """
    problems = {name: Text(N_("must be one of %(values)s"), {"values": ", ".join(m.value for m in kind)})
                for name, value, kind in (("language", language, Language),
                                          ("notify_mode", notify_mode, NotifyMode))
                if value is not None and not _one_of(kind, value)}
    if problems:
        raise invalid(problems)
    with write_transaction():
        user = _user(actor.id)
        if language is not None:
            user.language = Language(language)
        if notify_mode is not None:
            user.notify_mode = NotifyMode(notify_mode)
    return user


def _one_of(kind: type[StrEnum], value: object) -> bool:
    return isinstance(value, str) and value in {m.value for m in kind}


def set_active(actor: User, user_id: int, active: bool) -> User:
    """Deactivate (or reactivate) a user. Deactivation ends every web session, revokes every
    API token and retires the calendar-feed URL, so reactivation restores none of them: the
    person signs in again and asks for new tokens."""
    _require_admin(actor)
    if actor.id == user_id and not active:
        raise invalid({"active": "you cannot deactivate yourself"})
    with write_transaction():
        user = _user(user_id)
        if user.active and not active:
            people.end_sessions(user.id)
            people.revoke_tokens(user.id)
            user.feed_generation += 1
        user.active = active
        db.session.flush()
        deciders.recheck(utcnow())  # a departure can leave a statement with nobody to decide it
    return user


def set_password(actor: User, user_id: int, password: str, current_password: str | None = None) -> User:
    """A new password: one's own (saying the current one), or anyone's as an admin. Every web
    session of that user ends, on every device; whoever changed their own password is given
    a new session by the page."""
    if actor.id != user_id:
        _require_admin(actor)
    elif not people.check_password(actor, current_password or ""):
        raise invalid({"current_password": "is not your current password"})
    if not people.PASSWORD_MIN <= len(password) <= people.PASSWORD_MAX:
        raise invalid({"password": Text(N_("must be %(min)s to %(max)s characters"),
                                        {"min": people.PASSWORD_MIN, "max": people.PASSWORD_MAX})})
    digest = people.hash_password(password)  # the slow part, before the transaction
    with write_transaction():
        user = _user(user_id)
        user.password_hash = digest
        people.end_sessions(user.id)
    return user


def change_role(actor: User, user_id: int, role: str, department: str | None) -> User:
    _require_admin(actor)
    try:
        role = Role(role)
    except ValueError:
        raise invalid({"role": Text(N_("must be one of %(values)s"),
                                    {"values": ", ".join(r.value for r in Role)})}) from None
    if actor.id == user_id and role is not Role.ADMIN:
        raise invalid({"role": "you cannot take the admin role from yourself"})
    with write_transaction():
        user = _user(user_id)
        dept = lookup.department(department) if department else None
        if department and dept is None:
            raise invalid({"department": Text(N_("no department has code “%(code)s”"), {"code": department})})
        if role in DEPARTMENT_ROLES and dept is None:
            raise invalid({"department": "staff and department approvers belong to a department"})
        user.role, user.department = role, dept
        db.session.flush()
        deciders.recheck(utcnow())
    return user


def _require_admin(actor: User) -> None:
    require(actor, Action.ADMINISTER, None, "Only administrators manage users.")


def _user(user_id: int) -> User:
    user = db.session.scalar(select(User).where(User.id == user_id))
    if user is None:
        raise not_found(gettext("No user has id %(id)s.", id=user_id))
    return user
