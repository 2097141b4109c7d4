"""Naming, reading and revoking delegations.

A department approver or an ODE reviewer names their own delegate; an
administrator names one for anyone who may delegate (someone away who could
not do it themselves). Naming a delegate revokes the delegator's earlier
delegation, so each person has at most one in force. The rules of who may be
named live in ``workflows.delegation``; a refusal changes nothing.
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import gettext
from sqlalchemy import func, select

from app import dates, delegates
from app.db import write_transaction
from app.errors import forbidden, invalid, not_found
from app.extensions import db
from app.models import Delegation, User
from app.models.base import utcnow
from app.models.notification import NotificationKind
from app.operations import deciders, notify
from app.permissions import Action, can, can_ever
from workflows import delegation as rules
from workflows.statement import Role


def _person(user: User) -> rules.Person:
    return rules.Person(id=user.id, role=Role(user.role),
                        department=user.department.code if user.department else None, active=user.active)


def _may_manage(actor: User, delegator: User) -> None:
    """Oneself with the ``delegate`` grant, or anyone's (who could delegate) as an admin."""
    if actor.id == delegator.id:
        if not can_ever(actor, Action.DELEGATE):
            raise forbidden("Only department approvers and ODE reviewers name a delegate.")
        return
    if not can(actor, Action.ADMINISTER):
        raise forbidden("Only administrators name a delegate for someone else.")
    if Role(delegator.role) not in rules.DELEGATING_ROLES:
        raise invalid({"delegator": "only department approvers and ODE reviewers have a delegate"})


def max_days() -> int:
    return int(current_app.config.get("REIS_DELEGATION_MAX_DAYS", rules.DEFAULT_MAX_DAYS))


def current(actor: User, delegator: User) -> Delegation:
    """The delegator's delegation in force or to come, or 404."""
    _may_manage(actor, delegator)
    found = delegates.current(delegator)
    if found is None:
        raise not_found(f"{delegator.email} has named no delegate.")
    return found


def set_delegate(actor: User, delegator: User, delegate_email: str, starts: date, ends: date) -> Delegation:
    """Name ``delegate_email`` for ``delegator`` from ``starts`` to ``ends`` (City dates, inclusive)."""
    with write_transaction():
        _may_manage(actor, delegator)
        wanted = delegate_email.strip().lower()
        delegate = db.session.scalar(select(User).where(func.lower(User.email) == wanted))
        problems = rules.problems(_person(delegator), _person(delegate) if delegate else None, starts, ends,
                                  max_days())
        if problems:
            raise invalid({k: gettext(v, days=max_days()) for k, v in problems.items()})
        assert delegate is not None
        now = utcnow()
        for old in db.session.scalars(select(Delegation).where(Delegation.delegator_id == delegator.id,
                                                               Delegation.revoked_at.is_(None))):
            old.revoked_at = now
        row = Delegation(delegator_id=delegator.id, delegate_id=delegate.id, starts=starts, ends=ends,
                         created_by_id=actor.id, created_at=now)
        db.session.add(row)
        db.session.flush()
        _tell_delegate(row, actor)
        _recheck_stalls()
    return row


def revoke(actor: User, delegator: User) -> None:
    """End the delegator's delegation (404 when there is none in force or to come)."""
    with write_transaction():
        found = current(actor, delegator)
        found.revoked_at = utcnow()
        _recheck_stalls()


def _tell_delegate(row: Delegation, actor: User) -> None:
    delegate, delegator = row.delegate, row.delegator
    if delegate.id == actor.id:
        return
    with notify.in_language(delegate.language):
        starts, ends = dates.long_date(row.starts), dates.long_date(row.ends)
        message = gettext(
            "%(name)s (%(email)s) named you their delegate from %(starts)s to %(ends)s: you may approve "
            "and return what they could, and you receive their reminders.",
            name=delegator.name, email=delegator.email, starts=starts, ends=ends)
        subject = gettext("[REIS] You are %(name)s's delegate from %(starts)s", name=delegator.name,
                          starts=starts)
    deciders.insert_once([{
        "user_id": delegate.id, "email": delegate.email, "kind": NotificationKind.DELEGATED,
        "statement_id": None, "dedupe_key": f"delegated:{row.id}",
        "subject": subject,
        "payload": {"delegator": delegator.email, "starts": row.starts.isoformat(),
                    "ends": row.ends.isoformat(), "message": message},
        "created_at": utcnow(), "email_status": "pending", "attempts": 0, "next_attempt_at": utcnow()}])


def _recheck_stalls() -> None:
    """A delegation can start or end a stall: re-stamp the statements in review."""
    deciders.recheck(utcnow())


def to_dict(row: Delegation) -> dict:
    today = dates.today()
    return {"delegator": row.delegator.email, "delegate": row.delegate.email,
            "starts": row.starts.isoformat(), "ends": row.ends.isoformat(),
            "active": row.span.active_on(today),
            "created_by": row.created_by.email if row.created_by else None,
            "created_at": row.created_at.isoformat()}
