"""Separation of duties cannot be laundered (issue 9, security 1), through the API and the pages.

Nobody approves a statement they submitted or last edited; a save that changes
nothing changes nobody's standing (and not the version); a material change of
the item while the statement is a draft makes its author the last editor; one
person never gives both approvals of a round, admins included.
"""

from __future__ import annotations

from app.operations import lookup, statements
from tests.factories import complete_answers
from tests.integration.test_bad_input import assert_error
from tests.integration.test_web_statement import form_data
from tests.integration.web_helpers import give_passwords, signed_in

FILE_ID = "2026-00001"
URL = f"/api/v1/items/{FILE_ID}/statement"


def put(client, world, who, answers, version):
    return client.put(URL, headers=world[who].headers, json={"answers": answers, "version": version})


def fire(client, world, who, event, **extra):
    return client.post(f"{URL}/events", headers=world[who].headers, json={"event": event, **extra})


def version(client, world) -> int:
    return client.get(URL, headers=world["clerk"].headers).json["version"]


class TestNoOpSaves:
    def written_by_the_approver(self, client, world) -> int:
        world.item(FILE_ID)
        r = put(client, world, "approver", complete_answers(), version(client, world))
        assert r.status_code == 200, r.json
        return r.json["version"]

    def test_an_identical_put_does_not_launder_the_approvers_answers(self, client, world):
        v = self.written_by_the_approver(client, world)
        r = put(client, world, "staff", complete_answers(), v)
        assert r.status_code == 200, r.json
        assert r.json["version"] == v  # nothing changed, so nothing moved
        assert fire(client, world, "staff", "submit").status_code == 200
        assert_error(fire(client, world, "approver", "approve"), 403, "forbidden")
        assert fire(client, world, "approver2", "approve").status_code == 200

    def test_pressing_submit_on_the_unchanged_web_form_does_not_launder_them(self, app_ctx, world, client):
        v = self.written_by_the_approver(client, world)
        give_passwords()
        staff = signed_in(app_ctx, world["staff"])
        staff.get(f"/items/{FILE_ID}/statement")
        response = staff.post(f"/items/{FILE_ID}/statement", form_data(complete_answers(), v, "submit"))
        assert response.status_code == 303, response.text
        assert version(client, world) == v + 1  # the submit moved it, the no-op save did not
        assert lookup.item(FILE_ID).statement.state.value == "department_review"
        assert_error(fire(client, world, "approver", "approve"), 403, "forbidden")

    def test_a_changed_answer_does_change_the_standing(self, client, world):
        v = self.written_by_the_approver(client, world)
        r = put(client, world, "staff", {**complete_answers(), "proposal": "Staff rewrote this."}, v)
        assert r.json["version"] > v
        assert fire(client, world, "staff", "submit").status_code == 200
        assert fire(client, world, "approver", "approve").status_code == 200


class TestItemChanges:
    def test_a_material_change_in_draft_makes_the_approver_the_last_editor(self, client, world):
        world.item(FILE_ID)
        assert put(client, world, "staff", complete_answers(), version(client, world)).status_code == 200
        before = version(client, world)
        r = client.patch(f"/api/v1/items/{FILE_ID}", headers=world["approver"].headers,
                         json={"fiscal_statement": "Funded by the approver's rewrite."})
        assert r.status_code == 200, r.json
        assert version(client, world) == before  # the answers did not change
        assert fire(client, world, "staff", "submit").status_code == 200
        assert_error(fire(client, world, "approver", "approve"), 403, "forbidden")

    def test_a_change_that_is_not_material_does_not(self, client, world):
        world.item(FILE_ID)
        assert put(client, world, "staff", complete_answers(), version(client, world)).status_code == 200
        r = client.patch(f"/api/v1/items/{FILE_ID}", headers=world["approver"].headers,
                         json={"presenter": "Someone else"})
        assert r.status_code == 200, r.json
        assert fire(client, world, "staff", "submit").status_code == 200
        assert fire(client, world, "approver", "approve").status_code == 200


class TestOneApprovalEach:
    def test_an_admin_who_gave_the_department_approval_may_not_give_odes(self, client, world):
        world.item(FILE_ID, state="department_review")
        assert fire(client, world, "admin", "approve").status_code == 200
        r = fire(client, world, "admin", "approve")
        assert_error(r, 403, "forbidden")
        assert "department approval" in r.json["message"]
        assert fire(client, world, "ode", "approve").status_code == 200

    def test_the_rule_holds_per_round(self, client, world):
        """After a return and a new submission, the department approval starts again."""
        world.item(FILE_ID, state="department_review")
        assert fire(client, world, "admin", "approve").status_code == 200
        assert fire(client, world, "ode", "return", comment="Say who was asked.").status_code == 200
        assert fire(client, world, "staff", "submit").status_code == 200
        assert fire(client, world, "approver", "approve").status_code == 200
        assert fire(client, world, "admin", "approve").status_code == 200  # not this round's approver
        assert lookup.item(FILE_ID).statement.state.value == "ready_to_agendize"

    def test_the_history_keeps_both_approvers(self, client, world):
        world.item(FILE_ID, state="ready_to_agendize")
        approvals = [e for e in statements.events(world["clerk"].user, FILE_ID) if e.event == "approve"]
        assert [e.actor for e in approvals] == [world["approver"].email, world["ode"].email]
