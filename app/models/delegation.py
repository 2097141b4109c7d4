"""A delegation: someone who decides names a delegate for a span of City dates."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow
from app.models.user import User
from workflows.delegation import Span


class Delegation(Model):
    """``delegate`` holds ``delegator``'s approve/return grants from ``starts`` to ``ends``
    (City dates, both inclusive) unless revoked. A new delegation revokes the delegator's
    earlier one, so each person has at most one that is not revoked."""

    __tablename__ = "delegations"
    __table_args__ = (
        CheckConstraint("ends >= starts", name="ends_not_before_starts"),
        CheckConstraint("delegator_id <> delegate_id", name="not_oneself"),
        Index("ix_delegations_delegate_span", "delegate_id", "ends"),
        Index("ix_delegations_delegator_span", "delegator_id", "ends"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    delegator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    delegate_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    starts: Mapped[date] = mapped_column(Date)
    ends: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    delegator: Mapped[User] = relationship(foreign_keys=[delegator_id], lazy="joined")
    delegate: Mapped[User] = relationship(foreign_keys=[delegate_id], lazy="joined")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def span(self) -> Span:
        return Span(self.starts, self.ends, revoked=self.revoked_at is not None)
