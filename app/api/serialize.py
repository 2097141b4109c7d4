"""Rows to the JSON shapes of API.md (plain dicts: the hot paths skip
re-validating their own output; the schemas in ``schemas.py`` describe them).

An item's and a statement's JSON are built from a *source*: anything whose
attributes are named like the keys of ``ITEM`` / ``STATEMENT`` below. The
reads of ``app/api/reads.py`` select exactly those columns, labelled with those
names, in one Core statement and pass the row; everything else (the ORM
objects an operation returns) goes through ``orm_source``, which reads the same
names off the objects. So there is one list of what is read and one function
that writes each JSON shape, and the two paths cannot drift: a new field is a
line in ``ITEM``/``STATEMENT`` (a column) and, if it is not the column as it
is, a line in ``item()``/``statement()``.
"""

from __future__ import annotations

import enum
import secrets
from collections.abc import Callable, Mapping
from datetime import date
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from flask import Response, current_app, jsonify
from flask.json.provider import DefaultJSONProvider
from flask_babel import get_locale, gettext
from sqlalchemy import FromClause
from sqlalchemy.sql.elements import KeyedColumnElement

from app.models import Department, Item, Statement, User
from app.models.statement import facts_of_row, missing_of
from app.operations import deciders
from workflows import questionnaire, screening
from workflows.gate import Reason
from workflows.states import State

_items, _departments, _statements = Item.__table__, Department.__table__, Statement.__table__
#: the statement's submitter (a second use of ``users`` in a read that also authenticates)
SUBMITTER = User.__table__.alias("submitter")
#: the ODE reviewer a statement in ODE review is assigned to
ASSIGNEE = User.__table__.alias("assignee")

#: An item's JSON, in order: each key and the column it is the value of.
ITEM: dict[str, KeyedColumnElement[Any]] = {
    "file_id": _items.c.file_id, "title": _items.c.title, "department": _departments.c.code,
    "body": _items.c.body, "meeting_date": _items.c.meeting_date, "location": _items.c.location,
    "recommendation": _items.c.recommendation, "contact": _items.c.contact,
    "presenter": _items.c.presenter, "item_type": _items.c.item_type,
    "fiscal_statement": _items.c.fiscal_statement, "agendized": _items.c.agendized,
    "agendized_for": _items.c.agendized_for, "statement_state": _statements.c.state,
    "created_at": _items.c.created_at, "updated_at": _items.c.updated_at,
}

#: What a statement's JSON is made of.
STATEMENT: dict[str, KeyedColumnElement[Any]] = {
    "file_id": _items.c.file_id, "meeting_date": _items.c.meeting_date,
    "agendized_for": _items.c.agendized_for,
    "state": _statements.c.state, "version": _statements.c.version, "form": _statements.c.form,
    "questionnaire_version": _statements.c.questionnaire_version,
    "screening": _statements.c.screening, "answers": _statements.c.answers,
    "summary_translations": _statements.c.summary_translations,
    "submitted_by": SUBMITTER.c.email, "submitted_at": _statements.c.submitted_at,
    "approved_at": _statements.c.approved_at, "assignee": ASSIGNEE.c.email,
}


def orm_source(columns: Mapping[str, KeyedColumnElement[Any]], item: Item,
               statement: Statement) -> SimpleNamespace:
    """``columns`` read off an item, its statement and the objects around them, by the same
    names a Core row of them has. Only the objects those columns need are touched."""
    objects: dict[FromClause, Callable[[], Any]] = {
        _items: lambda: item, _statements: lambda: statement,
        _departments: lambda: item.department, SUBMITTER: lambda: statement.submitted_by,
        ASSIGNEE: lambda: statement.assignee}
    found: dict[FromClause, Any] = {}
    values = {}
    for key, column in columns.items():
        table = column.table
        if table not in found:
            found[table] = objects[table]()
        row = found[table]
        values[key] = getattr(row, column.key) if row is not None else None
    return SimpleNamespace(**values)


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    return value.isoformat() if isinstance(value, date) else value  # datetime is a date too


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def item(row: Item | Any) -> dict:
    """An item's JSON from the ORM ``Item`` or a source with ``ITEM``'s names."""
    source = orm_source(ITEM, row, row.statement) if isinstance(row, Item) else row
    return {key: _plain(getattr(source, key)) for key in ITEM}


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


def statement(row: Statement | Any, eligible: list[str] | None = None) -> dict:
    """A statement's JSON from the ORM ``Statement`` or a source with ``STATEMENT``'s names;
    ``eligible``: its eligible deciders' emails, when the caller read them already."""
    s = orm_source(STATEMENT, row.item, row) if isinstance(row, Statement) else row
    facts = row.facts() if isinstance(row, Statement) else facts_of_row(row, row.department)
    chosen = s.screening or {}
    form = s.form.value
    return {
        "file_id": s.file_id, "state": s.state.value, "version": s.version,
        "form": form, "questionnaire_version": s.questionnaire_version,
        "screening": chosen, "allowed_forms": [f.value for f in screening.allowed_forms(chosen)],
        "answers": s.answers or {}, "summary_translations": s.summary_translations or {},
        "missing": missing_of(s),
        "sections": sections(form, s.questionnaire_version),
        "submitted_by": s.submitted_by,
        "submitted_at": _iso(s.submitted_at), "approved_at": _iso(s.approved_at),
        "due_date": _iso(due_date(s.agendized_for or s.meeting_date)),
        "assignee": s.assignee if State(s.state) == State.ODE_REVIEW else None,
        "eligible_deciders": deciders.eligible_for(facts) if eligible is None else eligible,
    }


#: Stands for the questions while the rest of a statement is encoded: random, so no text a
#: person wrote can be mistaken for it.
_QUESTIONS = "\x00" + secrets.token_hex(16)


def statement_response(row: Statement | Any, eligible: list[str] | None = None) -> Response:
    """``jsonify(statement(row))``, byte for byte, but the questions (most of the 27 kB of a
    full statement, the same for every statement of a form, version and language) are
    encoded once per process, not on every request."""
    body = statement(row, eligible)
    provider = current_app.json
    if not isinstance(provider, DefaultJSONProvider) or provider.compact is False or (
            provider.compact is None and current_app.debug):
        return jsonify(body)  # indented (or another encoder): the encoded questions would not fit
    body["sections"] = _QUESTIONS
    text = provider.dumps(body, separators=(",", ":")).replace(
        _encoded(_QUESTIONS), _encoded_sections(body["form"], body["questionnaire_version"],
                                                str(get_locale() or "en")), 1)
    return current_app.response_class(f"{text}\n", mimetype=provider.mimetype)


def _encoded(value: Any) -> str:
    return current_app.json.dumps(value, separators=(",", ":"))


@lru_cache(maxsize=64)
def _encoded_sections(form: str, version: int, locale: str) -> str:  # locale: part of the cache key
    return _encoded(_sections(form, version, locale))


def due_date(meeting_date: date | None) -> date | None:
    """The statement's cutoff: it must be ready to agendize by then."""
    deadlines = current_app.extensions["reis.deadlines"]
    return deadlines.cutoff(meeting_date)


def gate(file_id: str, reasons: list[Reason]) -> dict:
    return {"file_id": file_id, "agendizable": not reasons, "reasons": [r.to_dict() for r in reasons]}
