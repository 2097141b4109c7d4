"""Words for states, events, roles, fields and mail modes as people read them, translated."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from app.models.user import NotifyMode
from workflows import questionnaire
from workflows.screening import FORM_TITLES
from workflows.statement import Role, State
from workflows.states import Event

#: the forms' names as marked in ``workflows.screening`` (translate with the ``tr`` filter)
FORMS = FORM_TITLES

STATES = {
    State.DRAFT: _l("Draft"),
    State.DEPARTMENT_REVIEW: _l("Department review"),
    State.ODE_REVIEW: _l("ODE review"),
    State.READY_TO_AGENDIZE: _l("Ready to agendize"),
}

#: by event name (a notification's payload names its event as a plain string)
EVENTS: dict[str, Any] = {
    Event.CREATE: _l("created"),
    Event.SUBMIT: _l("submitted"),
    Event.APPROVE: _l("approved"),
    Event.RETURN: _l("returned"),
    Event.REOPEN: _l("reopened"),
    Event.AGENDIZE: _l("agendized"),
    Event.UNAGENDIZE: _l("unagendized"),
}

TRIGGERS: dict[str, Any] = {Event.SUBMIT: _l("submit"), Event.APPROVE: _l("approve"),
                            Event.RETURN: _l("return"), Event.REOPEN: _l("reopen")}

ROLES = {
    Role.STAFF: _l("Department staff"),
    Role.DEPARTMENT_APPROVER: _l("Department approver"),
    Role.ODE_REVIEWER: _l("ODE reviewer"),
    Role.CLERK: _l("Clerk"),
    Role.ADMIN: _l("Administrator"),
}

REPORT_BACK_STATUSES = {"pending": _l("Pending"), "reported": _l("Reported"), "overdue": _l("Overdue")}

NOTIFY_MODES = {
    NotifyMode.EACH: _l("one mail for each notification"),
    NotifyMode.DIGEST: _l("one daily digest with all of them"),
}


def state(value) -> str:
    try:
        return str(STATES[State(value)])
    except ValueError:
        return str(value)


def event(value: str) -> str:
    return str(EVENTS.get(value, value))


def report_back_status(value: str) -> str:
    return str(REPORT_BACK_STATUSES.get(value, value))


def role(value) -> str:
    try:
        return str(ROLES[Role(value)])
    except ValueError:
        return str(value)


#: Fields as the forms label them: what a person reads instead of a column's name.
FIELDS = {
    "file_id": _l("File ID"),
    "title": _l("Title"),
    "department": _l("Department"),
    "meeting_date": _l("Meeting date"),
    "location": _l("Location"),
    "body": _l("Body"),
    "recommendation": _l("Recommendation"),
    "contact": _l("Contact"),
    "presenter": _l("Presenter"),
    "fiscal_statement": _l("Fiscal statement (Financial Considerations)"),
    "answers": _l("Answers"),
    "comment": _l("Comment"),
    "email": _l("Email"),
    "name": _l("Name"),
    "role": _l("Role"),
    "code": _l("Code"),
    "active": _l("Status"),
    "language": _l("Language"),
    "notify_mode": _l("Mail me"),
}


def field(name: str) -> str:
    """A field's label; ``answers.<key>`` is the section's title."""
    if name.startswith("answers."):
        try:
            return questionnaire.get_section(name.removeprefix("answers.")).title
        except KeyError:
            return str(FIELDS["answers"])
    return str(FIELDS.get(name, _l("This form")))
