"""The kinds of answer and how a form checks them as a whole (workflows.sections)."""

from __future__ import annotations

import pytest

from workflows.questionnaire import MAX_ANSWER_LENGTH, form
from workflows.sections import MAX_INDICATORS, NONE, Choice, Form, Section

FULL = form("full")


def answers(**changes) -> dict:
    """The full form's complete example statement, with ``changes`` (None removes a section)."""
    values = FULL.example_answers()
    for key, value in changes.items():
        if value is None:
            values.pop(key, None)
        else:
            values[key] = value
    return values


def indicator(**changes) -> dict:
    return {"name": "Households enrolled", "baseline": "None", "target": "3,000", "due": "2027-12-31",
            **changes}


class TestText:
    def test_length_limits(self):
        assert FULL.validate({"proposal": "a" * MAX_ANSWER_LENGTH}) == {}
        assert set(FULL.validate({"proposal": "a" * (MAX_ANSWER_LENGTH + 1)})) == {"proposal"}
        assert FULL.validate({"summary": "a" * 800}) == {}
        assert "limit is 800" in str(FULL.validate({"summary": "é" * 801})["summary"])

    @pytest.mark.parametrize("value", [42, ["text"], {"a": "b"}, True])
    def test_text_must_be_text(self, value):
        assert set(FULL.validate({"proposal": value})) == {"proposal"}

    def test_text_is_taken_as_sent_even_with_nul(self):
        """API.md: text answers are stored exactly as sent (only indicators refuse NUL)."""
        assert FULL.validate({"proposal": "a\x00b", "score_goals_how": {}}) == {}


class TestChoices:
    @pytest.mark.parametrize(("value", "ok"), [
        (["structural"], True), (["structural", "institutional"], True), ([NONE], True),
        ([NONE, "structural"], False), (["structural", "structural"], False), (["cosmic"], False),
        ("structural", False), ([1], False),
    ])
    def test_choices(self, value, ok):
        assert (FULL.validate({"inequity_levels": value}) == {}) is ok

    def test_none_with_others_says_why(self):
        message = str(FULL.validate({"score_goals": [NONE, "structural_equity_alignment"]})["score_goals"])
        assert "cannot be ticked together" in message

    def test_a_single_choice(self):
        exemption = form("exemption")
        assert exemption.validate({"exemption_category": "ceremonial"}) == {}
        for value in ("birthday", ["ceremonial"], None):
            assert bool(exemption.validate({"exemption_category": value})) is (value is not None)


class TestExplanations:
    def test_each_ticked_choice_is_explained(self):
        ticked = answers(score_goals=["structural_equity_alignment", "learning_that_drives_systems_change"],
                         score_goals_how={"structural_equity_alignment": "It changes a rule."})
        assert FULL.validate(ticked) == {}
        assert FULL.missing(ticked) == ["score_goals_how"]
        ticked["score_goals_how"]["learning_that_drives_systems_change"] = "   "
        assert FULL.missing(ticked) == ["score_goals_how"]
        ticked["score_goals_how"]["learning_that_drives_systems_change"] = "Staff learn from it."
        assert FULL.missing(ticked) == []

    def test_none_needs_its_reason(self):
        honest = answers(score_goals=[NONE], score_goals_how={})
        assert FULL.missing(honest) == ["score_goals_how"]
        honest["score_goals_how"] = {NONE: "It is a technical correction to a rate table."}
        assert FULL.validate(honest) == {} and FULL.missing(honest) == []

    def test_an_explanation_of_what_is_not_ticked_is_refused(self):
        wrong = answers(inequity_levels=["institutional"],
                        inequity_levels_how={"institutional": "A rule.", "structural": "Also."})
        assert "structural is not ticked" in str(FULL.validate(wrong)["inequity_levels_how"])

    @pytest.mark.parametrize("value", [["x"], "text", {"cosmic": "x"}, {"institutional": 5},
                                       {"institutional": "x" * 2_001}])
    def test_wrong_shapes(self, value):
        assert set(FULL.validate(answers(inequity_levels_how=value))) == {"inequity_levels_how"}

    def test_an_optional_section_still_owes_evidence_for_what_is_ticked(self):
        assert FULL.missing(answers(engagement_standards=None, engagement_evidence=None)) == []
        owed = answers(engagement_standards=["compensation"], engagement_evidence={})
        assert FULL.missing(owed) == ["engagement_evidence"]


class TestNumber:
    @pytest.mark.parametrize(("value", "ok"), [
        (0, True), (64, True), (1_000_000, True), (-1, False), (1_000_001, False), (True, False),
        (2.5, False), ("64", False)])
    def test_whole_numbers_only(self, value, ok):
        assert (FULL.validate({"engagement_participants": value}) == {}) is ok

    def test_zero_is_an_answer(self):
        assert FULL.section("engagement_participants").is_answered(0)


