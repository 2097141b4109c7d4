"""Departments, users and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from app.db import write_transaction
from app.errors import conflict, invalid
from app.extensions import db
from app.models import ApiToken, Department, User
from app.models.user import DEPARTMENT_ROLES
from app.operations import lookup
from app.text import plain
from workflows.statement import Role

_hasher = PasswordHasher()


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
            raise conflict("exists", f"Department {code} already exists.")
        department = Department(code=code, name=name, escalation_email=escalation_email)
        db.session.add(department)
    return department


def create_user(email: str, name: str, role: str, department: str | None = None,
                password: str | None = None) -> User:
    try:
        role = Role(role)
    except ValueError:
        raise invalid({"role": f"must be one of {', '.join(r.value for r in Role)}"}) from None
    name = plain(name, "name")
    with write_transaction():
        dept = None
        if department:
            dept = lookup.department(department)
            if dept is None:
                raise invalid({"department": f"no department has code {department!r}"})
        if role in DEPARTMENT_ROLES and dept is None:
            raise invalid({"department": f"a {role.value} belongs to a department"})
        if db.session.scalar(select(User.id).where(User.email == email)) is not None:
            raise conflict("exists", f"A user with email {email} already exists.")
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
