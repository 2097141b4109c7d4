"""ODE's screening rules: items of a named type start as exemption requests.

A rule maps an item type (Legistar's ``MatterTypeName``, or what the API was
given) to an exemption category. It is matched without case or surrounding
spaces (``item_type_key``), so "Ceremonial Item" and " ceremonial item" are one
rule; the type is kept as ODE wrote it, for people to read.
"""

from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow
from workflows.screening import CATEGORY_KEYS

CATEGORY_ENUM = Enum(*CATEGORY_KEYS, name="exemption_category", native_enum=False, length=32,
                     validate_strings=True, create_constraint=True)
ITEM_TYPE_MAX_LENGTH = 200


class ScreeningRule(Model):
    __tablename__ = "screening_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_type: Mapped[str] = mapped_column(String(ITEM_TYPE_MAX_LENGTH))
    #: ``workflows.screening.item_type_key(item_type)``: what a new item's type is matched on
    item_type_key: Mapped[str] = mapped_column(String(ITEM_TYPE_MAX_LENGTH), unique=True)
    category: Mapped[str] = mapped_column(CATEGORY_ENUM)
    #: who set it last (None: the command line)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
