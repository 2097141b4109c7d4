"""The clerk's hot paths: the gate in one SQL statement, and a meeting's list.

``GET /items/{file_id}/agendizable`` is what clerks and their agenda software
call most, so it does not take the general path (one query to authenticate,
an ORM load of the item, its department and statement, a session). One
Core statement, compiled once and cached by SQLAlchemy, checks the token and
reads the four columns the gate needs:

    api_tokens ⋈ users (active, token not revoked)  ⟕  items ⋈ statements (file_id)

* no row: the token is missing, unknown, revoked or its user deactivated: 401,
  exactly as ``app.auth.require_user`` would say;
* a row without an item: 404, as ``app.operations.lookup.item`` would say;
* otherwise the answer, from ``workflows.gate.reasons`` like every other path.

The statement runs in autocommit mode. A single SELECT reads one consistent
snapshot, so it needs no BEGIN … ROLLBACK around it, and that saves more than
two round trips: psycopg 3 forgets the statements it has prepared on every
ROLLBACK, and every read-only request of the app ends in one, so under the
general path nothing is ever prepared and PostgreSQL plans this four-table
join afresh on every request (about 0.3 ms of its CPU). Without the ROLLBACK
psycopg prepares the statement after five uses on a pooled connection and
PostgreSQL reuses the plan. (Only on PostgreSQL: SQLite has no round trips,
its statement cache survives a rollback, and leaving autocommit there costs
SQLAlchemy an extra PRAGMA.)

Nothing is remembered between requests: the token is checked against the
database every time, so a revocation or a deactivation counts from the next
request, in every process.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from flask import jsonify
from sqlalchemy import Connection, Executable, Row, bindparam, select

from app.api import serialize
from app.auth import bearer_token, unauthorized
from app.extensions import db
from app.models import ApiToken, Item, Statement, User
from app.operations.gate import MeetingItem
from app.operations.lookup import no_item
from app.operations.people import hash_token
from workflows import gate

_tokens, _users = ApiToken.__table__, User.__table__
_items, _statements = Item.__table__, Statement.__table__

# Core, not ORM: plain rows, and a statement SQLAlchemy compiles once per process.
_GATE = (
    select(
        _users.c.id, _items.c.file_id, _statements.c.state, _items.c.fiscal_statement,
        _items.c.meeting_date, _items.c.agendized_for)
    .select_from(
        _tokens.join(_users, (_users.c.id == _tokens.c.user_id) & _users.c.active.is_(True))
        .outerjoin(_items, _items.c.file_id == bindparam("file_id"))
        .outerjoin(_statements, _statements.c.item_id == _items.c.id))
    .where(_tokens.c.token_hash == bindparam("token_hash"),
           _tokens.c.revoked_at.is_(None))
)


def gate_check(file_id: str):
    """The gate's response for ``file_id``, authenticating in the same statement."""
    token = bearer_token()
    if token is None:
        raise unauthorized()
    row = one_row(_GATE, {"token_hash": hash_token(token), "file_id": file_id})
    if row is None:
        raise unauthorized()
    _user_id, found, state, fiscal, meeting_date, agendized_for = row
    if found is None or state is None:
        raise no_item(file_id)
    reasons = gate.reasons(state, fiscal, agendized_for or meeting_date)
    return jsonify(serialize.gate(found, reasons))


@contextmanager
def read_connection() -> Iterator[Connection]:
    """A connection for a read of one or a few statements, each its own transaction on
    PostgreSQL (autocommit: no BEGIN, no ROLLBACK, and psycopg keeps the statements prepared
    on the connection; see the module docstring)."""
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT")
        yield conn
        # A read ends in COMMIT, as every read-only request does (app/db.py); in autocommit
        # nothing goes to the server, on SQLite it ends the read as a ROLLBACK would.
        conn.commit()


def one_row(statement: Executable, params: dict[str, Any], conn: Connection | None = None) -> Row | None:
    """The first row of ``statement``, run on its own (on ``conn``, else a read connection)."""
    if conn is not None:
        return conn.execute(statement, params).first()
    with read_connection() as own:
        return own.execute(statement, params).first()


def meeting(when: date, found: Iterable[MeetingItem]) -> dict:
    """``GET /meetings/{date}/items`` from ``app.operations.gate.meeting``: the items that
    share a verdict share its ``reasons``, so each verdict becomes JSON once."""
    as_json: dict[int, list[dict]] = {}
    items = []
    for m in found:
        reasons = as_json.get(id(m.reasons))
        if reasons is None:
            reasons = as_json[id(m.reasons)] = [r.to_dict() for r in m.reasons]
        items.append({"file_id": m.file_id, "title": m.title, "department": m.department,
                      "statement_state": m.state.value, "agendizable": not reasons,
                      "reasons": reasons})
    return {"meeting_date": when.isoformat(), "items": items}
