"""The statement's questions, version by version and form by form (workflows.questionnaire).

The required sections of each form are written out by hand from API.md ("Forms and
screening"), never computed from the code: if they disagree, a person decides which is
wrong. The kinds and their checks are in test_sections.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workflows import questionnaire as q
from workflows.questionnaire import CURRENT_VERSION, VERSIONS, form
from workflows.sections import KIND_CHOICE, KIND_CHOICES, KIND_EXPLANATIONS, KIND_TEXT, NONE

QUESTIONS_MD = Path(__file__).resolve().parents[3] / "docs" / "QUESTIONS.md"

SCORE_VALUES = {
    "structural_equity_alignment",
    "institutional_accountability_and_shared_governance",
    "equitable_city_community_partnership",
    "learning_that_drives_systems_change",
}
LEVEL_VALUES = {"structural", "institutional", "interpersonal", "individual"}

#: Every form of every version, and its sections in order: (key, required).
EXPECTED: dict[tuple[int, str], list[tuple[str, bool]]] = {
    (1, "full"): [
        ("proposal", True), ("score_goals", True), ("impact_areas", False), ("communities_affected", True),
        ("disparities_data", True), ("inequity_levels", True), ("root_causes", True),
        ("community_engagement", True), ("engagement_levels", True), ("engagement_standards", False),
        ("benefits_and_burdens", True), ("adverse_impacts", True), ("strategies", True),
        ("implementation", True), ("accountability", True), ("sustainability", True)],
    (2, "full"): [
        ("summary", True), ("proposal", True), ("score_goals", True), ("score_goals_how", True),
        ("impact_areas", False), ("communities_affected", True), ("disparities_data", True),
        ("inequity_levels", True), ("inequity_levels_how", True), ("root_causes", True),
        ("community_engagement", True), ("engagement_levels", True), ("engagement_levels_how", True),
        ("engagement_standards", False), ("engagement_evidence", False), ("engagement_participants", False),
        ("benefits_and_burdens", True), ("adverse_impacts", True), ("strategies", True),
        ("implementation", True), ("accountability", True), ("reporting_back", True),
        ("sustainability", True)],
    (2, "short"): [
        ("summary", True), ("proposal", True), ("impact_areas", False), ("communities_affected", True),
        ("community_engagement", True), ("engagement_levels", True), ("engagement_levels_how", True),
        ("benefits_and_burdens", True), ("accountability", False), ("short_form_reason", True)],
    (2, "exemption"): [("summary", True), ("exemption_category", True), ("exemption_reason", True)],
}
ALL_FORMS = [pytest.param(version, name, id=f"v{version}-{name}") for version, name in EXPECTED]
ALL_SECTIONS = [pytest.param(version, name, s, id=f"v{version}-{name}-{s.key}")
                for version, name in EXPECTED for s in form(name, version).sections]


class TestVersions:
    def test_every_version_and_form_is_expected(self):
        assert {(v, name) for v, questionnaire in VERSIONS.items() for name in questionnaire.forms} \
            == set(EXPECTED)
        assert CURRENT_VERSION == 2

    @pytest.mark.parametrize(("version", "name"), ALL_FORMS)
    def test_sections_and_what_is_required(self, version, name):
        assert [(s.key, s.required) for s in form(name, version).sections] == EXPECTED[(version, name)]

    @pytest.mark.parametrize(("version", "name"), ALL_FORMS)
    def test_nothing_answered_misses_every_required_section(self, version, name):
        required = [key for key, required in EXPECTED[(version, name)] if required]
        assert q.missing({}, name, version) == required

    @pytest.mark.parametrize("name", ["full", "short", "exemption"])
    def test_every_current_form_starts_with_a_summary_of_at_most_800_characters(self, name):
        summary = form(name).sections[0]
        assert (summary.key, summary.kind, summary.required) == ("summary", KIND_TEXT, True)
        assert summary.limit == 800

    def test_an_old_version_keeps_its_questions(self):
        """A version 1 statement is asked version 1's questions: accountability is still text there."""
        assert form("full", 1).section("accountability").kind == KIND_TEXT
        assert form("full", 2).section("accountability").kind == "indicators"
        old = {"accountability": "Enrollment, reported each year."}
        assert q.validate_answers(old, "full", 1) == {}
        assert set(q.validate_answers(old, "full", 2)) == {"accountability"}

    def test_version_one_has_no_short_form(self):
        with pytest.raises(KeyError):
            form("short", 1)

    @pytest.mark.parametrize(("current", "version", "chosen", "expected"), [
        ("full", 1, "full", 1), ("full", 1, "exemption", 2), ("exemption", 2, "full", 2),
        ("short", 2, "short", 2),
    ])
    def test_switching_form_moves_to_the_current_version(self, current, version, chosen, expected):
        assert q.version_for(chosen, current, version) == expected

    def test_the_compatibility_names_are_the_current_full_form(self):
        assert form("full").sections == q.SECTIONS
        assert q.get_section("summary") is form("full").section("summary")
        with pytest.raises(KeyError):
            q.get_section("no_such_section")


