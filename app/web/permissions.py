"""What the signed-in person may do, asked of the same rules the API obeys.

Nothing here decides anything: each question goes to ``workflows.statement``
(``can_edit``, ``decide`` with ``EVENT_PERMISSIONS``) or to the gate's
``CLERKS`` (read as ``app.permissions.CLERK_GRANTS``; the admin pages as
``ADMIN_GRANTS``), so a button the page shows is a request the operation accepts,
and a button it disables carries the operation's own reason.
"""

from __future__ import annotations

from app.models import Item, Statement, User
from app.permissions import ADMIN_GRANTS, CLERK_GRANTS
from workflows.statement import (
    ANY_DEPARTMENT,
    EDITORS,
    EVENT_PERMISSIONS,
    OWN_DEPARTMENT,
    Decision,
    Role,
    State,
    can_edit,
    decide,
)

REVIEW_STATES = (State.DEPARTMENT_REVIEW, State.ODE_REVIEW)
# A placeholder comment: asks "could this person return it?" before they typed one.
_ANY_COMMENT = "-"


def may_edit(user: User, item: Item) -> bool:
    return can_edit(user.actor, item.department.code)


def may_edit_statement(user: User, statement: Statement) -> bool:
    return statement.state == State.DRAFT and may_edit(user, statement.item)


def decision(user: User, statement: Statement, event: str) -> Decision:
    return decide(event, statement.facts(), user.actor, _ANY_COMMENT if event == "return" else None)


def may_review(user: User, statement: Statement) -> bool:
    """Whether the person may decide on the statement now (return needs no independence)."""
    return statement.state in REVIEW_STATES and decision(user, statement, "return").allowed


def is_clerk(user: User) -> bool:
    return user.role in CLERK_GRANTS


def is_admin(user: User) -> bool:
    return user.role in ADMIN_GRANTS


def queues_for(user: User) -> list[tuple[State, str | None]]:
    """The review queues this person works: (state, department code, or None for every one).

    Read off ``EVENT_PERMISSIONS``: whoever may approve in a state works its queue.
    """
    role = Role(user.role)
    queues = []
    for state in REVIEW_STATES:
        scope = EVENT_PERMISSIONS[("approve", state)].get(role)
        if scope == ANY_DEPARTMENT:
            queues.append((state, None))
        elif scope == OWN_DEPARTMENT and user.department is not None:
            queues.append((state, user.department.code))
    return queues


def may_create_items(user: User) -> bool:
    return Role(user.role) in EDITORS
