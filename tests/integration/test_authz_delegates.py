"""The authorization matrix's two v1.1 actors, written out by hand: a *delegate* (staff2,
whom DOU's approver named for today) and an *assignee* (the ODE reviewer a statement in
ODE review is assigned to), against API.md's "Who decides" and "Separation of duties".

Each row: an item walked to a state by real events, one request, the expected status.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.factories import complete_answers

TODAY = date.today()
SPAN = {"starts": (TODAY - timedelta(days=1)).isoformat(), "ends": (TODAY + timedelta(days=1)).isoformat()}
#: how each state is reached: (who, event) after staff completed the answers
WALKS = {
    "draft": (),
    "department_review": (("staff", "submit"),),
    "ode_review": (("staff", "submit"), ("approver", "approve")),
    "ready_to_agendize": (("staff", "submit"), ("approver", "approve"), ("ode", "approve")),
}

#: (state, event) -> status for DOU approver's delegate (staff2, who did not submit). With
#: the delegator's grant they may approve and return, as the delegator: in department review;
#: in another state that is "not now" (409), as it would be for the delegator
DELEGATE = {
    ("draft", "approve"): 409, ("draft", "return"): 409,
    ("department_review", "approve"): 200, ("department_review", "return"): 200,
    ("ode_review", "approve"): 409, ("ode_review", "return"): 409,
    ("ready_to_agendize", "approve"): 409, ("ready_to_agendize", "return"): 409,
}
#: the same person once the span is over: staff again
EXPIRED = dict.fromkeys(DELEGATE, 403)
#: (state, who) -> status of an approval in ODE review: the assignee, another ODE reviewer
#: (any may still decide), and the assignee's delegate
ASSIGNEE = {("ode_review", "assignee"): 200, ("ode_review", "other_ode"): 200,
            ("department_review", "assignee"): 409}  # ODE may, but not in that state


class Api:
    def __init__(self, world, client) -> None:
        self.world, self.client, self.n = world, client, 0

    def send(self, who: str, method: str, path: str, body: dict | None = None):
        return self.client.open(f"/api/v1{path}", method=method, json=body, headers=self.world[who].headers)

    def walk(self, state: str) -> str:
        self.n += 1
        file_id = f"2026-{self.n:05d}"
        assert self.send("staff", "POST", "/items", {"file_id": file_id, "title": "Item", "department": "DOU",
                                                     "fiscal_statement": "Funded."}).status_code == 201
        assert self.send("staff", "PUT", f"/items/{file_id}/statement",
                         {"answers": complete_answers(), "version": 1}).status_code == 200
        for who, event in WALKS[state]:
            assert self.event(who, file_id, event) == 200
        return file_id

    def event(self, who: str, file_id: str, event: str) -> int:
        return self.send(who, "POST", f"/items/{file_id}/statement/events",
                         {"event": event, "comment": "Because."}).status_code


def name(api: Api, who: str, delegate: str, **span: str) -> int:
    body = {"delegate": delegate, **SPAN, **span}
    return api.send(who, "PUT", "/me/delegation", body).status_code


@pytest.fixture
def api(world, client) -> Api:
    return Api(world, client)


def test_a_delegate_during_the_span(api):
    assert name(api, "approver", "staff2@test.reis") == 200
    got = {(state, event): api.event("staff2", api.walk(state), event) for state, event in DELEGATE}
    assert got == DELEGATE


def test_a_delegate_after_the_span(api):
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    assert name(api, "approver", "staff2@test.reis", starts=(TODAY - timedelta(days=5)).isoformat(),
                ends=yesterday) == 200
    got = {(state, event): api.event("staff2", api.walk(state), event) for state, event in EXPIRED}
    assert got == EXPIRED


def test_a_revoked_delegate(api):
    assert name(api, "approver", "staff2@test.reis") == 200
    assert api.send("approver", "DELETE", "/me/delegation").status_code == 204
    assert api.event("staff2", api.walk("department_review"), "approve") == 403


def test_a_delegate_other_than_the_submitter_is_still_bound_as_themself(api):
    assert name(api, "approver", "staff@test.reis") == 200
    file_id = api.walk("department_review")  # staff submitted it
    assert api.event("staff", file_id, "approve") == 403
    assert api.event("staff", file_id, "return") == 200  # returning is not bound by it


def test_the_assignee_and_the_others(api):
    got = {}
    for (state, who), _status in ASSIGNEE.items():
        file_id = api.walk(state)
        if state == "ode_review":
            assignee = api.send("clerk", "GET", f"/items/{file_id}/statement").get_json()["assignee"]
            person = {"ode@test.reis": "ode", "ode2@test.reis": "ode2"}[assignee]
            other = "ode2" if person == "ode" else "ode"
        else:
            person = other = "ode"
        got[(state, who)] = api.event(person if who == "assignee" else other, file_id, "approve")
    assert got == ASSIGNEE


def test_the_assignees_delegate_is_told_and_may_decide(api, world):
    assert name(api, "ode", "ode2@test.reis") == 200
    file_id = api.walk("ode_review")
    body = api.send("clerk", "GET", f"/items/{file_id}/statement").get_json()
    assert body["assignee"] == "ode@test.reis"
    told = api.send("ode2", "GET", "/notifications").get_json()["notifications"]
    assert any(n["kind"] == "approved" and n["file_id"] == file_id for n in told)
    assert api.event("ode2", file_id, "approve") == 200
