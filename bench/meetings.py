"""The meetings check: ``GET /meetings/{date}/items`` must cost a constant
number of SQL statements whatever the number of items, and its time must not
grow much faster than the size of the answer.

Statements are counted in-process with SQLAlchemy's ``before_cursor_execute``
event around one test-client request (the authentication query included).
Times are taken over HTTP against the benchmark's gunicorn, one request at a
time on a kept-alive connection, the two meetings taking turns, so they include everything a clerk's agenda
software waits for.
"""

from __future__ import annotations

import http.client
import statistics
import time

from flask import Flask
from sqlalchemy import event

from app.extensions import db


def count_statements(app: Flask, path: str, headers: dict[str, str]) -> dict:
    """Status, SQL statements issued and items returned for one GET of ``path``."""
    seen: list[str] = []

    def on_execute(_conn, _cursor, statement, _params, _context, _many):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        response = app.test_client().get(path, headers=headers)
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
    body = response.get_json(silent=True) or {}
    return {"status": response.status_code, "statements": len(seen),
            "items": len(body.get("items", [])), "sql": seen}


def time_requests(host: str, port: int, paths: list[str], headers: dict[str, str],
                  repeat: int = 50, warmup: int = 5) -> dict[str, dict]:
    """Median and p90 wall time (milliseconds) of ``repeat`` sequential GETs of
    each path. The paths take turns, so a change in the machine's load while
    this runs weighs on all of them alike."""
    conn = http.client.HTTPConnection(host, port, timeout=30)
    times: dict[str, list[float]] = {path: [] for path in paths}
    try:
        for i in range(warmup + repeat):
            for path in paths:
                started = time.perf_counter()
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                elapsed = time.perf_counter() - started
                if response.status != 200:
                    raise RuntimeError(f"GET {path} answered {response.status}")
                if i >= warmup:
                    times[path].append(elapsed * 1000)
    finally:
        conn.close()
    out = {}
    for path, measured in times.items():
        measured.sort()
        out[path] = {"median_ms": round(statistics.median(measured), 3),
                     "p90_ms": round(measured[int(len(measured) * 0.9) - 1], 3),
                     "n": len(measured)}
    return out
