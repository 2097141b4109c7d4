"""The statement's life, on the ``transitions`` library.

The machine is the single place where states, events and their guards are
declared. It is built per decision with ``initial=`` the loaded state and
``auto_transitions=False``; it never writes anything. The operation that asks
for a decision writes the new state, the history row and the notifications in
one transaction (side effects in callbacks could not be rolled back).

Who may do what is declared once in ``EVENT_PERMISSIONS``; ``decide()`` turns a
refusal into the precise error the API and the web pages show:

* 403 ``forbidden``: the actor's role or department can never do this event to
  this statement, or separation of duties forbids it;
* 409 ``invalid_transition``: the actor could do it, but not in the current state;
* 422 ``comment_required`` / ``incomplete``: a guard on the content failed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from transitions import Machine


class State(StrEnum):
    DRAFT = "draft"
    DEPARTMENT_REVIEW = "department_review"
    ODE_REVIEW = "ode_review"
    READY_TO_AGENDIZE = "ready_to_agendize"


class Role(StrEnum):
    STAFF = "staff"
    DEPARTMENT_APPROVER = "department_approver"
    ODE_REVIEWER = "ode_reviewer"
    CLERK = "clerk"
    ADMIN = "admin"


STATES = tuple(State)
#: States as a sentence names them (messages say "in department review", not "department_review").
STATE_WORDS = {
    State.DRAFT: "draft",
    State.DEPARTMENT_REVIEW: "department review",
    State.ODE_REVIEW: "ODE review",
    State.READY_TO_AGENDIZE: "ready to agendize",
}
USER_EVENTS = ("submit", "approve", "return")
SYSTEM_EVENTS = ("reopen",)
SYSTEM_ACTOR = "system"

# Scope of a grant: the actor's department must be the statement's, or any.
OWN_DEPARTMENT = "own_department"
ANY_DEPARTMENT = "any"

_DEPARTMENT_AUTHORS = {
    Role.STAFF: OWN_DEPARTMENT,
    Role.DEPARTMENT_APPROVER: OWN_DEPARTMENT,
    Role.ADMIN: ANY_DEPARTMENT,
}
_DEPARTMENT_REVIEWERS = {Role.DEPARTMENT_APPROVER: OWN_DEPARTMENT, Role.ADMIN: ANY_DEPARTMENT}
_ODE_REVIEWERS = {Role.ODE_REVIEWER: ANY_DEPARTMENT, Role.ADMIN: ANY_DEPARTMENT}

#: (event, from state) -> {role: scope}. The one permission table for the lifecycle.
EVENT_PERMISSIONS: dict[tuple[str, State], dict[Role, str]] = {
    ("submit", State.DRAFT): _DEPARTMENT_AUTHORS,
    ("approve", State.DEPARTMENT_REVIEW): _DEPARTMENT_REVIEWERS,
    ("approve", State.ODE_REVIEW): _ODE_REVIEWERS,
    ("return", State.DEPARTMENT_REVIEW): _DEPARTMENT_REVIEWERS,
    ("return", State.ODE_REVIEW): _ODE_REVIEWERS,
}

#: Who may edit an item and its draft statement.
EDITORS = _DEPARTMENT_AUTHORS

_D, _DR, _OR, _R = (s.value for s in State)  # plain strings: transitions treats Enum members by name
TRANSITIONS = [
    {"trigger": "submit", "source": _D, "dest": _DR, "conditions": ["actor_may_act", "is_complete"]},
    {"trigger": "approve", "source": _DR, "dest": _OR,
     "conditions": ["actor_may_act", "actor_is_independent"]},
    {"trigger": "approve", "source": _OR, "dest": _R,
     "conditions": ["actor_may_act", "actor_is_independent"]},
    {"trigger": "return", "source": [_DR, _OR], "dest": _D, "conditions": ["actor_may_act", "has_comment"]},
    {"trigger": "reopen", "source": [_DR, _OR, _R], "dest": _D, "conditions": ["actor_is_system"]},
]

# What a failed guard means to the person who asked.
_REFUSALS = {
    "actor_may_act": (403, "forbidden", "You may not {event} this statement."),
    "actor_is_independent": (
        403, "forbidden",
        "You submitted or last edited this statement, so someone else must approve it.",
    ),
    "has_comment": (422, "comment_required", "Say why you are returning it: a comment is required."),
    "is_complete": (422, "incomplete", "Answer every required section before submitting."),
    "actor_is_system": (403, "forbidden", "Only the system reopens a statement."),
}


@dataclass(frozen=True)
class Actor:
    """Whoever acts: a user (id, role, department code) or the system (id None)."""

    id: int | None
    role: Role | None
    department: str | None = None

    @property
    def is_system(self) -> bool:
        return self.id is None and self.role is None


SYSTEM = Actor(id=None, role=None)


@dataclass(frozen=True)
class Facts:
    """What the rules need to know about one statement."""

    state: State
    department: str
    submitted_by: int | None = None
    last_edited_by: int | None = None
    missing: Sequence[str] = ()


@dataclass(frozen=True)
class Refusal:
    status: int
    code: str
    message: str
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    event: str
    from_state: State
    to_state: State | None = None
    refusal: Refusal | None = None

    @property
    def allowed(self) -> bool:
        return self.refusal is None


def grants(role: Role | None, department: str | None, target_department: str,
           table: dict[Role, str]) -> bool:
    """True when ``table`` lets this role (in this department) act on the target's department."""
    if role is None or role not in table:
        return False
    return table[role] == ANY_DEPARTMENT or department == target_department


