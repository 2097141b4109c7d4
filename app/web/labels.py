"""Words for states, events and roles as people read them, translated."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from workflows.screening import FORM_TITLES
from workflows.statement import Role, State

#: the forms' names as marked in ``workflows.screening`` (translate with the ``tr`` filter)
FORMS = FORM_TITLES

STATES = {
    State.DRAFT: _l("Draft"),
    State.DEPARTMENT_REVIEW: _l("Department review"),
    State.ODE_REVIEW: _l("ODE review"),
    State.READY_TO_AGENDIZE: _l("Ready to agendize"),
}

EVENTS = {
    "create": _l("created"),
    "submit": _l("submitted"),
    "approve": _l("approved"),
    "return": _l("returned"),
    "reopen": _l("reopened"),
    "agendize": _l("agendized"),
    "unagendize": _l("unagendized"),
}

TRIGGERS = {"submit": _l("submit"), "approve": _l("approve"), "return": _l("return"),
            "reopen": _l("reopen")}

ROLES = {
    Role.STAFF: _l("Department staff"),
    Role.DEPARTMENT_APPROVER: _l("Department approver"),
    Role.ODE_REVIEWER: _l("ODE reviewer"),
    Role.CLERK: _l("Clerk"),
    Role.ADMIN: _l("Administrator"),
}


def state(value) -> str:
    try:
        return str(STATES[State(value)])
    except ValueError:
        return str(value)


def event(value: str) -> str:
    return str(EVENTS.get(value, value))


def role(value) -> str:
    try:
        return str(ROLES[Role(value)])
    except ValueError:
        return str(value)
