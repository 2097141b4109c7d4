"""Imported Legistar meetings: each day's agenda order, and a meeting's readiness.

Why it looks like this: the agenda rows are kept as Legistar sends them
(``app.operations.legistar`` writes them), so a meeting's agenda is read back
in Legistar's own order, and the gate answers for each matter on it; these are
the only reads of the import's tables outside the import.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from app.errors import OperationError, not_found
from app.extensions import db
from app.models import Item, Statement
from app.models.legistar import LegistarEvent, LegistarEventItem
from workflows import gate
from workflows.statement import State


def agenda_order(meeting_date: date) -> dict[str, int]:
    """File ID -> position on the imported agendas of that day's meetings (first listing wins).

    Meetings of the day in order of start time, then each agenda in its own order;
    items not on an imported agenda are absent, so callers sort them after these.
    """
    rows = db.session.execute(
        select(LegistarEventItem.file_id)
        .join(LegistarEvent, (LegistarEvent.client == LegistarEventItem.client)
              & (LegistarEvent.event_id == LegistarEventItem.event_id))
        .where(LegistarEvent.event_date == meeting_date, LegistarEventItem.file_id.is_not(None))
        .order_by(LegistarEvent.starts_at.is_(None), LegistarEvent.starts_at, LegistarEvent.event_id,
                  LegistarEventItem.agenda_sequence.is_(None), LegistarEventItem.agenda_sequence,
                  LegistarEventItem.event_item_id)).scalars()
    order: dict[str, int] = {}
    for file_id in rows:
        if file_id is not None:
            order.setdefault(file_id, len(order))
    return order


def readiness(event_id: int, client: str | None = None) -> dict[str, Any]:
    """An imported meeting's agenda in order, each matter with the gate's answer for that day."""
    query = select(LegistarEvent).where(LegistarEvent.event_id == event_id)
    if client:
        query = query.where(LegistarEvent.client == client)
    events = list(db.session.scalars(query))
    if not events:
        raise _not_imported(event_id, client)
    if len(events) > 1:
        names = ", ".join(sorted(e.client for e in events))
        raise OperationError(f"Event {event_id} was imported for several clients ({names}); "
                             "name one with --client.", status=409, code="ambiguous")
    event = events[0]
    rows = db.session.scalars(
        select(LegistarEventItem).where(LegistarEventItem.client == event.client,
                                        LegistarEventItem.event_id == event.event_id)
        .order_by(LegistarEventItem.agenda_sequence.is_(None), LegistarEventItem.agenda_sequence,
                  LegistarEventItem.event_item_id)).all()
    file_ids = sorted({r.file_id for r in rows if r.file_id})
    known = {f: (s, fiscal) for f, s, fiscal in db.session.execute(
        select(Item.file_id, Statement.state, Item.fiscal_statement)
        .join(Statement, Statement.item_id == Item.id).where(Item.file_id.in_(file_ids)))}
    out, seen = [], set()
    for row in rows:
        entry: dict[str, Any] = {"sequence": row.agenda_sequence, "agenda_number": row.agenda_number,
                 "title": row.title, "file_id": row.file_id, "kind": "heading",
                 "statement_state": None, "agendizable": None, "reasons": []}
        if row.file_id:
            if row.file_id in seen:
                continue  # listed again (e.g. a minutes-only row): the first listing is its place
            seen.add(row.file_id)
            entry["kind"] = "not_imported"
            if row.file_id in known:
                state, fiscal = known[row.file_id]
                reasons = gate.reasons(state, fiscal, event.event_date)
                entry.update(kind="item", statement_state=State(state).value,
                             agendizable=not reasons, reasons=[r.to_dict() for r in reasons])
        out.append(entry)
    return {"client": event.client, "event_id": event.event_id, "body": event.body_name,
            "date": event.event_date.isoformat(), "time": event.time_text,
            "starts_at": event.starts_at.isoformat() if event.starts_at else None,
            "agenda_status": event.agenda_status, "items": out}


def _not_imported(event_id: int, client: str | None) -> OperationError:
    """404, saying why when the meeting's agenda rows were imported without the meeting."""
    query = select(func.count()).select_from(LegistarEventItem).where(LegistarEventItem.event_id == event_id)
    if client:
        query = query.where(LegistarEventItem.client == client)
    rows = db.session.scalar(query)
    if not rows:
        return not_found(f"No imported Legistar event has id {event_id}.")
    return not_found(
        f"Event {event_id} was not imported, only {rows} row{'s' if rows > 1 else ''} of its agenda: "
        "the files held its agenda but not the meeting itself. Import the meeting too (a saved "
        f"events/{event_id} response, or a live import) to see its readiness.")
