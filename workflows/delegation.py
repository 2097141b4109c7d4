"""Delegation and who may decide now: pure rules on plain values.

A department approver or an ODE reviewer names a *delegate* for a span of City
dates, both inclusive. While the span holds, the delegate carries the
delegator's ``approve`` and ``return`` grants (``workflows.permissions.DELEGABLE``)
and gets the delegator's notifications and reminders; the delegator keeps
their own powers. Who may be named:

* for a department approver: an active person of the same department who is
  not a clerk (staff or another approver);
* for an ODE reviewer: another active ODE reviewer;
* never oneself, and for at most ``max_days`` days.

``eligible`` answers "who may take the next decision now", with separation of
duties applied: a statement in a review state with nobody eligible is *stalled*.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from workflows.i18n import N_
from workflows.permissions import Action, Actor, Facts, Role, can, decider_roles
from workflows.states import REVIEW_STATES, State

#: the default longest span (days, both ends counted); REIS_DELEGATION_MAX_DAYS changes it
DEFAULT_MAX_DAYS = 90
#: the roles that may name a delegate for themself
DELEGATING_ROLES = frozenset({Role.DEPARTMENT_APPROVER, Role.ODE_REVIEWER})


@dataclass(frozen=True)
class Person:
    """What the rules need to know about someone who delegates or is named."""

    id: int
    role: Role
    department: str | None
    active: bool = True

    @property
    def actor(self) -> Actor:
        return Actor(id=self.id, role=self.role, department=self.department)


@dataclass(frozen=True)
class Span:
    starts: date
    ends: date
    revoked: bool = False

    def active_on(self, day: date) -> bool:
        """Does the delegation hold on City date ``day`` (both ends included)?"""
        return not self.revoked and self.starts <= day <= self.ends


def problems(delegator: Person, delegate: Person | None, starts: date, ends: date,
             max_days: int = DEFAULT_MAX_DAYS) -> dict[str, str]:
    """Why this delegation cannot be made, field by field (empty: it can).

    The messages are marked for translation; the app translates them when shown.
    """
    found: dict[str, str] = {}
    if delegate is None:
        found["delegate"] = N_("There is no such person.")
    elif delegate.id == delegator.id:
        found["delegate"] = N_("You cannot name yourself as your own delegate.")
    elif not delegate.active:
        found["delegate"] = N_("This person's account is deactivated.")
    elif delegator.role is Role.ODE_REVIEWER and delegate.role is not Role.ODE_REVIEWER:
        found["delegate"] = N_("An ODE reviewer's delegate must be another ODE reviewer.")
    elif delegator.role is Role.DEPARTMENT_APPROVER and (
            delegate.role not in (Role.STAFF, Role.DEPARTMENT_APPROVER)
            or delegate.department != delegator.department):
        found["delegate"] = N_("A department approver's delegate must be an active member of the same "
                               "department (not a clerk).")
    if ends < starts:
        found["ends"] = N_("The last day must not be before the first day.")
    elif (ends - starts).days + 1 > max_days:
        found["ends"] = N_("A delegation may last at most %(days)s days.")
    return found


def with_delegators(actor: Actor, delegators: Iterable[Actor]) -> Actor:
    """``actor`` holding, besides their own grants, those delegated to them today."""
    return Actor(id=actor.id, role=actor.role, department=actor.department,
                 delegators=tuple(delegators))


def eligible(facts: Facts, candidates: Iterable[Actor]) -> list[int]:
    """The ids of the ``candidates`` whose job the next decision is and who may approve now.

    A candidate counts when their own role (or a delegator's) is a decider role of the
    state, not merely an admin's power, and separation of duties lets them approve.
    Outside the review states nobody is eligible.
    """
    if facts.state not in REVIEW_STATES:
        return []
    roles = decider_roles(State(facts.state))
    found = []
    for actor in candidates:
        if actor.id is None:
            continue
        jobs = [who for who in (actor, *actor.delegators) if who.role in roles]
        as_decider = Actor(id=actor.id, role=None, department=None, delegators=tuple(jobs))
        if jobs and can(as_decider, Action.APPROVE, facts):
            found.append(actor.id)
    return found


def stalled(facts: Facts, eligible_ids: list[int]) -> bool:
    """A statement in a review state that nobody can decide now is stalled."""
    return facts.state in REVIEW_STATES and not eligible_ids
