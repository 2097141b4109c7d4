"""Which report-back reminders are due today, to whom (DESIGN.md: "Report-backs ride the sweep").

A report-back a department owes (see ``app.models.report_back``) is reminded to
the statement's author and the department's approvers (the active ones):

* ``report_back_in_10`` and ``report_back_in_2``: on the 10th and the 2nd
  business day before its due date;
* ``report_back_overdue``: once a week while it is pending after its due date:
  on the first business day the sweep runs in each week counted from the day
  after it was due (week 0 is the first seven days, and so on).

Like ``workflows.reminders.due`` this is pure and deterministic: the same rows
on the same City business day give the same reminders with the same keys, so
the sweep's ``ON CONFLICT (dedupe_key) DO NOTHING`` claims each one once. A
weekly key names the week, not the day: a second sweep later in the week finds
it claimed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from workflows.deadlines import BusinessCalendar
from workflows.i18n import N_, Param, Text
from workflows.reminders import Person, Reminder

#: business days before the due date on which a reminder goes out
DAYS_BEFORE = (10, 2)
IN_PREFIX = "report_back_in_"
OVERDUE = "report_back_overdue"


@dataclass(frozen=True)
class ReportBackDue:
    """What the sweep knows of one pending report-back."""

    report_back_id: int
    statement_id: int
    file_id: str
    n: int
    name: str
    due: date
    department: str
    author: Person | None


def window(today: date, calendar: BusinessCalendar) -> date:
    """The latest due date that can be reminded today: every pending report-back due on
    or before it is loaded (the overdue ones included), and ``due`` decides."""
    return calendar.add_business_days(today, max(DAYS_BEFORE) + 1)


def _reason(row: ReportBackDue, today: date, calendar: BusinessCalendar) -> tuple[str, str] | None:
    """(reason, the part of the key that makes it once) or None when nothing is due today."""
    if row.due < today:  # any business day of the week claims it: a sweep missed is made up
        return OVERDUE, f"w{(today - (row.due + timedelta(days=1))).days // 7}"
    for n in DAYS_BEFORE:
        if calendar.add_business_days(row.due, -n) == today:
            return f"{IN_PREFIX}{n}", today.isoformat()
    return None


def _message(row: ReportBackDue, reason: str) -> Text:
    what: dict[str, Param] = {"n": row.n, "file_id": row.file_id, "name": row.name, "due": row.due}
    if reason == OVERDUE:
        return Text(N_("Report-back %(n)s of file %(file_id)s (“%(name)s”) was due %(due)s and has "
                       "no result yet: please report its result."), what)
    days = int(reason.removeprefix(IN_PREFIX))
    return Text(N_("Report-back %(n)s of file %(file_id)s (“%(name)s”) is due %(due)s, in %(days)s "
                   "business days: please report its result by then."), {**what, "days": days})


def due(today: date, rows: Iterable[ReportBackDue], approvers: Mapping[str, Sequence[Person]],
        calendar: BusinessCalendar) -> list[Reminder]:
    """The reminders due on ``today`` (a City date); [] on a weekend or holiday."""
    if not calendar.is_business_day(today):
        return []
    found: list[Reminder] = []
    for row in rows:
        reason = _reason(row, today, calendar)
        if reason is None:
            continue
        people = [p for p in (row.author, *approvers.get(row.department, ())) if p is not None and p.active]
        seen: set[str] = set()
        for person in people:
            address = person.email.casefold()
            if not address or address in seen:
                continue
            seen.add(address)
            found.append(Reminder(key=f"rb{row.report_back_id}:{address}:{reason[1]}",
                                  statement_id=row.statement_id, recipient_id=person.id,
                                  recipient_email=person.email, reasons=(reason[0],), day=today,
                                  text=_message(row, reason[0])))
    found.sort(key=lambda r: (r.statement_id, r.key))
    return found
