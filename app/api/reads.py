"""``GET /items/{file_id}`` and ``GET /items/{file_id}/statement`` in one SQL statement each.

The general path for these reads cost an ORM query to authenticate (the user
with their department), an ORM load of the item with its department and
statement (about 35 columns), and a session begun, committed and closed. As
for the clerk's gate (``app/api/fast.py``), one Core statement now checks the
token and reads only the columns the JSON needs, in autocommit on PostgreSQL
(so psycopg keeps it prepared):

    api_tokens ⋈ users (active, token not revoked) [⟕ the user's department]
      ⟕ items (file_id) ⟕ departments ⟕ statements [⟕ the submitter]

* no row: the token is missing, unknown, revoked or its user deactivated: 401,
  exactly as ``app.auth.require_user`` says (same query conditions as
  ``app.operations.people.user_for_token``);
* no item (or an item without its statement, which the ORM's inner join
  does not find either): 404, ``app.operations.lookup.no_item``;
* the statement: ``app.permissions.can_read`` decides, with the actor and
  the facts built by the same functions the ORM objects use
  (``actor_of_row``, ``facts_of_row``); 403 ``statements.unreadable``;
* the JSON: ``app.api.serialize.item`` / ``statement``, from the row, whose
  columns are labelled with the names of ``serialize.ITEM`` / ``STATEMENT``.

Nothing is remembered between requests: a revoked token or a deactivated user
is refused from the next request on, in every process.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Response, jsonify
from sqlalchemy import ColumnElement, Connection, Row, Select, bindparam, select

from app.api import serialize
from app.api.fast import one_row, read_connection
from app.auth import bearer_token, unauthorized
from app.models import ApiToken, Department, Item, Statement, User
from app.models.statement import facts_of_row
from app.models.user import actor_of_row
from app.operations import deciders
from app.operations.lookup import no_item
from app.operations.people import hash_token
from app.operations.statements import unreadable
from app.permissions import can_read

_tokens, _users, _departments = ApiToken.__table__, User.__table__, Department.__table__
_items, _statements = Item.__table__, Statement.__table__
_actor_department = _departments.alias("actor_department")

#: The reader (for the reading rule), by names no JSON key uses.
_ACTOR: dict[str, ColumnElement] = {
    "actor_id": _users.c.id, "actor_role": _users.c.role, "actor_department": _actor_department.c.code}

#: What ``facts_of_row`` needs besides the statement's JSON columns.
_FACTS: dict[str, ColumnElement] = {
    "department": _departments.c.code, "submitted_by_id": _statements.c.submitted_by_id,
    "last_edited_by_id": _statements.c.last_edited_by_id,
    "department_approved_by_id": _statements.c.department_approved_by_id}


def _read(columns: Mapping[str, ColumnElement], *, actor: bool, submitter: bool) -> Select:
    """Authenticate and read ``columns`` of the item ``:file_id`` (Core: compiled once)."""
    wanted = {**(_ACTOR if actor else {"actor_id": _users.c.id}), **columns}
    joined = _tokens.join(_users, (_users.c.id == _tokens.c.user_id) & _users.c.active.is_(True))
    if actor:
        joined = joined.outerjoin(_actor_department, _actor_department.c.id == _users.c.department_id)
    joined = (joined.outerjoin(_items, _items.c.file_id == bindparam("file_id"))
              .outerjoin(_departments, _departments.c.id == _items.c.department_id)
              .outerjoin(_statements, _statements.c.item_id == _items.c.id))
    if submitter:
        submitted_by = serialize.SUBMITTER
        joined = joined.outerjoin(submitted_by, submitted_by.c.id == _statements.c.submitted_by_id)
        joined = joined.outerjoin(serialize.ASSIGNEE, serialize.ASSIGNEE.c.id == _statements.c.assignee_id)
    return (select(*(column.label(key) for key, column in wanted.items()))
            .select_from(joined)
            .where(_tokens.c.token_hash == bindparam("token_hash"), _tokens.c.revoked_at.is_(None)))


_ITEM = _read(serialize.ITEM, actor=False, submitter=False)
_STATEMENT = _read({**serialize.STATEMENT, **_FACTS}, actor=True, submitter=True)


def _authenticated(statement: Select, file_id: str, conn: Connection | None = None) -> Row:
    token = bearer_token()
    if token is None:
        raise unauthorized()
    row = one_row(statement, {"token_hash": hash_token(token), "file_id": file_id}, conn)
    if row is None:
        raise unauthorized()
    return row


def item(file_id: str) -> Response:
    """``GET /items/{file_id}``: any signed-in person reads an item."""
    row = _authenticated(_ITEM, file_id)
    if row.file_id is None or row.statement_state is None:
        raise no_item(file_id)
    return jsonify(serialize.item(row))


def statement(file_id: str) -> Response:
    """``GET /items/{file_id}/statement``, for someone who may read it (API.md, "Reading")."""
    with read_connection() as conn:  # who may decide it next is read on the same connection
        row = _authenticated(_STATEMENT, file_id, conn)
        if row.file_id is None or row.state is None:
            raise no_item(file_id)
        reader = actor_of_row(row.actor_id, row.actor_role, row.actor_department)
        facts = facts_of_row(row, row.department)
        if not can_read(reader, facts):
            raise unreadable(file_id)
        eligible = deciders.eligible_for(facts, conn=conn)
    return serialize.statement_response(row, eligible)
