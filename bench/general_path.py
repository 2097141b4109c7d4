"""For comparison only: ``bench/wsgi.py`` with the one-statement reads served the general way.

This is how ``GET /items/{file_id}/agendizable`` worked before
``app/api/fast.py``, and ``GET /items/{file_id}`` and ``…/statement`` before
``app/api/reads.py``: the blueprint authenticates first (an ORM query for the
user), then the view loads the item with the ORM (``lookup.item``, or
``statements.read`` with the reading rule) and serialises it. Run it with
``bench/gate.py --app bench.general_path:app`` to see what the one-statement
paths buy on the same machine. (``tests/integration/test_reads_fast.py`` serves
the same two views to prove both paths answer alike.)
"""

from __future__ import annotations

from flask import g, jsonify

from app.api import serialize
from app.operations import gate, lookup, statements
from bench.wsgi import app


def gate_check(file_id: str):
    item = lookup.item(file_id)
    return jsonify(serialize.gate(item.file_id, gate.reasons_for(item)))


def items_get(file_id: str):
    return jsonify(serialize.item(lookup.item(file_id)))


def statement_get(file_id: str):
    return jsonify(serialize.statement(statements.read(g.actor, file_id)))


# Not marked @checks_own_token, so app.auth.require_user authenticates first.
app.view_functions["api.get_gate_check"] = gate_check
app.view_functions["api.get_items_get"] = items_get
app.view_functions["api.get_statement_get"] = statement_get
