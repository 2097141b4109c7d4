"""Who stands in for whom today: the delegations that hold on the City's date.

The permission vocabulary (``workflows.permissions``) takes a person as an
``Actor`` with the ``delegators`` whose grants they hold today; this module
builds that from the ``delegations`` table, and answers the inverse question
(whose delegates are told and reminded). It only reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from app import dates
from app.extensions import db
from app.models import Delegation, User
from workflows.delegation import with_delegators
from workflows.permissions import Actor, Role

#: the roles whose grants can be lent (only they can be delegators)
_LENDERS = (Role.DEPARTMENT_APPROVER, Role.ODE_REVIEWER)
#: the roles that can be named a delegate
_BORROWERS = frozenset({Role.STAFF, Role.DEPARTMENT_APPROVER, Role.ODE_REVIEWER})


def _holding(day: date):
    """Delegations that hold on ``day``, between two active people."""
    return (select(Delegation).join(User, User.id == Delegation.delegator_id)
            .where(Delegation.revoked_at.is_(None), Delegation.starts <= day, Delegation.ends >= day,
                   User.active.is_(True), User.role.in_(_LENDERS)))


def delegators_of(user: User, day: date | None = None) -> list[User]:
    """The people whose approve/return grants ``user`` holds on ``day`` (default: today)."""
    if not user.active or Role(user.role) not in _BORROWERS:
        return []
    rows = db.session.scalars(_holding(day or dates.today())
                              .where(Delegation.delegate_id == user.id).order_by(Delegation.id))
    return [row.delegator for row in rows]


def actor(user: User, day: date | None = None) -> Actor:
    """``user`` as the permission vocabulary sees them on ``day``: with today's delegators."""
    return with_delegators(user.actor, [d.actor for d in delegators_of(user, day)])


def delegates_of(delegator_ids: Iterable[int], day: date | None = None) -> dict[int, list[User]]:
    """For each of these people, their active delegates on ``day`` (default: today)."""
    ids = sorted(set(delegator_ids))
    if not ids:
        return {}
    found: dict[int, list[User]] = {}
    for row in db.session.scalars(_holding(day or dates.today())
                                  .where(Delegation.delegator_id.in_(ids)).order_by(Delegation.id)):
        if row.delegate.active:
            found.setdefault(row.delegator_id, []).append(row.delegate)
    return found


def with_delegates(people: list[User], day: date | None = None) -> list[User]:
    """``people`` followed by their active delegates, each once."""
    extra = delegates_of((p.id for p in people), day)
    out = {p.id: p for p in people}
    for person in people:
        for delegate in extra.get(person.id, []):
            out.setdefault(delegate.id, delegate)
    return list(out.values())


def current(delegator: User) -> Delegation | None:
    """The delegator's delegation that is not revoked and has not ended (City dates)."""
    return db.session.scalars(
        select(Delegation).where(Delegation.delegator_id == delegator.id, Delegation.revoked_at.is_(None),
                                 Delegation.ends >= dates.today())
        .order_by(Delegation.id.desc()).limit(1)).first()
