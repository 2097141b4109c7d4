"""Rows to the JSON shapes of API.md (plain dicts: the hot paths skip
re-validating their own output; the schemas in ``schemas.py`` describe them)."""

from __future__ import annotations

from datetime import date

from flask import current_app

from app.models import Item, Statement
from workflows import questionnaire
from workflows.gate import Reason

SECTIONS_JSON = [s.to_dict() for s in questionnaire.SECTIONS]


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def item(row: Item) -> dict:
    return {
        "file_id": row.file_id, "title": row.title, "department": row.department.code,
        "body": row.body, "meeting_date": _iso(row.meeting_date), "location": row.location,
        "recommendation": row.recommendation, "contact": row.contact, "presenter": row.presenter,
        "item_type": row.item_type,
        "fiscal_statement": row.fiscal_statement, "agendized": row.agendized,
        "agendized_for": _iso(row.agendized_for), "statement_state": row.statement.state.value,
        "created_at": _iso(row.created_at), "updated_at": _iso(row.updated_at),
    }


def statement(row: Statement) -> dict:
    item_row = row.item
    return {
        "file_id": item_row.file_id, "state": row.state.value, "version": row.version,
        "answers": row.answers or {}, "missing": row.missing, "sections": SECTIONS_JSON,
        "submitted_by": row.submitted_by.email if row.submitted_by else None,
        "submitted_at": _iso(row.submitted_at), "approved_at": _iso(row.approved_at),
        "due_date": _iso(due_date(item_row.agendized_for or item_row.meeting_date)),
    }


def due_date(meeting_date: date | None) -> date | None:
    """The statement's cutoff: it must be ready to agendize by then."""
    deadlines = current_app.extensions["reis.deadlines"]
    return deadlines.cutoff(meeting_date)


def gate(file_id: str, reasons: list[Reason]) -> dict:
    return {"file_id": file_id, "agendizable": not reasons, "reasons": [r.to_dict() for r in reasons]}
