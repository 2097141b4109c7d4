from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.models.base import UTCDateTime, enum_column, utcnow


class NotificationKind(StrEnum):
    """What a notification is about: a lifecycle event, an agenda change, a reminder, a digest."""

    SUBMITTED = "submitted"
    APPROVED = "approved"  # into ODE review
    RETURNED = "returned"
    READY = "ready"  # the final approval: ready to agendize
    REOPENED = "reopened"
    AGENDIZED = "agendized"
    UNAGENDIZED = "unagendized"
    REMINDER = "reminder"
    DIGEST = "digest"  # one mail carrying a day's notifications; not an in-app entry
    ASSIGNED = "assigned"  # a statement in ODE review was given to this reviewer
    STALLED = "stalled"  # to the admins: nobody can take a statement's next decision
    DELEGATED = "delegated"  # this person was named someone's delegate


#: the kinds about a change to one statement or its item (the "event" mail template)
EVENT_KINDS = frozenset({NotificationKind.SUBMITTED, NotificationKind.APPROVED,
                         NotificationKind.RETURNED, NotificationKind.READY,
                         NotificationKind.REOPENED, NotificationKind.AGENDIZED,
                         NotificationKind.UNAGENDIZED})


class EmailStatus(StrEnum):
    """The outbox's life of one message."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"  # the recipient is deactivated, or the daily digest carries it


class Notification(Model):
    """One notification to one person: the in-app entry and the outbox row for its mail.

    Written in the same transaction as the change (or the sweep's claim) that
    caused it; the relay delivers pending rows and marks them. ``dedupe_key``
    is the reminder's claim key (one per person, statement and business day):
    a second sweep, a retry or a second beat cannot insert it twice.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_pending", "next_attempt_at",
              postgresql_where=text("email_status = 'pending'"),
              sqlite_where=text("email_status = 'pending'")),
        Index("ix_notifications_user_created", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    email: Mapped[str] = mapped_column(String(254))
    kind: Mapped[NotificationKind] = mapped_column(enum_column(NotificationKind, "kind", 32))
    statement_id: Mapped[int | None] = mapped_column(ForeignKey("statements.id"), index=True)
    dedupe_key: Mapped[str | None] = mapped_column(String(300), unique=True)
    subject: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    email_status: Mapped[EmailStatus] = mapped_column(enum_column(EmailStatus, "email_status", 16),
                                                      default=EmailStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
