"""The deployment's business-day calendar and deadline policy, from config."""

from __future__ import annotations

from datetime import date

from flask import Flask

from workflows import deadlines


class Deadlines:
    def __init__(self, calendar: deadlines.BusinessCalendar, policy: deadlines.DeadlinePolicy):
        self.calendar = calendar
        self.policy = policy

    def cutoff(self, meeting_date: date | None) -> date | None:
        return deadlines.cutoff(meeting_date, self.calendar, self.policy)


def init_app(app: Flask) -> None:
    policy = deadlines.DeadlinePolicy(
        cutoff_business_days=app.config["REIS_CUTOFF_BUSINESS_DAYS"],
        sla_business_days={"department_review": app.config["REIS_SLA_DEPARTMENT_REVIEW_DAYS"],
                           "ode_review": app.config["REIS_SLA_ODE_REVIEW_DAYS"]},
    )
    app.extensions["reis.deadlines"] = Deadlines(deadlines.BusinessCalendar(), policy)
