"""Deadlines as pages show them: the cutoff, business days left, days waiting, late flags.

All from ``app.extensions["reis.deadlines"]`` (the same calendar and policy
the API's ``due_date`` and the reminder sweep use), computed in Python from
the rows already loaded: no query per row. An approved statement is finished:
no deadline applies to it any more, so it has no cutoff to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app

from app.dates import city_date
from app.dates import today as today
from workflows import deadlines
from workflows.statement import State


@dataclass(frozen=True)
class Timing:
    cutoff: date | None  # None when no deadline applies: no meeting date, or already approved
    days_to_cutoff: int | None  # business days; negative once the cutoff has passed
    late: bool  # the cutoff has passed and the statement is not approved
    ready: bool  # approved: no deadline applies any more
    days_waiting: int | None  # calendar days in a review step
    step_due: date | None  # the review step's SLA
    step_overdue: bool

    @property
    def cutoff_soon(self) -> bool:
        return not (self.late or self.ready) and self.days_to_cutoff is not None and self.days_to_cutoff <= 5


def timing(state: State, state_entered_at: datetime | None, meeting_date: date | None,
           on: date | None = None) -> Timing:
    on = on or today()
    config = current_app.extensions["reis.deadlines"]
    ready = State(state) == State.READY_TO_AGENDIZE
    cutoff = None if ready else config.cutoff(meeting_date)
    days_to_cutoff = config.calendar.business_days_between(on, cutoff) if cutoff else None
    late = cutoff is not None and on > cutoff and not ready
    days_waiting = step_due = None
    if state_entered_at is not None and State(state) in (State.DEPARTMENT_REVIEW, State.ODE_REVIEW):
        entered = city_date(state_entered_at)
        days_waiting = (on - entered).days
        step_due = deadlines.sla_due(State(state).value, entered, config.calendar, config.policy)
    return Timing(cutoff, days_to_cutoff, late, ready, days_waiting, step_due,
                  step_due is not None and on > step_due)


def cutoff(meeting_date: date) -> date | None:
    """The day a meeting's statements must be approved by."""
    return current_app.extensions["reis.deadlines"].cutoff(meeting_date)


def for_item(item, on: date | None = None) -> Timing:
    statement = item.statement
    return timing(statement.state, statement.state_entered_at, item.agendized_for or item.meeting_date, on)
