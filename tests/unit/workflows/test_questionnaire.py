"""Unit tests for the statement's questions (workflows.questionnaire)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workflows import questionnaire as q
from workflows.questionnaire import (
    KIND_CHOICE,
    KIND_CHOICES,
    KIND_TEXT,
    MAX_ANSWER_LENGTH,
    SECTION_KEYS,
    SECTIONS,
    TOOLKIT_MAP,
    get_section,
    missing,
    validate_answers,
)

QUESTIONS_MD = Path(__file__).resolve().parents[3] / "docs" / "QUESTIONS.md"

SCORE_VALUES = {
    "structural_equity_alignment",
    "institutional_accountability_and_shared_governance",
    "equitable_city_community_partnership",
    "learning_that_drives_systems_change",
}
LEVEL_VALUES = {"structural", "institutional", "interpersonal", "individual"}


def full_answers() -> dict:
    """A valid answer for every section: the first choice, or some text."""
    answers: dict = {}
    for s in SECTIONS:
        if s.kind == KIND_TEXT:
            answers[s.key] = f"An answer for {s.title}."
        elif s.kind == KIND_CHOICE:
            answers[s.key] = s.choices[0].value
        else:
            answers[s.key] = [c.value for c in s.choices[:2]]
    return answers


def first_of_kind(kind: str) -> q.Section:
    return next(s for s in SECTIONS if s.kind == kind)


class TestSections:
    def test_keys_unique_and_match_section_keys(self):
        keys = [s.key for s in SECTIONS]
        assert len(keys) == len(set(keys))
        assert set(keys) == SECTION_KEYS

    def test_keys_are_snake_case(self):
        for s in SECTIONS:
            assert re.fullmatch(r"[a-z][a-z0-9_]*", s.key), s.key

    @pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.key)
    def test_text_fields_non_empty(self, section):
        for name in ("title", "prompt", "guidance"):
            assert getattr(section, name).strip(), f"{section.key}.{name} is blank"

    @pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.key)
    def test_choices_exist_exactly_for_choice_kinds(self, section):
        assert section.kind in {KIND_TEXT, KIND_CHOICE, KIND_CHOICES}
        if section.kind == KIND_TEXT:
            assert section.choices == ()
        else:
            assert section.choices
            values = [c.value for c in section.choices]
            assert len(values) == len(set(values))
            assert all(c.value and c.label for c in section.choices)

    def test_score_goals_are_the_four_goals(self):
        s = get_section("score_goals")
        assert s.kind == KIND_CHOICES
        assert {c.value for c in s.choices} == SCORE_VALUES

    def test_inequity_levels_are_the_four_levels(self):
        s = get_section("inequity_levels")
        assert s.kind == KIND_CHOICES
        assert {c.value for c in s.choices} == LEVEL_VALUES

    def test_engagement_choices(self):
        assert {c.value for c in get_section("engagement_levels").choices} == {
            "inform", "consult", "involve", "collaborate", "empower"}
        assert {c.value for c in get_section("engagement_standards").choices} == {
            "language_access", "accessibility", "timing", "compensation"}

    def test_required_topics_present(self):
        for key in ("proposal", "communities_affected", "disparities_data", "community_engagement",
                    "benefits_and_burdens", "adverse_impacts", "strategies", "implementation",
                    "accountability", "sustainability"):
            assert get_section(key).required, key

    def test_data_guidance_names_city_sources(self):
        guidance = get_section("disparities_data").guidance
        sources = (
            "Citywide Racial Equity Study", "SEED GIS", "equity indicators", "Budget Equity Tool",
        )
        for source in sources:
            assert source in guidance

    def test_get_section_unknown_raises(self):
        with pytest.raises(KeyError):
            get_section("no_such_section")

    def test_to_dict_shape(self):
        text = first_of_kind(KIND_TEXT).to_dict()
        assert set(text) == {"key", "title", "prompt", "guidance", "required", "kind", "choices"}
        assert text["choices"] == []
        multi = get_section("score_goals").to_dict()
        assert multi["kind"] == KIND_CHOICES
        assert {c["value"] for c in multi["choices"]} == SCORE_VALUES
        assert all(set(c) == {"value", "label"} for c in multi["choices"])

    @pytest.mark.parametrize("value, expected", [
        (None, False), ("", False), ("   \n\t", False), ([], False),
        ("x", True), (["structural"], True),
    ])
    def test_is_answered(self, value, expected):
        assert first_of_kind(KIND_TEXT).is_answered(value) is expected


class TestValidateAnswers:
    def test_full_valid_set(self):
        assert validate_answers(full_answers()) == {}

    def test_empty_and_none_values_are_valid(self):
        assert validate_answers({}) == {}
        assert validate_answers({s.key: None for s in SECTIONS}) == {}

    @pytest.mark.parametrize("answers", [None, [], "text", 3])
    def test_non_dict(self, answers):
        assert set(validate_answers(answers)) == {"answers"}

    def test_unknown_key(self):
        errors = validate_answers({**full_answers(), "favourite_colour": "blue"})
        assert set(errors) == {"favourite_colour"}
        assert "unknown section" in errors["favourite_colour"]

    def test_int_for_text(self):
        key = first_of_kind(KIND_TEXT).key
        assert set(validate_answers({key: 42})) == {key}

    def test_str_for_choices(self):
        errors = validate_answers({"score_goals": "structural_equity_alignment"})
        assert set(errors) == {"score_goals"}

    def test_non_str_inside_choices(self):
        assert set(validate_answers({"score_goals": [1]})) == {"score_goals"}

    def test_text_length_limit(self):
        key = first_of_kind(KIND_TEXT).key
        assert validate_answers({key: "a" * MAX_ANSWER_LENGTH}) == {}
        assert set(validate_answers({key: "a" * (MAX_ANSWER_LENGTH + 1)})) == {key}

    def test_invalid_choice_value(self):
        errors = validate_answers({"inequity_levels": ["structural", "cosmic"]})
        assert set(errors) == {"inequity_levels"}

    def test_duplicate_choices(self):
        errors = validate_answers({"inequity_levels": ["structural", "structural"]})
        assert set(errors) == {"inequity_levels"}

    def test_single_choice_kind(self, monkeypatch):
        # No built-in section is KIND_CHOICE today; check the rule on a stand-in.
        single = q.Section("pick_one", "Pick", "Pick one.", "Pick one.", True, KIND_CHOICE,
                           (q.Choice("a", "A"), q.Choice("b", "B")))
        monkeypatch.setitem(q._BY_KEY, single.key, single)
        assert validate_answers({"pick_one": "a"}) == {}
        assert set(validate_answers({"pick_one": "c"})) == {"pick_one"}
        assert set(validate_answers({"pick_one": ["a"]})) == {"pick_one"}

    def test_messages_are_sentences(self):
        errors = validate_answers({"inequity_levels": "structural", "proposal": 1, "nope": "x"})
        assert len(errors) == 3
        assert all(m.strip() and m.rstrip().endswith(".") for m in errors.values())


class TestMissing:
    def test_everything_answered(self):
        assert missing(full_answers()) == []

    def test_nothing_answered_lists_required_in_order(self):
        expected = [s.key for s in SECTIONS if s.required]
        assert missing({}) == expected

    def test_optional_sections_never_missing(self):
        optional = {s.key for s in SECTIONS if not s.required}
        assert optional and not optional & set(missing({}))

    def test_blank_values_count_as_missing(self):
        answers = full_answers()
        answers["proposal"] = "   "
        answers["score_goals"] = []
        answers["sustainability"] = None
        assert missing(answers) == ["proposal", "score_goals", "sustainability"]


def _ints(cell: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", cell)]


def _table_rows() -> dict[str, dict]:
    rows: dict[str, dict] = {}
    for line in QUESTIONS_MD.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 7 or not cells[0].startswith("`"):
            continue
        key, title, kind, required, gare, rf, score = cells
        rows[key.strip("`")] = {
            "title": title, "kind": kind, "required": required,
            "gare": _ints(gare), "race_forward": _ints(rf),
            "score": re.findall(r"`([a-z_]+)`", score),
        }
    return rows


class TestToolkitMap:
    def test_every_section_mapped(self):
        assert set(TOOLKIT_MAP) == SECTION_KEYS
        for key, entry in TOOLKIT_MAP.items():
            assert set(entry) == {"gare", "race_forward", "score"}, key
            assert set(entry["score"]) <= SCORE_VALUES, key

    def test_every_gare_step_covered(self):
        covered = {n for entry in TOOLKIT_MAP.values() for n in entry["gare"]}
        assert covered == set(range(1, 7))

    def test_every_race_forward_question_covered(self):
        covered = {n for entry in TOOLKIT_MAP.values() for n in entry["race_forward"]}
        assert covered == set(range(1, 11))

    def test_every_score_goal_covered(self):
        covered = {g for entry in TOOLKIT_MAP.values() for g in entry["score"]}
        assert covered == SCORE_VALUES


class TestQuestionsDoc:
    def test_mentions_every_section_key(self):
        text = QUESTIONS_MD.read_text(encoding="utf-8")
        for key in SECTION_KEYS:
            assert f"`{key}`" in text, key

    def test_table_has_one_row_per_section_in_order(self):
        assert list(_table_rows()) == [s.key for s in SECTIONS]

    @pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.key)
    def test_row_agrees_with_code(self, section):
        row = _table_rows()[section.key]
        assert row["title"] == section.title
        assert row["kind"] == section.kind
        assert row["required"] == ("yes" if section.required else "no")
        mapping = TOOLKIT_MAP[section.key]
        assert row["gare"] == mapping["gare"]
        assert row["race_forward"] == mapping["race_forward"]
        assert row["score"] == mapping["score"]
