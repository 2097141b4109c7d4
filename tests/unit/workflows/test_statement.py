"""The statement lifecycle's rules, without a database.

The truth table below is written out by hand from API.md, cell by cell, and
never computed from ``workflows.statement``: if the code and the table
disagree, one of them is wrong and a person must decide which.
"""

from __future__ import annotations

import pytest

from workflows.permissions import GRANTS, Action
from workflows.statement import (
    SYSTEM,
    TRANSITIONS,
    Actor,
    Facts,
    Role,
    State,
    decide,
    mermaid,
)

DRAFT, DR, OR, READY = "draft", "department_review", "ode_review", "ready_to_agendize"
STATES = (DRAFT, DR, OR, READY)
EVENTS = ("submit", "approve", "return", "reopen")

# The item belongs to DOU. Ids are arbitrary but distinct.
STAFF_ID, OTHER_STAFF_ID, APPROVER_ID, OTHER_APPROVER_ID, ODE_ID, CLERK_ID, ADMIN_ID = range(1, 8)
ACTORS = {
    "staff": Actor(STAFF_ID, Role.STAFF, "DOU"),
    "other_staff": Actor(OTHER_STAFF_ID, Role.STAFF, "CDD"),
    "approver": Actor(APPROVER_ID, Role.DEPARTMENT_APPROVER, "DOU"),
    "other_approver": Actor(OTHER_APPROVER_ID, Role.DEPARTMENT_APPROVER, "CDD"),
    "ode": Actor(ODE_ID, Role.ODE_REVIEWER),
    "clerk": Actor(CLERK_ID, Role.CLERK),
    "admin": Actor(ADMIN_ID, Role.ADMIN),
    "system": SYSTEM,
}
ROLES = tuple(ACTORS)

#: Each cell: a state name (allowed, the statement goes there), 403 (``forbidden``:
#: this role/department can never do that event to this statement) or 409
#: (``invalid_transition``: it could, but not in this state).
#: Columns:          staff     other_staff  approver other_approver  ode   clerk  admin   system
TRUTH_TABLE: dict[tuple[str, str], tuple] = {
    (DRAFT, "submit"):   (DR,      403,     DR,      403,          403,   403,   DR,     403),
    (DRAFT, "approve"):  (403,     403,     409,     403,          409,   403,   409,    403),
    (DRAFT, "return"):   (403,     403,     409,     403,          409,   403,   409,    403),
    (DRAFT, "reopen"):   (403,     403,     403,     403,          403,   403,   403,    409),
    (DR, "submit"):      (409,     403,     409,     403,          403,   403,   409,    403),
    (DR, "approve"):     (403,     403,     OR,      403,          409,   403,   OR,     403),
    (DR, "return"):      (403,     403,     DRAFT,   403,          409,   403,   DRAFT,  403),
    (DR, "reopen"):      (403,     403,     403,     403,          403,   403,   403,    DRAFT),
    (OR, "submit"):      (409,     403,     409,     403,          403,   403,   409,    403),
    (OR, "approve"):     (403,     403,     409,     403,          READY, 403,   READY,  403),
    (OR, "return"):      (403,     403,     409,     403,          DRAFT, 403,   DRAFT,  403),
    (OR, "reopen"):      (403,     403,     403,     403,          403,   403,   403,    DRAFT),
    (READY, "submit"):   (409,     403,     409,     403,          403,   403,   409,    403),
    (READY, "approve"):  (403,     403,     409,     403,          409,   403,   409,    403),
    (READY, "return"):   (403,     403,     409,     403,          409,   403,   409,    403),
    (READY, "reopen"):   (403,     403,     403,     403,          403,   403,   403,    DRAFT),
}
REFUSAL_CODES = {403: "forbidden", 409: "invalid_transition"}
COMMENT = "Please say more about community engagement."


def cells():
    for (state, event), row in TRUTH_TABLE.items():
        for role, expected in zip(ROLES, row, strict=True):
            yield pytest.param(state, event, role, expected, id=f"{state}-{event}-{role}")


def facts(state: str, **overrides) -> Facts:
    """A complete statement of DOU, written and (past draft) submitted by staff."""
    values = {"state": State(state), "department": "DOU", "last_edited_by": STAFF_ID,
              "submitted_by": None if state == DRAFT else STAFF_ID, "missing": ()}
    values.update(overrides)
    return Facts(**values)


