"""The gate's reasons, without a database: every reason, alone and together."""

from __future__ import annotations

from datetime import date

import pytest

from workflows.gate import Reason, reasons
from workflows.statement import State

MEETING = date(2027, 3, 2)
NOT_APPROVED, NO_FISCAL, NO_DATE = ("statement_not_approved", "fiscal_statement_missing",
                                    "no_meeting_date")


def codes(found: list[Reason]) -> list[str]:
    return [r.code for r in found]


class TestReasons:
    def test_an_approved_funded_scheduled_item_passes(self):
        assert reasons("ready_to_agendize", "Funded from the general fund.", MEETING) == []

    @pytest.mark.parametrize("state", ["draft", "department_review", "ode_review"])
    def test_every_unapproved_state_is_a_reason(self, state):
        assert codes(reasons(state, "Funded.", MEETING)) == [NOT_APPROVED]

    @pytest.mark.parametrize("fiscal", [None, "", " ", "\n\t "])
    def test_a_blank_or_absent_fiscal_statement_is_a_reason(self, fiscal):
        assert codes(reasons("ready_to_agendize", fiscal, MEETING)) == [NO_FISCAL]

    def test_no_meeting_date_is_a_reason(self):
        assert codes(reasons("ready_to_agendize", "Funded.", None)) == [NO_DATE]

    @pytest.mark.parametrize(("state", "fiscal", "meeting", "expected"), [
        ("draft", None, None, [NOT_APPROVED, NO_FISCAL, NO_DATE]),
        ("department_review", "", MEETING, [NOT_APPROVED, NO_FISCAL]),
        ("ode_review", "Funded.", None, [NOT_APPROVED, NO_DATE]),
        ("ready_to_agendize", "  ", None, [NO_FISCAL, NO_DATE]),
    ])
    def test_reasons_combine_in_a_stable_order(self, state, fiscal, meeting, expected):
        assert codes(reasons(state, fiscal, meeting)) == expected

    @pytest.mark.parametrize("state", list(State))
    def test_accepts_the_enum_or_its_value(self, state):
        assert reasons(state, None, None) == reasons(state.value, None, None)

    def test_an_unknown_state_is_a_programming_error(self):
        with pytest.raises(ValueError):
            reasons("approved", "Funded.", MEETING)

    @pytest.mark.parametrize("state", ["draft", "department_review", "ode_review"])
    def test_messages_are_sentences_for_a_person(self, state):
        for reason in reasons(state, None, None):
            assert reason.message[0].isupper()
            assert reason.message.rstrip().endswith(".")
            assert reason.code not in reason.message

    def test_the_state_message_says_where_the_statement_is(self):
        assert "draft" in reasons("draft", "x", MEETING)[0].message
        assert "department" in reasons("department_review", "x", MEETING)[0].message
        assert "Diversity & Equity" in reasons("ode_review", "x", MEETING)[0].message


class TestReason:
    def test_to_dict_is_the_api_shape(self):
        reason = reasons("draft", "Funded.", MEETING)[0]
        assert reason.to_dict() == {"code": NOT_APPROVED, "message": reason.message}

    def test_reasons_are_values(self):
        assert reasons("draft", None, None) == reasons("draft", None, None)
        with pytest.raises(AttributeError):
            reasons("draft", None, None)[0].code = "other"  # type: ignore[misc]
