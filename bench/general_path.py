"""For comparison only: ``bench/wsgi.py`` with the gate served the general way.

This is how ``GET /items/{file_id}/agendizable`` worked before
``app/api/fast.py``: the blueprint authenticates first (an ORM query for the
user), then the view loads the item with the ORM and asks
``operations.gate.reasons_for``. Run it with
``bench/gate.py --app bench.general_path:app`` to see what the one-statement
path buys on the same machine.
"""

from __future__ import annotations

from flask import jsonify

from app.api import serialize
from app.operations import gate, lookup
from bench.wsgi import app


def gate_check(file_id: str):
    item = lookup.item(file_id)
    return jsonify(serialize.gate(item.file_id, gate.reasons_for(item)))


# Not marked @checks_own_token, so app.auth.require_user authenticates first.
app.view_functions["api.get_gate_check"] = gate_check
