"""Report-backs: the success indicators a department owes once its item is agendized.

``owe`` and ``withdraw`` run inside the clerk's agendize and unagendize (the
caller's write transaction and statement lock), so the agenda change and what
the department owes commit together or not at all. ``report`` records a result;
a second one is a correction and needs a reason; every result stays in
``report_back_results``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from flask_babel import gettext, lazy_gettext
from sqlalchemy import CursorResult, delete, func, select, update

from app import dates
from app.db import write_transaction
from app.errors import conflict, invalid, not_found
from app.extensions import db
from app.models import ReportBack, ReportBackResult, Statement, User
from app.models.base import utcnow
from app.models.report_back import MAX_RESULT_LENGTH, ReportBackStatus
from app.operations import lookup
from app.operations.statements import unreadable
from app.permissions import Action, can_read, require
from workflows.sections import KIND_INDICATORS

#: a correction's reason, at most
MAX_REASON_LENGTH = 2_000
Status = ReportBackStatus
OVERDUE = "overdue"


def indicators(statement: Statement) -> list[dict]:
    """The statement's success indicators, in its order ([] when its form asks for none)."""
    answers = statement.answers or {}
    found: list[dict] = []
    for section in statement.questions.sections:
        if section.kind == KIND_INDICATORS and isinstance(answers.get(section.key), list):
            found += [row for row in answers[section.key] if isinstance(row, dict)]
    return found


def owe(statement: Statement) -> int:
    """On agendize: each indicator of the approved statement becomes a pending report-back.

    An item moved to another meeting already owes them (nothing changes); after a
    withdrawal the indicators of the statement as it now is are owed afresh.
    """
    active = db.session.scalar(select(func.count(ReportBack.id)).where(
        ReportBack.statement_id == statement.id, ReportBack.status != Status.WITHDRAWN))
    if active:
        return 0
    db.session.execute(delete(ReportBack).where(ReportBack.statement_id == statement.id,
                                                ReportBack.status == Status.WITHDRAWN))
    rows = [ReportBack(statement_id=statement.id, n=n, name=row["name"], baseline=row["baseline"],
                       target=row["target"], due=date.fromisoformat(row["due"]), status=Status.PENDING)
            for n, row in enumerate(indicators(statement), start=1)]
    db.session.add_all(rows)
    return len(rows)


def withdraw(statement: Statement) -> int:
    """On unagendize: withdraw what is owed unless a result was already reported (then the
    department still owes the rest, and the results stand)."""
    reported = db.session.scalar(select(func.count(ReportBack.id)).where(
        ReportBack.statement_id == statement.id, ReportBack.status == Status.REPORTED))
    if reported:
        return 0
    done = cast(CursorResult[Any], db.session.execute(update(ReportBack).where(
        ReportBack.statement_id == statement.id, ReportBack.status == Status.PENDING)
        .values(status=Status.WITHDRAWN)))
    return done.rowcount


def status_of(row: ReportBack, today: date) -> str:
    """pending, reported, or overdue (pending and due before today, a City date)."""
    if row.status == Status.PENDING and row.due < today:
        return OVERDUE
    return str(Status(row.status))


def owed(statement_id: int) -> list[ReportBack]:
    """The statement's report-backs (not the withdrawn ones), by number."""
    return list(db.session.scalars(
        select(ReportBack).where(ReportBack.statement_id == statement_id,
                                 ReportBack.status != Status.WITHDRAWN).order_by(ReportBack.n)))


def list_for(actor: User, file_id: str) -> list[ReportBack]:
    item = lookup.item(file_id)
    if not can_read(actor, item):
        raise unreadable(file_id)
    return owed(item.statement.id)


def _check_text(value: object, name: str, limit: int, required: bool) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return "is required" if required else None
    if not isinstance(value, str):
        return "must be text"
    if "\x00" in value:
        return "must not contain the NUL character (U+0000)"
    if len(value) > limit:
        return f"must be at most {limit:,} characters (it has {len(value):,})"
    return None


def report(actor: User, file_id: str, n: int, result: str, reason: str | None = None) -> ReportBack:
    """Report the result of report-back ``n``; correcting a reported one needs ``reason``."""
    problems = {name: problem for name, problem in (
        ("result", _check_text(result, "result", MAX_RESULT_LENGTH, True)),
        ("reason", _check_text(reason, "reason", MAX_REASON_LENGTH, False))) if problem}
    with write_transaction():
        statement = lookup.locked_statement(file_id)
        require(actor, Action.REPORT_BACK, statement,
                lazy_gettext("Only the staff and approvers of department %(department)s report its results.",
                        department=statement.item.department.code))
        row = db.session.scalar(select(ReportBack).where(
            ReportBack.statement_id == statement.id, ReportBack.n == n,
            ReportBack.status != Status.WITHDRAWN))
        if row is None:
            raise not_found(gettext("Item %(file_id)s owes no report-back number %(n)s.",
                                    file_id=file_id, n=n))
        if problems:
            raise invalid(problems)
        correcting = row.status == Status.REPORTED
        if correcting and not (isinstance(reason, str) and reason.strip()):
            raise conflict("already_reported", gettext(
                "Report-back %(n)s of %(file_id)s was already reported; to correct it, say why in "
                "\"reason\".", n=n, file_id=file_id))
        number = (db.session.scalar(select(func.count(ReportBackResult.id))
                                    .where(ReportBackResult.report_back_id == row.id)) or 0) + 1
        now = utcnow()
        db.session.add(ReportBackResult(report_back_id=row.id, number=number, result=result,
                                        reason=reason if correcting else None, reported_by_id=actor.id,
                                        reported_by=actor.email, reported_at=now))
        row.status, row.result, row.reported_at, row.reported_by_id = Status.REPORTED, result, now, actor.id
    return row


def results_of(row: ReportBack) -> list[ReportBackResult]:
    """Every result given for ``row``, the first one first."""
    return list(db.session.scalars(select(ReportBackResult).where(ReportBackResult.report_back_id == row.id)
                                   .order_by(ReportBackResult.number)))


@dataclass(frozen=True)
class Shown:
    """A report-back as pages show it."""

    n: int
    name: str
    baseline: str
    target: str
    due: date
    status: str
    result: str | None
    reported_at: object
    reported_by: str | None


def shown(rows: list[ReportBack]) -> list[Shown]:
    today = dates.today()
    return [Shown(r.n, r.name, r.baseline, r.target, r.due, status_of(r, today), r.result, r.reported_at,
                  r.reported_by.email if r.reported_by else None) for r in rows]


def to_dict(row: ReportBack, today: date | None = None) -> dict:
    """A report-back's JSON (API.md)."""
    return {"n": row.n, "name": row.name, "baseline": row.baseline, "target": row.target,
            "due": row.due.isoformat(), "status": status_of(row, today or dates.today()),
            "result": row.result,
            "reported_at": row.reported_at.isoformat() if row.reported_at else None,
            "reported_by": row.reported_by.email if row.reported_by else None}
