"""What the gate's answer depends on.

``app.operations.gate.meeting`` (the clerk's board and ``GET /meetings/{date}/items``)
lists a meeting's items by working the gate out once per (state, fiscal statement
blank or not) pair rather than once per item. That is only right while, for a
given meeting date, the fiscal statement counts through whether it is blank and
nothing else. If a rule ever looks at what the fiscal statement says, this test
fails: change ``gate.meeting`` with it.
"""

from __future__ import annotations

import datetime as dt

import pytest

from workflows.gate import reasons
from workflows.statement import State

FISCAL = [None, "", "   ", "\t\n", "x", "Funded.", "No fiscal impact.", "n/a", "0", "é" * 5000]
DATES = [None, dt.date(2027, 3, 2)]


class TestFiscalCountsOnlyByBlankness:
    @pytest.mark.parametrize("state", list(State))
    @pytest.mark.parametrize("meeting_date", DATES)
    def test_same_reasons_for_every_fiscal_text_of_the_same_blankness(self, state, meeting_date):
        by_blankness: dict[bool, list] = {}
        for fiscal in FISCAL:
            blank = not (fiscal and fiscal.strip())
            got = reasons(state, fiscal, meeting_date)
            assert by_blankness.setdefault(blank, got) == got, fiscal

    @pytest.mark.parametrize("state", list(State))
    def test_state_given_as_enum_or_text_alike(self, state):
        assert reasons(state, "Funded.", DATES[1]) == reasons(state.value, "Funded.", DATES[1])
