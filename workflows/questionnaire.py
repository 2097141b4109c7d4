"""The questions a Racial Equity Impact and Sustainability Statement asks: every version, every form.

This module is the single place the layers ask about questions: the API lists
a form's sections (``GET /sections``), the web form is built from them, the
lifecycle asks ``missing`` before a ``submit``, and ``docs/QUESTIONS.md``
shows how they cover the GARE, Race Forward and SCORE frames. It is plain
Python with no Flask or SQLAlchemy, so every layer and the unit tests can
import it without an app, a request or a database.

Forms are data, not states: ``full``, ``short`` and ``exemption`` are three
question sets (``workflows.sections.Form``), chosen while the statement is a
draft; the lifecycle and the gate are the same for all three.

Versions: each statement records the ``questionnaire_version`` it was written
against, and keeps its questions when ODE changes them. A change to the
questions is a new entry in ``VERSIONS`` (old versions are never edited), and
new statements, and statements that switch form, take ``CURRENT_VERSION``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workflows import questions_v1, questions_v2
from workflows.i18n import Text
from workflows.screening import FormName
from workflows.sections import (
    KIND_CHOICE,
    KIND_CHOICES,
    KIND_EXPLANATIONS,
    KIND_INDICATORS,
    KIND_NUMBER,
    KIND_TEXT,
    KINDS,
    MAX_ANSWER_LENGTH,
    NONE,
    Choice,
    Form,
    Section,
)

__all__ = ["CURRENT_VERSION", "FORM_NAMES", "KINDS", "KIND_CHOICE", "KIND_CHOICES", "KIND_EXPLANATIONS",
           "KIND_INDICATORS", "KIND_NUMBER", "KIND_TEXT", "MAX_ANSWER_LENGTH", "NONE", "SECTIONS",
           "SECTION_KEYS", "TOOLKIT_MAP", "VERSIONS", "Choice", "Form", "FormName", "Questionnaire",
           "Section", "example_answers", "form", "get_section", "missing", "validate_answers"]


@dataclass(frozen=True)
class Questionnaire:
    version: int
    #: when the version was introduced (a City date), for people reading old statements
    introduced: str
    forms: Mapping[str, Form]
    #: form name -> section key -> the toolkit steps, questions and SCORE goals it serves
    toolkit: Mapping[str, Mapping[str, dict]]


VERSIONS: dict[int, Questionnaire] = {
    1: Questionnaire(1, "2026-11-25", {FormName.FULL: questions_v1.FULL},
                     {FormName.FULL: questions_v1.TOOLKIT_MAP}),
    2: Questionnaire(2, "2026-12-01", {FormName.FULL: questions_v2.FULL, FormName.SHORT: questions_v2.SHORT,
                                       FormName.EXEMPTION: questions_v2.EXEMPTION},
                     questions_v2.TOOLKIT_MAPS),
}
CURRENT_VERSION = max(VERSIONS)
FORM_NAMES: tuple[str, ...] = tuple(f.value for f in FormName)
for _q in VERSIONS.values():  # not assert: must hold under python -O too
    if set(_q.forms) - set(FORM_NAMES) or set(_q.toolkit) != set(_q.forms) or any(
            set(_q.toolkit[name]) != _q.forms[name].keys for name in _q.forms):
        raise ValueError(f"questionnaire version {_q.version}: every form needs one toolkit entry a section")
if set(VERSIONS[CURRENT_VERSION].forms) != set(FORM_NAMES):
    raise ValueError("the current questionnaire must offer every form")


def form(name: str = FormName.FULL, version: int = CURRENT_VERSION) -> Form:
    """The form ``name`` of questionnaire ``version``; KeyError if that version has no such form."""
    return VERSIONS[version].forms[name]


def version_for(name: str, current_form: str, current_version: int) -> int:
    """The version a statement is written against after choosing form ``name``: its own while it
    keeps its form, the current one when it switches (old versions may not have the new form)."""
    return current_version if name == current_form else CURRENT_VERSION


def example_answers(name: str = FormName.FULL, version: int = CURRENT_VERSION) -> dict[str, Any]:
    """A complete, valid statement of that form: every section's example."""
    return form(name, version).example_answers()


def validate_answers(answers: object, name: str = FormName.FULL,
                     version: int = CURRENT_VERSION) -> dict[str, Text]:
    """Problems with a whole ``answers`` object for that form, keyed by section; {} when valid."""
    return form(name, version).validate(answers)


def missing(answers: Mapping[str, Any] | None, name: str = FormName.FULL,
            version: int = CURRENT_VERSION) -> list[str]:
    """Keys of the form's sections still to answer before a submit, in the order they are asked."""
    return form(name, version).missing(answers)


# The current full statement, by the names the first version used.
SECTIONS: tuple[Section, ...] = form().sections
SECTION_KEYS: frozenset[str] = form().keys
TOOLKIT_MAP: Mapping[str, dict] = VERSIONS[CURRENT_VERSION].toolkit[FormName.FULL]


def get_section(key: str) -> Section:
    """The current full statement's section with this key; KeyError if there is none."""
    return form().section(key)


GARE_STEPS: dict[int, str] = {
    1: "Proposal and desired results",
    2: "Data",
    3: "Community engagement",
    4: "Analysis and strategies",
    5: "Implementation",
    6: "Accountability and communication",
}
RACE_FORWARD_QUESTIONS: dict[int, str] = {
    1: "Identifying stakeholders",
    2: "Engaging stakeholders",
    3: "Identifying and documenting inequities",
    4: "Examining the causes",
    5: "Clarifying the purpose",
    6: "Considering adverse impacts",
    7: "Advancing equitable impacts",
    8: "Examining alternatives or improvements",
    9: "Ensuring viability and sustainability",
    10: "Identifying success indicators",
}
