"""Who may do what: every grant of the engine, as data, and the few functions that read it.

Operations, pages and the API ask only these functions (through
``app.permissions``, which turns rows into ``Facts``), so a button a page shows
is a request the operation accepts, and a rule changes in one place.

A grant is ``{Role: Scope}``: the roles that may take an action, each either on
its own department's items or on any. Lifecycle actions have a grant per state.
A *delegate* holds, besides their own grants, the ``approve`` and ``return``
grants of each person who delegated to them for today (``Actor.delegators``);
separation of duties always looks at the person who acts, never at whose grant
they use.

The system (the reopen on an item change, the Legistar import) is an actor with
no role and its own short list of actions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from workflows.states import REVIEW_STATES, State

if TYPE_CHECKING:
    from typing_extensions import TypeIs


class Role(StrEnum):
    STAFF = "staff"
    DEPARTMENT_APPROVER = "department_approver"
    ODE_REVIEWER = "ode_reviewer"
    CLERK = "clerk"
    ADMIN = "admin"


class Scope(StrEnum):
    OWN_DEPARTMENT = "own_department"
    ANY = "any"


class Action(StrEnum):
    CREATE_ITEM = "create_item"
    #: change an item, and its statement while it is a draft
    EDIT = "edit"
    #: read the answers and history of a statement that has never been submitted
    READ_DRAFT = "read_draft"
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    REOPEN = "reopen"
    AGENDIZE = "agendize"  # and unagendize
    ADMINISTER = "administer"  # people and departments
    #: name the item types whose items start as exemption requests (ODE's screening rules)
    SET_SCREENING_RULES = "set_screening_rules"
    #: name a delegate for oneself (an administrator names one for anyone: ADMINISTER)
    DELEGATE = "delegate"
    #: give a statement in ODE review to an ODE reviewer (claim it, reassign it)
    ASSIGN = "assign"
    #: report (or correct) the result of a report-back the item's department owes
    REPORT_BACK = "report_back"
    #: read the metrics, the /reports page and the annual report (facts: the department asked about)
    SEE_REPORTS = "see_reports"
    #: write the annual progress report's narratives
    WRITE_NARRATIVE = "write_narrative"


@dataclass(frozen=True)
class Actor:
    """Whoever acts: a user (id, role, department code) or the system (no id, no role).

    ``delegators`` are the people whose approve/return grants this person holds
    today (see ``DELEGABLE``); each is an ``Actor`` in its own right.
    """

    id: int | None
    role: Role | None
    department: str | None = None
    delegators: tuple[Actor, ...] = ()

    @property
    def is_system(self) -> bool:
        return self.id is None and self.role is None


SYSTEM = Actor(id=None, role=None)
SYSTEM_ACTOR = "system"  # how the system is named in the history and the API


@dataclass(frozen=True)
class Facts:
    """What the rules need to know about one statement (and its item)."""

    state: State
    department: str
    submitted_by: int | None = None
    last_edited_by: int | None = None
    #: who gave the department approval of the current round, if anyone yet
    department_approved_by: int | None = None
    #: whether the statement has ever left draft
    ever_submitted: bool = False
    missing: Sequence[str] = ()
    #: the screening answers that stop the statement's form from being submitted
    screening_blocks: Sequence[str] = ()


Grant = Mapping[Role, Scope]

_AUTHORS: Grant = {Role.STAFF: Scope.OWN_DEPARTMENT, Role.DEPARTMENT_APPROVER: Scope.OWN_DEPARTMENT,
                   Role.ADMIN: Scope.ANY}
_DEPARTMENT_REVIEWERS: Grant = {Role.DEPARTMENT_APPROVER: Scope.OWN_DEPARTMENT, Role.ADMIN: Scope.ANY}
_ODE_REVIEWERS: Grant = {Role.ODE_REVIEWER: Scope.ANY, Role.ADMIN: Scope.ANY}
_REVIEWERS: Mapping[State, Grant] = {State.DEPARTMENT_REVIEW: _DEPARTMENT_REVIEWERS,
                                      State.ODE_REVIEW: _ODE_REVIEWERS}

#: The one table. A value is a grant, or (lifecycle actions) a grant per state.
GRANTS: Mapping[Action, Grant | Mapping[State, Grant]] = {
    Action.CREATE_ITEM: _AUTHORS,
    Action.EDIT: _AUTHORS,
    Action.READ_DRAFT: {**_AUTHORS, Role.ODE_REVIEWER: Scope.ANY, Role.CLERK: Scope.ANY},
    Action.SUBMIT: {State.DRAFT: _AUTHORS},
    Action.APPROVE: _REVIEWERS,
    Action.RETURN: _REVIEWERS,
    Action.AGENDIZE: {Role.CLERK: Scope.ANY, Role.ADMIN: Scope.ANY},
    Action.ADMINISTER: {Role.ADMIN: Scope.ANY},
    Action.SET_SCREENING_RULES: _ODE_REVIEWERS,
    Action.DELEGATE: {Role.DEPARTMENT_APPROVER: Scope.ANY, Role.ODE_REVIEWER: Scope.ANY},  # their own
    Action.ASSIGN: _ODE_REVIEWERS,  # only in ODE review: the operation says 409 in any other state
    Action.REPORT_BACK: {Role.STAFF: Scope.OWN_DEPARTMENT, Role.DEPARTMENT_APPROVER: Scope.OWN_DEPARTMENT},
    Action.SEE_REPORTS: {Role.ODE_REVIEWER: Scope.ANY, Role.CLERK: Scope.ANY, Role.ADMIN: Scope.ANY,
                         Role.DEPARTMENT_APPROVER: Scope.OWN_DEPARTMENT},
    Action.WRITE_NARRATIVE: _ODE_REVIEWERS,
}

#: What the system may do: reopen a statement when its item changes, (the Legistar
#: import) create and change any department's items, and (an operator, on the command
#: line) set the screening rules.
SYSTEM_ACTIONS = frozenset({Action.REOPEN, Action.CREATE_ITEM, Action.EDIT, Action.SET_SCREENING_RULES})

#: The grants a delegate holds on behalf of the person who named them.
DELEGABLE = frozenset({Action.APPROVE, Action.RETURN})

#: Actions bound by separation of duties (see ``independent``).
INDEPENDENT_ACTIONS = frozenset({Action.APPROVE})


def _per_state(entry: Grant | Mapping[State, Grant]) -> TypeIs[Mapping[State, Grant]]:
    """Whether a table entry is a grant per state (the lifecycle actions) rather than one grant."""
    return bool(entry) and all(isinstance(key, State) for key in entry)


def _grant(action: Action, state: State | None) -> Grant:
    entry = GRANTS.get(action, {})
    if _per_state(entry):
        return entry.get(state, {}) if state is not None else {}
    return entry


def _grants_of(action: Action) -> list[Grant]:
    """Every grant of ``action``, whatever the state."""
    entry = GRANTS.get(action, {})
    if _per_state(entry):
        return list(entry.values())
    return [entry]


def _covers(grant: Grant, who: Actor, department: str | None) -> bool:
    scope = grant.get(who.role) if who.role is not None else None
    if scope is None:
        return False
    return scope is Scope.ANY or (department is not None and who.department == department)


def _people(actor: Actor, action: Action) -> tuple[Actor, ...]:
    """The actor, then whoever lends them this action's grant today."""
    return (actor, *actor.delegators) if action in DELEGABLE else (actor,)


