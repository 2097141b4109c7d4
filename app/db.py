"""Engine set-up, the write transaction every operation runs in, and how reads end.

SQLite (the embedded default) runs in WAL mode with a busy timeout, and a
write transaction starts with ``BEGIN IMMEDIATE``: writers queue for the lock
instead of failing half-way with "database is locked". PostgreSQL locks the
statement row with ``SELECT … FOR UPDATE`` (see ``lock_statement``).

A request (or task, or command) that only read ends its transaction with
``COMMIT``, not ``ROLLBACK`` (``end_read_only_requests``). For a read the two
mean the same, but psycopg 3 forgets every statement it has prepared on the
connection whenever a ``ROLLBACK`` goes through, so ending reads with one
meant that nothing was ever prepared and PostgreSQL planned every query of
every request afresh. A session that wrote anything (a flush, a DML or text
statement) or holds unflushed changes, or a request that failed, still ends
in ``ROLLBACK``: nothing is ever committed that was not committed before.
On SQLite both end the read the same way (its statement cache survives a
rollback); the rule is the same on both so that it is tested on both.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from app.extensions import db

log = logging.getLogger(__name__)

_write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=False)
_WROTE = "reis.wrote"  # Session.info key: this transaction wrote (or may have written)


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
        # PostgreSQL turns a timestamp into a City date with timezone(); SQLite has no
        # time zones, so the reports ask this function instead (app.operations.metrics_sql)
        dbapi_connection.create_function("reis_city_date", 2, city_date_of, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")


def city_date_of(stamp: str | None, zone: str) -> str | None:
    """A UTC timestamp as SQLite stores it (naive, ISO) -> its date in ``zone``, ISO."""
    if stamp is None:
        return None
    moment = datetime.fromisoformat(stamp).replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(zone)).date().isoformat()


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


def end_read_only_requests(app: Flask) -> None:
    """At the end of each app context, ``COMMIT`` a transaction that only read (see above).

    Registered last in ``create_app``: teardowns run last-registered first, so
    this runs before anything closes the session (Flask-SQLAlchemy's
    ``session.remove()``, which then has nothing left to roll back).
    """

    @app.teardown_appcontext
    def _commit_reads(exc: BaseException | None) -> None:
        if exc is not None or not db.session.registry.has():
            return
        session = db.session()
        if not session.in_transaction() or _wrote(session):
            return
        try:
            session.commit()
        except Exception:  # e.g. the connection went away; remove() rolls back
            log.warning("could not end a read-only transaction with COMMIT", exc_info=True)


def _wrote(session: Session) -> bool:
    return bool(session.info.get(_WROTE) or session.new or session.dirty or session.deleted)


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _flush_context: UOWTransaction) -> None:
    session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if not state.is_select:  # DML, or a text() statement that might be
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_transaction_end")
def _transaction_ended(session: Session, transaction) -> None:
    if transaction.parent is None:  # the outermost transaction: a new one starts clean
        session.info.pop(_WROTE, None)
