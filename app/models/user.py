from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.base import UTCDateTime, enum_column, utcnow
from app.models.department import Department
from workflows.statement import Actor, Role

ROLE_ENUM = enum_column(Role, "role", 32)
DEPARTMENT_ROLES = (Role.STAFF, Role.DEPARTMENT_APPROVER)


class Language(StrEnum):
    """The languages of pages and mail (API.md, "Languages"), as BCP 47 tags."""

    EN = "en"
    ES = "es"
    VI = "vi"
    ZH_HANT = "zh-Hant"

    @property
    def label(self) -> str:
        """The language's own name for itself, never translated (a reader looks for it)."""
        return _LANGUAGE_NAMES[self]

    @property
    def locale(self) -> str:
        """Babel's spelling, as in ``app/translations/<locale>/``."""
        return self.value.replace("-", "_")


_LANGUAGE_NAMES = {Language.EN: "English", Language.ES: "Español", Language.VI: "Tiếng Việt",
                   Language.ZH_HANT: "繁體中文"}


class NotifyMode(StrEnum):
    EACH = "each"  # a mail per notification
    DIGEST = "digest"  # one mail a day with all of them


class User(Model):
    __tablename__ = "users"
    __table_args__ = (
        # staff and department approvers belong to a department
        CheckConstraint("role NOT IN ('staff', 'department_approver') OR department_id IS NOT NULL",
                        name="department_roles_have_department"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(ROLE_ENUM)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    language: Mapped[Language] = mapped_column(enum_column(Language, "language", 8),
                                               default=Language.EN)
    notify_mode: Mapped[NotifyMode] = mapped_column(enum_column(NotifyMode, "notify_mode", 8),
                                                    default=NotifyMode.EACH, server_default="each")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: signed into the calendar feed's URL; one more makes every earlier URL stop working
    feed_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    department: Mapped[Department | None] = relationship(lazy="joined")

    @property
    def actor(self) -> Actor:
        return actor_of_row(self.id, self.role, self.department.code if self.department else None)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


def actor_of_row(user_id: int, role: Role | str, department: str | None) -> Actor:
    """A user as the permission rules see them (from the ORM ``User`` or a Core row)."""
    return Actor(id=user_id, role=Role(role), department=department)


class ApiToken(Model):
    """An API token. Only the SHA-256 of the token is stored: tokens are 256
    random bits, so a fast hash is safe and keeps the hot gate path cheap."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class UserSession(Model):
    """A signed-in web session. The session cookie holds a random id (256 bits) and only its
    SHA-256 is kept here: the row *is* the session, so deleting it (sign-out, deactivation,
    a new password) ends it on the server, whatever copies of the cookie exist."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    id_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