class TestIndicators:
    def test_a_list_of_complete_indicators(self):
        assert FULL.validate({"accountability": [indicator(), indicator(name="Languages")]}) == {}

    def test_at_least_one_on_a_full_statement(self):
        assert FULL.missing(answers(accountability=[])) == ["accountability"]
        assert form("short").missing({**form("short").example_answers(), "accountability": []}) == []

    @pytest.mark.parametrize(("value", "words"), [
        ("Enrollment", "list of indicators"),
        (["Enrollment"], "Indicator 1 must be an object"),
        ([indicator(), indicator(due="2027-02-30")], "Indicator 2: due must be a date"),
        ([indicator(due="2027-W01-1")], "due must be a date"),
        ([indicator(due="31/12/2027")], "due must be a date"),
        ([indicator(due=20271231)], "due must be a date"),
        ([indicator(name="  ")], "name must not be blank"),
        ([indicator(baseline="")], "baseline must not be blank"),
        ([indicator(name="x" * 201)], "limit is 200"),
        ([indicator(target="x" * 1_001)], "limit is 1,000"),
        ([indicator(target=3000)], "target must be text"),
        ([indicator(name="a\x00")], "NUL"),
        ([{"name": "x", "baseline": "y", "target": "z"}], "exactly name, baseline, target, due"),
        ([indicator(owner="ODE")], "not: owner"),
        ([indicator()] * (MAX_INDICATORS + 1), "at most 20"),
    ])
    def test_what_is_refused(self, value, words):
        assert words in str(FULL.validate({"accountability": value})["accountability"])


class TestForm:
    def test_unknown_sections_and_non_objects(self):
        assert str(FULL.validate({"colour": "blue"})["colour"]) == "This is an unknown section."
        assert set(FULL.validate([])) == {"answers"}
        assert set(form("exemption").validate({"proposal": "x"})) == {"proposal"}

    def test_messages_are_sentences(self):
        errors = FULL.validate({"inequity_levels": "structural", "proposal": 1, "nope": "x",
                                "accountability": [indicator(due="soon")]})
        assert len(errors) == 4 and all(str(m).rstrip().endswith(".") for m in errors.values())

    def test_carry_over_keeps_what_the_new_form_asks(self):
        full = answers()
        kept = form("short").carry_over(full)
        assert set(kept) == {"summary", "proposal", "impact_areas", "communities_affected",
                             "community_engagement", "engagement_levels", "engagement_levels_how",
                             "benefits_and_burdens", "accountability"}
        assert form("short").validate(kept) == {}
        assert form("exemption").carry_over(full) == {"summary": full["summary"]}

    def test_carry_over_drops_what_no_longer_fits(self):
        old = {"accountability": "Enrollment, reported each year.", "proposal": "Plant trees."}
        assert FULL.carry_over(old) == {"proposal": "Plant trees."}
        stale = {"engagement_levels": ["inform"], "engagement_levels_how": {"inform": "A mailer.",
                                                                            "consult": "Two sessions."}}
        assert FULL.carry_over(stale)["engagement_levels_how"] == {"inform": "A mailer."}

    def test_a_bad_definition_fails_at_import(self):
        good = Section("pick", "Pick", "Pick one.", "Pick one.", True, "choices", (Choice("a", "A"),),
                       example=["a"])
        with pytest.raises(ValueError, match="example"):
            Section("pick", "Pick", "Pick one.", "Pick one.", True, "choices", (Choice("a", "A"),),
                    example=["b"])
        with pytest.raises(ValueError, match="explain"):
            Form("f", "F", "F.", (Section("how", "How", "How?", "How.", True, "explanations",
                                          (Choice("b", "B"),), example={"b": "x"}, explains="pick"), good))
        with pytest.raises(ValueError, match="unique"):
            Form("f", "F", "F.", (good, good))


class TestLines:
    """How a choice, an explanation or an indicator reads as a line (public page, packet, review)."""

    def test_each_kind(self):
        assert FULL.section("score_goals").lines(["structural_equity_alignment", "none"]) == [
            "Structural Equity Alignment", "None of the SCORE goals"]
        assert FULL.section("score_goals_how").lines({"none": "A technical fix.", "x": " "}) == [
            "None: why not: A technical fix."]
        assert FULL.section("accountability").lines([indicator()]) == [
            "Households enrolled — baseline: None; target: 3,000; due 2027-12-31"]
        assert form("exemption").section("exemption_category").lines("ceremonial") == ["Ceremonial item"]

    def test_words_are_translated_values_are_not(self):
        spanish = {"%(name)s — baseline: %(baseline)s; target: %(target)s; due %(due)s":
                   "%(name)s — punto de partida: %(baseline)s; meta: %(target)s; fecha %(due)s"}
        assert FULL.section("accountability").lines([indicator()], lambda s: spanish.get(s, s)) == [
            "Households enrolled — punto de partida: None; meta: 3,000; fecha 2027-12-31"]

    def test_nothing_to_read(self):
        assert FULL.section("score_goals").lines(None) == []
        assert FULL.section("accountability").lines("x") == []
