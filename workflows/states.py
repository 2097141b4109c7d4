"""The statement's states and the events of its history: the nouns every layer shares.

They live apart from the lifecycle (``workflows.statement``) so that the
permission vocabulary (``workflows.permissions``), which the lifecycle asks,
can name them without an import cycle.
"""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    DRAFT = "draft"
    DEPARTMENT_REVIEW = "department_review"
    ODE_REVIEW = "ode_review"
    READY_TO_AGENDIZE = "ready_to_agendize"


class Event(StrEnum):
    """What a history row records. The first four move the statement; the rest do not."""

    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    REOPEN = "reopen"
    CREATE = "create"
    AGENDIZE = "agendize"
    UNAGENDIZE = "unagendize"


#: the events a person may ask for through the API's events endpoint
USER_EVENTS = (Event.SUBMIT, Event.APPROVE, Event.RETURN)
#: the events that move the statement from one state to another
LIFECYCLE_EVENTS = (*USER_EVENTS, Event.REOPEN)
REVIEW_STATES = (State.DEPARTMENT_REVIEW, State.ODE_REVIEW)
