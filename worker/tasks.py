"""The tasks and, next to them, the beat schedule that runs them.

Every task is "do what is due now" against the database, so running one
twice, late, or on two workers at once sends nothing twice: the outbox claim
and the reminders' unique keys are the guarantees, not the broker.
Reminders are never tasks with an ETA or a countdown (DESIGN.md).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from celery import Celery, current_app, shared_task
from celery.schedules import crontab

from app.celery_app import DELIVER, DIGEST, SWEEP, TIDY_BROKER, is_embedded
from app.models.base import utcnow
from app.operations import outbox
from app.operations import sweep as reminder_sweep

log = logging.getLogger(__name__)

RELAY_EVERY = 60.0
SWEEP_EVERY = 300.0
DIGEST_AT = {"hour": 7, "minute": 0}  # City time (the Celery app's timezone)


def beat_schedule(*, embedded: bool = False) -> dict:
    schedule = {
        "outbox-relay": {"task": DELIVER, "schedule": RELAY_EVERY},
        "reminder-sweep": {"task": SWEEP, "schedule": SWEEP_EVERY},
        "daily-digest": {"task": DIGEST, "schedule": crontab(**DIGEST_AT)},
    }
    if embedded:
        schedule["tidy-embedded-broker"] = {"task": TIDY_BROKER, "schedule": 3600.0}
    return schedule


@shared_task(name=DELIVER)
def deliver() -> int:
    """Deliver every due outbox row (the kick after a commit, and the beat relay)."""
    total = outbox.relay()
    if total:
        log.info("relay delivered or settled %d notifications", total)
    return total


@shared_task(name=SWEEP)
def sweep() -> int:
    return reminder_sweep.run(utcnow())  # its commit kicks the relay when it claimed any


@shared_task(name=DIGEST)
def digest() -> int:
    return outbox.queue_digests()  # its commits kick the relay (notify's after_commit hook)


@shared_task(name=TIDY_BROKER)
def tidy_broker() -> int:
    return tidy_embedded_broker(current_app, older_than=timedelta(hours=1))


def tidy_embedded_broker(celery_app: Celery, older_than: timedelta) -> int:
    """Delete consumed messages from the embedded (SQLAlchemy) broker's table.

    kombu's SQLAlchemy transport marks a consumed message invisible and keeps
    it; without this the SQLite file of ``make run`` would grow for ever.
    A message a worker still holds is restored by re-publishing, not from
    its old row, so deleting consumed rows loses nothing.
    """
    if not is_embedded(celery_app.conf.broker_url or ""):
        return 0
    cutoff = datetime.now() - older_than  # kombu stores local naive timestamps
    with celery_app.connection_for_write() as conn:
        channel = conn.default_channel
        message = channel.message_cls
        deleted = (channel.session.query(message)
                   .filter(message.visible.is_(False), message.sent_at < cutoff)
                   .delete(synchronize_session=False))
        channel.session.commit()
    return deleted
