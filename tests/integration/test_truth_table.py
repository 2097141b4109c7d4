"""The lifecycle's truth table, cell by cell, through the real stack on both databases.

The table is the one declared by hand in ``tests/unit/workflows/test_statement.py``
(one declaration, two proofs: the pure rule there, HTTP and the database here).
Users fire events through ``POST /items/{file_id}/statement/events``. The system
has no token; its row goes through the operation that the material-change path
uses (``apply_event`` with no actor), inside a real write transaction.

Each cell checks the status and error code, that a refused event changes
nothing (state, version, history), and that an allowed one writes exactly one
history row that says who did what.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.db import write_transaction
from app.errors import OperationError
from app.extensions import db
from app.models import HistoryEvent, Statement
from app.operations import lookup, statements
from tests.factories import complete_answers
from tests.unit.workflows.test_statement import COMMENT, REFUSAL_CODES, ROLES, TRUTH_TABLE

FILE_ID = "2026-00001"
EVENTS_URL = f"/api/v1/items/{FILE_ID}/statement/events"


def user_cells():
    for (state, event), row in TRUTH_TABLE.items():
        for role, expected in zip(ROLES, row, strict=True):
            if role != "system":
                yield pytest.param(state, event, role, expected, id=f"{state}-{event}-{role}")


def system_cells():
    for (state, event), row in TRUTH_TABLE.items():
        yield pytest.param(state, event, row[ROLES.index("system")], id=f"{state}-{event}")


def item_in(world, state: str) -> None:
    """The DOU item in ``state``, complete, written and (past draft) submitted by staff."""
    world.item(FILE_ID, state=state)
    if state == "draft":
        statements.save_answers(world["staff"].user, FILE_ID, complete_answers(), version=1)


def snapshot() -> tuple[str, int, int, list[tuple]]:
    """(state, version, history rows, history) straight from the database."""
    db.session.rollback()  # read what is committed now, not a snapshot from before
    statement = db.session.scalar(select(Statement).execution_options(populate_existing=True))
    rows = db.session.execute(
        select(HistoryEvent.seq, HistoryEvent.event, HistoryEvent.from_state,
               HistoryEvent.to_state, HistoryEvent.actor, HistoryEvent.comment)
        .where(HistoryEvent.statement_id == statement.id).order_by(HistoryEvent.seq)).all()
    count = db.session.scalar(select(func.count()).select_from(HistoryEvent))
    return statement.state.value, statement.version, count, [tuple(r) for r in rows]


class TestUserEventsOverHttp:
    @pytest.mark.parametrize(("state", "event", "role", "expected"), list(user_cells()))
    def test_cell(self, client, world, state, event, role, expected):
        item_in(world, state)
        before = snapshot()
        assert before[0] == state
        body = {"event": event, **({"comment": COMMENT} if event == "return" else {})}

        r = client.post(EVENTS_URL, headers=world[role].headers, json=body)

        after = snapshot()
        assert r.is_json, r.data[:200]
        if isinstance(expected, str):
            assert r.status_code == 200, r.json
            assert r.json["state"] == expected
            assert r.json["version"] == after[1] > before[1]
            assert after[0] == expected
            assert after[2] == before[2] + 1, "exactly one history row"
            assert after[3][:-1] == before[3], "earlier history untouched"
            seq, ev, from_state, to_state, actor, comment = after[3][-1]
            assert (seq, ev, from_state, to_state) == (before[3][-1][0] + 1, event, state, expected)
            assert actor == world[role].email
            assert comment == body.get("comment")
        else:
            assert r.status_code == expected, r.json
            assert r.json["error"] == REFUSAL_CODES[expected]
            assert isinstance(r.json["message"], str) and r.json["message"]
            if expected == 409:
                assert r.json["state"] == state
            assert after == before, "a refused event changes nothing"


class TestSystemEvents:
    @pytest.mark.parametrize(("state", "event", "expected"), list(system_cells()))
    def test_cell(self, world, state, event, expected):
        item_in(world, state)
        before = snapshot()
        comment = "Reopened because the item's title changed." if event == "reopen" else COMMENT
        refusal = None
        try:
            with write_transaction():
                statement = lookup.locked_statement(FILE_ID)
                statements.apply_event(statement, event, None, comment)
        except OperationError as exc:
            refusal = exc
        after = snapshot()
        if isinstance(expected, str):
            assert refusal is None, refusal and refusal.to_dict()
            assert after[0] == expected
            assert after[1] > before[1]
            assert after[2] == before[2] + 1
            assert after[3][-1][1:] == (event, state, expected, "system", comment)
        else:
            assert refusal is not None
            assert (refusal.status, refusal.code) == (expected, REFUSAL_CODES[expected])
            assert after == before
