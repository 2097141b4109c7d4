"""What only the worker and beat processes add to the app's Celery app.

``app.celery_app.celery_init_app`` (called by ``create_app``) makes the Celery
app every process shares: the web app sends by it. The worker and beat also
need the tasks (``worker.tasks``, registered by importing it), the beat
schedule declared next to them, the leader-lock scheduler, and two signal
handlers; ``configure`` adds the settings, importing this module connects
the handlers.
"""

from __future__ import annotations

import logging

from celery import Celery, current_app
from celery.signals import worker_process_init, worker_ready
from flask import Flask

import config as settings
from app.celery_app import DELIVER, QUEUE, is_embedded
from app.extensions import db
from worker import beat, tasks

log = logging.getLogger(__name__)


def configure(flask_app: Flask) -> Celery:
    """The app's Celery app with the beat schedule and scheduler of the worker side."""
    celery_app: Celery = flask_app.extensions["celery"]
    celery_app.conf.update(
        beat_schedule=tasks.beat_schedule(embedded=is_embedded(celery_app.conf.broker_url or "")),
        beat_scheduler=f"{beat.__name__}:LeaderScheduler",
        beat_schedule_filename=str(flask_app.config.get("REIS_BEAT_SCHEDULE_FILE")
                                   or settings.INSTANCE_DIR / "celerybeat-schedule"),
        beat_max_loop_interval=10,
    )
    return celery_app


def prepare_embedded_broker(celery_app: Celery) -> None:
    """Create the embedded broker's tables now, before web, worker and beat race to."""
    if is_embedded(celery_app.conf.broker_url or ""):
        with celery_app.connection_for_write() as conn:
            celery_app.amqp.queues[QUEUE](conn.default_channel).declare()


@worker_ready.connect
def _relay_on_start(sender=None, **_kwargs) -> None:
    """A worker that starts relays what a stopped or killed one left pending."""
    app = getattr(sender, "app", None)
    if app is not None and getattr(app, "flask_app", None) is not None:
        try:
            app.send_task(DELIVER)
        except Exception:
            log.warning("could not queue the start-up relay", exc_info=True)


@worker_process_init.connect
def _fresh_database_connections(**_kwargs) -> None:
    """A forked pool process must not share its parent's database connections."""
    flask_app = getattr(current_app, "flask_app", None)
    if flask_app is not None:
        with flask_app.app_context():
            db.engine.dispose(close=False)
