"""The permission vocabulary, cell by cell, against expectations written out by hand from
the contract (never computed from ``workflows.permissions.GRANTS``)."""

from __future__ import annotations

import pytest

from workflows.permissions import (
    SYSTEM,
    Action,
    Actor,
    Facts,
    Role,
    can,
    can_ever,
    can_read,
    decider_roles,
    holder,
    queues,
)
from workflows.states import State

STAFF = Actor(1, Role.STAFF, "DOU")
OTHER_STAFF = Actor(2, Role.STAFF, "CDD")
APPROVER = Actor(3, Role.DEPARTMENT_APPROVER, "DOU")
OTHER_APPROVER = Actor(4, Role.DEPARTMENT_APPROVER, "CDD")
ODE = Actor(5, Role.ODE_REVIEWER)
CLERK = Actor(6, Role.CLERK)
ADMIN = Actor(7, Role.ADMIN)
PEOPLE = {"staff": STAFF, "other_staff": OTHER_STAFF, "approver": APPROVER,
          "other_approver": OTHER_APPROVER, "ode": ODE, "clerk": CLERK, "admin": ADMIN, "system": SYSTEM}


def facts(state: State = State.DRAFT, **overrides) -> Facts:
    values = {"state": state, "department": "DOU", "submitted_by": None, "last_edited_by": None}
    values.update(overrides)
    return Facts(**values)


#: Who may take each non-lifecycle action on a DOU item (or, for ADMINISTER, at all).
EXPECTED: dict[Action, set[str]] = {
    Action.CREATE_ITEM: {"staff", "approver", "admin", "system"},
    Action.EDIT: {"staff", "approver", "admin", "system"},
    Action.READ_DRAFT: {"staff", "approver", "ode", "clerk", "admin"},
    Action.AGENDIZE: {"clerk", "admin"},
    Action.ADMINISTER: {"admin"},
    Action.REOPEN: {"system"},
    # ODE's screening rules by item type; the system is an operator on the command line
    Action.SET_SCREENING_RULES: {"ode", "admin", "system"},
    # naming one's own delegate (an admin names one for someone else: ADMINISTER)
    Action.DELEGATE: {"approver", "other_approver", "ode"},
    # giving a statement in ODE review to a reviewer (in another state the operation says 409)
    Action.ASSIGN: {"ode", "admin"},
    # a DOU item's results: DOU's staff and approvers only (not admins: it is the department's word)
    Action.REPORT_BACK: {"staff", "approver"},
    # the metrics of DOU: ODE, clerks, admins, and DOU's own approvers
    Action.SEE_REPORTS: {"approver", "ode", "clerk", "admin"},
    Action.WRITE_NARRATIVE: {"ode", "admin"},
}


class TestGrants:
    @pytest.mark.parametrize("action", list(EXPECTED))
    @pytest.mark.parametrize("name", list(PEOPLE))
    def test_cell(self, action, name):
        assert can(PEOPLE[name], action, facts()) is (name in EXPECTED[action])

    def test_every_action_has_an_expectation_here_or_in_the_lifecycle_table(self):
        lifecycle = {Action.SUBMIT, Action.APPROVE, Action.RETURN}  # tests/unit/workflows/test_statement.py
        assert set(Action) == set(EXPECTED) | lifecycle

    @pytest.mark.parametrize(("name", "expected"), [
        ("staff", True), ("other_staff", True), ("approver", True), ("ode", False), ("clerk", False),
        ("admin", True),
    ])
    def test_creating_items_somewhere(self, name, expected):
        """The "New item" menu: may this person create items for some department?"""
        assert can_ever(PEOPLE[name], Action.CREATE_ITEM) is expected

    @pytest.mark.parametrize(("name", "expected"), [
        ("staff", False), ("approver", False), ("ode", True), ("clerk", False), ("admin", True),
    ])
    def test_the_screening_rules_menu(self, name, expected):
        """The "Screening rules" page: who may set ODE's rules by item type (no statement involved)."""
        assert can(PEOPLE[name], Action.SET_SCREENING_RULES) is expected
        assert can_ever(PEOPLE[name], Action.SET_SCREENING_RULES) is expected

    def test_a_delegate_does_not_set_rules(self):
        assert not can(Actor(15, Role.STAFF, "DOU", delegators=(ODE,)), Action.SET_SCREENING_RULES)


