"""The reports' SQL: a fixed set of aggregate queries, whatever the number of statements.

Why it looks like this (DESIGN.md, "Reports are queries"): every figure is a
``GROUP BY`` over the statements in scope (``scope``: the items created in the
period, optionally of one department, optionally only published ones). What
needs the City's business-day calendar (cycle times, cutoffs) comes back
grouped by *pairs of City dates* with a count, so Python asks the calendar once
per distinct pair, never once per statement: the rows returned grow with the
days in the period, not with the statements.

A timestamp becomes a City date in SQL: ``timezone(zone, at)::date`` on
PostgreSQL, the ``reis_city_date`` function ``app.db`` registers on SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Date, and_, case, cast, func, select, true

from app.extensions import db
from app.models import Department, HistoryEvent, Item, ReportBack, Statement
from app.models.report_back import ReportBackStatus
from workflows.statement import State

READY = State.READY_TO_AGENDIZE
REVIEW_STAGES = (State.DEPARTMENT_REVIEW, State.ODE_REVIEW)
#: the choice answers counted, as their section keys
CHOICE_KEYS = ("score_goals", "inequity_levels", "engagement_levels", "engagement_standards")


@dataclass(frozen=True)
class Scope:
    """Which statements count: items created in [start, end) (UTC instants)."""

    start: datetime
    end: datetime
    department: str | None = None
    published_only: bool = False
    zone: str = "America/Los_Angeles"


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def city_date(column, zone: str):
    if _postgres():
        return cast(func.timezone(zone, column), Date)
    return func.reis_city_date(column, zone)


def as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def a_date(value) -> date:
    """A City date a query returns for a column that is never NULL where it is asked."""
    found = as_date(value)
    if found is None:
        raise ValueError("a date was expected")
    return found


def scope_query(scope: Scope):
    query = (select(Statement.id.label("sid"), Statement.state, Statement.form, Statement.submitted_at,
                    Statement.submitted_by_id, Statement.last_edited_by_id,
                    Statement.department_approved_by_id, Statement.stalled_since, Item.department_id,
                    Department.code.label("department"), Item.created_at, Item.file_id,
                    func.coalesce(Item.agendized_for, Item.meeting_date).label("meeting"))
             .join(Item, Item.id == Statement.item_id)
             .join(Department, Department.id == Item.department_id)
             .where(Item.created_at >= scope.start, Item.created_at < scope.end))
    if scope.department is not None:
        query = query.where(Department.code == scope.department)
    if scope.published_only:
        query = query.where(Item.agendized.is_(True), Statement.state == READY)
    return query.subquery("scope")


def _stalled_ids(s):
    """The statements in a review step that nobody may decide now, as the deciders module stamps
    them (``stalled_since``: set when a change or the daily sweep finds nobody eligible, delegates
    and the ODE assignment included; cleared when someone is), so the metric, ``GET /stalled``
    and the admins' notices agree."""
    return (select(s.c.sid.label("stalled_id"))
            .where(s.c.state.in_([State.DEPARTMENT_REVIEW, State.ODE_REVIEW]), s.c.stalled_since.is_not(None))
            .subquery("stalled_ids"))


def _returned_ids(s):
    """The statements in scope returned at least once."""
    return (select(HistoryEvent.statement_id.label("returned_id"))
            .where(HistoryEvent.event == "return", HistoryEvent.statement_id.in_(select(s.c.sid)))
            .group_by(HistoryEvent.statement_id).subquery("returned_ids"))


def counts(scope: Scope):
    """(department, state, form, submitted, returned, stalled, n): the counting facts."""
    s = scope_query(scope)
    returned, stalled = _returned_ids(s), _stalled_ids(s)
    columns = (s.c.department, s.c.state, s.c.form,
               case((s.c.submitted_at.is_not(None), 1), else_=0).label("submitted"),
               case((returned.c.returned_id.is_not(None), 1), else_=0).label("returned"),
               case((stalled.c.stalled_id.is_not(None), 1), else_=0).label("stalled"))
    return (select(*columns, func.count().label("n"))
            .outerjoin(returned, returned.c.returned_id == s.c.sid)
            .outerjoin(stalled, stalled.c.stalled_id == s.c.sid)
            .group_by(*columns))


def months(scope: Scope):
    """(month "YYYY-MM" of the item's creation, City time; form; n)."""
    s = scope_query(scope)
    month = func.substr(cast(city_date(s.c.created_at, scope.zone), db.String), 1, 7).label("month")
    return select(month, s.c.form, func.count().label("n")).group_by(month, s.c.form)


def choices(scope: Scope):
    """(key, value, n): how many statements submitted at least once ticked each choice.

    The answers are read once a statement (``json_each``), and only the choice sections'
    lists are unpacked."""
    s = scope_query(scope)
    sections = func.json_each(Statement.answers).table_valued("key", "value", "type", name="kv") \
        if not _postgres() else func.json_each(Statement.answers).table_valued("key", "value", name="kv")
    if _postgres():
        lists = case((func.json_typeof(sections.c.value) == "array", sections.c.value))
        ticked = func.json_array_elements_text(lists).table_valued("value", name="ticked")
    else:
        lists = case((sections.c.type == "array", sections.c.value))
        ticked = func.json_each(lists).table_valued("value", name="ticked")
    value = cast(ticked.c.value, db.String).label("value")
    return (select(sections.c.key.label("key"), value, func.count().label("n"))
            .select_from(Statement).join(s, s.c.sid == Statement.id)
            .join(sections, true()).join(ticked, true())
            .where(s.c.submitted_at.is_not(None), sections.c.key.in_(CHOICE_KEYS))
            .group_by(sections.c.key, value))


