"""The clerk's side: the gate, agendize, unagendize, and a meeting's items."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext
from sqlalchemy import Row, or_, select

from app import dates
from app.db import write_transaction
from app.errors import conflict, invalid
from app.extensions import db
from app.models import Department, Item, Statement, User
from app.operations import history, lookup, notify, report_backs
from app.operations.legistar_meetings import agenda_order
from app.permissions import Action, require
from workflows import gate
from workflows.statement import State
from workflows.states import Event


def reasons_for(item: Item, meeting_date: date | None = None) -> list[gate.Reason]:
    return gate.reasons(item.statement.state, item.fiscal_statement,
                        meeting_date or item.agendized_for or item.meeting_date)


def agendize(actor: User, file_id: str, meeting_date: date | None = None) -> Item:
    require(actor, Action.AGENDIZE, None, "Only clerks agendize items.")
    with write_transaction():
        statement = lookup.locked_statement(file_id)
        item = statement.item
        when = meeting_date or item.meeting_date
        today = dates.today()  # the City's (REIS_TIMEZONE)
        if when is not None and when < today:
            raise invalid({"meeting_date": gettext(
                "%(date)s is before today (%(today)s): choose a meeting to come",
                date=dates.long_date(when), today=dates.long_date(today))})
        reasons = gate.reasons(statement.state, item.fiscal_statement, when)
        if reasons:
            raise conflict("not_agendizable", gettext("Item %(file_id)s cannot be agendized: %(reasons)s",
                                                      file_id=file_id,
                                                      reasons=" ".join(gettext(r.message) for r in reasons)),
                           reasons=[r.to_dict() for r in reasons])
        assert when is not None  # the gate refuses an item with no meeting date
        if not item.agendized or item.agendized_for != when:
            item.agendized, item.agendized_for = True, when
            history.record(statement, Event.AGENDIZE, statement.state, statement.state, actor,
                           f"Agendized for {when.isoformat()}.")
            notify.on_agenda_change(statement, True, actor, when)  # outbox rows, same transaction
            report_backs.owe(statement)  # what the department now owes, same transaction
    return item


def unagendize(actor: User, file_id: str) -> Item:
    require(actor, Action.AGENDIZE, None, "Only clerks unagendize items.")
    with write_transaction():
        statement = lookup.locked_statement(file_id)
        item = statement.item
        if item.agendized:
            was = item.agendized_for
            assert was is not None  # an agendized item has its date (a CHECK constraint)
            item.agendized, item.agendized_for = False, None
            history.record(statement, Event.UNAGENDIZE, statement.state, statement.state, actor,
                           f"Taken off the agenda of {was.isoformat()}.")
            notify.on_agenda_change(statement, False, actor, was)
            report_backs.withdraw(statement)  # unless a result was reported already
    return item


@dataclass(frozen=True)
class MeetingItem:
    """One item of a meeting with the gate's answer: what the clerk's board shows and
    ``GET /meetings/{date}/items`` returns."""

    file_id: str
    title: str
    department: str
    state: State
    agendized_for: date | None  # the meeting whose agenda it is on; None when on none
    reasons: tuple[gate.Reason, ...]

    @property
    def agendizable(self) -> bool:
        return not self.reasons


def meeting(meeting_date: date) -> list[MeetingItem]:
    """Every item of a meeting with the gate's answer for that meeting, in agenda order.

    For a given meeting the gate's answer depends only on the statement's state
    and on whether the fiscal statement is blank (``workflows.gate``;
    ``tests/unit/workflows/test_gate_inputs.py`` holds it to that), so it is
    worked out once per distinct pair, at most eight times, instead of once per
    item: the time of a 500-item meeting is then the query and the answer's
    rendering. The items that share a verdict share its ``reasons`` tuple.
    """
    verdicts: dict[tuple[str, bool], tuple[gate.Reason, ...]] = {}
    found = []
    for file_id, title, department, state, fiscal, agendized, agendized_for in _meeting_rows(meeting_date):
        key = (state, bool(fiscal and fiscal.strip()))
        reasons = verdicts.get(key)
        if reasons is None:
            reasons = verdicts[key] = tuple(gate.reasons(state, fiscal, meeting_date))
        found.append(MeetingItem(file_id, title, department, State(state),
                                 agendized_for if agendized else None, reasons))
    return found


def _meeting_rows(meeting_date: date) -> list[Row]:
    """Every item for a meeting with what the gate needs, in a constant number of SQL
    statements: imported Legistar agendas first, in agenda order, then the rest by file ID."""
    order = agenda_order(meeting_date)
    on_the_day = or_(Item.meeting_date == meeting_date, Item.agendized_for == meeting_date)
    if order:  # a deferred matter can sit on this day's agenda with another meeting date
        on_the_day = or_(on_the_day, Item.file_id.in_(list(order)))
    rows = list(db.session.execute(
        select(Item.file_id, Item.title, Department.code, Statement.state, Item.fiscal_statement,
               Item.agendized, Item.agendized_for)
        .join(Statement, Statement.item_id == Item.id)
        .join(Department, Department.id == Item.department_id)
        .where(on_the_day)
        .order_by(Item.file_id)
    ).all())
    rows.sort(key=lambda row: order.get(row[0], len(order)))  # stable: the rest keep file-ID order
    return rows
