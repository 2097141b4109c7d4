"""The benchmark's WSGI module: the real application plus ONE extra route.

The extra route is the yardstick the gate is measured against: a bare Flask
endpoint in the same process, behind the same gunicorn, on the same engine
and connection pool, that authenticates nothing and returns one row read with
one raw SQL query. Whatever the gate costs beyond it is the price of
authentication, the gate's rules and the API's envelope.

Serve with ``gunicorn --chdir <checkout> bench.wsgi:app`` and the usual
``REIS_*`` environment (``REIS_DATABASE_URL`` above all).
"""

from __future__ import annotations

from flask import jsonify
from sqlalchemy import text

from app import create_app
from app.extensions import db

BASELINE_PATH = "/bench/baseline/<file_id>"
_ONE_ROW = text("SELECT file_id, title FROM items WHERE file_id = :id")

app = create_app()


@app.get(BASELINE_PATH)
def baseline(file_id: str):
    with db.engine.connect() as conn:
        row = conn.execute(_ONE_ROW, {"id": file_id}).first()
    if row is None:
        return jsonify({"error": "not_found"}), 404
    return jsonify({"file_id": row.file_id, "title": row.title})
