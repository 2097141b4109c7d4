"""The gate: may this item be agendized? Yes, or no with every reason.

Sacramento's rule (council file 2026-00838): an item shall not be agendized
unless a Racial Equity Impact and Sustainability Statement accompanies a
Fiscal Statement. ``agendizable`` is true exactly when ``reasons`` is empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from workflows.i18n import N_
from workflows.statement import State

# What a statement that is not approved yet is waiting for, from where it is now.
_WAITING_FOR = {
    State.DRAFT: N_("The racial equity statement is still a draft: it must be submitted, "
                    "then approved by the department and by ODE."),
    State.DEPARTMENT_REVIEW: N_("The racial equity statement is waiting for department review: "
                                "it needs the department's approval, then ODE's."),
    State.ODE_REVIEW: N_("The racial equity statement is waiting for review by the Office of "
                         "Diversity & Equity: it needs ODE's approval."),
}


@dataclass(frozen=True)
class Reason:
    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


def reasons(statement_state: str, fiscal_statement: str | None,
            meeting_date: date | None) -> list[Reason]:
    """Every reason the item may not be agendized, in a stable order."""
    found: list[Reason] = []
    state = State(statement_state)
    if state is not State.READY_TO_AGENDIZE:
        found.append(Reason("statement_not_approved", _WAITING_FOR[state]))
    if not (fiscal_statement and fiscal_statement.strip()):
        found.append(Reason(
            "fiscal_statement_missing",
            N_("The item has no fiscal statement (Financial Considerations); add one."),
        ))
    if meeting_date is None:
        found.append(Reason(
            "no_meeting_date",
            N_("No meeting date: give the item a meeting date or name one when agendizing."),
        ))
    return found
