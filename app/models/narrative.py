"""The annual progress report's two narratives: ODE's account and the community partners'."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow


class AnnualNarrative(Model):
    """One year's narratives. ``version`` starts at 1 with the first save; a save must name
    the version it read (409 otherwise), so two writers cannot overwrite each other."""

    __tablename__ = "annual_narratives"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    ode: Mapped[str] = mapped_column(Text, default="")
    community: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
