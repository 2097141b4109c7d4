"""Report-backs: what a department owes once its item is on an agenda.

When the clerk agendizes an item, each success indicator of its approved
statement (the ``accountability`` answer) becomes a ``ReportBack``: its fields
are copied (the statement can be reopened and changed later; what was promised
at the agenda stays), numbered 1, 2, … in the statement's order. A result is
reported once; a correction needs a reason, and every result ever given stays
as a ``ReportBackResult`` row. Taking the item off the agenda before any
result was reported withdraws them (``withdrawn``); a later agendize owes the
indicators of the statement as it then is.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.base import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from app.models.user import User

#: a report-back's result, at most (API.md)
MAX_RESULT_LENGTH = 20_000


class ReportBackStatus(StrEnum):
    """As stored; ``overdue`` is not a state but a pending report-back past its due date."""

    PENDING = "pending"
    REPORTED = "reported"
    WITHDRAWN = "withdrawn"


class ReportBack(Model):
    __tablename__ = "report_backs"
    __table_args__ = (
        UniqueConstraint("statement_id", "n"),
        CheckConstraint("status <> 'reported' OR (result IS NOT NULL AND reported_at IS NOT NULL)",
                        name="reported_has_result"),
        # the sweep and the metrics: "pending report-backs due in this range"
        Index("ix_report_backs_status_due", "status", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"))
    #: 1, 2, … in the order of the statement's indicators
    n: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    baseline: Mapped[str] = mapped_column(String(1000))
    target: Mapped[str] = mapped_column(String(1000))
    due: Mapped[date] = mapped_column(Date)
    status: Mapped[ReportBackStatus] = mapped_column(enum_column(ReportBackStatus, "status", 16),
                                                     default=ReportBackStatus.PENDING)
    result: Mapped[str | None] = mapped_column(Text)
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    reported_by: Mapped["User | None"] = relationship(lazy="joined")


class ReportBackResult(Model):
    """Every result given for a report-back, the first and each correction (with its reason)."""

    __tablename__ = "report_back_results"
    __table_args__ = (UniqueConstraint("report_back_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_back_id: Mapped[int] = mapped_column(ForeignKey("report_backs.id"))
    number: Mapped[int] = mapped_column(Integer)
    result: Mapped[str] = mapped_column(Text)
    #: why the result was corrected (None for the first one)
    reason: Mapped[str | None] = mapped_column(Text)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: the reporter's email at the time: the record outlives renames
    reported_by: Mapped[str] = mapped_column(String(254))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
