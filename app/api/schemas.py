"""Request and response schemas. The same models validate requests and
generate ``openapi.json`` (``app/api/spec.py``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.models.item import LOCATIONS
from workflows.statement import State

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


class ItemCreate(ItemFields):
    file_id: str = Field(min_length=1, max_length=64)
    title: str = Field(min_length=1, max_length=2_000)
    department: str = Field(min_length=1, max_length=32)


def _no_default(schema: dict) -> None:
    """An omitted field means "unchanged"; a ``"default": null`` on a string is not valid OpenAPI."""
    schema.pop("default", None)


class ItemPatch(ItemFields):
    title: str = Field(None, min_length=1, max_length=2_000, json_schema_extra=_no_default)


class StatementPut(Strict):
    answers: dict[str, Any]
    version: int


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
    item_type: str | None = None  # e.g. Legistar's MatterTypeName; set by the import
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


class SectionOut(BaseModel):
    key: str
    title: str
    prompt: str
    guidance: str
    required: bool
    kind: Literal["text", "choice", "choices"]
    choices: list[ChoiceOut]


class SectionList(BaseModel):
    sections: list[SectionOut]


class StatementOut(BaseModel):
    file_id: str
    state: State
    version: int
    answers: dict[str, Any]
    missing: list[str]
    sections: list[SectionOut]
    submitted_by: str | None
    submitted_at: datetime | None
    approved_at: datetime | None
    due_date: date | None


class HistoryEventOut(BaseModel):
    seq: int
    event: str
    from_state: str | None
    to_state: str
    actor: str
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
