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


class CycleOut(BaseModel):
    n: int
    median: float | None
    p90: int | None


class DepartmentMetricsOut(BaseModel):
    department: str
    total: int
    ready: int
    returned: int
    median_business_days_to_ready: float | None


class StatementCountsOut(BaseModel):
    total: int
    by_state: dict[str, int]
    by_form: dict[str, int]
    #: month of the item's creation ("YYYY-MM") -> form -> statements
    by_month: dict[str, dict[str, int]]


class ReportBackCountsOut(BaseModel):
    due: int
    reported: int
    overdue: int


class MetricsOut(BaseModel):
    from_: date = Field(alias="from")
    to: date
    department: str | None
    statements: StatementCountsOut
    by_department: list[DepartmentMetricsOut]
    score_goals: dict[str, int]
    inequity_levels: dict[str, int]
    #: IAP2 levels of engagement used, and the engagement standards met
    engagement_levels: dict[str, int]
    engagement_standards: dict[str, int]
    cycle_business_days: dict[Literal["department_review", "ode_review", "submit_to_ready"], CycleOut]
    return_rate: float | None
    returned: int
    submitted: int
    on_time_rate: float | None
    on_time: int
    late: int
    stalled: int
    report_backs: ReportBackCountsOut


class NarrativePut(Strict):
    ode: str
    community: str
    #: the version read (0 for a year nobody wrote yet); a stale one is 409
    version: int


class NarrativeOut(BaseModel):
    year: int
    ode: str
    community: str
    version: int
