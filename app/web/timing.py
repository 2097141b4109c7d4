"""Deadlines as pages show them: the cutoff, business days left, days waiting, late flags.

All from ``app.extensions["reis.deadlines"]`` (the same calendar and policy
the API's ``due_date`` and the reminder sweep use), computed in Python from
the rows already loaded: no query per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from workflows import deadlines
from workflows.statement import State


@dataclass(frozen=True)
class Timing:
    cutoff: date | None
    days_to_cutoff: int | None  # business days; negative once the cutoff has passed
    late: bool  # the cutoff has passed and the statement is not approved
    ready: bool  # approved: no deadline applies any more
    days_waiting: int | None  # calendar days in a review step
    step_due: date | None  # the review step's SLA
    step_overdue: bool

    @property
    def cutoff_soon(self) -> bool:
        return not (self.late or self.ready) and self.days_to_cutoff is not None and self.days_to_cutoff <= 5


def today() -> date:
    return datetime.now(ZoneInfo(current_app.config["REIS_TIMEZONE"])).date()


def local_date(moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(current_app.config["REIS_TIMEZONE"])).date()


def timing(state: State, state_entered_at: datetime | None, meeting_date: date | None,
           on: date | None = None) -> Timing:
    on = on or today()
    config = current_app.extensions["reis.deadlines"]
    cutoff = config.cutoff(meeting_date)
    ready = State(state) == State.READY_TO_AGENDIZE
    days_to_cutoff = config.calendar.business_days_between(on, cutoff) if cutoff else None
    late = cutoff is not None and on > cutoff and not ready
    days_waiting = step_due = None
    if state_entered_at is not None and State(state) in (State.DEPARTMENT_REVIEW, State.ODE_REVIEW):
        entered = local_date(state_entered_at)
        days_waiting = (on - entered).days
        step_due = deadlines.sla_due(State(state).value, entered, config.calendar, config.policy)
    return Timing(cutoff, days_to_cutoff, late, ready, days_waiting, step_due,
                  step_due is not None and on > step_due)


def for_item(item, on: date | None = None) -> Timing:
    statement = item.statement
    return timing(statement.state, statement.state_entered_at, item.agendized_for or item.meeting_date, on)