def stages(scope: Scope):
    """(stage, entered, left, n): each finished pass through a review step, by City dates."""
    s = scope_query(scope)
    steps = (select(HistoryEvent.to_state, HistoryEvent.from_state, HistoryEvent.at,
                    func.lead(HistoryEvent.at).over(partition_by=HistoryEvent.statement_id,
                                                    order_by=HistoryEvent.seq).label("left_at"))
             .where(HistoryEvent.statement_id.in_(select(s.c.sid))).subquery("steps"))
    entered, left = city_date(steps.c.at, scope.zone), city_date(steps.c.left_at, scope.zone)
    return (select(steps.c.to_state, entered.label("entered"), left.label("left"), func.count().label("n"))
            .where(steps.c.to_state.in_([str(x) for x in REVIEW_STAGES]),
                   steps.c.from_state != steps.c.to_state, steps.c.left_at.is_not(None))
            .group_by(steps.c.to_state, entered, left))


def _milestones(s):
    """Per statement: its first submission, first and last approval into ready_to_agendize."""
    approved = and_(HistoryEvent.event == "approve", HistoryEvent.to_state == str(READY))
    return (select(HistoryEvent.statement_id,
                   func.min(case((HistoryEvent.event == "submit", HistoryEvent.at))).label("first_submit"),
                   func.min(case((approved, HistoryEvent.at))).label("first_ready"),
                   func.max(case((approved, HistoryEvent.at))).label("last_ready"))
            .where(HistoryEvent.statement_id.in_(select(s.c.sid)))
            .group_by(HistoryEvent.statement_id).subquery("milestones"))


def to_ready(scope: Scope):
    """(department, first submission, last approval, n) of the statements that reached ready."""
    s = scope_query(scope)
    m = _milestones(s)
    start, end = city_date(m.c.first_submit, scope.zone), city_date(m.c.last_ready, scope.zone)
    return (select(s.c.department, start.label("start"), end.label("end"), func.count().label("n"))
            .join(m, m.c.statement_id == s.c.sid)
            .where(m.c.last_ready.is_not(None), m.c.first_submit.is_not(None))
            .group_by(s.c.department, start, end))


def readiness(scope: Scope):
    """(meeting, first approval into ready or None, n) of the statements with a meeting date."""
    s = scope_query(scope)
    m = _milestones(s)
    ready = city_date(m.c.first_ready, scope.zone)
    return (select(s.c.meeting, ready.label("ready"), func.count().label("n"))
            .outerjoin(m, m.c.statement_id == s.c.sid)
            .where(s.c.meeting.is_not(None))
            .group_by(s.c.meeting, ready))


def report_backs(scope: Scope, today: date):
    """(owed, reported, overdue) over the statements in scope (withdrawn ones are not owed)."""
    s = scope_query(scope)
    status = ReportBack.status
    return (select(func.count(ReportBack.id),
                   func.coalesce(func.sum(case((status == ReportBackStatus.REPORTED, 1), else_=0)), 0),
                   func.coalesce(func.sum(case((and_(status == ReportBackStatus.PENDING,
                                                     ReportBack.due < today), 1), else_=0)), 0))
            .join(s, s.c.sid == ReportBack.statement_id)
            .where(status != ReportBackStatus.WITHDRAWN))


def facts(scope: Scope):
    """One row per statement in scope: the facts behind the metrics (the CSV)."""
    s = scope_query(scope)
    m, returned, stalled = _milestones(s), _returned_ids(s), _stalled_ids(s)
    return (select(s.c.file_id, s.c.department, s.c.state, s.c.form, s.c.created_at, s.c.meeting,
                   m.c.first_submit, m.c.first_ready, m.c.last_ready,
                   case((returned.c.returned_id.is_not(None), 1), else_=0).label("returned"),
                   case((stalled.c.stalled_id.is_not(None), 1), else_=0).label("stalled"))
            .outerjoin(m, m.c.statement_id == s.c.sid)
            .outerjoin(returned, returned.c.returned_id == s.c.sid)
            .outerjoin(stalled, stalled.c.stalled_id == s.c.sid)
            .order_by(s.c.file_id))


def owed_in(scope: Scope):
    """(file ID, report-back) of the statements in scope, by file and number (not withdrawn)."""
    s = scope_query(scope)
    return (select(Item.file_id, ReportBack)
            .join(Statement, Statement.id == ReportBack.statement_id).join(Item, Item.id == Statement.item_id)
            .join(s, s.c.sid == ReportBack.statement_id)
            .where(ReportBack.status != ReportBackStatus.WITHDRAWN)
            .order_by(Item.file_id, ReportBack.n))
