"""The metrics of API.md ("Follow-through and reports"), from ``metrics_sql``'s aggregates.

Definitions (the statements counted are those of items created in the period,
City dates, both inclusive; a department narrows them to its items):

* ``return_rate``: returned at least once / submitted at least once;
* ``on_time_rate``: of the statements with a meeting whose cutoff is before today,
  those first approved into ``ready_to_agendize`` on or before the cutoff;
  ``late`` is the others;
* ``stalled``: in a review step and stalled as ``deciders`` stamps it (nobody eligible to decide);
* ``cycle_business_days``: business days (``BusinessCalendar.business_days_between``:
  the start day not counted) of each finished pass through department review
  and ODE review, and from the first submission to the last approval of the
  statements that reached ``ready_to_agendize``; the median (the mean of the
  two middle values for an even count) and p90 (nearest rank);
* ``report_backs``: owed (``due``), ``reported``, and ``overdue`` (pending, due
  before today) of the statements counted.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from app import dates
from app import deadlines as app_deadlines
from app.errors import invalid
from app.extensions import db
from app.models import User
from app.operations import lookup
from app.operations import metrics_sql as q
from app.permissions import Action, can, require
from workflows import deadlines
from workflows.i18n import N_, Text
from workflows.screening import FormName
from workflows.statement import State

STAGES = ("department_review", "ode_review", "submit_to_ready")


def period(start: date | None, end: date | None) -> tuple[date, date]:
    """The period asked, by default from January 1 of this year to today (City dates)."""
    today = dates.today()
    start = start or date(today.year, 1, 1)
    end = end or max(today, start)
    if start > end:
        raise invalid({"from": "must not be after to"})
    return start, end


def allowed_department(actor: User, department: str | None) -> str | None:
    """The department the person may see (an approver: their own, also when none is asked)."""
    if department is not None and lookup.department(department) is None:
        raise invalid({"department": Text(N_("no department has code “%(code)s”"), {"code": department})})
    if department is None and not can(actor, Action.SEE_REPORTS, None) and actor.department is not None:
        department = actor.department.code
    require(actor, Action.SEE_REPORTS, department,
            "The reports are for the Office of Diversity & Equity, the clerks, the administrators, "
            "and each department's approvers (for their own department).")
    return department


def scope(start: date, end: date, department: str | None, published_only: bool = False) -> q.Scope:
    zone = dates.zone()
    low = datetime.combine(start, time(0), zone).astimezone(UTC)
    high = datetime.combine(end + timedelta(days=1), time(0), zone).astimezone(UTC)
    return q.Scope(low, high, department, published_only, zone.key)


def weighted(values: Iterable[tuple[int, int]]) -> dict:
    """{"n", "median", "p90"} of values given as (value, how many times)."""
    pairs = sorted((v, n) for v, n in values if n > 0)
    total = sum(n for _v, n in pairs)
    if not total:
        return {"n": 0, "median": None, "p90": None}

    def at_rank(rank: int) -> int:
        seen = 0
        for value, n in pairs:
            seen += n
            if seen >= rank:
                return value
        return pairs[-1][0]

    if total % 2:
        median: float = at_rank(total // 2 + 1)
    else:
        median = (at_rank(total // 2) + at_rank(total // 2 + 1)) / 2
    return {"n": total, "median": median, "p90": at_rank(math.ceil(0.9 * total))}


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def compute(start: date, end: date, department: str | None, published_only: bool = False) -> dict:
    """The metrics over the statements in scope: a fixed number of SQL statements."""
    dl = app_deadlines.current()
    cal, today = dl.calendar, dates.today()
    sc = scope(start, end, department, published_only)
    run = db.session.execute

    by_state: Counter[str] = Counter({str(s): 0 for s in State})
    by_form: Counter[str] = Counter({str(f): 0 for f in FormName})
    departments: dict[str, Counter[str]] = defaultdict(Counter)
    if department is not None:
        departments[department] = Counter()  # listed even with nothing to count
    submitted = returned = stalled = 0
    for r in run(q.counts(sc)).all():
        by_state[str(r.state)] += r.n
        by_form[str(r.form)] += r.n
        d = departments[r.department]
        d["total"] += r.n
        d["ready"] += r.n if r.state == State.READY_TO_AGENDIZE else 0
        d["returned"] += r.n if r.returned else 0
        submitted += r.n if r.submitted else 0
        returned += r.n if r.returned else 0
        stalled += r.n if r.stalled else 0

    by_month: dict[str, dict[str, int]] = {}
    for r in run(q.months(sc)).all():
        by_month.setdefault(r.month, {str(f): 0 for f in FormName})[str(r.form)] += r.n

    ticked: dict[str, dict[str, int]] = {key: {} for key in q.CHOICE_KEYS}
    for r in run(q.choices(sc)).all():
        ticked[r.key][r.value] = r.n

    cycles: dict[str, list[tuple[int, int]]] = {stage: [] for stage in STAGES}
    for r in run(q.stages(sc)).all():
        cycles[str(r.to_state)].append((cal.business_days_between(q.a_date(r.entered), q.a_date(r.left)),
                                        r.n))
    to_ready: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for r in run(q.to_ready(sc)).all():
        days = cal.business_days_between(q.a_date(r.start), q.a_date(r.end))
        cycles["submit_to_ready"].append((days, r.n))
        to_ready[r.department].append((days, r.n))

    passed = on_time = 0
    cutoffs: dict[date, date | None] = {}
    for r in run(q.readiness(sc)).all():
        meeting = q.a_date(r.meeting)
        if meeting not in cutoffs:
            cutoffs[meeting] = deadlines.cutoff(meeting, cal, dl.policy)
        cut = cutoffs[meeting]
        if cut is None or cut >= today:
            continue
        passed += r.n
        ready = q.as_date(r.ready)
        on_time += r.n if ready is not None and ready <= cut else 0

    owed, reported, overdue = run(q.report_backs(sc, today)).one()
    return {
        "from": start.isoformat(), "to": end.isoformat(), "department": department,
        "statements": {"total": sum(by_state.values()), "by_state": dict(by_state), "by_form": dict(by_form),
                       "by_month": dict(sorted(by_month.items()))},
        "by_department": [{"department": code, "total": c["total"], "ready": c["ready"],
                           "returned": c["returned"],
                           "median_business_days_to_ready": weighted(to_ready[code])["median"]}
                          for code, c in sorted(departments.items())],
        "score_goals": ticked["score_goals"], "inequity_levels": ticked["inequity_levels"],
        "engagement_levels": ticked["engagement_levels"],
        "engagement_standards": ticked["engagement_standards"],
        "cycle_business_days": {stage: weighted(cycles[stage]) for stage in STAGES},
        "return_rate": _rate(returned, submitted), "returned": returned, "submitted": submitted,
        "on_time_rate": _rate(on_time, passed), "on_time": on_time, "late": passed - on_time,
        "stalled": stalled,
        "report_backs": {"due": int(owed), "reported": int(reported), "overdue": int(overdue)},
    }


CSV_COLUMNS = ("file_id", "department", "state", "form", "created_on", "meeting_date", "cutoff",
               "first_submitted_on", "first_ready_on", "last_ready_on", "submit_to_ready_business_days",
               "returned", "stalled", "ready_by_cutoff")


def csv_rows(start: date, end: date, department: str | None) -> Iterable[list]:
    """One row per statement in scope, with the facts behind the metrics (City dates)."""
    dl = app_deadlines.current()
    cal, today, zone = dl.calendar, dates.today(), dates.zone()
    yield list(CSV_COLUMNS)
    for r in db.session.execute(q.facts(scope(start, end, department))).all():
        def day(moment):
            return None if moment is None else _aware(moment).astimezone(zone).date()
        first_submit, first_ready, last_ready = day(r.first_submit), day(r.first_ready), day(r.last_ready)
        meeting = q.as_date(r.meeting)
        cut = deadlines.cutoff(meeting, cal, dl.policy)
        on_time = "" if cut is None or cut >= today else str(first_ready is not None and first_ready <= cut)
        cycle = (cal.business_days_between(first_submit, last_ready)
                 if first_submit and last_ready else None)
        yield [r.file_id, r.department, str(r.state), str(r.form), day(r.created_at), meeting, cut,
               first_submit, first_ready, last_ready, cycle, bool(r.returned), bool(r.stalled), on_time]


def csv_document(start: date, end: date, department: str | None) -> tuple[str, str]:
    """(file name, CSV text) of ``csv_rows``."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in csv_rows(start, end, department):
        writer.writerow(["" if v is None else v for v in row])
    return (f"reis-metrics-{start.isoformat()}-{end.isoformat()}{'-' + department if department else ''}.csv",
            out.getvalue())


def _aware(moment) -> datetime:
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
