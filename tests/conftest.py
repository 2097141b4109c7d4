"""Shared fixtures. Integration tests run once per database: SQLite (the
embedded default) and PostgreSQL (production). The schema always comes from
the Alembic migrations, never from ``create_all``.

PostgreSQL is the machine's shared server (127.0.0.1:5432, trust auth); each
test session makes a database of its own on it and drops it at the end. In CI
(``CI=true``) an unreachable server fails the run; elsewhere those tests skip
and say what is missing.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy import text

from app import create_app
from app.extensions import db

PG_ADMIN_DSN = os.environ.get("REIS_TEST_PG_DSN", "host=127.0.0.1 port=5432 dbname=test")
IN_CI = os.environ.get("CI", "").lower() == "true"


def service_missing(what: str) -> None:
    """Fail in CI, skip (saying what is missing) on a newcomer's machine."""
    if IN_CI:
        pytest.fail(f"{what} (CI must have it)", pytrace=False)
    pytest.skip(what)


def _pg_dsn_for(dbname: str) -> str:
    parts = dict(p.split("=", 1) for p in PG_ADMIN_DSN.split())
    parts["dbname"] = dbname
    return " ".join(f"{k}={v}" for k, v in parts.items())


def pg_url(dsn: str) -> str:
    parts = dict(p.split("=", 1) for p in dsn.split())
    user = parts.get("user", "")
    auth = f"{user}@" if user else ""
    host, port = parts.get("host", "127.0.0.1"), parts.get("port", "5432")
    return f"postgresql+psycopg://{auth}{host}:{port}/{parts['dbname']}"


@contextmanager
def new_postgres_database(prefix: str = "reis_test") -> Iterator[str]:
    """A new, empty PostgreSQL database on the shared server; its SQLAlchemy URL.
    Dropped on exit (FORCE: a leftover pooled connection must not keep it alive)."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(PG_ADMIN_DSN, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        service_missing(f"PostgreSQL is not reachable ({PG_ADMIN_DSN}): {exc}".strip())
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield pg_url(_pg_dsn_for(name))
    finally:
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session; its SQLAlchemy URL."""
    with new_postgres_database() as url:
        yield url


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'reis.sqlite3'}"
    return request.getfixturevalue("postgres_database")


@pytest.fixture(scope="session")
def app(database_url):
    from flask_migrate import upgrade

    app = create_app({"ENV": "testing", "DATABASE_URL": database_url,
                      "SECRET_KEY": "test-" + uuid.uuid4().hex,
                      # contract tests sweep every endpoint with bad tokens from one address;
                      # tests/integration/test_abuse_limits.py holds the real limit
                      "API_TOKEN_FAILURES": "1000 per minute"})
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


TABLES = ("annual_narratives", "report_back_results", "report_backs", "screening_rules", "legistar_matters",
          "legistar_event_items", "legistar_events",
          "legistar_cursors", "notifications", "history_events", "statement_revisions", "statements", "items",
          "delegations", "api_tokens", "user_sessions", "users", "departments")


def _empty_tables(app) -> None:
    with app.app_context():
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
            else:
                for table in TABLES:
                    conn.execute(text(f"DELETE FROM {table}"))
        db.session.remove()


@pytest.fixture
def app_ctx(app):
    """The app with empty tables, no rate-limit counts, and an application context pushed."""
    from app import ratelimit

    _empty_tables(app)
    ratelimit.reset(app)
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def client(app_ctx):
    return app_ctx.test_client()


@pytest.fixture
def world(app_ctx):
    """Departments and one user (with an API token) of each role."""
    from tests.factories import World

    return World.build()
