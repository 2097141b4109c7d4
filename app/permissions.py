"""The app's questions to the permission vocabulary (``workflows.permissions``).

Nothing is decided here: rows become ``Facts`` and users become ``Actor``s, and
the vocabulary answers. Operations, API views, pages and templates all ask these
few functions, so a button a page shows is a request the operation accepts.
``None`` as the user means the system (the reopen on an item change, the
Legistar import).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel.speaklater import LazyString

from app import delegates
from app.errors import forbidden
from app.models import Statement
from workflows import permissions as rules
from workflows.permissions import SYSTEM, Action, Actor, Facts
from workflows.statement import Decision, decide
from workflows.states import Event, State

if TYPE_CHECKING:
    from app.models import Item, User

__all__ = ["Action", "actor_of", "can", "can_ever", "can_read", "decision", "facts_of", "queues", "require"]


def actor_of(user: User | Actor | None) -> Actor:
    """The person as the rules see them, with the grants delegated to them today (an ``Actor``
    already: a read path built it from a row), or the system for ``None``."""
    if user is None:
        return SYSTEM
    return user if isinstance(user, Actor) else delegates.actor(user)


def facts_of(target: Item | Statement | Facts | str | None) -> Facts | None:
    """The facts about an item's statement, a statement, or a department (by code); ``Facts``
    already built from a row (``app.models.statement.facts_of_row``) as they are."""
    if target is None or isinstance(target, Facts):
        return target
    if isinstance(target, str):  # a department: "may this person create items there?"
        return Facts(state=State.DRAFT, department=target)
    statement = target if isinstance(target, Statement) else target.statement
    return statement.facts()


def can(user: User | None, action: Action, target: Item | Statement | str | None = None) -> bool:
    return rules.can(actor_of(user), action, facts_of(target))


def can_ever(user: User | None, action: Action) -> bool:
    """Could this person take ``action`` somewhere (which menus and pages they get)?"""
    return rules.can_ever(actor_of(user), action)


def can_read(user: User | Actor | None, target: Item | Statement | Facts) -> bool:
    """May this person read the statement's answers and history (API.md, "Reading")?"""
    facts = facts_of(target)
    return facts is not None and rules.can_read(actor_of(user), facts)


def decision(user: User, statement: Statement, event: Event) -> Decision:
    """The lifecycle's answer to "may this person fire ``event`` now?" (before any comment)."""
    return decide(event, statement.facts(), actor_of(user))


def queues(user: User) -> list[tuple[State, str | None]]:
    return rules.queues(actor_of(user))


def require(user: User | None, action: Action, target: Item | Statement | str | None,
            message: str | LazyString) -> None:
    """Refuse with 403 ``forbidden`` (``message``) unless the person may take ``action``; a
    ``lazy_gettext`` message is translated only then, in the language of the request."""
    if not can(user, action, target):
        raise forbidden(str(message))
