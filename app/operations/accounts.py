"""A person's own settings and the admin's changes to people.

The web pages call these; they check who may do what, like every operation,
so a page can never do more than the rule here allows.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import select

from app.db import write_transaction
from app.errors import forbidden, invalid, not_found
from app.extensions import db
from app.models import User
from app.models.user import DEPARTMENT_ROLES, Language, NotifyMode
from app.operations import lookup
from workflows.statement import Role


def set_preferences(actor: User, *, language: str | None = None, notify_mode: str | None = None) -> User:
    """The actor's language (pages and mail) and mail mode (each notification, or a daily digest).

    The API (``PUT /me/preferences``) and the settings page both call this.
    """
    problems = {name: f"must be one of {', '.join(m.value for m in kind)}"
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
    """Deactivate (or reactivate) a user: a deactivated one can neither sign in nor use a token."""
    _require_admin(actor)
    if actor.id == user_id and not active:
        raise invalid({"active": "you cannot deactivate yourself"})
    with write_transaction():
        user = _user(user_id)
        user.active = active
    return user


def change_role(actor: User, user_id: int, role: str, department: str | None) -> User:
    _require_admin(actor)
    try:
        role = Role(role)
    except ValueError:
        raise invalid({"role": f"must be one of {', '.join(r.value for r in Role)}"}) from None
    if actor.id == user_id and role is not Role.ADMIN:
        raise invalid({"role": "you cannot take the admin role from yourself"})
    with write_transaction():
        user = _user(user_id)
        dept = lookup.department(department) if department else None
        if department and dept is None:
            raise invalid({"department": f"no department has code {department!r}"})
        if role in DEPARTMENT_ROLES and dept is None:
            raise invalid({"department": f"a {role.value} belongs to a department"})
        user.role, user.department = role, dept
    return user


def _require_admin(actor: User) -> None:
    if actor.role != Role.ADMIN:
        raise forbidden("Only administrators manage users.")


def _user(user_id: int) -> User:
    user = db.session.scalar(select(User).where(User.id == user_id))
    if user is None:
        raise not_found(f"No user has id {user_id}.")
    return user