def can_edit(actor: Actor, department: str) -> bool:
    return grants(actor.role, actor.department, department, EDITORS)


class _Lifecycle:
    """The model the machine drives: holds the facts and evaluates the guards."""

    def __init__(self, facts: Facts, actor: Actor, comment: str | None) -> None:
        self.facts = facts
        self.actor = actor
        self.comment = comment
        self.state = State(facts.state).value

    def actor_may_act(self, event_data=None) -> bool:
        table = EVENT_PERMISSIONS.get((self._event(event_data), State(self.state)), {})
        return grants(self.actor.role, self.actor.department, self.facts.department, table)

    def actor_is_independent(self, event_data=None) -> bool:
        return self.actor.id is not None and self.actor.id not in (
            self.facts.submitted_by, self.facts.last_edited_by)

    def has_comment(self, event_data=None) -> bool:
        return bool(self.comment and self.comment.strip())

    def is_complete(self, event_data=None) -> bool:
        return not self.facts.missing

    def actor_is_system(self, event_data=None) -> bool:
        return self.actor.is_system

    def _event(self, event_data) -> str:
        return event_data.event.name if event_data is not None else self._pending_event

    _pending_event = ""


def build_machine(model: _Lifecycle) -> Machine:
    return Machine(
        model=model,
        states=[s.value for s in STATES],
        transitions=TRANSITIONS,
        initial=model.state,
        auto_transitions=False,
        send_event=True,
        model_attribute="state",
    )


def _conditions(machine: Machine, event: str, state: State) -> list[str] | None:
    ev = machine.events.get(event)
    if ev is None or state.value not in ev.transitions:
        return None
    return [c.func for c in ev.transitions[state.value][0].conditions]


def _ever_allowed(event: str, actor: Actor, department: str) -> bool:
    return any(
        grants(actor.role, actor.department, department, table)
        for (ev, _state), table in EVENT_PERMISSIONS.items() if ev == event
    )


def decide(event: str, facts: Facts, actor: Actor, comment: str | None = None) -> Decision:
    """Whether ``actor`` may fire ``event`` now, and if not, exactly why."""
    state = State(facts.state)
    if event in SYSTEM_EVENTS and not actor.is_system:
        return Decision(event, state, refusal=Refusal(403, "forbidden", _REFUSALS["actor_is_system"][2]))
    if event not in SYSTEM_EVENTS and not _ever_allowed(event, actor, facts.department):
        return Decision(event, state, refusal=Refusal(
            403, "forbidden", f"Your role may not {event} statements of department {facts.department}."))

    model = _Lifecycle(facts, actor, comment)
    machine = build_machine(model)
    conditions = _conditions(machine, event, state)
    model._pending_event = event
    if conditions is None or (not actor.is_system and not model.actor_may_act()):
        return Decision(event, state, refusal=Refusal(
            409, "invalid_transition",
            f"The statement is in {STATE_WORDS[state]}; you cannot {event} it there.",
            {"state": state.value}))
    for name in conditions:
        if not getattr(model, name)():
            status, code, message = _REFUSALS[name]
            extra = {"missing": list(facts.missing)} if code == "incomplete" else {}
            return Decision(event, state, refusal=Refusal(status, code, message.format(event=event), extra))
    if not model.trigger(event):  # the machine re-checks every guard; it must agree
        raise AssertionError(f"guards passed but machine refused {event} from {state}")
    return Decision(event, state, to_state=State(model.state))


def mermaid(current: State | None = None) -> str:
    """The lifecycle as a Mermaid state diagram, the current state highlighted."""
    lines = ["stateDiagram-v2", f"    [*] --> {State.DRAFT.value}"]
    for t in TRANSITIONS:
        sources = t["source"] if isinstance(t["source"], list) else [t["source"]]
        for source in sources:
            lines.append(f"    {State(source).value} --> {State(t['dest']).value}: {t['trigger']}")
    if current is not None:
        lines.append("    classDef current font-weight:bold,stroke-width:3px")
        lines.append(f"    class {State(current).value} current")
    return "\n".join(lines)
