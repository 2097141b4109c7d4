"""The outbox relay: deliver pending notification rows, mark what happened.

Why it looks like this (DESIGN.md: the database is the source of truth, the
broker only carries work):

* A row is claimed, sent and marked in **one transaction per row**. The claim
  is ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, so relays running in
  parallel (the kick after a commit, the beat relay, several workers) each
  take different rows and never wait for each other; on SQLite the write
  transaction (``BEGIN IMMEDIATE``) holds the database's write lock, so relays
  take turns. Because the row stays locked and ``pending`` until the commit
  that marks it ``sent``, a worker killed at any point loses nothing: its
  transaction rolls back and the next relay sends the row.
* The price, and it is documented rather than hidden: a crash *after* the SMTP
  server accepted a mail and *before* the commit makes the next relay send it
  again. Delivery is at-least-once with an idempotent claim; the Message-ID
  is stable per row (``app/mail.py``), so a duplicate is recognisable.
* One transaction per row keeps the lock short: on SQLite the web app can
  write between two mails. The SMTP connection itself is reused across rows.
* A transient failure (connection refused, timeout, a 4xx reply) leaves the
  row pending with ``attempts + 1`` and an exponential back-off in
  ``next_attempt_at``; after ``MAX_ATTEMPTS`` it is ``failed``. A permanent
  failure (a 5xx for the recipient, a bad address) is ``failed`` at once with
  ``last_error``, shown in the API and never retried.
* People who chose the daily digest get their rows marked ``skipped`` here;
  ``queue_digests`` later writes one ``digest`` row per person and day (its
  ``dedupe_key`` makes a second run that day a no-op), which this same relay
  delivers. A skipped row's ``delivered_at`` is set when a digest carries it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app import mail
from app.db import write_transaction
from app.extensions import db
from app.models import Notification, User
from app.models.base import utcnow
from app.models.notification import EmailStatus, NotificationKind
from app.models.user import NotifyMode

log = logging.getLogger(__name__)

#: rows per relay round; ``relay`` runs rounds until nothing is due (at most MAX_ROUNDS)
BATCH = 200
MAX_ROUNDS = 25
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=1)
MAX_ATTEMPTS = 8  # about two hours of retrying with the back-off above
DEACTIVATED = "recipient is deactivated"


def backoff(attempts: int) -> timedelta:
    """Delay before attempt ``attempts + 1``: 30 s, 1 min, 2 min, … capped at an hour."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def relay(batch: int = BATCH, max_rounds: int = MAX_ROUNDS) -> int:
    """Deliver every due row, a batch at a time; how many were settled or retried.

    The worker's ``deliver`` task (the kick after a commit, the beat relay)
    and ``reis reminders sweep`` both call this.
    """
    total = 0
    for _ in range(max_rounds):
        handled = deliver_pending(batch)
        total += handled
        if handled < batch:
            break
    return total


def deliver_pending(limit: int = 100, now: datetime | None = None) -> int:
    """Deliver up to ``limit`` due rows; how many rows this run settled or retried."""
    now = now or utcnow()
    config = current_app.config
    max_attempts = int(config.get("REIS_MAIL_MAX_ATTEMPTS") or MAX_ATTEMPTS)
    handled = 0
    with mail.Mailer.from_config(config) as mailer:
        while handled < limit:
            with write_transaction():
                row = _claim(now)
                if row is None:
                    break
                stop = _deliver(row, mailer, now, max_attempts)
            handled += 1
            if stop:
                break
    return handled


def _claim(now: datetime) -> Notification | None:
    return db.session.scalar(
        select(Notification)
        .where(Notification.email_status == EmailStatus.PENDING, Notification.next_attempt_at <= now)
        .order_by(Notification.next_attempt_at, Notification.id).limit(1)
        .with_for_update(skip_locked=True).execution_options(populate_existing=True))


