"""How many SQL statements the clerk's hot paths issue.

A meeting's list must cost the same number of statements for 10 items as
for 200 (no query per item), and the gate, an item and its statement must
cost one statement each: the token and the item are read together. Counts, never durations: speed
lives in ``bench/``.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.extensions import db

SMALL_MEETING, LARGE_MEETING = dt.date(2027, 3, 2), dt.date(2027, 3, 9)
SMALL, LARGE = 10, 200


TRANSACTION_CONTROL = {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"}


@contextmanager
def counted():
    """Collect every SQL statement sent to the database inside the block, but
    transaction control (whether a request opens a transaction depends on
    whether the test already holds one, not on the code under test)."""
    seen: list[str] = []

    def on_execute(_conn, _cursor, statement, _params, _context, _many):
        if statement.split(None, 1)[0].upper() not in TRANSACTION_CONTROL:
            seen.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)


@pytest.fixture
def meetings(world):
    """SMALL items on one meeting, LARGE on another, in every state and some
    agendized, plus items on neither meeting."""
    from app.operations import gate

    states = ["draft", "department_review", "ode_review", "ready_to_agendize"]
    for n in range(1, SMALL + LARGE + 1):
        meeting = SMALL_MEETING if n <= SMALL else LARGE_MEETING
        department = "DOU" if n % 2 else "CDD"
        # walking every item through the lifecycle is slow: vary the first few
        state = states[n % 4] if n <= 12 or SMALL < n <= SMALL + 12 else "draft"
        fiscal = None if n % 5 == 0 else "Funded."
        world.item(f"2026-{n:05d}", state=state, department=department, fiscal=fiscal,
                   meeting_date=meeting)
        if state == "ready_to_agendize" and fiscal:
            gate.agendize(world["clerk"].user, f"2026-{n:05d}")
    world.item("2026-99999", meeting_date=dt.date(2027, 4, 6))
    return world


def _get(client, path, person):
    with counted() as statements:
        response = client.get(path, headers=person.headers)
    assert response.status_code == 200, response.json
    return response.json, len(statements)


class TestMeetingItems:
    def test_statement_count_does_not_grow_with_the_meeting(self, client, meetings):
        clerk = meetings["clerk"]
        small, small_count = _get(client, f"/api/v1/meetings/{SMALL_MEETING}/items", clerk)
        large, large_count = _get(client, f"/api/v1/meetings/{LARGE_MEETING}/items", clerk)
        assert len(small["items"]) == SMALL
        assert len(large["items"]) == LARGE
        assert small_count == large_count
        assert large_count <= 3  # authenticate, the meeting's rows (and nothing per item)

    def test_every_item_carries_its_gate(self, client, meetings):
        body, _ = _get(client, f"/api/v1/meetings/{SMALL_MEETING}/items", meetings["clerk"])
        assert [i["file_id"] for i in body["items"]] == [f"2026-{n:05d}" for n in
                                                         range(1, SMALL + 1)]
        for row in body["items"]:
            assert row["agendizable"] is (not row["reasons"])


class TestItemsList:
    def test_statement_count_does_not_grow_with_the_meeting(self, client, meetings):
        clerk = meetings["clerk"]
        small, small_count = _get(client, f"/api/v1/items?meeting_date={SMALL_MEETING}", clerk)
        large, large_count = _get(client, f"/api/v1/items?meeting_date={LARGE_MEETING}", clerk)
        assert len(small["items"]) == SMALL
        assert len(large["items"]) == LARGE
        assert small_count == large_count


class TestGate:
    def test_one_statement_for_token_and_item(self, client, world):
        world.item("2026-00001", state="ready_to_agendize")
        body, count = _get(client, "/api/v1/items/2026-00001/agendizable", world["clerk"])
        assert body == {"file_id": "2026-00001", "agendizable": True, "reasons": []}
        assert count == 1

    def test_one_statement_for_an_unknown_item(self, client, world):
        with counted() as statements:
            response = client.get("/api/v1/items/2026-04040/agendizable",
                                  headers=world["clerk"].headers)
        assert response.status_code == 404
        assert len(statements) == 1


class TestItemReads:
    """The reads bench/gate.py measures besides the gate: like it, one statement reads the
    token, the item and what its JSON shows (app/api/reads.py); a statement in review adds
    one for who may decide it (eligible_deciders)."""

    @pytest.mark.parametrize("path", ["/api/v1/items/2026-00001",
                                      "/api/v1/items/2026-00001/statement"])
    def test_one_statement(self, client, world, path):
        world.item("2026-00001", state="ode_review")  # submitted: the statement names its submitter
        db.session.remove()  # nothing already loaded: every row comes from this request
        body, count = _get(client, path, world["clerk"])
        assert body["file_id"] == "2026-00001"
        # a statement in review also says who may decide it (eligible_deciders): one query
        # for the people who might, with their delegations of the day
        assert count == (2 if path.endswith("/statement") else 1)
        if path.endswith("/statement"):
            assert body["submitted_by"] == "staff@test.reis"

    @pytest.mark.parametrize("path", ["/api/v1/items/2026-04040",
                                      "/api/v1/items/2026-04040/statement"])
    def test_one_statement_for_an_unknown_item(self, client, world, path):
        with counted() as statements:
            response = client.get(path, headers=world["clerk"].headers)
        assert response.status_code == 404
        assert len(statements) == 1

    def test_one_statement_for_a_refused_draft(self, client, world):
        world.item("2026-00001", state="draft")
        with counted() as statements:
            response = client.get("/api/v1/items/2026-00001/statement",
                                  headers=world["other_staff"].headers)
        assert response.status_code == 403
        assert len(statements) == 1
