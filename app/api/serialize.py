"""Rows to the JSON shapes of API.md (plain dicts: the hot paths skip
re-validating their own output; the schemas in ``schemas.py`` describe them)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from flask import current_app
from flask_babel import get_locale, gettext

from app.models import Item, Statement
from app.operations import deciders
from workflows import questionnaire, screening
from workflows.gate import Reason
from workflows.states import State


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


def sections(form: str = questionnaire.FormName.FULL, version: int = questionnaire.CURRENT_VERSION) -> list:
    """A form's sections as the API lists them, in the reader's language."""
    return _sections(form, version, str(get_locale() or "en"))


@lru_cache(maxsize=64)
def _sections(form: str, version: int, locale: str) -> list:  # locale: part of the cache key
    return [s.to_dict(gettext) for s in questionnaire.form(form, version).sections]


def screening_questions() -> dict:
    """``GET /screening``: the questions, the exemption categories and the forms."""
    return {
        "questions": [{"key": q.key, "question": gettext(q.question), "help": gettext(q.help)}
                      for q in screening.QUESTIONS],
        "exemption_categories": [{"key": c.key, "label": gettext(c.label),
                                  "description": gettext(c.description)} for c in screening.CATEGORIES],
        "forms": [{"name": f.name, "title": gettext(f.title), "description": gettext(f.description)}
                  for f in questionnaire.VERSIONS[questionnaire.CURRENT_VERSION].forms.values()],
        "version": questionnaire.CURRENT_VERSION,
    }


def statement(row: Statement) -> dict:
    item_row = row.item
    chosen = row.screening or {}
    return {
        "file_id": item_row.file_id, "state": row.state.value, "version": row.version,
        "form": row.form.value, "questionnaire_version": row.questionnaire_version,
        "screening": chosen, "allowed_forms": [f.value for f in screening.allowed_forms(chosen)],
        "answers": row.answers or {}, "missing": row.missing,
        "sections": sections(row.form.value, row.questionnaire_version),
        "submitted_by": row.submitted_by.email if row.submitted_by else None,
        "submitted_at": _iso(row.submitted_at), "approved_at": _iso(row.approved_at),
        "due_date": _iso(due_date(item_row.agendized_for or item_row.meeting_date)),
        "assignee": row.assignee.email if row.assignee and row.state == State.ODE_REVIEW else None,
        "eligible_deciders": [u.email for u in deciders.eligible(row)],
    }


def due_date(meeting_date: date | None) -> date | None:
    """The statement's cutoff: it must be ready to agendize by then."""
    deadlines = current_app.extensions["reis.deadlines"]
    return deadlines.cutoff(meeting_date)


def gate(file_id: str, reasons: list[Reason]) -> dict:
    return {"file_id": file_id, "agendizable": not reasons, "reasons": [r.to_dict() for r in reasons]}
