"""Who may call which route (API and web): one declared table, built from the rules the views obey.

The views do not read this module: they ask ``workflows.statement`` (``EDITORS``,
``can_edit``, ``decide`` over ``EVENT_PERMISSIONS``) and ``app.operations.gate.CLERKS``.
Each row below *is* one of those objects (not a copy), so a change to the lifecycle
table or the clerk roles changes this table too; what this module adds is the
route -> rule mapping and the state refusals, which
``tests/integration/test_authz_matrix.py`` checks against every route in
``app.url_map`` as every role in every state (a route without a row fails the test).

Row -> view-side check:

* ``AUTHENTICATED`` reads: ``app.auth.require_user`` (or the gate's own token check,
  ``app.api.fast``); deactivated users and missing tokens get 401.
* ``EDITORS`` rows: ``workflows.statement.can_edit`` in ``app.operations.items`` and
  ``app.operations.statements.save_answers``.
* event rows (``event=...``): ``workflows.statement.decide`` over ``EVENT_PERMISSIONS``.
* ``CLERK_GRANTS`` rows: ``app.operations.gate.agendize`` / ``unagendize`` (``CLERKS``).
* ``OWNER`` rows: the caller's own rows only; another's is 404, never 403 (no probing).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.operations.gate import CLERKS
from workflows.statement import ANY_DEPARTMENT, EDITORS, EVENT_PERMISSIONS, Role, State, grants

PUBLIC = "public"
AUTHENTICATED = "authenticated"
OWNER = "owner"

#: The clerk's gate, as a grant table (the clerks act on any department's item).
CLERK_GRANTS = {role: ANY_DEPARTMENT for role in CLERKS}

#: The admin pages (``app.web.views.admin._admin`` -> ``app.web.permissions.is_admin``).
ADMIN_GRANTS = {Role.ADMIN: ANY_DEPARTMENT}

# Outcome classes a request can have.
OK, UNAUTHENTICATED, FORBIDDEN, REFUSED, NOT_FOUND = "ok", "401", "403", "409/422", "404"


@dataclass(frozen=True)
class Row:
    """One route (or one event of the events route)."""

    grant: Mapping | str  # {Role: scope}, PUBLIC, AUTHENTICATED or OWNER
    states: frozenset[State] | None = None  # where it may succeed; elsewhere 409 (None: any)
    refused_when_agendized: bool = False
    event: str | None = None  # a lifecycle event: the grant comes from EVENT_PERMISSIONS


_DRAFT = frozenset({State.DRAFT})

#: Flask endpoint (``:event`` for the events route) -> rule.
API: dict[str, Row] = {
    "api.get_openapi": Row(PUBLIC),
    "api.get_items_list": Row(AUTHENTICATED),
    "api.get_items_get": Row(AUTHENTICATED),
    "api.get_statement_get": Row(AUTHENTICATED),
    "api.get_statement_history": Row(AUTHENTICATED),
    "api.get_gate_check": Row(AUTHENTICATED),
    "api.get_meeting_items": Row(AUTHENTICATED),
    "api.get_sections": Row(AUTHENTICATED),
    "api.get_notifications_list": Row(AUTHENTICATED),
    "api.get_preferences_get": Row(AUTHENTICATED),
    "api.put_preferences_put": Row(AUTHENTICATED),
    "api.get_calendar_feed_get": Row(AUTHENTICATED),
    "api.post_calendar_feed_rotate": Row(AUTHENTICATED),  # the caller's own URL
    "api.post_notifications_read": Row(OWNER),
    "api.post_items_create": Row(EDITORS),
    # a material change (the matrix sends a new title) to an agendized item is a 409
    "api.patch_items_patch": Row(EDITORS, refused_when_agendized=True),
    "api.put_statement_put": Row(EDITORS, states=_DRAFT),
    "api.post_statement_event:submit": Row(EDITORS, event="submit"),
    "api.post_statement_event:approve": Row(EDITORS, event="approve"),
    "api.post_statement_event:return": Row(EDITORS, event="return"),
    "api.post_gate_agendize": Row(CLERK_GRANTS, states=frozenset({State.READY_TO_AGENDIZE})),
    "api.post_gate_unagendize": Row(CLERK_GRANTS),
}


#: State-changing web routes (POST outside /api/). The pages ask ``app.web.permissions``,
#: which reads the same objects: ``may_edit``/``may_create_items`` -> ``EDITORS``,
#: ``may_review`` -> ``decide("return")`` over ``EVENT_PERMISSIONS``, ``is_clerk`` -> ``CLERKS``,
#: ``is_admin`` -> ``ADMIN_GRANTS``. ``web.item_new`` creates in the actor's own department
#: (the form offers no other), so its target is the actor's department. ``web.review``
#: answers "not now" with a redirect to the item, which the matrix counts as a refusal.
WEB: dict[str, Row] = {
    "web.login": Row(PUBLIC),
    "web.logout": Row(PUBLIC),  # signed in or not, it ends on the sign-in page
    "web.set_language": Row(PUBLIC),
    "web.mark_read": Row(AUTHENTICATED),
    "web.preferences": Row(AUTHENTICATED),
    "web.change_password": Row(AUTHENTICATED),  # one's own, saying the current one
    "web.rotate_feed": Row(AUTHENTICATED),  # one's own calendar-feed URL
    "web.item_new": Row(EDITORS),
    "web.item_edit": Row(EDITORS, refused_when_agendized=True),
    "web.statement": Row(EDITORS, states=_DRAFT),
    "web.review": Row(EDITORS, event="return"),
    "web.agendize": Row(CLERK_GRANTS),
    "web.unagendize": Row(CLERK_GRANTS),
    "web.department_create": Row(ADMIN_GRANTS),
    "web.user_create": Row(ADMIN_GRANTS),
    "web.user_deactivate": Row(ADMIN_GRANTS),
    "web.user_reactivate": Row(ADMIN_GRANTS),
    "web.user_role": Row(ADMIN_GRANTS),
    "web.user_password": Row(ADMIN_GRANTS),
}


def expected(row: Row, role: str | None, department: str | None, target: str,
             state: State, agendized: bool, *, owns: bool = False) -> str:
    """The outcome class the table promises. ``role`` None: anonymous or deactivated."""
    if row.grant == PUBLIC:
        return OK
    if role is None:
        return UNAUTHENTICATED
    if row.grant == AUTHENTICATED:
        return OK
    if row.grant == OWNER:
        return OK if owns else NOT_FOUND
    if row.event is not None:
        tables = {s: t for (ev, s), t in EVENT_PERMISSIONS.items() if ev == row.event}
        if not any(grants(role, department, target, t) for t in tables.values()):
            return FORBIDDEN
        return OK if grants(role, department, target, tables.get(state, {})) else REFUSED
    if not grants(role, department, target, row.grant):
        return FORBIDDEN
    if row.states is not None and state not in row.states:
        return REFUSED
    if row.refused_when_agendized and agendized:
        return REFUSED
    return OK
