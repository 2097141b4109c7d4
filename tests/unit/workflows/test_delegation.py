"""Delegation's pure rules: who may be named, for how long, and who may decide now."""

from __future__ import annotations

from datetime import date

import pytest

from workflows.delegation import Person, Span, eligible, problems, stalled, with_delegators
from workflows.permissions import Actor, Facts, Role
from workflows.states import State

APPROVER = Person(1, Role.DEPARTMENT_APPROVER, "DOU")
STAFF = Person(2, Role.STAFF, "DOU")
OTHER_STAFF = Person(3, Role.STAFF, "CDD")
CLERK = Person(4, Role.CLERK, None)
ODE = Person(5, Role.ODE_REVIEWER, None)
ODE2 = Person(6, Role.ODE_REVIEWER, None)
INACTIVE = Person(7, Role.STAFF, "DOU", active=False)
APPROVER2 = Person(8, Role.DEPARTMENT_APPROVER, "DOU")
ADMIN = Person(9, Role.ADMIN, None)
D1, D2 = date(2027, 1, 4), date(2027, 1, 8)


class TestSpan:
    @pytest.mark.parametrize(("day", "expected"), [
        (date(2027, 1, 3), False), (D1, True), (date(2027, 1, 6), True), (D2, True),
        (date(2027, 1, 9), False),
    ])
    def test_both_ends_are_included(self, day, expected):
        assert Span(D1, D2).active_on(day) is expected

    def test_a_revoked_span_never_holds(self):
        assert not Span(D1, D2, revoked=True).active_on(D1)


class TestProblems:
    @pytest.mark.parametrize(("delegator", "delegate"), [
        (APPROVER, STAFF), (APPROVER, APPROVER2), (ODE, ODE2),
    ])
    def test_allowed(self, delegator, delegate):
        assert problems(delegator, delegate, D1, D2) == {}

    @pytest.mark.parametrize(("delegator", "delegate"), [
        (APPROVER, CLERK), (APPROVER, OTHER_STAFF), (APPROVER, INACTIVE), (APPROVER, APPROVER),
        (APPROVER, ODE), (ODE, STAFF), (ODE, ODE), (APPROVER, ADMIN), (APPROVER, None),
    ])
    def test_refused_delegates(self, delegator, delegate):
        assert set(problems(delegator, delegate, D1, D2)) == {"delegate"}

    def test_ends_before_starts(self):
        assert set(problems(APPROVER, STAFF, D2, D1)) == {"ends"}

    def test_one_day_is_a_span(self):
        assert problems(APPROVER, STAFF, D1, D1) == {}

    def test_the_longest_span_counts_both_ends(self):
        assert problems(APPROVER, STAFF, date(2027, 1, 1), date(2027, 1, 10), max_days=10) == {}
        assert set(problems(APPROVER, STAFF, date(2027, 1, 1), date(2027, 1, 11), max_days=10)) == {"ends"}


def review(state: State = State.DEPARTMENT_REVIEW, **extra) -> Facts:
    return Facts(state=state, department="DOU", submitted_by=extra.pop("submitted_by", None), **extra)


class TestEligible:
    def test_the_approvers_of_the_department_but_not_the_submitter(self):
        people = [APPROVER.actor, APPROVER2.actor, STAFF.actor, ODE.actor, Actor(9, Role.ADMIN)]
        assert eligible(review(submitted_by=APPROVER.id), people) == [APPROVER2.id]

    def test_a_delegate_joins_during_the_span(self):
        delegate = with_delegators(STAFF.actor, [APPROVER.actor])
        found = eligible(review(submitted_by=APPROVER2.id), [APPROVER.actor, delegate])
        assert found == [APPROVER.id, STAFF.id]

    def test_a_delegate_is_bound_by_separation_of_duties(self):
        delegate = with_delegators(STAFF.actor, [APPROVER.actor])
        assert eligible(review(submitted_by=STAFF.id, last_edited_by=STAFF.id), [delegate]) == []

    def test_admins_are_not_listed(self):
        assert eligible(review(), [Actor(9, Role.ADMIN)]) == []

    def test_ode_review_excludes_the_rounds_department_approver(self):
        facts = review(State.ODE_REVIEW, department_approved_by=ODE.id)
        assert eligible(facts, [ODE.actor, ODE2.actor, APPROVER.actor]) == [ODE2.id]

    @pytest.mark.parametrize("state", [State.DRAFT, State.READY_TO_AGENDIZE])
    def test_nobody_outside_review(self, state):
        assert eligible(review(state), [APPROVER.actor, ODE.actor]) == []
        assert not stalled(review(state), [])

    def test_a_lone_approver_who_submitted_stalls_it(self):
        facts = review(submitted_by=APPROVER.id)
        assert stalled(facts, eligible(facts, [APPROVER.actor]))
