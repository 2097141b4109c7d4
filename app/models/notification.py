from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UTCDateTime, utcnow

#: email_status values: the outbox's life of one message
PENDING, SENT, FAILED, SKIPPED = "pending", "sent", "failed", "skipped"


class Notification(db.Model):
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
    kind: Mapped[str] = mapped_column(String(32))
    statement_id: Mapped[int | None] = mapped_column(ForeignKey("statements.id"), index=True)
    dedupe_key: Mapped[str | None] = mapped_column(String(300), unique=True)
    subject: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    email_status: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