def _deliver(row: Notification, mailer: mail.Mailer, now: datetime, max_attempts: int) -> bool:
    """Send one claimed row and mark it; True when the mail server is unusable for now."""
    user = db.session.get(User, row.user_id) if row.user_id is not None else None
    if user is not None and not user.active:
        row.email_status, row.last_error = EmailStatus.SKIPPED, DEACTIVATED
        return False
    if user is not None and user.notify_mode == NotifyMode.DIGEST and row.kind != NotificationKind.DIGEST:
        row.email_status = EmailStatus.SKIPPED  # the daily digest carries it
        return False
    row.attempts += 1
    try:
        message = mail.compose(row, language=user.language if user else None,
                               recipient_name=user.name if user else None,
                               config=current_app.config)
        mailer.send(message, row.email)
    except mail.PermanentFailure as exc:
        row.email_status, row.last_error = EmailStatus.FAILED, str(exc)
        log.warning("notification %s to %s failed for good: %s", row.id, row.email, exc)
        return False
    except Exception as exc:  # transient, or a bug in a template: retry later either way
        server_down = isinstance(exc, mail.TransientFailure) and exc.server_down
        if not isinstance(exc, mail.DeliveryFailure):
            log.exception("notification %s could not be composed", row.id)
        row.last_error = str(exc) or type(exc).__name__
        if row.attempts >= max_attempts:
            row.email_status = EmailStatus.FAILED
            row.last_error = f"gave up after {row.attempts} attempts: {row.last_error}"
        else:
            row.next_attempt_at = now + backoff(row.attempts)
        log.info("notification %s to %s not delivered (attempt %d): %s",
                 row.id, row.email, row.attempts, exc)
        return server_down
    row.email_status, row.delivered_at, row.last_error = EmailStatus.SENT, now, None
    return False


# -- the daily digest ----------------------------------------------------------------


def queue_digests(now: datetime | None = None) -> int:
    """Write one digest row per person with skipped, undigested rows; how many were written.

    One transaction per person; the ``dedupe_key`` (person and City day) makes
    a second run on the same day write nothing, and rows skipped after the
    first run wait for the next day's digest.
    """
    now = now or utcnow()
    day = now.astimezone(ZoneInfo(current_app.config["REIS_TIMEZONE"])).date()
    user_ids = [u for u in db.session.scalars(
        select(Notification.user_id).where(*_undigested()).group_by(Notification.user_id))
        if u is not None]  # (the query leaves out rows with no user)
    written = 0
    for user_id in user_ids:
        try:
            with write_transaction():
                written += _queue_digest(user_id, day, now)
        except IntegrityError:
            log.info("digest for user %s on %s was already queued", user_id, day)
    return written


def _undigested():
    return (Notification.email_status == EmailStatus.SKIPPED, Notification.delivered_at.is_(None),
            Notification.last_error.is_(None), Notification.kind != NotificationKind.DIGEST,
            Notification.user_id.is_not(None))


def _queue_digest(user_id: int, day, now: datetime) -> int:
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return 0
    rows = list(db.session.scalars(
        select(Notification).where(*_undigested(), Notification.user_id == user_id)
        .order_by(Notification.created_at, Notification.id).with_for_update()))
    if not rows:
        return 0
    items = [{"id": r.id, "kind": r.kind, "subject": r.subject,
              "file_id": (r.payload or {}).get("file_id"),
              "comment": (r.payload or {}).get("comment"),
              "created_at": r.created_at.isoformat()} for r in rows]
    db.session.add(Notification(
        user_id=user.id, email=user.email, kind=NotificationKind.DIGEST, dedupe_key=f"digest:{user.id}:{day}",
        subject=f"[REIS] Your daily digest for {day:%B} {day.day}, {day.year}: "
                f"{len(rows)} notification{'' if len(rows) == 1 else 's'}",
        payload={"day": day.isoformat(), "items": items}, email_status=EmailStatus.PENDING, attempts=0,
        next_attempt_at=now, created_at=now))
    db.session.flush()  # the unique dedupe_key fails here, before the rows are marked
    db.session.execute(update(Notification).where(Notification.id.in_([r.id for r in rows]))
                       .values(delivered_at=now))
    return 1
