"""Schemas of follow-through and reports (API.md, "Follow-through and reports")."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from app.api.schemas import Strict
from app.models.report_back import MAX_RESULT_LENGTH


class ReportBackOut(BaseModel):
    n: int
    name: str
    baseline: str
    target: str
    due: date
    status: Literal["pending", "reported", "overdue"]
    result: str | None
    reported_at: datetime | None
    reported_by: str | None


class ReportBackList(BaseModel):
    report_backs: list[ReportBackOut]


class ReportBackPost(Strict):
    result: str = Field(max_length=MAX_RESULT_LENGTH)
    #: why a result already reported is corrected (required then, kept in history)
    reason: str | None = Field(None, max_length=2_000)