class TestAssign:
    @pytest.mark.parametrize("name", list(PEOPLE))
    def test_who_could_ever_assign(self, name):
        """Tells "never, for you" (403) from "not in this state" (409)."""
        assert can_ever(PEOPLE[name], Action.ASSIGN) is (name in {"ode", "admin"})

    def test_a_delegate_does_not_assign_with_a_delegators_grant(self):
        delegate = Actor(16, Role.STAFF, "DOU", delegators=(ODE,))
        assert not can(delegate, Action.ASSIGN, facts(State.ODE_REVIEW))


class TestReading:
    @pytest.mark.parametrize(("name", "expected"), [
        ("staff", True), ("other_staff", False), ("approver", True), ("other_approver", False),
        ("ode", True), ("clerk", True), ("admin", True),
    ])
    def test_a_never_submitted_draft(self, name, expected):
        assert can_read(PEOPLE[name], facts(State.DRAFT, ever_submitted=False)) is expected

    @pytest.mark.parametrize("state", list(State))
    @pytest.mark.parametrize("name", ["staff", "other_staff", "approver", "other_approver", "ode",
                                      "clerk", "admin"])
    def test_a_statement_submitted_once_is_read_by_everyone_signed_in(self, name, state):
        assert can_read(PEOPLE[name], facts(state, ever_submitted=True)) is True

    def test_nobody_without_a_role_reads(self):
        assert can_read(SYSTEM, facts(ever_submitted=True)) is False


class TestDelegation:
    """A delegate holds the delegator's approve and return grants, and nothing else."""

    def delegate(self, *delegators: Actor) -> Actor:
        return Actor(10, Role.STAFF, "DOU", delegators=delegators)

    def test_a_delegate_approves_with_the_delegators_grant(self):
        delegate = self.delegate(APPROVER)
        review = facts(State.DEPARTMENT_REVIEW, submitted_by=STAFF.id)
        assert can(delegate, Action.APPROVE, review)
        assert holder(delegate, Action.APPROVE, review) == APPROVER
        assert can(delegate, Action.RETURN, review)

    def test_a_delegate_does_not_reach_past_the_delegators_department(self):
        delegate = Actor(11, Role.STAFF, "CDD", delegators=(APPROVER,))
        assert not can(delegate, Action.APPROVE, facts(State.DEPARTMENT_REVIEW, department="CDD"))

    def test_only_approve_and_return_are_lent(self):
        delegate = Actor(12, Role.DEPARTMENT_APPROVER, "DOU", delegators=(ADMIN,))
        assert not can(delegate, Action.ADMINISTER)
        assert not can(delegate, Action.AGENDIZE, facts(State.READY_TO_AGENDIZE))

    def test_own_grant_comes_first(self):
        approver = Actor(13, Role.DEPARTMENT_APPROVER, "DOU", delegators=(APPROVER,))
        assert holder(approver, Action.APPROVE, facts(State.DEPARTMENT_REVIEW)) == approver

    def test_the_delegate_is_bound_by_separation_of_duties_as_themself(self):
        delegate = self.delegate(APPROVER)
        assert not can(delegate, Action.APPROVE, facts(State.DEPARTMENT_REVIEW, submitted_by=delegate.id))
        # the delegator's own history does not bind the delegate
        assert can(delegate, Action.APPROVE, facts(State.DEPARTMENT_REVIEW, submitted_by=APPROVER.id))

    def test_an_ode_delegate(self):
        delegate = Actor(14, Role.ODE_REVIEWER, delegators=(ODE,))
        assert holder(delegate, Action.APPROVE, facts(State.ODE_REVIEW)) == delegate


class TestQueues:
    @pytest.mark.parametrize(("name", "expected"), [
        ("staff", []), ("clerk", []),
        ("approver", [(State.DEPARTMENT_REVIEW, "DOU")]),
        ("ode", [(State.ODE_REVIEW, None)]),
        ("admin", [(State.DEPARTMENT_REVIEW, None), (State.ODE_REVIEW, None)]),
    ])
    def test_who_works_which_queue(self, name, expected):
        assert queues(PEOPLE[name]) == expected

    def test_a_delegate_works_the_delegators_queue(self):
        assert queues(Actor(10, Role.STAFF, "DOU", delegators=(APPROVER,))) == [
            (State.DEPARTMENT_REVIEW, "DOU")]


class TestDeciders:
    def test_whose_job_the_decision_is(self):
        assert decider_roles(State.DEPARTMENT_REVIEW) == {Role.DEPARTMENT_APPROVER: "own_department"}
        assert decider_roles(State.ODE_REVIEW) == {Role.ODE_REVIEWER: "any"}
        assert decider_roles(State.DRAFT) == {}
