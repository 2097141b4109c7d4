"""The statement's life, on the ``transitions`` library.

The machine is the single place where states, events and their guards are
declared. It is built per decision with ``initial=`` the loaded state and
``auto_transitions=False``; it never writes anything. The operation that asks
for a decision writes the new state, the history row and the notifications in
one transaction (side effects in callbacks could not be rolled back).

Who may fire which event is not decided here: the guards ask the permission
vocabulary (``workflows.permissions``). ``decide()`` turns a refusal into the
precise error the API and the web pages show:

* 403 ``forbidden``: the actor's role or department can never do this event to
  this statement, or separation of duties forbids it;
* 409 ``invalid_transition``: the actor could do it, but not in the current state;
* 422 ``comment_required`` / ``screening_requires_full`` / ``incomplete``: a guard on
  the content failed (the screening answers do not allow the statement's form, e.g.
  the short form with a "yes" or an unanswered question).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypedDict

from transitions import Machine

from workflows.permissions import (
    SYSTEM,
    SYSTEM_ACTOR,
    Action,
    Actor,
    Facts,
    Role,
    can_ever,
    holder,
    independent,
)
from workflows.states import LIFECYCLE_EVENTS, Event, State

__all__ = ["SYSTEM", "SYSTEM_ACTOR", "Actor", "Decision", "Facts", "Refusal", "Role", "State", "decide",
           "mermaid"]

STATES = tuple(State)
#: States as a sentence names them (messages say "in department review", not "department_review").
STATE_WORDS = {
    State.DRAFT: "draft",
    State.DEPARTMENT_REVIEW: "department review",
    State.ODE_REVIEW: "ODE review",
    State.READY_TO_AGENDIZE: "ready to agendize",
}


class _Transition(TypedDict):
    trigger: str
    source: str | list[str]
    dest: str
    conditions: list[str]


# plain strings (states and events alike): transitions treats Enum members by name
_D, _DR, _OR, _R = (s.value for s in State)
_SUBMIT, _APPROVE, _RETURN, _REOPEN = (Event.SUBMIT.value, Event.APPROVE.value, Event.RETURN.value,
                                       Event.REOPEN.value)
TRANSITIONS: list[_Transition] = [
    {"trigger": _SUBMIT, "source": _D, "dest": _DR,
     "conditions": ["actor_may_act", "screening_allows", "is_complete"]},
    {"trigger": _APPROVE, "source": _DR, "dest": _OR,
     "conditions": ["actor_may_act", "actor_is_independent"]},
    {"trigger": _APPROVE, "source": _OR, "dest": _R,
     "conditions": ["actor_may_act", "actor_is_independent"]},
    {"trigger": _RETURN, "source": [_DR, _OR], "dest": _D, "conditions": ["actor_may_act", "has_comment"]},
    {"trigger": _REOPEN, "source": [_DR, _OR, _R], "dest": _D, "conditions": ["actor_may_act"]},
]

# What a failed guard means to the person who asked.
_REFUSALS = {
    "has_comment": (422, "comment_required", "Say why you are returning it: a comment is required."),
    "screening_allows": (422, "screening_requires_full",
                         "The screening answers do not allow this form: every screening question must be "
                         "answered no for the short form, and none yes for an exemption. Answer the "
                         "screening, or switch to the full statement."),
    "is_complete": (422, "incomplete", "Answer every required section before submitting."),
}
_EXTRA = {"incomplete": lambda facts: {"missing": list(facts.missing)},
          "screening_requires_full": lambda facts: {"screening": list(facts.screening_blocks)}}
_NOT_INDEPENDENT = "You submitted or last edited this statement, so someone else must approve it."
_SAME_ROUND = ("You gave this round's department approval, so someone else must give the "
               "Office of Diversity & Equity's approval.")


@dataclass(frozen=True)
class Refusal:
    status: int
    code: str
    message: str
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    event: Event
    from_state: State
    to_state: State | None = None
    refusal: Refusal | None = None
    #: whose grant the actor used, when it was not their own (a delegator's)
    on_behalf_of: Actor | None = None

    @property
    def allowed(self) -> bool:
        return self.refusal is None


class _Lifecycle:
    """The model the machine drives: holds the facts and evaluates the guards."""

    #: added by the machine: fire an event by its name; whether it moved the state
    trigger: Callable[..., bool]

    def __init__(self, facts: Facts, actor: Actor, comment: str | None) -> None:
        self.facts = facts
        self.actor = actor
        self.comment = comment
        self.state = State(facts.state).value

    def actor_may_act(self, event_data) -> bool:
        return holder(self.actor, Action(event_data.event.name), self.facts) is not None

    def actor_is_independent(self, event_data=None) -> bool:
        return independent(self.actor, self.facts)

    def has_comment(self, event_data=None) -> bool:
        return bool(self.comment and self.comment.strip())

    def screening_allows(self, event_data=None) -> bool:
        return not self.facts.screening_blocks

    def is_complete(self, event_data=None) -> bool:
        return not self.facts.missing


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


def _conditions(machine: Machine, event: Event, state: State) -> list[str] | None:
    ev = machine.events.get(event)
    if ev is None or state.value not in ev.transitions:
        return None
    # every condition is named by a string (TRANSITIONS)
    return [c.func for c in ev.transitions[state.value][0].conditions if isinstance(c.func, str)]


def decide(event: Event, facts: Facts, actor: Actor, comment: str | None = None) -> Decision:
    """Whether ``actor`` may fire ``event`` now, and if not, exactly why."""
    state = State(facts.state)
    if event not in LIFECYCLE_EVENTS:
        raise ValueError(f"{event!r} is not a lifecycle event")
    action = Action(event)
    if not can_ever(actor, action, facts.department):
        message = ("Only the system reopens a statement." if action is Action.REOPEN
                   else f"Your role may not {event} statements of department {facts.department}.")
        return Decision(event, state, refusal=Refusal(403, "forbidden", message))

    used = holder(actor, action, facts)
    model = _Lifecycle(facts, actor, comment)
    machine = build_machine(model)
    conditions = _conditions(machine, event, state)
    if conditions is None or used is None:
        return Decision(event, state, refusal=Refusal(
            409, "invalid_transition",
            f"The statement is in {STATE_WORDS[state]}; you cannot {event} it there.",
            {"state": state.value}))
    if "actor_is_independent" in conditions and not model.actor_is_independent():
        same_round = actor.id is not None and actor.id == facts.department_approved_by \
            and actor.id not in (facts.submitted_by, facts.last_edited_by)
        return Decision(event, state, refusal=Refusal(
            403, "forbidden", _SAME_ROUND if same_round else _NOT_INDEPENDENT))
    for name in conditions:
        if name in _REFUSALS and not getattr(model, name)():
            status, code, message = _REFUSALS[name]
            extra = _EXTRA[code](facts) if code in _EXTRA else {}
            return Decision(event, state, refusal=Refusal(status, code, message, extra))
    if not model.trigger(event):  # the machine re-checks every guard; it must agree
        raise AssertionError(f"guards passed but machine refused {event} from {state}")
    return Decision(event, state, to_state=State(model.state),
                    on_behalf_of=used if used is not actor else None)


def edges() -> list[tuple[State, State, str]]:
    """Every (source, destination, trigger) of the machine, in the order of ``TRANSITIONS``."""
    found: list[tuple[State, State, str]] = []
    for t in TRANSITIONS:
        sources = t["source"] if isinstance(t["source"], list) else [t["source"]]
        found += [(State(source), State(t["dest"]), t["trigger"]) for source in sources]
    return found


def mermaid(current: State | None = None) -> str:
    """The lifecycle as a Mermaid state diagram, the current state highlighted."""
    lines = ["stateDiagram-v2", f"    [*] --> {State.DRAFT.value}"]
    for source, dest, trigger in edges():
        lines.append(f"    {source.value} --> {dest.value}: {trigger}")
    if current is not None:
        lines.append("    classDef current font-weight:bold,stroke-width:3px")
        lines.append(f"    class {State(current).value} current")
    return "\n".join(lines)
