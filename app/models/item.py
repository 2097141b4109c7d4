from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow
from app.models.department import Department

if TYPE_CHECKING:
    from app.models.statement import Statement

#: Changing one of these while the statement is past draft reopens it (API.md).
MATERIAL_FIELDS = ("title", "recommendation", "fiscal_statement", "location", "body")
LOCATIONS = ("Citywide", *(f"District {n}" for n in range(1, 9)))


class Item(Model):
    """An agenda item, keyed by the city's file ID."""

    __tablename__ = "items"
    __table_args__ = (
        CheckConstraint("(agendized AND agendized_for IS NOT NULL) OR "
                        "(NOT agendized AND agendized_for IS NULL)",
                        name="agendized_has_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(Text)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    body: Mapped[str | None] = mapped_column(String(200))
    meeting_date: Mapped[date | None] = mapped_column(Date, index=True)
    location: Mapped[str | None] = mapped_column(String(32))
    recommendation: Mapped[str | None] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(Text)
    presenter: Mapped[str | None] = mapped_column(Text)
    fiscal_statement: Mapped[str | None] = mapped_column(Text)
    item_type: Mapped[str | None] = mapped_column(String(200))  # e.g. Legistar's MatterTypeName
    agendized: Mapped[bool] = mapped_column(Boolean, default=False)
    agendized_for: Mapped[date | None] = mapped_column(Date, index=True)
    #: indexed: the reports count the items created in a period
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    department: Mapped[Department] = relationship(lazy="joined")
    statement: Mapped["Statement"] = relationship(
        back_populates="item", uselist=False, lazy="joined", innerjoin=True)

    def __repr__(self) -> str:
        return f"<Item {self.file_id}>"
