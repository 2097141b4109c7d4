"""Real services for the notification tests: a private Redis, an SMTP server,
and Celery worker processes, each started on a free port and stopped after.

Why private ones: the fault tests stop and restart Redis and kill workers,
which must never touch the machine's shared Redis or another test's worker.
Nothing here sleeps for a fixed time: ``wait_until`` polls a condition with
a deadline.
"""

from __future__ import annotations

import asyncio
import email
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import redis
from aiosmtpd.controller import Controller

import config
from app.celery_app import celery_init_app
from tests.conftest import service_missing

POLL = 0.05


def wait_until(condition: Callable[[], object], timeout: float = 20.0, what: str = "condition"):
    """Poll ``condition`` until it is truthy (and return it); fail after ``timeout`` seconds.

    Timeouts are generous upper bounds (a loaded CI machine starts Python
    processes slowly); a passing run returns as soon as the condition holds.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(POLL)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """``redis-server --port N --save ""`` as a child process; can stop and start again."""

    def __init__(self, workdir: Path) -> None:
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            service_missing("redis-server is not installed (the broker fault tests need one)")
        self.port = free_port()
        self.workdir = workdir
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2)

    def start(self) -> RedisServer:
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self._answers, 10, "the private redis-server to answer")
        return self

    def _answers(self) -> bool:
        try:
            return bool(self.client().ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.proc = None


class Sink:
    """aiosmtpd handler: keeps every accepted message; can refuse, defer or stall.

    ``refuse``: recipient address -> SMTP reply for RCPT (e.g. "550 5.1.1 no such user").
    ``stall_next``: the next message's DATA waits until ``release`` is set and is
    then answered 451, so a client killed meanwhile never had it accepted.
    """

    def __init__(self) -> None:
        self.accepted: list[EmailMessage] = []
        self.refuse: dict[str, str] = {}
        self.stall_next = False
        self.stalled = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.stall_next:
            self.stall_next = False
            self.stalled.set()
            while not self.release.is_set():
                await asyncio.sleep(POLL)
            return "451 4.3.0 stalled on purpose"
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        with self._lock:
            self.accepted.append(message)
        return "250 Message accepted"

    def by_notification(self) -> Counter:
        with self._lock:
            return Counter(int(m["X-REIS-Notification"]) for m in self.accepted)

    def count(self) -> int:
        with self._lock:
            return len(self.accepted)


class SmtpServer:
    def __init__(self, port: int | None = None) -> None:
        self.sink = Sink()
        self.port = port or free_port()
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)

    def start(self) -> SmtpServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.sink.release.set()
        self.controller.stop()


class WorkerProcess:
    """``celery -A worker worker`` (solo pool) in a child process, logging to a file."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env = env
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None

    def start(self) -> WorkerProcess:
        self._log = open(self.log_path, "ab")  # noqa: SIM115 (closed in stop/kill)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "worker", "worker", "--pool", "solo",
             "--loglevel", "INFO", "--without-heartbeat", "--without-gossip", "--without-mingle",
             "--hostname", f"test-{uuid.uuid4().hex[:8]}@%h"],
            cwd=config.ROOT, env=self.env, stdout=self._log, stderr=subprocess.STDOUT)
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = 90.0) -> WorkerProcess:
        def ready():
            if self.proc.poll() is not None:
                raise AssertionError(f"the worker exited ({self.proc.returncode}):\n{self.log()}")
            return " ready." in self.log()
        wait_until(ready, timeout, "the worker to be ready")
        return self

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)
        self._close()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self._close()

    def _close(self) -> None:
        if getattr(self, "_log", None) is not None:
            self._log.close()
            self._log = None


def worker_env(app, *, broker_url: str, smtp_port: int | None) -> dict[str, str]:
    """The environment a worker needs to serve the test's database, broker and SMTP server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REIS_")}
    env.update({
        "REIS_ENV": "testing", "REIS_DATABASE_URL": app.config["REIS_DATABASE_URL"],
        "REIS_BROKER_URL": broker_url, "REIS_MAIL_FROM": app.config["REIS_MAIL_FROM"],
        "REIS_SECRET_KEY": app.config["SECRET_KEY"], "PYTHONUNBUFFERED": "1",
    })
    if smtp_port is not None:
        env.update({"REIS_SMTP_HOST": "127.0.0.1", "REIS_SMTP_PORT": str(smtp_port)})
    return env


@contextmanager
def app_settings(app, **values):
    """Set ``REIS_*`` settings on the (session-wide) app for one test, then restore them."""
    keys = {f"REIS_{k}": v for k, v in values.items()}
    before = {k: app.config.get(k) for k in keys}
    app.config.update(keys)
    try:
        yield app
    finally:
        app.config.update(before)


@contextmanager
def broker(app, url: str):
    """Point the app's after-commit kicks at ``url`` for one test."""
    with app_settings(app, BROKER_URL=url):
        celery_app = celery_init_app(app)
        try:
            yield celery_app
        finally:
            celery_app.close()
    celery_init_app(app)
