"""Engine set-up and the write transaction every operation runs in.

SQLite (the embedded default) runs in WAL mode with a busy timeout, and a
write transaction starts with ``BEGIN IMMEDIATE``: writers queue for the lock
instead of failing half-way with "database is locked". PostgreSQL locks the
statement row with ``SELECT … FOR UPDATE`` (see ``lock_statement``).
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.extensions import db

_write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=False)


def configure_engine(engine: Engine, busy_timeout_ms: int) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")


@contextmanager
def write_transaction() -> Iterator[None]:
    """One transaction for one use case: commit on success, roll back on any error."""
    session = db.session()  # the request's (or command's) Session itself
    if session.in_transaction():
        # Whatever the view read so far (the actor) was read-only; end it so
        # that the write starts a fresh, locking transaction.
        session.commit()
    token = _write_intent.set(True)
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        _write_intent.reset(token)
