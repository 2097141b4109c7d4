from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model


class Department(Model):
    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: who is copied when reminders for this department's reviews go unanswered
    escalation_email: Mapped[str | None] = mapped_column(String(254))

    def __repr__(self) -> str:
        return f"<Department {self.code}>"
