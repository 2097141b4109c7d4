"""Screening: which forms the answers allow, and what stops a submit (workflows.screening).

The truth tables are written out by hand from API.md: the short form needs every answer
"no"; an exemption is stopped by any "yes"; the full statement is always allowed.
"""

from __future__ import annotations

import itertools

import pytest

from workflows import screening
from workflows.screening import QUESTION_KEYS, FormName, allowed_forms, blocking

ALL_NO = dict.fromkeys(QUESTION_KEYS, False)
F, S, E = FormName.FULL, FormName.SHORT, FormName.EXEMPTION

#: (answers, forms allowed, what blocks the short form, what blocks an exemption)
TRUTH_TABLE = [
    ({}, (F, E), list(QUESTION_KEYS), []),
    (ALL_NO, (F, S, E), [], []),
    ({**ALL_NO, "spending": True}, (F,), ["spending"], ["spending"]),
    ({**ALL_NO, "services": True, "rules": True}, (F,), ["services", "rules"], ["services", "rules"]),
    ({**ALL_NO, "analysis_requested": True}, (F,), ["analysis_requested"], ["analysis_requested"]),
    ({k: False for k in QUESTION_KEYS[:-1]}, (F, E), ["analysis_requested"], []),
    ({"places_or_groups": False}, (F, E), [k for k in QUESTION_KEYS if k != "places_or_groups"], []),
    ({"land_use": True}, (F,), list(QUESTION_KEYS), ["land_use"]),
    (dict.fromkeys(QUESTION_KEYS, True), (F,), list(QUESTION_KEYS), list(QUESTION_KEYS)),
    (None, (F, E), list(QUESTION_KEYS), []),
]


class TestTruthTable:
    def test_the_questions(self):
        assert QUESTION_KEYS == ("services", "spending", "rules", "land_use", "staffing", "places_or_groups",
                                 "analysis_requested")

    @pytest.mark.parametrize(("answers", "forms", "short", "exemption"), TRUTH_TABLE)
    def test_row(self, answers, forms, short, exemption):
        assert allowed_forms(answers) == forms
        assert blocking(S, answers) == short
        assert blocking(E, answers) == exemption
        assert blocking(F, answers) == []

    @pytest.mark.parametrize("values", list(itertools.product((True, False, None), repeat=3)))
    def test_every_combination_of_the_first_three_answers(self, values):
        """Yes, no or unanswered for three questions, the other four "no"."""
        answers = dict(ALL_NO)
        for key, value in zip(QUESTION_KEYS, values, strict=False):
            if value is None:
                del answers[key]
            else:
                answers[key] = value
        any_yes, all_no = True in values, all(v is False for v in values)
        assert (F in allowed_forms(answers), S in allowed_forms(answers), E in allowed_forms(answers)) == (
            True, all_no, not any_yes)


class TestValidate:
    def test_a_partial_screening_is_valid(self):
        assert screening.validate({}) == {}
        assert screening.validate({"services": True, "rules": False}) == {}

    @pytest.mark.parametrize(("answers", "field"), [
        ({"colour": True}, "screening.colour"), ({"services": "no"}, "screening.services"),
        ({"services": None}, "screening.services"), ({"services": 0}, "screening.services"),
        ({"": True}, "screening."),
    ])
    def test_unknown_keys_and_non_booleans(self, answers, field):
        assert set(screening.validate(answers)) == {field}

    @pytest.mark.parametrize("answers", [[], "yes", None, 1])
    def test_not_an_object(self, answers):
        assert set(screening.validate(answers)) == {"screening"}


class TestRules:
    @pytest.mark.parametrize(("given", "key"), [
        ("Ceremonial Item", "ceremonial item"), ("  ceremonial   ITEM ", "ceremonial item"),
        ("Minutes", "minutes"), ("Int\u00a0Intro", "int intro"),
    ])
    def test_item_types_match_without_case_or_spaces(self, given, key):
        assert screening.item_type_key(given) == key

    def test_the_reason_names_the_type_and_the_category(self):
        reason = screening.rule_reason(" Ceremonial Item ", "ceremonial")
        assert "“Ceremonial Item”" in reason and "ceremonial item" in reason
        assert "Office of Diversity & Equity" in reason

    def test_every_category_reads(self):
        assert [c.key for c in screening.CATEGORIES] == list(screening.CATEGORY_KEYS)
        assert all(c.label and c.description.endswith(".") for c in screening.CATEGORIES)
        with pytest.raises(KeyError):
            screening.category("birthday")

    def test_no_marked_string_has_a_percent_sign(self):
        words = [w for x in screening.QUESTIONS for w in (x.question, x.help)]
        words += [w for c in screening.CATEGORIES for w in (c.label, c.description)]
        assert not any("%" in w for w in words)