class TestSections:
    @pytest.mark.parametrize(("version", "name", "section"), ALL_SECTIONS)
    def test_words_are_there_and_translatable(self, version, name, section):
        words = [section.title, section.prompt, section.guidance, *(c.label for c in section.choices)]
        assert all(w.strip() for w in words), section.key
        # Jinja's gettext formats with %: a bare % in a marked string would break a page.
        assert not any("%" in w for w in words), section.key
        assert re.fullmatch(r"[a-z][a-z0-9_]*", section.key)

    @pytest.mark.parametrize(("version", "name", "section"), ALL_SECTIONS)
    def test_choices_exist_exactly_for_choice_kinds(self, version, name, section):
        has_choices = section.kind in (KIND_CHOICE, KIND_CHOICES, KIND_EXPLANATIONS)
        assert bool(section.choices) is has_choices
        assert len({c.value for c in section.choices}) == len(section.choices)

    @pytest.mark.parametrize(("version", "name", "section"), ALL_SECTIONS)
    def test_the_example_is_a_valid_answer(self, version, name, section):
        assert section.check(section.example) is None and section.is_answered(section.example)

    @pytest.mark.parametrize(("version", "name"), ALL_FORMS)
    def test_the_examples_make_a_complete_valid_statement(self, version, name):
        examples = q.example_answers(name, version)
        assert q.validate_answers(examples, name, version) == {}
        assert q.missing(examples, name, version) == []

    def test_score_goals_and_levels(self):
        assert {c.value for c in form("full", 1).section("score_goals").choices} == SCORE_VALUES
        assert {c.value for c in form("full", 1).section("inequity_levels").choices} == LEVEL_VALUES
        assert {c.value for c in form().section("score_goals").choices} == SCORE_VALUES | {NONE}
        assert {c.value for c in form().section("inequity_levels").choices} == LEVEL_VALUES | {NONE}
        assert {c.value for c in form().section("engagement_levels").choices} == {
            "inform", "consult", "involve", "collaborate", "empower", NONE}
        assert {c.value for c in form().section("engagement_standards").choices} == {
            "language_access", "accessibility", "timing", "compensation"}

    @pytest.mark.parametrize("key", ["score_goals", "inequity_levels", "engagement_levels"])
    def test_none_is_offered_alone_and_asks_why(self, key):
        section = form().section(key)
        none = [c for c in section.choices if c.exclusive]
        assert [c.value for c in none] == [NONE]
        explanation = form().section(f"{key}_how")
        assert explanation.explains == key and explanation.required
        assert {c.value for c in explanation.choices} == section.choice_values

    def test_engagement_evidence_names_what_each_standard_needs(self):
        evidence = form().section("engagement_evidence")
        assert evidence.explains == "engagement_standards"
        labels = {c.value: c.label for c in evidence.choices}
        assert labels == {"language_access": "Languages offered", "accessibility": "Accommodations provided",
                          "timing": "When, where, and how early", "compensation": "Compensation paid"}
        assert form().section("engagement_participants").kind == "number"

    def test_exemption_categories_are_the_screening_categories(self):
        from workflows.screening import CATEGORY_KEYS

        category = form("exemption").section("exemption_category")
        assert category.kind == KIND_CHOICE
        assert tuple(c.value for c in category.choices) == CATEGORY_KEYS == (
            "ceremonial", "minutes_procedural", "appointments", "receipt_of_reports", "other")

    def test_data_guidance_names_city_sources(self):
        guidance = form().section("disparities_data").guidance
        for source in ("Citywide Racial Equity Study", "SEED GIS", "equity indicators", "Budget Equity Tool"):
            assert source in guidance

    def test_to_dict_shape(self):
        data = form().section("score_goals_how").to_dict()
        assert set(data) == {"key", "title", "prompt", "guidance", "required", "kind", "choices", "example",
                             "max_length", "explains"}
        assert data["explains"] == "score_goals" and data["max_length"] == 2_000
        assert all(set(c) == {"value", "label", "exclusive"} for c in data["choices"])

    def test_to_dict_translates_words_never_values(self):
        data = form().section("score_goals").to_dict(lambda s: f"<{s}>")
        assert data["title"] == "<SCORE goals>"
        assert {c["value"] for c in data["choices"]} == SCORE_VALUES | {NONE}
        assert data["example"] == form().section("score_goals").example
        indicators = form().section("accountability").to_dict(lambda s: s.upper())["example"]
        assert indicators[0]["due"] == "2027-12-31" and indicators[0]["name"].isupper()


