"""The report-backs' part of the reminder sweep (DESIGN.md: "Report-backs ride the sweep").

Called by ``sweep.run`` inside its write transaction: one SELECT loads the
pending report-backs due up to ``workflows.report_back_reminders.window``
(an index range scan on ``ix_report_backs_status_due``) with each one's file,
department and author; one more gives the departments' approvers; the pure
``report_back_reminders.due`` decides, and the rows are claimed through the same
``ON CONFLICT (dedupe_key) DO NOTHING`` outbox insert as the statements'
reminders.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import Department, Item, ReportBack, Statement, User
from app.models.report_back import ReportBackStatus
from workflows import report_back_reminders as rules
from workflows.deadlines import BusinessCalendar
from workflows.reminders import Person, Reminder
from workflows.statement import Role


def pending_query(through: date):
    return (
        select(ReportBack.id, ReportBack.statement_id, Item.file_id, ReportBack.n, ReportBack.name,
               ReportBack.due, Department.id.label("department_id"), Department.code.label("department"),
               User.id.label("author_id"), User.email.label("author_email"),
               User.active.label("author_active"))
        .join(Statement, Statement.id == ReportBack.statement_id)
        .join(Item, Item.id == Statement.item_id)
        .join(Department, Department.id == Item.department_id)
        .outerjoin(User, User.id == Statement.submitted_by_id)
        .where(ReportBack.status == ReportBackStatus.PENDING, ReportBack.due <= through)
        .order_by(ReportBack.id)
    )


def due(today: date, calendar: BusinessCalendar) -> tuple[list[Reminder], dict[int, str]]:
    """Today's report-back reminders, and the file ID of each statement they are about."""
    if not calendar.is_business_day(today):
        return [], {}
    rows = db.session.execute(pending_query(rules.window(today, calendar))).all()
    if not rows:
        return [], {}
    departments = {r.department_id: r.department for r in rows}
    approvers: dict[str, list[Person]] = {}
    for u in db.session.execute(
            select(User.id, User.email, User.active, User.department_id)
            .where(User.role == Role.DEPARTMENT_APPROVER, User.department_id.in_(sorted(departments)))
            .order_by(User.id)).all():
        approvers.setdefault(departments[u.department_id], []).append(Person(u.id, u.email, bool(u.active)))
    owed = [rules.ReportBackDue(
        report_back_id=r.id, statement_id=r.statement_id, file_id=r.file_id, n=r.n, name=r.name, due=r.due,
        department=r.department,
        author=None if r.author_id is None else Person(r.author_id, r.author_email, bool(r.author_active)))
        for r in rows]
    return rules.due(today, owed, approvers, calendar), {r.statement_id: r.file_id for r in rows}