class TestTruthTable:
    def test_the_table_covers_every_state_event_and_role(self):
        assert set(TRUTH_TABLE) == {(s, e) for s in STATES for e in EVENTS}
        assert {s.value for s in State} == set(STATES)
        assert all(len(row) == len(ROLES) for row in TRUTH_TABLE.values())

    @pytest.mark.parametrize(("state", "event", "role", "expected"), list(cells()))
    def test_cell(self, state, event, role, expected):
        comment = COMMENT if event in ("return", "reopen") else None
        decision = decide(event, facts(state), ACTORS[role], comment)
        assert decision.event == event
        assert decision.from_state == State(state)
        if isinstance(expected, str):
            assert decision.allowed, decision.refusal
            assert decision.refusal is None
            assert decision.to_state == State(expected)
        else:
            assert not decision.allowed
            assert decision.to_state is None
            assert (decision.refusal.status, decision.refusal.code) == (expected,
                                                                     REFUSAL_CODES[expected])
            assert decision.refusal.message.strip()
            if expected == 409:
                assert decision.refusal.extra == {"state": state}


class TestContentGuards:
    @pytest.mark.parametrize("comment", [None, "", " ", "\n\t  "])
    @pytest.mark.parametrize(("state", "role"), [(DR, "approver"), (DR, "admin"), (OR, "ode"),
                                                 (OR, "admin")])
    def test_return_needs_a_non_blank_comment(self, state, role, comment):
        decision = decide("return", facts(state), ACTORS[role], comment)
        assert (decision.refusal.status, decision.refusal.code) == (422, "comment_required")

    def test_a_comment_of_one_visible_character_is_enough(self):
        assert decide("return", facts(DR), ACTORS["approver"], " x ").to_state == State.DRAFT

    def test_forbidden_beats_a_missing_comment(self):
        decision = decide("return", facts(DR), ACTORS["staff"], None)
        assert decision.refusal.code == "forbidden"

    def test_wrong_state_beats_a_missing_comment(self):
        decision = decide("return", facts(DRAFT), ACTORS["approver"], "")
        assert (decision.refusal.status, decision.refusal.code) == (409, "invalid_transition")

    @pytest.mark.parametrize("role", ["staff", "approver", "admin"])
    def test_submit_needs_every_required_section(self, role):
        decision = decide("submit", facts(DRAFT, missing=("proposal", "sustainability")),
                          ACTORS[role])
        assert (decision.refusal.status, decision.refusal.code) == (422, "incomplete")
        assert decision.refusal.extra == {"missing": ["proposal", "sustainability"]}

    def test_forbidden_beats_incomplete(self):
        decision = decide("submit", facts(DRAFT, missing=("proposal",)), ACTORS["other_staff"])
        assert decision.refusal.code == "forbidden"

    def test_wrong_state_beats_incomplete(self):
        decision = decide("submit", facts(DR, missing=("proposal",)), ACTORS["staff"])
        assert decision.refusal.code == "invalid_transition"

    @pytest.mark.parametrize("role", ["staff", "approver", "admin"])
    def test_submit_needs_a_screening_that_allows_the_form(self, role):
        decision = decide("submit", facts(DRAFT, screening_blocks=("spending", "rules")), ACTORS[role])
        assert (decision.refusal.status, decision.refusal.code) == (422, "screening_requires_full")
        assert decision.refusal.extra == {"screening": ["spending", "rules"]}

    def test_the_screening_is_reported_before_missing_sections(self):
        """Whoever must switch to the full form learns that first: its sections are others."""
        decision = decide("submit", facts(DRAFT, screening_blocks=("services",), missing=("summary",)),
                          ACTORS["staff"])
        assert decision.refusal.code == "screening_requires_full"

    def test_forbidden_and_wrong_state_beat_the_screening(self):
        blocked = {"screening_blocks": ("services",)}
        assert decide("submit", facts(DRAFT, **blocked), ACTORS["other_staff"]).refusal.code == "forbidden"
        assert decide("submit", facts(DR, **blocked), ACTORS["staff"]).refusal.code == "invalid_transition"

    @pytest.mark.parametrize("state", [DR, OR])
    def test_the_screening_binds_only_the_submit(self, state):
        """Once submitted, a statement is decided on as it is: approvals do not re-screen it."""
        decision = decide("approve", facts(state, screening_blocks=("services",)),
                          ACTORS["approver" if state == DR else "ode"])
        assert decision.allowed

    def test_approve_needs_no_comment(self):
        assert decide("approve", facts(DR), ACTORS["approver"], None).to_state == State.ODE_REVIEW

    def test_reopen_needs_no_comment(self):
        assert decide("reopen", facts(READY), SYSTEM, None).to_state == State.DRAFT