def holder(actor: Actor, action: Action, facts: Facts | None = None) -> Actor | None:
    """Whose grant lets ``actor`` take ``action`` on this statement now: the actor's own
    (returned first when both would do), a delegator's, or nobody (None).

    Only grants are asked here (role, department, state); see ``can`` for the rest.
    """
    if actor.is_system:
        return actor if action in SYSTEM_ACTIONS else None
    grant = _grant(action, facts.state if facts is not None else None)
    department = facts.department if facts is not None else None
    return next((who for who in _people(actor, action) if _covers(grant, who, department)), None)


def independent(actor: Actor, facts: Facts) -> bool:
    """Separation of duties: nobody approves what they submitted or last edited, and the
    ODE approval of a round comes from someone other than its department approval."""
    if actor.id is None or actor.id in (facts.submitted_by, facts.last_edited_by):
        return False
    return not (facts.state is State.ODE_REVIEW and actor.id == facts.department_approved_by)


def can(actor: Actor, action: Action, facts: Facts | None = None) -> bool:
    """May ``actor`` take ``action`` on this statement (or, with no facts, at all) now?"""
    if holder(actor, action, facts) is None:
        return False
    return action not in INDEPENDENT_ACTIONS or (facts is not None and independent(actor, facts))


def can_read(actor: Actor, facts: Facts) -> bool:
    """Any signed-in person reads a statement that has been submitted; a statement that
    has never left draft is for its department, ODE, the clerks and the admins."""
    if actor.role is None:
        return False
    return facts.ever_submitted or can(actor, Action.READ_DRAFT, facts)


def can_ever(actor: Actor, action: Action, department: str | None = None) -> bool:
    """Could ``actor`` take ``action`` in some state (on ``department``'s items, when given)?

    Tells "never, for you" (403) from "not now" (409), and decides which menus a person sees.
    """
    if actor.is_system:
        return action in SYSTEM_ACTIONS
    return any(_covers(grant, who, department if department is not None else who.department)
               for grant in _grants_of(action) for who in _people(actor, action))


def queues(actor: Actor) -> list[tuple[State, str | None]]:
    """The review queues a person works: (state, department code, or None for all of them).

    Whoever may approve in a review state works its queue, for the departments their
    grant (or a delegator's) reaches.
    """
    found: list[tuple[State, str | None]] = []
    for state in REVIEW_STATES:
        grant = _grant(Action.APPROVE, state)
        scopes = {who.department: grant[who.role] for who in _people(actor, Action.APPROVE)
                  if who.role is not None and who.role in grant}
        if Scope.ANY in scopes.values():
            found.append((state, None))
        else:
            found.extend((state, department) for department in scopes if department is not None)
    return found


def decider_roles(state: State) -> Grant:
    """The roles whose job the next decision in ``state`` is (admins can always step in,
    but it is not their job): who is told, reminded, and counted as an eligible decider."""
    return {role: scope for role, scope in _grant(Action.APPROVE, state).items() if role is not Role.ADMIN}
