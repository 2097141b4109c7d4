"""The Celery app, bound to the Flask app by ``create_app`` (Flask's ``celery_init_app``).

The web app only *sends* tasks, by name (``send_task``); it never imports the
``worker`` package that defines them, so ``app`` and ``worker`` depend one
way only: ``worker`` on ``app``. ``celery -A worker`` takes this same Celery
app from ``create_app()`` and adds the tasks and the beat schedule.

Why these settings:

* JSON only, never pickle: a message on the broker can never run code.
* Tasks take ids (or nothing), never ORM objects; each runs inside the Flask
  app context, so it opens and closes its own database session.
* ``task_acks_late`` with ``task_reject_on_worker_lost``: a message is
  acknowledged after its task finished, so a killed worker's task goes back
  to the queue. The database is still the source of truth: every task here
  is "deliver whatever is pending", safe to run twice or not at all.
* Results are ignored: nothing waits on a task.

The broker: ``REIS_BROKER_URL`` (Redis in production). Unset, it is kombu's
SQLAlchemy transport on a SQLite file in ``instance/``, so ``make run`` needs
no server; under ``REIS_ENV=testing`` it is kombu's in-memory transport, so
tests that do not ask for a broker leave no files behind.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from typing import Any

from celery import Celery, Task
from flask import Flask, current_app

import config as settings

log = logging.getLogger(__name__)

QUEUE = "reis"
#: the tasks' names: the web app sends by name, ``worker/tasks.py`` defines them
DELIVER, SWEEP, DIGEST, TIDY_BROKER = "reis.deliver", "reis.sweep", "reis.digest", "reis.tidy_broker"
EMBEDDED_BROKER_FILE = "broker.sqlite3"


def broker_url(config: Mapping[str, Any]) -> str:
    url = config.get("REIS_BROKER_URL")
    if url:
        return url
    if config.get("REIS_ENV") == "testing":
        return "memory://localhost/"
    return f"sqla+sqlite:///{settings.INSTANCE_DIR / EMBEDDED_BROKER_FILE}"


def is_embedded(url: str) -> bool:
    return url.startswith(("sqla+", "sqlalchemy+"))


def celery_init_app(flask_app: Flask) -> Celery:
    """A Celery app whose tasks run in ``flask_app``'s context; also ``flask_app.extensions["celery"]``."""

    class FlaskTask(Task):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with flask_app.app_context():
                return self.run(*args, **kwargs)

    url = broker_url(flask_app.config)
    celery_app = Celery(flask_app.import_name, task_cls=FlaskTask)
    transport_options: dict[str, Any] = {}
    if is_embedded(url):
        settings.INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        # SQLite's own busy wait, so the web app, the worker and beat can share the file
        transport_options = {"connect_args": {"timeout": 15}}
    celery_app.conf.update(
        broker_url=url,
        broker_transport_options=transport_options,
        broker_connection_retry_on_startup=True,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        event_serializer="json",
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue=QUEUE,
        timezone=flask_app.config["REIS_TIMEZONE"],
        enable_utc=True,
    )
    celery_app.flask_app = flask_app
    celery_app.set_default()
    flask_app.extensions["celery"] = celery_app
    flask_app.extensions["reis.kicker"] = Kicker(celery_app)
    return celery_app


def kick() -> bool:
    """Ask a worker to run the relay now; never raises (the beat relay is the safety net)."""
    return current_app.extensions["reis.kicker"].kick()


class Kicker:
    """Sends the ``deliver`` task after a commit; never raises.

    A broker that is down can make a publish wait a few seconds (redis-py
    retries its connection); after one failure the kicker leaves the broker
    alone for ``pause`` seconds, so a burst of changes during an outage does
    not each wait. Nothing is lost meanwhile: the rows are pending in the
    database and the beat relay (or a worker starting) picks them up.
    """

    pause = 30.0

    def __init__(self, celery_app: Celery) -> None:
        self.celery_app = celery_app
        self._paused_until = 0.0
        self._lock = threading.Lock()

    def kick(self) -> bool:
        if time.monotonic() < self._paused_until:
            return False
        try:
            with self.celery_app.pool.acquire(block=True) as conn:  # the app's pooled connections
                # Bounded by attempts, not by the clock: kombu's own limit is a deadline read
                # from time.time(), which a frozen clock (a test's time machine) never reaches.
                conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0)
                self.celery_app.send_task(DELIVER, retry=False, connection=conn)
        except Exception as exc:  # the broker is down or unreachable
            with self._lock:
                self._paused_until = time.monotonic() + self.pause
            log.warning("could not reach the broker to deliver notifications now (%s); "
                        "the relay will deliver them", exc)
            return False
        return True
