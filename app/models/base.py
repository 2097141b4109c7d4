"""Column helpers shared by the models."""

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import DateTime, Enum
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timestamps stored in UTC and always read back timezone-aware.

    SQLite has no time zones; without this, values read back naive there and
    aware on PostgreSQL, and the API would print them differently.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given to a UTC column")
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def enum_column(cls: type[StrEnum], name: str, length: int) -> Enum:
    """A VARCHAR of the enum's values with a CHECK constraint ``ck_<table>_<name>`` listing them."""
    return Enum(cls, name=name, values_callable=lambda e: [m.value for m in e], native_enum=False,
                length=length, validate_strings=True, create_constraint=True)
