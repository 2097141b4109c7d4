"""Agenda items: create, change (reopening the statement on a material
change), list."""

from __future__ import annotations

import random
import re
from datetime import date
from functools import lru_cache
from typing import Any

import rstr
from flask import current_app
from flask_babel import gettext, lazy_gettext
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager
from sqlalchemy.orm.attributes import set_committed_value

from app.db import write_transaction
from app.errors import conflict, invalid
from app.extensions import db
from app.models import Department, Item, Statement, User
from app.models.base import utcnow
from app.models.item import MATERIAL_FIELDS
from app.operations import history, lookup, screening
from app.operations.statements import apply_event  # one path for every transition
from app.permissions import Action, require
from app.text import plain
from config import FILE_ID_MAX_LENGTH
from workflows.i18n import N_, Text
from workflows.statement import State
from workflows.states import Event

#: File numbers as cities write them: shown as the example when the deployment's pattern takes one.
KNOWN_FILE_IDS = ("2026-00838", "17-052", "Int 0891-2024")
#: Fields as a sentence names them (a column's name is not a word a person uses).
FIELD_WORDS = {"title": "title", "recommendation": "recommendation", "fiscal_statement": "fiscal statement",
               "location": "location", "body": "legislative body"}


def _is_file_id(pattern: str, file_id: str) -> bool:
    # re.ASCII: \d is 0-9 only, so full-width or Arabic-Indic digits cannot pose as an ID.
    return len(file_id) <= FILE_ID_MAX_LENGTH and re.fullmatch(pattern, file_id, re.ASCII) is not None


@lru_cache(maxsize=8)
def file_id_example(pattern: str) -> str | None:
    """A file number that ``pattern`` accepts, to show people instead of the pattern itself.

    A known city form when one fits; else the shortest of a few strings that rstr
    generates from the pattern, seeded with the pattern so that the example never
    changes; None when nothing generated fits (a construct rstr cannot follow).
    """
    for known in KNOWN_FILE_IDS:
        if _is_file_id(pattern, known):
            return known
    generator = rstr.Rstr(random.Random(pattern))
    fitting = []
    for _ in range(20):
        try:
            candidate = generator.xeger(pattern)
        except Exception:  # an example is a courtesy: a pattern rstr cannot walk has none
            return None
        if _is_file_id(pattern, candidate):
            fitting.append(candidate)
    return min(fitting, key=lambda c: (len(c), c)) if fitting else None


def check_file_id(file_id: str) -> None:
    pattern = current_app.config["REIS_FILE_ID_PATTERN"]
    if not _is_file_id(pattern, file_id):
        example = file_id_example(pattern)
        raise invalid({"file_id": Text(N_("must be a file number such as %(example)s"), {"example": example})
                       if example else Text(N_("must be a file number in the form the city uses"))})


def _words(fields: list[str]) -> str:
    """ "fiscal statement and title" """
    names = [FIELD_WORDS.get(f, f.replace("_", " ")) for f in fields]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def create_item(actor: User | None, data: dict[str, Any]) -> Item:
    """A new item and its draft statement; ``actor`` None is the system (the Legistar import)."""
    file_id = data["file_id"]
    check_file_id(file_id)
    if data.get("title") is not None:
        data = {**data, "title": plain(data["title"], "title")}
    with write_transaction():
        department = lookup.department(data["department"])
        if department is None:
            raise invalid({"department": Text(N_("no department has code “%(code)s”"),
                                              {"code": data["department"]})})
        require(actor, Action.CREATE_ITEM, department.code,
                lazy_gettext("You may not create items for department %(department)s.",
                        department=department.code))
        if db.session.scalar(select(Item.id).where(Item.file_id == file_id)) is not None:
            raise conflict("exists", gettext("An item with file ID %(file_id)s already exists.",
                                             file_id=file_id))
        fields = {k: v for k, v in data.items() if k not in ("file_id", "department")}
        item = Item(file_id=file_id, department=department, **fields)
        statement = Statement(item=item, state=State.DRAFT, answers={}, state_entered_at=utcnow())
        db.session.add_all([item, statement])
        try:
            db.session.flush()
        except IntegrityError as exc:  # a concurrent create won between our check and insert
            if "file_id" not in str(exc.orig):
                raise
            raise conflict("exists", gettext("An item with file ID %(file_id)s already exists.",
                                              file_id=file_id)) from None
        rule = screening.apply_rule(item, statement)
        comment = None if rule is None else (
            f"Started as an exemption request ({rule.category}) by the screening rule for item type "
            f"“{rule.item_type}”.")
        history.record(statement, Event.CREATE, None, State.DRAFT, actor, comment)
    return item


def update_item(actor: User | None, file_id: str, changes: dict[str, Any]) -> Item:
    """Change an item. A material change to a draft makes the actor its last editor (they
    changed what is approved); past draft it reopens the statement."""
    if "title" in changes and changes["title"] is None:
        raise invalid({"title": "cannot be removed: an item always has a title"})
    if changes.get("title") is not None:  # before comparing: added direction marks change nothing
        changes = {**changes, "title": plain(changes["title"], "title")}
    with write_transaction():
        statement = lookup.locked_statement(file_id)
        item = statement.item
        require(actor, Action.EDIT, statement,
                lazy_gettext("You may not change items of department %(department)s.",
                        department=item.department.code))
        changed = {k: v for k, v in changes.items() if getattr(item, k) != v}
        material = sorted(k for k in changed if k in MATERIAL_FIELDS)
        if material and item.agendized:
            raise conflict("agendized", "The item is on an agenda; a clerk must unagendize it "
                           f"before its {_words(material)} can change.")
        for name, value in changed.items():
            setattr(item, name, value)
        if material and statement.state == State.DRAFT and actor is not None:
            _mark_last_editor(statement, actor.id)
        if material and statement.state != State.DRAFT:
            reopen(statement, f"Reopened because the item's {_words(material)} changed.")
    return item


def _mark_last_editor(statement: Statement, user_id: int) -> None:
    """The person who changed what the statement is about becomes its last editor (separation
    of duties), without moving its version: its answers did not change, so someone editing them
    must not be told that the statement changed under them. The caller holds the row's lock."""
    db.session.execute(update(Statement).where(Statement.id == statement.id)
                       .values(last_edited_by_id=user_id))
    set_committed_value(statement, "last_edited_by_id", user_id)


def reopen(statement: Statement, comment: str) -> None:
    """The system sends a statement back to draft (caller holds the lock)."""
    apply_event(statement, Event.REOPEN, actor=None, comment=comment)


def list_items(meeting_date: date | None = None, department: str | None = None,
               state: State | None = None) -> list[Item]:
    """Items by file ID, each filter optional; an unknown department is ``invalid``
    (looked up only when nothing matched, so a list costs one statement)."""
    query = (select(Item).join(Item.statement).join(Item.department)
             .options(contains_eager(Item.statement), contains_eager(Item.department))
             .order_by(Item.file_id))
    if meeting_date is not None:
        query = query.where(or_(Item.meeting_date == meeting_date, Item.agendized_for == meeting_date))
    if department is not None:
        query = query.where(Department.code == department)
    if state is not None:
        query = query.where(Statement.state == state)
    found = list(db.session.scalars(query).unique())
    if not found and department is not None and lookup.department(department) is None:
        raise invalid({"department": Text(N_("no department has code “%(code)s”"), {"code": department})})
    return found
