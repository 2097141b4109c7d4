"""Fixtures for the tests that use real worker-side parts: a private Redis,
an SMTP server, and Celery worker processes (stopped at the end of the test)."""

from __future__ import annotations

import pytest

from tests.integration.services import RedisServer, SmtpServer, WorkerProcess, worker_env


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def smtp(app_ctx):
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def start_worker(app_ctx, tmp_path):
    """Start a worker on a broker, delivering to an SMTP port (None: mail to the log)."""
    started: list[WorkerProcess] = []

    def start(broker_url: str, smtp_port: int | None) -> WorkerProcess:
        env = worker_env(app_ctx, broker_url=broker_url, smtp_port=smtp_port)
        worker = WorkerProcess(env, tmp_path / f"worker{len(started)}.log").start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
