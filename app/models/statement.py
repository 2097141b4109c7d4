from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, Enum, ForeignKey, Index, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.base import UTCDateTime, utcnow
from workflows import questionnaire, screening
from workflows.screening import FormName
from workflows.sections import Form
from workflows.statement import Facts, State

if TYPE_CHECKING:
    from app.models.item import Item
    from app.models.user import User

STATE_ENUM = Enum(State, name="statement_state", values_callable=lambda e: [m.value for m in e],
                  native_enum=False, length=32, validate_strings=True,
                  create_constraint=True)
FORM_ENUM = Enum(FormName, name="statement_form", values_callable=lambda e: [m.value for m in e],
                 native_enum=False, length=16, validate_strings=True, create_constraint=True)


class Statement(Model):
    """The Racial Equity Impact and Sustainability Statement of one item.

    ``version`` is SQLAlchemy's ``version_id_col``: every UPDATE checks it, so
    two writers that read the same version cannot both win.
    """

    __tablename__ = "statements"
    __table_args__ = (
        CheckConstraint("state <> 'ready_to_agendize' OR approved_at IS NOT NULL",
                        name="ready_has_approval"),
        CheckConstraint("state = 'draft' OR submitted_at IS NOT NULL", name="reviewed_was_submitted"),
        # the reminder sweep: "which review steps were entered before T"; it also serves
        # "state = X" alone, so state has no index of its own (the planner preferred that
        # one and filtered every review in progress instead of reading the overdue range)
        Index("ix_statements_state_entered", "state", "state_entered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), unique=True)
    state: Mapped[State] = mapped_column(STATE_ENUM, default=State.DRAFT)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    #: which questions are asked (full, short, exemption): chosen in draft, same lifecycle for all
    form: Mapped[FormName] = mapped_column(FORM_ENUM, default=FormName.FULL, server_default="full")
    #: the screening answers, {question key: true or false}; see workflows.screening
    screening: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    #: the plain-language summary in other languages, {language tag: text}, entered by the department
    summary_translations: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    #: the questions it is written against; statements made before versions were stamped are 1
    questionnaire_version: Mapped[int] = mapped_column(
        Integer, nullable=False, default=questionnaire.CURRENT_VERSION, server_default="1")
    state_entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: who gave the department approval of the current round (separation of duties: not ODE's too)
    department_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the ODE reviewer whose queue it is in (meaningful in ode_review only; see app.operations.assignment)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: since when nobody can take its next decision (None: someone can, or not in review)
    stalled_since: Mapped[datetime | None] = mapped_column(UTCDateTime)

    item: Mapped["Item"] = relationship(back_populates="statement")
    submitted_by: Mapped["User | None"] = relationship(foreign_keys=[submitted_by_id])
    assignee: Mapped["User | None"] = relationship(foreign_keys=[assignee_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def questions(self) -> Form:
        """The form it asks, in the questionnaire version it was written against."""
        return questionnaire.form(self.form, self.questionnaire_version)

    @property
    def missing(self) -> list[str]:
        return missing_of(self)

    @property
    def screening_blocks(self) -> list[str]:
        return blocks_of(self)

    def facts(self) -> Facts:
        return facts_of_row(self, self.item.department.code)


def facts_of_row(row: Any, department: str) -> Facts:
    """What the rules need to know about a statement: from the ORM ``Statement`` or from a
    Core row with the same column names (``app.api.reads``), so both decide alike."""
    return Facts(state=State(row.state), department=department,
                 submitted_by=row.submitted_by_id, last_edited_by=row.last_edited_by_id,
                 department_approved_by=row.department_approved_by_id,
                 ever_submitted=row.submitted_at is not None,
                 missing=tuple(missing_of(row)), screening_blocks=tuple(blocks_of(row)))


def missing_of(row: Any) -> list[str]:
    """The required questions still unanswered (a ``Statement`` or a row with its columns)."""
    return questionnaire.form(row.form, row.questionnaire_version).missing(row.answers or {})


def blocks_of(row: Any) -> list[str]:
    """The screening answers that stop the statement's form from being submitted."""
    return screening.blocking(row.form, row.screening or {})


class StatementRevision(Model):
    """The answers as they were at each submission, so reviewers can see what changed."""

    __tablename__ = "statement_revisions"
    __table_args__ = (UniqueConstraint("statement_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    answers: Mapped[dict] = mapped_column(JSON)
    #: the form submitted that time (a returned exemption request may come back as a full statement)
    form: Mapped[FormName] = mapped_column(FORM_ENUM, default=FormName.FULL, server_default="full")
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
