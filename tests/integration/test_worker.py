"""The Celery side with real parts: a private Redis as broker, worker and beat
processes, an SMTP server, and ``reis serve-all`` on the embedded broker."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from celery import Celery
from kombu import Connection
from sqlalchemy import select

import config
from app.celery_app import DELIVER, DIGEST, QUEUE, SWEEP, broker_url, celery_init_app
from app.extensions import db
from app.models import Notification
from tests.integration.services import (
    app_settings,
    broker,
    free_port,
    wait_until,
    worker_env,
)
from worker import beat as beat_module
from worker import setup, tasks


def statuses() -> list[str]:
    db.session.rollback()  # a fresh snapshot of what the worker wrote
    return list(db.session.scalars(select(Notification.email_status).order_by(Notification.id)))


class TestCeleryApp:
    def test_safe_settings(self, app_ctx):
        celery_init_app(app_ctx)
        conf = setup.configure(app_ctx).conf
        assert conf.task_serializer == "json" and conf.accept_content == ["json"]
        assert conf.task_acks_late is True and conf.task_reject_on_worker_lost is True
        assert conf.task_ignore_result is True
        assert conf.task_default_queue == QUEUE
        assert conf.timezone == "America/Los_Angeles"
        assert conf.beat_scheduler == "worker.beat:LeaderScheduler"

    def test_broker_defaults(self):
        embedded = broker_url({"REIS_BROKER_URL": None, "REIS_ENV": "development"})
        assert embedded == f"sqla+sqlite:///{config.INSTANCE_DIR / 'broker.sqlite3'}"
        assert broker_url({"REIS_BROKER_URL": None, "REIS_ENV": "testing"}).startswith("memory://")
        assert broker_url({"REIS_BROKER_URL": "redis://r:6379/1"}) == "redis://r:6379/1"

    def test_beat_schedule(self):
        schedule = tasks.beat_schedule()
        assert schedule["outbox-relay"] == {"task": DELIVER, "schedule": 60.0}
        assert schedule["reminder-sweep"] == {"task": SWEEP, "schedule": 300.0}
        digest = schedule["daily-digest"]
        assert digest["task"] == DIGEST
        assert digest["schedule"].hour == {7} and digest["schedule"].minute == {0}
        assert "tidy-embedded-broker" not in schedule
        assert "tidy-embedded-broker" in tasks.beat_schedule(embedded=True)

    def test_tasks_run_in_the_app_context_when_called(self, world, app_ctx):
        celery_app = celery_init_app(app_ctx)
        world.item("2026-00001", state="department_review")
        with app_settings(app_ctx, SMTP_HOST=None):
            assert celery_app.tasks[DELIVER]() == 2
        assert statuses() == ["sent", "sent"]
        assert celery_app.tasks[DIGEST]() == 0
        assert isinstance(celery_app.tasks[SWEEP](), int)

    def test_the_worker_package_exposes_celery_for_the_command_line(self, tmp_path):
        env = {k: v for k, v in os.environ.items() if not k.startswith("REIS_")}
        env.update(REIS_ENV="testing", REIS_DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3")
        out = subprocess.run(
            [sys.executable, "-c", "import worker, celery; "
             "assert isinstance(worker.celery, celery.Celery); print(sorted(worker.celery.tasks))"],
            cwd=config.ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        assert "reis.deliver" in out.stdout and "reis.sweep" in out.stdout


class TestKickAfterCommit:
    def test_a_commit_that_wrote_notifications_queues_one_delivery(self, world, app_ctx,
                                                                    redis_server):
        queue = redis_server.client()
        with broker(app_ctx, redis_server.url):
            world.item("2026-00001", state="draft")
            assert queue.llen(QUEUE) == 0  # no notification, no kick
            world.item("2026-00002", state="department_review")
            assert queue.llen(QUEUE) == 1
        message = json.loads(queue.lindex(QUEUE, 0))
        assert message["headers"]["task"] == DELIVER
        assert message["content-type"] == "application/json"

    def test_a_broker_that_is_down_does_not_stop_the_change(self, world, app_ctx):
        with broker(app_ctx, f"redis://127.0.0.1:{free_port()}/0") as celery_app:
            world.item("2026-00001", state="ode_review")
            kicker = app_ctx.extensions["reis.kicker"]
            assert kicker.celery_app is celery_app
            assert kicker.kick() is False  # paused after the first failure: no waiting
        # submitted (two approvers), approved (the ODE reviewer it was assigned to): all pending
        assert statuses() == ["pending"] * 3

    def test_a_broker_that_is_down_does_not_hang_a_change_made_at_a_frozen_time(self, world, app_ctx):
        """kombu's connect deadline is read from time.time(): under a frozen clock only a bound
        on attempts ends the wait (a hang here once stopped the whole suite)."""
        with broker(app_ctx, f"redis://127.0.0.1:{free_port()}/0"), \
                time_machine.travel(datetime(2026, 11, 20, 18, 0, tzinfo=UTC), tick=False):
            world.item("2026-00001", state="department_review")
        assert statuses() == ["pending"] * 2


class TestRealWorker:
    def test_the_worker_mails_a_change_right_after_its_commit(self, world, app_ctx, redis_server,
                                                             smtp, start_worker):
        worker = start_worker(redis_server.url, smtp.port).wait_ready()
        wait_until(lambda: "reis.deliver" in worker.log() and "succeeded" in worker.log(),
                   60, "the start-up relay")
        with broker(app_ctx, redis_server.url):
            world.item("2026-00001", state="department_review")
        wait_until(lambda: smtp.sink.count() == 2, 60, "two mails")
        wait_until(lambda: statuses() == ["sent", "sent"], 30, "rows marked sent")
        to = sorted(m["To"].addresses[0].addr_spec for m in smtp.sink.accepted)
        assert to == ["approver2@test.reis", "approver@test.reis"]


class TestBeatLeaderLock:
    @pytest.fixture
    def beat_app(self, app_ctx, redis_server):
        with broker(app_ctx, redis_server.url) as celery_app:
            celery_app.conf.beat_schedule = {"relay": {"task": DELIVER, "schedule": 0.01}}
            yield celery_app

    def scheduler(self, beat_app, tmp_path, name):
        return beat_module.LeaderScheduler(app=beat_app, schedule_filename=str(tmp_path / name))

    def sent_after(self, scheduler, redis_server) -> int:
        """How many tasks one tick of ``scheduler`` put on the queue."""
        queue = redis_server.client()
        before = queue.llen(QUEUE)
        wait_until(lambda: scheduler.schedule["relay"].is_due()[0], 5, "the entry to be due")
        scheduler.tick()
        return queue.llen(QUEUE) - before

    def test_one_beat_schedules_and_the_other_stands_by(self, beat_app, tmp_path, redis_server):
        first, second = (self.scheduler(beat_app, tmp_path, n) for n in ("a", "b"))
        try:
            assert self.sent_after(first, redis_server) == 1 and first.is_leader
            for _ in range(3):
                assert self.sent_after(second, redis_server) == 0
                assert not second.is_leader
                assert self.sent_after(first, redis_server) == 1
        finally:
            first.close()
            second.close()

    def test_the_standby_takes_over_when_the_leader_stops(self, beat_app, tmp_path, redis_server):
        first, second = (self.scheduler(beat_app, tmp_path, n) for n in ("a", "b"))
        try:
            self.sent_after(first, redis_server)
            first.close()  # releases the lock
            assert self.sent_after(second, redis_server) == 1 and second.is_leader
        finally:
            second.close()

    def test_the_standby_takes_over_when_the_leader_dies(self, beat_app, tmp_path, redis_server):
        beat_app.conf.reis_beat_lock_ttl = 0.5
        first, second = (self.scheduler(beat_app, tmp_path, n) for n in ("a", "b"))
        try:
            self.sent_after(first, redis_server)  # then never ticks again: its lock expires
            wait_until(lambda: self.sent_after(second, redis_server) == 1, 10,
                       "the standby to take over")
            assert second.is_leader
            assert self.sent_after(first, redis_server) == 0 and not first.is_leader
        finally:
            first.close()
            second.close()

    def test_celery_beat_from_the_checkout_takes_the_lock(self, app_ctx, redis_server, tmp_path):
        env = worker_env(app_ctx, broker_url=redis_server.url, smtp_port=None)
        env["REIS_BEAT_SCHEDULE_FILE"] = str(tmp_path / "beat-schedule")
        log = tmp_path / "beat.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen([sys.executable, "-m", "celery", "-A", "worker", "beat",
                                     "--loglevel", "INFO"], cwd=config.ROOT, env=env,
                                    stdout=out, stderr=subprocess.STDOUT)
            try:
                client = redis_server.client()
                wait_until(lambda: client.get(beat_module.LOCK_KEY), 90, "beat to take the lock")
                assert "leading" in wait_until(lambda: log.read_text(), 5, "the beat log")
            finally:
                proc.terminate()
                proc.wait(20)
        assert client.get(beat_module.LOCK_KEY) is None  # released on a clean stop


class TestEmbeddedBroker:
    def test_tidy_deletes_consumed_messages_only(self, tmp_path):
        url = f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}"
        with Connection(url) as conn:
            queue = conn.SimpleQueue(QUEUE)
            for n in range(4):
                queue.put({"n": n})
            for _ in range(3):
                queue.get(timeout=5).ack()
            queue.close()
        deleted = tasks.tidy_embedded_broker(Celery("t", broker=url), older_than=timedelta(seconds=-5))
        assert deleted == 3
        with sqlite3.connect(tmp_path / "broker.sqlite3") as check:
            assert check.execute("SELECT count(*) FROM kombu_message").fetchone() == (1,)

    def test_serve_all_works_with_no_server_and_stops_together(self, tmp_path):
        """``make run``: web + worker + beat on the SQLAlchemy broker, mail to the log."""
        from flask_migrate import upgrade

        from app import create_app
        from tests.factories import World

        database = f"sqlite:///{tmp_path / 'reis.sqlite3'}"
        setup = create_app({"ENV": "testing", "DATABASE_URL": database})
        with setup.app_context():
            upgrade()
            world = World.build()
            world.item("2026-00001", state="department_review")  # 2 rows, delivered at start
            approver_headers = world["approver"].headers
            db.session.remove()
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("REIS_")}
        env.update(REIS_DATABASE_URL=database, REIS_ENV="development", PYTHONUNBUFFERED="1",
                   REIS_BROKER_URL=f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}",
                   REIS_BEAT_SCHEDULE_FILE=str(tmp_path / "beat-schedule"))
        log = tmp_path / "serve-all.log"
        children: list[int] = []
        with open(log, "wb") as out:
            proc = subprocess.Popen([sys.executable, "-c", "from app.console import main; main()",
                                     "serve-all", "--port", str(port), "--demo-accounts"],
                                    cwd=config.ROOT,
                                    env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until(lambda: _get(f"{base}/healthz") == 200, 90, "the web app")
            _post(f"{base}/api/v1/items/2026-00001/statement/events", {"event": "approve"},
                  approver_headers)
            def all_sent() -> bool:
                with sqlite3.connect(tmp_path / "reis.sqlite3") as check:
                    sent, left = check.execute(
                        "SELECT count(*) FILTER (WHERE email_status = 'sent'), "
                        "count(*) FILTER (WHERE email_status <> 'sent') FROM notifications").fetchone()
                    return sent > 0 and left == 0
            wait_until(all_sent, 90, "the worker to deliver every notification")
            assert "is ready for ODE review" in log.read_text()  # the mail, in the log
            children = _children(proc.pid)
            assert len(children) == 3  # web, worker, beat
            # the demo accounts come again once all is up, after the worker's banner
            shown = wait_until(lambda: "demo accounts:" in log.read_text() and log.read_text(), 90,
                               "the demo accounts")
            assert shown.index(" ready.") < shown.index("Sign in with one of these demo accounts")
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(30)
        assert proc.returncode == 0
        assert all(not Path(f"/proc/{pid}").exists() or _zombie(pid) for pid in children)


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status
    except OSError:
        return 0


def _post(url: str, body: dict, headers: dict) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={**headers, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True
