"""The clerk's side: the gate, agendize, unagendize, and a meeting's items."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select

from app.db import write_transaction
from app.errors import conflict, forbidden
from app.extensions import db
from app.models import Department, Item, Statement, User
from app.operations import history, lookup, notify
from workflows import gate
from workflows.statement import Role

CLERKS = (Role.CLERK, Role.ADMIN)


def reasons_for(item: Item, meeting_date: date | None = None) -> list[gate.Reason]:
    return gate.reasons(item.statement.state, item.fiscal_statement,
                        meeting_date or item.agendized_for or item.meeting_date)


def agendize(actor: User, file_id: str, meeting_date: date | None = None) -> Item:
    if actor.role not in CLERKS:
        raise forbidden("Only clerks agendize items.")
    with write_transaction():
        statement = lookup.locked_statement(file_id)
        item = statement.item
        reasons = gate.reasons(statement.state, item.fiscal_statement, meeting_date or item.meeting_date)
        if reasons:
            raise conflict("not_agendizable", f"Item {file_id} cannot be agendized: "
                           + " ".join(r.message for r in reasons),
                           reasons=[r.to_dict() for r in reasons])
        when = meeting_date or item.meeting_date
        if not item.agendized or item.agendized_for != when:
            item.agendized, item.agendized_for = True, when
            history.record(statement, "agendize", statement.state, statement.state, actor,
                           f"Agendized for {when.isoformat()}.")
            notify.on_agenda_change(statement, True, actor, when)  # outbox rows, same transaction
    return item


def unagendize(actor: User, file_id: str) -> Item:
    if actor.role not in CLERKS:
        raise forbidden("Only clerks unagendize items.")
    with write_transaction():
        statement = lookup.locked_statement(file_id)
        item = statement.item
        if item.agendized:
            was = item.agendized_for
            item.agendized, item.agendized_for = False, None
            history.record(statement, "unagendize", statement.state, statement.state, actor,
                           f"Taken off the agenda of {was.isoformat()}.")
            notify.on_agenda_change(statement, False, actor, was)
    return item


def meeting_items(meeting_date: date) -> list[tuple]:
    """Every item for a meeting with what the gate needs, in a constant number of SQL
    statements: imported Legistar agendas first, in agenda order, then the rest by file ID."""
    from app.operations.legistar import agenda_order

    order = agenda_order(meeting_date)
    on_the_day = or_(Item.meeting_date == meeting_date, Item.agendized_for == meeting_date)
    if order:  # a deferred matter can sit on this day's agenda with another meeting date
        on_the_day = or_(on_the_day, Item.file_id.in_(list(order)))
    rows = db.session.execute(
        select(Item.file_id, Item.title, Department.code, Statement.state, Item.fiscal_statement,
               Item.agendized, Item.agendized_for)
        .join(Statement, Statement.item_id == Item.id)
        .join(Department, Department.id == Item.department_id)
        .where(on_the_day)
        .order_by(Item.file_id)
    ).all()
    rows.sort(key=lambda row: order.get(row[0], len(order)))  # stable: the rest keep file-ID order
    return rows
