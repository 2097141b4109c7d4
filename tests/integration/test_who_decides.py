"""Who decides (API.md): delegation, the ODE assignment, eligible deciders and stalls,
through the JSON API on both databases."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from app.extensions import db
from app.models import Notification, User
from tests.factories import complete_answers
from tests.integration.test_bad_input import assert_error, assert_invalid, each, fingerprint

CITY = ZoneInfo("America/Los_Angeles")
FILE_ID = "2026-00001"
STATEMENT = f"/api/v1/items/{FILE_ID}/statement"
ME = "/api/v1/me/delegation"
D1, D2 = date(2027, 1, 4), date(2027, 1, 8)


def city(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=CITY)


def delegate(client, world, who="approver", to="staff2", starts=D1, ends=D2):
    r = client.put(ME, headers=world[who].headers,
                   json={"delegate": world[to].email if to in world.people else to,
                         "starts": starts.isoformat(), "ends": ends.isoformat()})
    return r


def around_today(client, world, who="approver", to="staff2"):
    r = delegate(client, world, who, to, date.today() - timedelta(days=1), date.today() + timedelta(days=1))
    assert r.status_code == 200, r.json


def fire(client, world, who, event, file_id=FILE_ID, **extra):
    return client.post(f"/api/v1/items/{file_id}/statement/events", headers=world[who].headers,
                       json={"event": event, **extra})


def statement(client, world, file_id=FILE_ID) -> dict:
    r = client.get(f"/api/v1/items/{file_id}/statement", headers=world["clerk"].headers)
    assert r.status_code == 200, r.json
    return r.json


def deactivate(*people) -> None:
    for person in people:
        db.session.get(User, person.user.id).active = False
    db.session.commit()


class TestDelegationApi:
    def test_name_read_and_revoke(self, client, world):
        with time_machine.travel(city(date(2027, 1, 2)), tick=False):
            r = delegate(client, world)
            assert r.status_code == 200, r.json
            assert r.json["delegator"] == "approver@test.reis" and r.json["delegate"] == "staff2@test.reis"
            assert (r.json["starts"], r.json["ends"], r.json["active"]) == ("2027-01-04", "2027-01-08", False)
            assert client.get(ME, headers=world["approver"].headers).json == r.json
            assert client.delete(ME, headers=world["approver"].headers).status_code == 204
            assert_error(client.get(ME, headers=world["approver"].headers), 404, "not_found")
            assert_error(client.delete(ME, headers=world["approver"].headers), 404, "not_found")

    def test_a_new_delegation_replaces_the_old(self, client, world):
        with time_machine.travel(city(D1), tick=False):
            delegate(client, world, to="staff2")
            delegate(client, world, to="staff")
            assert client.get(ME, headers=world["approver"].headers).json["delegate"] == "staff@test.reis"

    def test_the_delegate_is_told(self, client, world):
        delegate(client, world, starts=date.today(), ends=date.today() + timedelta(days=3))
        rows = db.session.scalars(select(Notification).where(Notification.kind == "delegated")).all()
        assert [n.email for n in rows] == ["staff2@test.reis"]

    def test_an_ode_reviewer_names_another(self, client, world):
        assert delegate(client, world, who="ode", to="ode2").status_code == 200

    @pytest.mark.parametrize("who", ["staff", "clerk", "admin"])
    def test_other_roles_have_nothing_to_delegate(self, client, world, who):
        assert_error(delegate(client, world, who=who, to="approver2"), 403, "forbidden")
        assert_error(client.get(ME, headers=world[who].headers), 403, "forbidden")

    def test_bad_delegations_are_422_and_change_nothing(self, client, world):
        deactivate(world["staff"])
        before = fingerprint()
        cases = [
            ("approver", "clerk", D1, D2, "delegate"),  # a clerk
            ("approver", "other_staff", D1, D2, "delegate"),  # another department
            ("approver", "staff", D1, D2, "delegate"),  # inactive
            ("approver", "approver", D1, D2, "delegate"),  # oneself
            ("approver", "nobody@test.reis", D1, D2, "delegate"),  # no such person
            ("approver", "ode", D1, D2, "delegate"),  # an approver's delegate is of the department
            ("ode", "staff2", D1, D2, "delegate"),  # an ODE reviewer's is an ODE reviewer
            ("approver", "staff2", D2, D1, "ends"),  # ends before starts
            ("approver", "staff2", D1, D1 + timedelta(days=90), "ends"),  # 91 days
        ]

        def check(case):
            who, to, starts, ends, field = case
            assert_invalid(delegate(client, world, who=who, to=to, starts=starts, ends=ends), field)
            assert fingerprint() == before

        each(cases, check)
        assert delegate(client, world, starts=D1, ends=D1 + timedelta(days=89)).status_code == 200

    def test_malformed_bodies_are_422(self, client, world):
        for body in ({"delegate": "staff2@test.reis", "starts": "2027-13-01", "ends": "2027-01-02"},
                     {"delegate": "staff2@test.reis", "starts": "2027-01-01"}, {"delegate": None}):
            assert client.put(ME, headers=world["approver"].headers, json=body).status_code == 422

    def test_an_admin_sets_it_for_someone_away(self, client, world):
        url = "/api/v1/users/approver@test.reis/delegation"
        body = {"delegate": "staff2@test.reis", "starts": "2027-01-04", "ends": "2027-01-08"}
        r = client.put(url, headers=world["admin"].headers, json=body)
        assert r.status_code == 200 and r.json["created_by"] == "admin@test.reis"
        assert client.get(ME, headers=world["approver"].headers).json["delegate"] == "staff2@test.reis"
        assert_error(client.put(url, headers=world["approver2"].headers, json=body), 403, "forbidden")
        assert_invalid(client.put("/api/v1/users/clerk@test.reis/delegation", headers=world["admin"].headers,
                                  json=body), "delegator")
        assert client.delete(url, headers=world["admin"].headers).status_code == 204


class TestTheSpanInTheCityZone:
    """The delegate may approve from the first City day to the last, both included."""

    @pytest.mark.parametrize(("moment", "may"), [
        (city(D1 - timedelta(days=1), 23, 59), False),  # the evening before (already D1 in UTC)
        (city(D1, 0, 1), True),
        (city(D2, 23, 59), True),  # the last evening (D2 + 1 in UTC)
        (city(D2 + timedelta(days=1), 0, 1), False),
    ])
    def test_edges(self, client, world, moment, may):
        with time_machine.travel(city(date(2027, 1, 2)), tick=False):
            world.item(FILE_ID, state="department_review")
            assert delegate(client, world).status_code == 200
        with time_machine.travel(moment, tick=False):
            r = fire(client, world, "staff2", "approve")
            if may:
                assert r.status_code == 200, r.json
            else:
                assert_error(r, 403, "forbidden")


class TestDecisionsByADelegate:
    def test_history_says_on_whose_behalf(self, client, world):
        world.item(FILE_ID, state="department_review")
        around_today(client, world)
        assert fire(client, world, "staff2", "approve").status_code == 200
        history = client.get(f"{STATEMENT}/history", headers=world["clerk"].headers).json["events"]
        assert history[-1]["actor"] == "staff2@test.reis"
        assert history[-1]["on_behalf_of"] == "approver@test.reis"
        assert history[0]["on_behalf_of"] is None
        told = db.session.scalars(select(Notification).where(Notification.kind == "approved")).all()
        assert told and all(n.payload["on_behalf_of"] == "approver@test.reis" for n in told)

    def test_the_delegate_returns_too(self, client, world):
        world.item(FILE_ID, state="department_review")
        around_today(client, world)
        assert fire(client, world, "staff2", "return", comment="Needs work").json["state"] == "draft"

    def test_a_delegate_does_not_approve_what_they_submitted(self, client, world):
        around_today(client, world)
        world.item(FILE_ID, state="draft")
        db_statement = statement(client, world)
        client.put(STATEMENT, headers=world["staff2"].headers,
                   json={"answers": complete_answers(), "version": db_statement["version"]})
        assert fire(client, world, "staff2", "submit").status_code == 200
        assert_error(fire(client, world, "staff2", "approve"), 403, "forbidden")
        assert "staff2@test.reis" not in statement(client, world)["eligible_deciders"]

    def test_the_delegator_keeps_their_powers(self, client, world):
        world.item(FILE_ID, state="department_review")
        around_today(client, world)
        assert fire(client, world, "approver", "approve").status_code == 200


class TestEligibleAndStalled:
    def test_eligible_deciders_in_each_state(self, client, world):
        world.item(FILE_ID, state="draft")
        assert statement(client, world)["eligible_deciders"] == []
        world.item("2026-00002", state="department_review")
        assert statement(client, world, "2026-00002")["eligible_deciders"] == [
            "approver2@test.reis", "approver@test.reis"]
        world.item("2026-00003", state="ode_review")
        body = statement(client, world, "2026-00003")
        assert body["eligible_deciders"] == ["ode2@test.reis", "ode@test.reis"]
        assert body["assignee"] == "ode@test.reis"

    def test_a_lone_approver_stalls_and_a_delegate_clears_it(self, client, world):
        deactivate(world["approver2"])
        world.item(FILE_ID, state="draft")
        s = statement(client, world)
        client.put(STATEMENT, headers=world["approver"].headers,
                   json={"answers": complete_answers(), "version": s["version"]})
        assert fire(client, world, "approver", "submit").status_code == 200
        assert statement(client, world)["eligible_deciders"] == []
        stalled = client.get("/api/v1/stalled", headers=world["admin"].headers)
        assert [e["file_id"] for e in stalled.json["statements"]] == [FILE_ID]
        assert stalled.json["statements"][0]["state"] == "department_review"
        told = db.session.scalars(select(Notification).where(Notification.kind == "stalled")).all()
        assert [n.email for n in told] == ["admin@test.reis"]

        delegate(client, world, starts=date.today(), ends=date.today() + timedelta(days=5))
        assert statement(client, world)["eligible_deciders"] == ["staff2@test.reis"]
        assert client.get("/api/v1/stalled", headers=world["admin"].headers).json["statements"] == []
        assert fire(client, world, "staff2", "approve").status_code == 200

    @pytest.mark.parametrize("who", ["staff", "approver", "ode", "clerk"])
    def test_only_admins_list_stalls(self, client, world, who):
        assert_error(client.get("/api/v1/stalled", headers=world[who].headers), 403, "forbidden")


class TestAssignment:
    def assign(self, client, world, who, assignee):
        return client.post(f"{STATEMENT}/assign", headers=world[who].headers, json={"assignee": assignee})

    def test_least_busy_then_least_recently_assigned(self, client, world):
        for n in range(1, 5):
            world.item(f"2026-0000{n}", state="ode_review")
        got = [statement(client, world, f"2026-0000{n}")["assignee"] for n in range(1, 5)]
        assert got == ["ode@test.reis", "ode2@test.reis", "ode@test.reis", "ode2@test.reis"]

    def test_auto_assignment_can_be_turned_off(self, client, world, app_ctx, monkeypatch):
        monkeypatch.setitem(app_ctx.config, "REIS_ODE_AUTO_ASSIGN", False)
        world.item(FILE_ID, state="ode_review")
        assert statement(client, world)["assignee"] is None

    def test_claim_reassign_and_unassign(self, client, world):
        world.item(FILE_ID, state="ode_review")
        r = self.assign(client, world, "ode2", "ode2@test.reis")
        assert r.status_code == 200 and r.json["assignee"] == "ode2@test.reis"
        r = self.assign(client, world, "admin", "ODE@test.reis")
        assert r.json["assignee"] == "ode@test.reis"
        told = db.session.scalars(select(Notification).where(Notification.kind == "assigned")).all()
        assert [n.email for n in told] == ["ode@test.reis"]
        assert self.assign(client, world, "ode", None).json["assignee"] is None

    def test_any_ode_reviewer_still_decides(self, client, world):
        world.item(FILE_ID, state="ode_review")
        assert statement(client, world)["assignee"] == "ode@test.reis"
        assert fire(client, world, "ode2", "approve").status_code == 200

    def test_refusals_change_nothing(self, client, world):
        world.item(FILE_ID, state="ode_review")
        world.item("2026-00002", state="department_review")
        before = fingerprint()
        for who in ("staff", "approver", "clerk"):
            assert_error(self.assign(client, world, who, "ode@test.reis"), 403, "forbidden")
        for assignee in ("approver@test.reis", "clerk@test.reis", "nobody@test.reis"):
            assert_invalid(self.assign(client, world, "ode", assignee), "assignee")
        r = client.post("/api/v1/items/2026-00002/statement/assign", headers=world["ode"].headers,
                        json={"assignee": "ode@test.reis"})
        assert_error(r, 409, "invalid_transition")
        assert fingerprint() == before
        deactivate(world["ode2"])
        before = fingerprint()
        assert_invalid(self.assign(client, world, "ode", "ode2@test.reis"), "assignee")
        assert fingerprint() == before


class TestStallsOverTime:
    """A stall found later (a departure, a delegation that ends) is told to the admins at once,
    and the reminder sweep tells them again each business day while it lasts."""

    def test_a_departure_stalls_and_the_admins_are_told_at_once(self, client, world):
        world.item(FILE_ID, state="department_review")  # staff submitted: both approvers may approve
        deactivate_via_admin(world, "approver2")
        assert stalled_ids(client, world) == []
        deactivate_via_admin(world, "approver")
        assert stalled_ids(client, world) == [FILE_ID]
        assert told_admins() == 1

    def test_the_sweep_tells_the_admins_each_business_day_and_stops_when_cleared(self, client, world):
        from app.operations import sweep

        deactivate_via_admin(world, "approver2")
        with time_machine.travel(city(date(2026, 12, 1)), tick=False):
            world.item(FILE_ID, state="draft")
            client.put(STATEMENT, headers=world["approver"].headers,
                       json={"answers": complete_answers(), "version": statement(client, world)["version"]})
            assert fire(client, world, "approver", "submit").status_code == 200  # the lone approver's own
        assert told_admins() == 1
        sweep.run(city(date(2026, 12, 2)))  # a Wednesday
        sweep.run(city(date(2026, 12, 2), 15))  # the same day: nothing new
        assert told_admins() == 2
        sweep.run(city(date(2026, 12, 5)))  # a Saturday: no sweep
        assert told_admins() == 2
        with time_machine.travel(city(date(2026, 12, 7)), tick=False):
            r = delegate(client, world, starts=date(2026, 12, 7), ends=date(2026, 12, 9))
            assert r.status_code == 200, r.json
            sweep.run(city(date(2026, 12, 7)))
        assert told_admins() == 2  # a delegate can decide it now: not stalled
        sweep.run(city(date(2026, 12, 10)))  # the span is over: stalled again, told that day
        assert told_admins() == 3


def deactivate_via_admin(world, who: str) -> None:
    from app.operations import accounts

    accounts.set_active(world["admin"].user, world[who].user.id, False)


def stalled_ids(client, world) -> list[str]:
    r = client.get("/api/v1/stalled", headers=world["admin"].headers)
    return [s["file_id"] for s in r.json["statements"]]


def told_admins() -> int:
    db.session.expire_all()
    return len(db.session.scalars(select(Notification).where(Notification.kind == "stalled")).all())


class TestRemindersFollowDelegation:
    def test_the_delegate_is_reminded_during_the_span_only(self, client, world):
        from tests.integration.test_sweep import claimed, overdue_review, sweep_at

        overdue_review(world, FILE_ID)  # department review, long past its SLA
        with time_machine.travel(city(date(2026, 11, 19)), tick=False):
            one_day = delegate(client, world, starts=date(2026, 11, 20), ends=date(2026, 11, 20))
            assert one_day.status_code == 200
        sweep_at(date(2026, 11, 19))
        sweep_at(date(2026, 11, 20))
        sweep_at(date(2026, 11, 23))
        to_delegate = [day for day in (date(2026, 11, 19), date(2026, 11, 20), date(2026, 11, 23))
                       if ("staff2@test.reis", ("sla_overdue",)) in claimed(day)]
        assert to_delegate == [date(2026, 11, 20)]
        assert ("approver@test.reis", ("sla_overdue",)) in claimed(date(2026, 11, 20))  # still told too