class TestSeparationOfDuties:
    """Nobody approves a statement they submitted or last edited (403 forbidden)."""

    @pytest.mark.parametrize(("state", "role", "actor_id"), [
        (DR, "approver", APPROVER_ID), (DR, "admin", ADMIN_ID), (OR, "admin", ADMIN_ID),
    ])
    def test_the_submitter_may_not_approve(self, state, role, actor_id):
        decision = decide("approve", facts(state, submitted_by=actor_id), ACTORS[role])
        assert (decision.refusal.status, decision.refusal.code) == (403, "forbidden")
        assert "someone else" in decision.refusal.message

    @pytest.mark.parametrize(("state", "role", "actor_id"), [
        (DR, "approver", APPROVER_ID), (DR, "admin", ADMIN_ID), (OR, "admin", ADMIN_ID),
        (OR, "ode", ODE_ID),
    ])
    def test_the_last_editor_may_not_approve(self, state, role, actor_id):
        decision = decide("approve", facts(state, last_edited_by=actor_id), ACTORS[role])
        assert (decision.refusal.status, decision.refusal.code) == (403, "forbidden")

    def test_another_approver_of_the_department_may_approve(self):
        other = Actor(99, Role.DEPARTMENT_APPROVER, "DOU")
        decision = decide("approve", facts(DR, submitted_by=APPROVER_ID,
                                           last_edited_by=APPROVER_ID), other)
        assert decision.to_state == State.ODE_REVIEW

    def test_an_approver_may_submit_their_own_work(self):
        decision = decide("submit", facts(DRAFT, last_edited_by=APPROVER_ID), ACTORS["approver"])
        assert decision.to_state == State.DEPARTMENT_REVIEW

    def test_the_submitter_may_still_return_it(self):
        """Only approval is guarded; sending one's own work back to draft harms nobody."""
        decision = decide("return", facts(DR, submitted_by=APPROVER_ID), ACTORS["approver"],
                          COMMENT)
        assert decision.to_state == State.DRAFT

    @pytest.mark.parametrize("role", ["admin", "ode"])
    def test_the_department_approver_of_the_round_may_not_give_the_ode_approval(self, role):
        """Admins included: one person never gives both approvals of the same round."""
        actor = ACTORS[role]
        decision = decide("approve", facts(OR, department_approved_by=actor.id), actor)
        assert (decision.refusal.status, decision.refusal.code) == (403, "forbidden")
        assert "department approval" in decision.refusal.message

    def test_another_admin_may_give_the_ode_approval(self):
        decision = decide("approve", facts(OR, department_approved_by=ADMIN_ID), Actor(98, Role.ADMIN))
        assert decision.to_state == State.READY_TO_AGENDIZE

    def test_the_department_approval_does_not_bind_the_department_step(self):
        """``department_approved_by`` names this round's department approver; in department
        review there is none yet, and a stale value never blocks the approver."""
        decision = decide("approve", facts(DR, department_approved_by=APPROVER_ID), ACTORS["approver"])
        assert decision.to_state == State.ODE_REVIEW

    def test_wrong_state_is_reported_before_independence(self):
        decision = decide("approve", facts(OR, submitted_by=APPROVER_ID), ACTORS["approver"])
        assert decision.refusal.code == "invalid_transition"


class TestDecisionIsPure:
    def test_deciding_twice_gives_the_same_answer(self):
        f = facts(DR)
        assert decide("approve", f, ACTORS["approver"]) == decide("approve", f, ACTORS["approver"])

    def test_facts_are_not_changed(self):
        f = facts(DR)
        decide("approve", f, ACTORS["approver"])
        assert f == facts(DR)


class TestLifecycleGrants:
    def test_every_per_state_grant_names_a_declared_transition(self):
        declared = set()
        for t in TRANSITIONS:
            sources = t["source"] if isinstance(t["source"], list) else [t["source"]]
            declared |= {(t["trigger"], State(s)) for s in sources}
        granted = {(action.value, state) for action, entry in GRANTS.items()
                   for state in entry if isinstance(state, State)}
        assert granted <= declared
        assert {a for a, _ in granted} == {Action.SUBMIT, Action.APPROVE, Action.RETURN}


class TestMermaid:
    def test_the_diagram_lists_every_transition(self):
        lines = mermaid().splitlines()
        assert lines[0] == "stateDiagram-v2"
        assert lines[1].strip() == "[*] --> draft"
        edges = {line.strip() for line in lines[2:]}
        assert edges == {
            "draft --> department_review: submit",
            "department_review --> ode_review: approve",
            "ode_review --> ready_to_agendize: approve",
            "department_review --> draft: return",
            "ode_review --> draft: return",
            "department_review --> draft: reopen",
            "ode_review --> draft: reopen",
            "ready_to_agendize --> draft: reopen",
        }

    def test_no_highlight_without_a_current_state(self):
        assert "class " not in mermaid()
        assert "classDef" not in mermaid()

    @pytest.mark.parametrize("state", list(State))
    def test_the_current_state_is_highlighted(self, state):
        lines = [line.strip() for line in mermaid(state).splitlines()]
        assert lines[-1] == f"class {state.value} current"
        assert lines[-2].startswith("classDef current ")

    def test_a_plain_string_state_is_accepted(self):
        assert mermaid("ode_review").splitlines()[-1].strip() == "class ode_review current"
