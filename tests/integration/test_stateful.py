"""Random sequences of events by random people, through the API, and the
invariants that must hold after every step:

* the statement's state is one of the four;
* its history replays to it (each row starts where the previous one ended);
* ``agendizable`` is true exactly when the statement is ``ready_to_agendize``,
  the fiscal statement is present and there is a meeting date;
* nothing agendized has a statement outside ``ready_to_agendize``;
* no request ever answers 5xx.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from app.extensions import db
from tests.conftest import _empty_tables
from tests.factories import World, complete_answers
from workflows.statement import State

P = "/api/v1/items"
FILE_IDS = ("2026-00001", "2026-00002")
ACTORS = ("staff", "staff2", "approver", "approver2", "other_staff", "other_approver", "ode", "ode2",
          "clerk", "admin")
MATERIAL = st.sampled_from([
    {"title": "Retitled"}, {"title": "Another title"}, {"fiscal_statement": None},
    {"fiscal_statement": "Funded from the general fund."}, {"meeting_date": None},
    {"meeting_date": "2027-04-06"}, {"meeting_date": "2027-03-02"},
])
ANSWERS = st.sampled_from(["complete", "partial", "empty"])


def make_machine(app):
    class Lifecycle(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            db.session.remove()  # the last run's reads hold a transaction; PostgreSQL's TRUNCATE waits for it
            _empty_tables(app)
            self.client = app.test_client()
            self.world = World.build()
            for file_id, state in zip(FILE_IDS, ("draft", "ready_to_agendize"), strict=True):
                self.world.item(file_id, state=state)

        def call(self, method: str, path: str, who: str, body=None):
            response = self.client.open(path, method=method, json=body, headers=self.world[who].headers)
            assert response.status_code < 500, response.get_data(as_text=True)
            return response

        def admin_get(self, path: str) -> dict:
            response = self.call("GET", path, "admin")
            assert response.status_code == 200, response.get_data(as_text=True)
            return response.get_json()

        @rule(file_id=st.sampled_from(FILE_IDS), who=st.sampled_from(ACTORS),
              event=st.sampled_from(["submit", "approve", "return"]),
              comment=st.sampled_from([None, "Please look again."]))
        def fire(self, file_id, who, event, comment):
            self.call("POST", f"{P}/{file_id}/statement/events", who, {"event": event, "comment": comment})

        @rule(file_id=st.sampled_from(FILE_IDS))
        def advance(self, file_id):
            """The next step by whoever may take it: random actors alone rarely get far."""
            path = f"{P}/{file_id}/statement"
            state = self.admin_get(path)["state"]
            if state == State.DRAFT:
                version = self.admin_get(path)["version"]
                self.call("PUT", path, "staff", {"answers": complete_answers(), "version": version})
                self.call("POST", f"{path}/events", "staff", {"event": "submit"})
            elif state == State.DEPARTMENT_REVIEW:  # one of them is independent of the author
                for who in ("approver", "approver2"):
                    if self.call("POST", f"{path}/events", who, {"event": "approve"}).status_code == 200:
                        break
            elif state == State.ODE_REVIEW:
                self.call("POST", f"{path}/events", "ode", {"event": "approve"})
            else:
                self.call("POST", f"{P}/{file_id}/agendize", "clerk")

        @rule(file_id=st.sampled_from(FILE_IDS), who=st.sampled_from(ACTORS), kind=ANSWERS)
        def save_answers(self, file_id, who, kind):
            answers = {"complete": complete_answers(), "empty": {}}.get(kind)
            if answers is None:
                full = complete_answers()
                answers = dict(list(full.items())[: len(full) // 2])
            version = self.admin_get(f"{P}/{file_id}/statement")["version"]
            self.call("PUT", f"{P}/{file_id}/statement", who, {"answers": answers, "version": version})

        @rule(file_id=st.sampled_from(FILE_IDS), who=st.sampled_from(ACTORS), change=MATERIAL)
        def patch(self, file_id, who, change):
            self.call("PATCH", f"{P}/{file_id}", who, change)

        @rule(file_id=st.sampled_from(FILE_IDS), who=st.sampled_from(ACTORS),
              meeting=st.sampled_from([None, "2027-05-04"]))
        def agendize(self, file_id, who, meeting):
            body = {"meeting_date": meeting} if meeting else None
            self.call("POST", f"{P}/{file_id}/agendize", who, body)

        @rule(file_id=st.sampled_from(FILE_IDS), who=st.sampled_from(ACTORS))
        def unagendize(self, file_id, who):
            self.call("POST", f"{P}/{file_id}/unagendize", who)

        @invariant()
        def the_record_holds(self):
            for file_id in FILE_IDS:
                item = self.admin_get(f"{P}/{file_id}")
                state = self.admin_get(f"{P}/{file_id}/statement")["state"]
                assert state in {s.value for s in State}
                assert item["statement_state"] == state

                replayed = None
                for row in self.admin_get(f"{P}/{file_id}/statement/history")["events"]:
                    assert row["from_state"] == replayed or replayed is None, row
                    replayed = row["to_state"]
                assert replayed == state

                gate = self.admin_get(f"{P}/{file_id}/agendizable")
                has_fiscal = bool(item["fiscal_statement"] and item["fiscal_statement"].strip())
                has_date = (item["agendized_for"] or item["meeting_date"]) is not None
                assert gate["agendizable"] == (state == State.READY_TO_AGENDIZE and has_fiscal and has_date)
                assert gate["agendizable"] == (gate["reasons"] == [])
                if item["agendized"]:
                    assert state == State.READY_TO_AGENDIZE

    return Lifecycle


class TestRandomLives:
    def test_invariants_hold_after_every_step(self, app_ctx):
        run_state_machine_as_test(make_machine(app_ctx), settings=settings(
            max_examples=25, stateful_step_count=20, deadline=None, derandomize=True, database=None,
            suppress_health_check=[HealthCheck.too_slow]))