def _ints(cell: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", cell)]


#: Which table of docs/QUESTIONS.md shows which form: the "## " heading above it.
DOC_TABLES = {"The full form": (2, "full"), "The short form": (2, "short"),
              "The exemption request": (2, "exemption"), "Version 1": (1, "full")}


def _doc() -> tuple[dict[tuple[int, str], dict[str, dict]], dict[str, tuple[str, str]]]:
    forms: dict[tuple[int, str], dict[str, dict]] = {}
    screening: dict[str, tuple[str, str]] = {}
    heading = header = None
    for line in QUESTIONS_MD.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            heading = line[3:].strip()
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] == "key":
            header = cells
        if not cells[0].startswith("`"):
            continue
        if heading == "Screening" and header == ["key", "question", "backed by"]:
            screening[cells[0].strip("`")] = (cells[1], cells[2])
        elif heading in DOC_TABLES and len(cells) == 7:
            key, title, kind, required, gare, rf, score = cells
            forms.setdefault(DOC_TABLES[heading], {})[key.strip("`")] = {
                "title": title, "kind": kind, "required": required, "gare": _ints(gare),
                "race_forward": _ints(rf), "score": re.findall(r"`([a-z_]+)`", score)}
    return forms, screening


class TestToolkitMap:
    @pytest.mark.parametrize(("version", "name"), ALL_FORMS)
    def test_every_section_mapped(self, version, name):
        mapping = VERSIONS[version].toolkit[name]
        assert set(mapping) == form(name, version).keys
        for key, entry in mapping.items():
            assert set(entry) == {"gare", "race_forward", "score"}, key
            assert set(entry["score"]) <= SCORE_VALUES, key

    @pytest.mark.parametrize("version", [1, 2])
    def test_the_full_form_covers_every_step_question_and_goal(self, version):
        mapping = VERSIONS[version].toolkit["full"].values()
        assert {n for entry in mapping for n in entry["gare"]} == set(range(1, 7))
        assert {n for entry in mapping for n in entry["race_forward"]} == set(range(1, 11))
        assert {g for entry in mapping for g in entry["score"]} == SCORE_VALUES

    def test_the_short_form_covers_the_first_four_gare_steps(self):
        covered = {n for entry in VERSIONS[2].toolkit["short"].values() for n in entry["gare"]}
        assert covered >= {1, 2, 3, 4}


class TestQuestionsDoc:
    @pytest.mark.parametrize(("version", "name"), ALL_FORMS)
    def test_one_row_per_section_in_order(self, version, name):
        assert list(_doc()[0][(version, name)]) == [s.key for s in form(name, version).sections]

    @pytest.mark.parametrize(("version", "name", "section"), ALL_SECTIONS)
    def test_row_agrees_with_code(self, version, name, section):
        row = _doc()[0][(version, name)][section.key]
        assert (row["title"], row["kind"], row["required"]) == (
            section.title, section.kind, "yes" if section.required else "no")
        mapping = VERSIONS[version].toolkit[name][section.key]
        assert (row["gare"], row["race_forward"], row["score"]) == (
            mapping["gare"], mapping["race_forward"], mapping["score"])

    def test_the_screening_table_agrees_with_code(self):
        from workflows.screening import QUESTIONS

        assert _doc()[1] == {x.key: (x.question, ", ".join(x.sources)) for x in QUESTIONS}
        assert all(x.sources for x in QUESTIONS)
