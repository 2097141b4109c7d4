"""Request and response schemas. The same models validate requests and
generate ``openapi.json`` (``app/api/spec.py``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.models.item import LOCATIONS
from workflows.statement import State

# a Literal built from the tuple at run time (one list of places), which a checker cannot read
Location = Literal[LOCATIONS]  # type: ignore[valid-type]
Text = str


class Strict(BaseModel):
    """Unknown fields and wrong types are errors, never silently coerced. (NUL in any string,
    at any depth, is refused before a model sees the body: ``app.api.spec.parse``.)"""

    model_config = ConfigDict(extra="forbid", strict=True)


class ItemFields(Strict):
    body: str | None = Field(None, max_length=200)
    meeting_date: date | None = None
    location: Location | None = None
    recommendation: str | None = Field(None, max_length=20_000)
    contact: str | None = Field(None, max_length=2_000)
    presenter: str | None = Field(None, max_length=2_000)
    fiscal_statement: str | None = Field(None, max_length=20_000)
    #: e.g. Legistar's MatterTypeName; a type a screening rule names starts the statement as an exemption
    item_type: str | None = Field(None, max_length=200)


class ItemCreate(ItemFields):
    file_id: str = Field(min_length=1, max_length=64)
    title: str = Field(min_length=1, max_length=2_000)
    department: str = Field(min_length=1, max_length=32)


def _no_default(schema: dict) -> None:
    """An omitted field means "unchanged"; a ``"default": null`` on a string is not valid OpenAPI."""
    schema.pop("default", None)


class ItemPatch(ItemFields):
    # None is only the marker of "not sent" (the dump leaves unset fields out); a null sent is
    # refused, so the field's type stays ``str``.
    title: str = Field(None, min_length=1, max_length=2_000, json_schema_extra=_no_default)  # type: ignore[assignment]


FormLiteral = Literal["full", "short", "exemption"]


class StatementPut(Strict):
    answers: dict[str, Any]
    version: int
    #: switching form (in draft) moves the statement to the current questionnaire version
    form: FormLiteral | None = None
    #: replaces the screening answers: {question key: true (yes) | false (no)}
    screening: dict[str, bool] | None = None
    #: replaces the summary's translations, {language tag ("es", "vi", "zh-Hant"): text}; the
    #: public page and the packet show the reader's (API.md, "Languages")
    summary_translations: dict[str, str] | None = None


class StatementEvent(Strict):
    # "reopen" is the system's own event: it parses so that a user who sends it
    # gets the lifecycle's 403 ``forbidden``, like any other event they may never fire.
    event: Literal["submit", "approve", "return", "reopen"]
    comment: str | None = Field(None, max_length=20_000)
    version: int | None = None


class AgendizeRequest(Strict):
    meeting_date: date | None = None


class ItemOut(BaseModel):
    file_id: str
    title: str
    department: str
    body: str | None
    meeting_date: date | None
    location: str | None
    recommendation: str | None
    contact: str | None
    presenter: str | None
    item_type: str | None = None  # e.g. Legistar's MatterTypeName
    fiscal_statement: str | None
    agendized: bool
    agendized_for: date | None
    statement_state: State
    created_at: datetime
    updated_at: datetime


class ItemList(BaseModel):
    items: list[ItemOut]


class ChoiceOut(BaseModel):
    value: str
    label: str
    exclusive: bool  # "none of these": only on its own


class SectionOut(BaseModel):
    key: str
    title: str
    prompt: str
    guidance: str
    required: bool
    kind: Literal["text", "choice", "choices", "explanations", "number", "indicators"]
    choices: list[ChoiceOut]
    example: Any  # a valid answer of this kind
    max_length: int | None  # text: per answer; explanations: per choice
    explains: str | None  # explanations: the choices section whose ticked choices this explains


class SectionList(BaseModel):
    sections: list[SectionOut]


class StatementOut(BaseModel):
    file_id: str
    state: State
    version: int
    form: FormLiteral
    questionnaire_version: int
    screening: dict[str, bool]
    allowed_forms: list[FormLiteral]  # what the screening answers allow, fullest first
    answers: dict[str, Any]
    summary_translations: dict[str, str]
    missing: list[str]
    sections: list[SectionOut]
    submitted_by: str | None
    submitted_at: datetime | None
    approved_at: datetime | None
    due_date: date | None
    #: the ODE reviewer it is assigned to (in ODE review), else null
    assignee: str | None
    #: who may take its next decision now (API.md, "Who decides"); [] outside review
    eligible_deciders: list[str]


class HistoryEventOut(BaseModel):
    seq: int
    event: str
    from_state: str | None
    to_state: str
    actor: str
    #: the delegator's email when a delegate acted with their grant
    on_behalf_of: str | None = None
    comment: str | None
    at: datetime


class HistoryOut(BaseModel):
    events: list[HistoryEventOut]


class ReasonOut(BaseModel):
    code: Literal["statement_not_approved", "fiscal_statement_missing", "no_meeting_date"]
    message: str


class GateOut(BaseModel):
    file_id: str
    agendizable: bool
    reasons: list[ReasonOut]


class MeetingItemOut(BaseModel):
    file_id: str
    title: str
    department: str
    statement_state: State
    agendizable: bool
    reasons: list[ReasonOut]


class MeetingOut(BaseModel):
    meeting_date: date
    items: list[MeetingItemOut]


class ErrorOut(BaseModel):
    error: str
    message: str
    fields: dict[str, str] | None = None
    missing: list[str] | None = None
    reasons: list[ReasonOut] | None = None
    state: str | None = None
    screening: list[str] | None = None  # screening_requires_full: the answers that block the form
    form: str | None = None  # bulk_not_allowed: the statement's form


class QuestionOut(BaseModel):
    key: str
    question: str
    help: str


class CategoryOut(BaseModel):
    key: str
    label: str
    description: str


class FormOut(BaseModel):
    name: FormLiteral
    title: str
    description: str


class ScreeningOut(BaseModel):
    questions: list[QuestionOut]
    exemption_categories: list[CategoryOut]
    forms: list[FormOut]
    version: int  # the current questionnaire version


class ScreeningRules(Strict):
    """``{"item_types": {item type: exemption category key}}``; PUT replaces every rule."""

    item_types: dict[str, str]


class BulkEvent(Strict):
    event: Literal["submit", "approve"]
    file_ids: list[str] = Field(min_length=1, max_length=200)
    comment: str | None = Field(None, max_length=20_000)

    @field_validator("file_ids", mode="after")
    @classmethod
    def _each_once(cls, value: list[str]) -> list[str]:
        if any(not f or len(f) > 64 or "\x00" in f for f in value):
            raise ValueError("each file ID is 1 to 64 characters, without NUL")
        if len(set(value)) != len(value):
            raise ValueError("each file ID may be given only once")
        return value


class BulkResult(BaseModel):
    file_id: str
    ok: bool
    state: State | None = None
    error: ErrorOut | None = None


class BulkOut(BaseModel):
    results: list[BulkResult]
