"""PostgreSQL stops for a few seconds under load, then comes back.

A private, throw-away cluster (``initdb`` + ``pg_ctl`` on a free port, never
the machine's shared server) serves an app while threads keep reading,
editing and moving statements through their lifecycle. While it is down every
API answer is the 503 JSON envelope (no HTML, no other 5xx) and ``/healthz``
says 503; once it is back the app recovers by itself (``pool_pre_ping``
replaces the dead pooled connections) and requests succeed again. Nothing is
half-written: every statement's state is its last history row's ``to_state``,
its revisions and notifications match its history, and the hash chains verify.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import psycopg
import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.models import HistoryEvent, Item, Notification, Statement, StatementRevision
from app.operations import audit, statements
from app.web.auth import limiter
from tests.conftest import service_missing
from tests.factories import World, complete_answers
from tests.integration.services import free_port, wait_until

THREADS = 6
PG_BIN_DIRS = ("/usr/lib/postgresql/15/bin", "/usr/local/bin", "/usr/lib/postgresql/16/bin")


def pg_binary(name: str) -> str:
    for directory in PG_BIN_DIRS:
        candidate = Path(directory) / name
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        service_missing(f"PostgreSQL's {name} is not installed (the database fault test needs it)")
    return found


class PrivatePostgres:
    """A cluster in a temporary directory on a free port; stop/start at will."""

    def __init__(self) -> None:
        self.initdb, self.pg_ctl = pg_binary("initdb"), pg_binary("pg_ctl")
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="reis-pgfault-"))
        self.data = self.dir / "data"
        self.as_postgres: list[str] = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            shutil.chown(self.dir, "postgres", "postgres")
            self.as_postgres = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_postgres, *args], check=True, capture_output=True, timeout=60)

    def init(self) -> PrivatePostgres:
        self._run(self.initdb, "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        return self.start()

    def start(self) -> PrivatePostgres:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(self.pg_ctl, "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"),
                  "-w", "start")
        return self

    def stop(self) -> None:
        self._run(self.pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        subprocess.run([*self.as_postgres, self.pg_ctl, "-D", str(self.data), "-m", "immediate",
                        "-w", "stop"], capture_output=True, timeout=60, check=False)
        shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, dbname: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"


@pytest.fixture
def server():
    cluster = PrivatePostgres().init()
    with psycopg.connect(f"host=127.0.0.1 port={cluster.port} user=postgres dbname=postgres",
                         autocommit=True) as conn:
        conn.execute("CREATE DATABASE reis")
    yield cluster
    cluster.destroy()


@pytest.fixture
def fault_app(server):
    saved = limiter._storage, limiter._limiter  # create_app re-points the process-wide limiter
    app = create_app({"ENV": "testing", "DATABASE_URL": server.url("reis"),
                      "SECRET_KEY": "test-" + uuid.uuid4().hex})
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()
    limiter._storage, limiter._limiter = saved


class Load:
    """Threads that each drive their own item round and round: read, edit, move."""

    def __init__(self, app, world: World, file_ids: list[str]) -> None:
        self.app, self.world, self.file_ids = app, world, file_ids
        self.stop = threading.Event()
        self.statuses: Counter = Counter()
        self.bad: list[str] = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run, args=(f,), daemon=True) for f in file_ids]

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(60)

    def ok_since(self) -> int:
        with self.lock:
            return self.statuses[200]

    def _note(self, method: str, path: str, response) -> dict | None:
        with self.lock:
            self.statuses[response.status_code] += 1
            status = response.status_code
            if status not in (200, 409, 503):
                self.bad.append(f"{method} {path}: {status} {response.get_data(as_text=True)[:200]}")
            elif status == 503 and not (response.is_json and response.json.get("error") == "unavailable"
                                        and response.json.get("message")):
                self.bad.append(f"{method} {path}: 503 without the JSON envelope")
        return response.json if status == 200 else None

    def _run(self, file_id: str) -> None:
        client = self.app.test_client()
        people = {"staff": self.world["staff"], "approver": self.world["approver"],
                  "ode": self.world["ode"], "clerk": self.world["clerk"]}
        base = f"/api/v1/items/{file_id}"
        for _ in range(100_000):  # bounded; the stop event ends it long before
            if self.stop.is_set():
                return
            self._note("GET", base, client.get(base, headers=people["clerk"].headers))
            self._note("GET", base + "/agendizable",
                       client.get(base + "/agendizable", headers=people["clerk"].headers))
            statement = self._note("GET", base + "/statement",
                                   client.get(base + "/statement", headers=people["staff"].headers))
            if statement is None:
                time.sleep(0.02)  # the database is down: do not spin
                continue
            state, version = statement["state"], statement["version"]
            if state == "draft":
                answers = complete_answers()
                self._note("PUT", base + "/statement", client.put(
                    base + "/statement", headers=people["staff"].headers,
                    json={"answers": answers, "version": version}))
                event, who = "submit", "staff"
            elif state == "department_review":
                event, who = "approve", "approver"
            else:
                event, who = "return", "ode"
            body = {"event": event}
            if event == "return":
                body["comment"] = "Please revise."
            self._note("POST", base + "/statement/events", client.post(
                base + "/statement/events", headers=people[who].headers, json=body))


def notification_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Notification))


def calibrate(world: World) -> dict[str, int]:
    """Notifications each kind of history event writes, from one calm round of a reference item."""
    staff = world["staff"].user
    steps = [lambda: world.item("2026-09999"),
             lambda: statements.save_answers(staff, "2026-09999", complete_answers(), version=1),
             lambda: statements.fire_event(staff, "2026-09999", "submit"),
             lambda: statements.fire_event(world["approver"].user, "2026-09999", "approve"),
             lambda: statements.fire_event(world["ode"].user, "2026-09999", "return", "Please revise.")]
    per_event: dict[str, int] = {}
    for step in steps:
        before = notification_count()
        step()
        last = db.session.scalars(select(HistoryEvent).order_by(HistoryEvent.id.desc())).first()
        per_event.setdefault(last.event, notification_count() - before)
    return per_event


def assert_consistent(per_event: dict[str, int]) -> None:
    """Nothing half-written: history, state, revisions and notifications agree."""
    db.session.rollback()
    for statement in db.session.scalars(select(Statement)):
        history = list(db.session.scalars(select(HistoryEvent).where(
            HistoryEvent.statement_id == statement.id).order_by(HistoryEvent.seq)))
        assert history, f"statement {statement.id} has no history"
        assert [h.seq for h in history] == list(range(history[0].seq, history[0].seq + len(history)))
        assert history[-1].to_state == statement.state.value
        for before, after in itertools.pairwise(history):
            assert after.from_state == before.to_state
        submits = sum(1 for h in history if h.event == "submit")
        revisions = db.session.scalar(select(func.count()).select_from(StatementRevision).where(
            StatementRevision.statement_id == statement.id))
        assert revisions == submits, f"statement {statement.id}: {revisions} revisions, {submits} submits"
        notified = db.session.scalar(select(func.count()).select_from(Notification).where(
            Notification.statement_id == statement.id))
        assert notified == sum(per_event[h.event] for h in history), \
            f"statement {statement.id}: {notified} notifications for {[h.event for h in history]}"


class TestDatabaseOutage:
    def test_stopped_postgres_gives_503_json_and_the_app_recovers(self, server, fault_app):
        world = World.build()
        per_event = calibrate(world)
        file_ids = [f"2026-{n:05d}" for n in range(1, THREADS + 1)]
        for file_id in file_ids:
            world.item(file_id)
        db.session.remove()
        health = fault_app.test_client()
        with Load(fault_app, world, file_ids) as load:
            wait_until(lambda: load.ok_since() > 50, 30, "requests to succeed before the outage")
            server.stop()
            down = health.get("/healthz")
            assert down.status_code == 503 and down.json["status"] == "unavailable"
            wait_until(lambda: load.statuses[503] > 20, 20, "requests to meet the outage")
            time.sleep(2)  # a few seconds of outage under load (a fault test's one deliberate wait)
            assert health.get("/healthz").status_code == 503
            server.start()
            wait_until(lambda: health.get("/healthz").status_code == 200, 30, "/healthz to recover")
            after = load.ok_since()
            wait_until(lambda: load.ok_since() > after + 50, 30, "requests to succeed again")
        assert load.bad == [], load.bad[:5]
        assert load.statuses[503] > 0 and load.statuses[200] > 100
        assert set(load.statuses) <= {200, 409, 503}
        assert_consistent(per_event)
        report = audit.verify()
        assert report.breaks == [] and report.chains == len(file_ids) + 1
        assert db.session.scalar(select(func.count()).select_from(Item)) == len(file_ids) + 1
