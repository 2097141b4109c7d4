"""The building blocks of a questionnaire: sections of a few kinds, and the forms made of them.

A ``Section`` is one question with the kind of answer it takes; a ``Form`` is
an ordered set of sections that is asked and checked as a whole (``full``,
``short`` and ``exemption`` are three forms, see ``workflows.questionnaire``).
Everything here is data and pure checks: the API lists the sections, the web
form is built from them, and the lifecycle asks ``Form.missing`` before a
``submit``. A malformed definition (an example that is not a valid answer, an
explanation of a section the form does not have) fails at import time.

The kinds and their answers (JSON):

* ``text``: a string (at most ``max_length`` characters);
* ``choice``: one choice value; ``choices``: a list of values, no repeats,
  and an ``exclusive`` choice ("none of these") only on its own;
* ``explanations``: ``{choice value: short text}`` for the choices ticked in
  the section it ``explains`` ("say how", "give the evidence");
* ``number``: a whole number from 0 to 1,000,000;
* ``indicators``: a list of ``{"name", "baseline", "target", "due"}``, ``due`` a
  date (``YYYY-MM-DD``): the success indicators a department reports back on.

Text is stored exactly as sent (API.md), NUL included; an indicator's fields are
not, because each indicator becomes a report-back whose fields are columns, and
PostgreSQL text cannot hold NUL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from workflows.i18n import N_, Text

KIND_TEXT = "text"
KIND_CHOICE = "choice"
KIND_CHOICES = "choices"
KIND_EXPLANATIONS = "explanations"
KIND_NUMBER = "number"
KIND_INDICATORS = "indicators"
KINDS = frozenset({KIND_TEXT, KIND_CHOICE, KIND_CHOICES, KIND_EXPLANATIONS, KIND_NUMBER, KIND_INDICATORS})
_WITH_CHOICES = frozenset({KIND_CHOICE, KIND_CHOICES, KIND_EXPLANATIONS})

MAX_ANSWER_LENGTH = 20_000
MAX_EXPLANATION_LENGTH = 2_000
MAX_NUMBER = 1_000_000
MAX_INDICATORS = 20
INDICATOR_FIELDS = ("name", "baseline", "target", "due")
INDICATOR_LIMITS = {"name": 200, "baseline": 1_000, "target": 1_000}
#: the value of a "none of these" choice, where a section offers one
NONE = "none"

#: how an indicator and an explanation read as a line (named placeholders, for translation)
INDICATOR_LINE = N_("%(name)s — baseline: %(baseline)s; target: %(target)s; due %(due)s")
EXPLANATION_LINE = N_("%(label)s: %(text)s")

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    #: ticking it rules out every other choice (an honest "none of these")
    exclusive: bool = False


def choices(*pairs: tuple[str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(value, label) for value, label in pairs)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    prompt: str
    guidance: str
    required: bool
    kind: str
    choices: tuple[Choice, ...] = ()
    #: a valid answer of this kind, shown to people and clients as "what an answer looks like"
    example: Any = field(default=None, compare=False)
    #: the longest text answer (text: 20,000; explanations: 2,000 per choice)
    max_length: int | None = None
    #: explanations only: the key of the choices section whose ticked choices this explains
    explains: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"section {self.key!r}: unknown kind {self.kind!r}")
        if (self.kind in _WITH_CHOICES) != bool(self.choices):
            raise ValueError(f"section {self.key!r}: choices are required exactly for choice kinds")
        if (self.kind == KIND_EXPLANATIONS) != (self.explains is not None):
            raise ValueError(f"section {self.key!r}: explanations name the section they explain")
        values = [c.value for c in self.choices]
        if len(values) != len(set(values)):
            raise ValueError(f"section {self.key!r}: duplicate choice values")
        problem = self.check(self.example) if self.example is not None else Text("there is none")
        if problem or not self.is_answered(self.example):
            raise ValueError(f"section {self.key!r}: its example is not a valid answer ({problem})")

    @property
    def choice_values(self) -> frozenset[str]:
        return frozenset(c.value for c in self.choices)

    @property
    def limit(self) -> int | None:
        """The longest text this section takes (per explanation, for explanations)."""
        if self.max_length is not None:
            return self.max_length
        return {KIND_TEXT: MAX_ANSWER_LENGTH, KIND_EXPLANATIONS: MAX_EXPLANATION_LENGTH}.get(self.kind)

    def label(self, value: str) -> str:
        return next((c.label for c in self.choices if c.value == value), value)

    def to_dict(self, translate: Callable[[str], str] = str) -> dict:
        """The section as the API lists it; ``translate`` turns each marked string into the
        reader's language (the identity by default)."""
        return {
            "key": self.key, "title": translate(self.title), "prompt": translate(self.prompt),
            "guidance": translate(self.guidance), "required": self.required, "kind": self.kind,
            "choices": [{"value": c.value, "label": translate(c.label), "exclusive": c.exclusive}
                        for c in self.choices],
            "example": self.example_in(translate), "max_length": self.limit, "explains": self.explains,
        }

    def example_in(self, translate: Callable[[str], str] = str) -> Any:
        """The example with its words in the reader's language (choice values never change)."""
        value = self.example
        if self.kind == KIND_TEXT:
            return translate(value)
        if self.kind == KIND_EXPLANATIONS:
            return {k: translate(v) for k, v in value.items()}
        if self.kind == KIND_INDICATORS:
            return [{k: (v if k == "due" else translate(v)) for k, v in row.items()} for row in value]
        return value

    def lines(self, value: object, translate: Callable[[str], str] = str) -> list[str]:
        """A choice, choices, explanations or indicators answer as the lines a person reads:
        choices by their labels (never their codes), each explanation and indicator a line."""
        if isinstance(value, str) and self.kind == KIND_CHOICE:
            return [translate(self.label(value))]
        if isinstance(value, dict):
            return [translate(EXPLANATION_LINE) % {"label": translate(self.label(k)), "text": v}
                    for k, v in value.items() if isinstance(v, str) and v.strip()]
        if not isinstance(value, list):
            return []
        if self.kind == KIND_INDICATORS:
            return [translate(INDICATOR_LINE) % {k: row.get(k) for k in INDICATOR_FIELDS}
                    for row in value if isinstance(row, dict)]
        return [translate(self.label(v)) for v in value if isinstance(v, str)]

    def is_answered(self, value: object) -> bool:
        """None, a blank string, an empty list or object all mean "not yet answered"."""
        if value is None:
            return False
        if isinstance(value, str):
            return bool(value.strip())
        if isinstance(value, (list, tuple, set, frozenset, dict)):
            return bool(value)
        return True

    def check(self, value: object) -> Text | None:
        """A sentence saying what is wrong with one answer on its own, or None."""
        if value is None:
            return None
        return _CHECKS[self.kind](self, value)


_THIS_ANSWER = Text(N_("This answer"))


def _text(value: object, limit: int, what: Text = _THIS_ANSWER, nul: bool = True) -> Text | None:
    if not isinstance(value, str):
        return Text(N_("%(what)s must be text."), {"what": what})
    if not nul and "\x00" in value:
        return Text(N_("%(what)s must not contain the NUL character (U+0000)."), {"what": what})
    if len(value) > limit:
        return Text(N_("%(what)s is %(length)s characters long; the limit is %(limit)s."),
                    {"what": what, "length": len(value), "limit": limit})
    return None


def _check_text(section: Section, value: object) -> Text | None:
    return _text(value, section.limit or MAX_ANSWER_LENGTH)


def _allowed(section: Section) -> str:
    return ", ".join(c.value for c in section.choices)


def _check_choice(section: Section, value: object) -> Text | None:
    if not isinstance(value, str) or value not in section.choice_values:
        return Text(N_("Choose one of: %(allowed)s."), {"allowed": _allowed(section)})
    return None


def _check_choices(section: Section, value: object) -> Text | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return Text(N_("This answer must be a list of choices."))
    unknown = [v for v in value if v not in section.choice_values]
    if unknown:
        return Text(N_("%(unknown)s is not a valid choice; choose from: %(allowed)s."),
                    {"unknown": ", ".join(unknown), "allowed": _allowed(section)})
    if len(value) != len(set(value)):
        return Text(N_("Each choice may be given only once."))
    exclusive = [c for c in section.choices if c.exclusive and c.value in value]
    if exclusive and len(value) > 1:
        return Text(N_("“%(choice)s” cannot be ticked together with other choices."),
                    {"choice": Text(exclusive[0].label)})
    return None


def _check_explanations(section: Section, value: object) -> Text | None:
    if not isinstance(value, dict):
        return Text(N_("This answer must be an object: a short text for each choice ticked."))
    for key, text in value.items():
        if key not in section.choice_values:
            return Text(N_("%(key)s is not a choice to explain; explain one of: %(allowed)s."),
                        {"key": str(key), "allowed": _allowed(section)})
        problem = _text(text, section.limit or MAX_EXPLANATION_LENGTH,
                        Text(N_("The explanation of %(key)s"), {"key": key}))
        if problem:
            return problem
    return None


def _check_number(section: Section, value: object) -> Text | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_NUMBER:
        return Text(N_("This answer must be a whole number from 0 to %(max)s."), {"max": MAX_NUMBER})
    return None


def _check_indicator(row: object, n: int) -> Text | None:
    fields = ", ".join(INDICATOR_FIELDS)
    if not isinstance(row, dict):
        return Text(N_("Indicator %(n)s must be an object with %(fields)s."), {"n": n, "fields": fields})
    if set(row) != set(INDICATOR_FIELDS):
        wrong = ", ".join(str(k) for k in sorted(set(row) ^ set(INDICATOR_FIELDS), key=str))
        return Text(N_("Indicator %(n)s must have exactly %(fields)s (not: %(wrong)s)."),
                    {"n": n, "fields": fields, "wrong": wrong})
    for name, limit in INDICATOR_LIMITS.items():
        problem = _text(row[name], limit, Text(N_("Indicator %(n)s: %(field)s"), {"n": n, "field": name}),
                        nul=False)
        if problem:
            return problem
        if not row[name].strip():
            return Text(N_("Indicator %(n)s: %(field)s must not be blank."), {"n": n, "field": name})
    due = row["due"]
    if not isinstance(due, str) or not _ISO_DATE.fullmatch(due) or not _is_date(due):
        return Text(N_("Indicator %(n)s: due must be a date, YYYY-MM-DD."), {"n": n})
    return None


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _check_indicators(section: Section, value: object) -> Text | None:
    if not isinstance(value, list):
        return Text(N_("This answer must be a list of indicators."))
    if len(value) > MAX_INDICATORS:
        return Text(N_("Give at most %(max)s indicators."), {"max": MAX_INDICATORS})
    return next(filter(None, (_check_indicator(row, n) for n, row in enumerate(value, start=1))), None)


_CHECKS: Mapping[str, Callable[[Section, object], Text | None]] = {
    KIND_TEXT: _check_text, KIND_CHOICE: _check_choice, KIND_CHOICES: _check_choices,
    KIND_EXPLANATIONS: _check_explanations, KIND_NUMBER: _check_number, KIND_INDICATORS: _check_indicators,
}


@dataclass(frozen=True)
class Form:
    """The sections one kind of statement asks, in order, checked as a whole."""

    name: str
    title: str
    description: str
    sections: tuple[Section, ...]
    _by_key: dict[str, Section] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_key = {s.key: s for s in self.sections}
        if len(by_key) != len(self.sections):
            raise ValueError(f"form {self.name!r}: section keys must be unique")
        object.__setattr__(self, "_by_key", by_key)
        for s in self.sections:
            if s.kind != KIND_EXPLANATIONS:
                continue
            explained = by_key.get(s.explains or "")
            if explained is None or explained.kind != KIND_CHOICES \
                    or explained.choice_values != s.choice_values:
                raise ValueError(f"form {self.name!r}: {s.key!r} must explain a choices section of the "
                                 "form, choice for choice")
        examples = self.example_answers()
        if self.validate(examples) or self.missing(examples):
            raise ValueError(f"form {self.name!r}: the examples together are not a complete, valid "
                             f"statement: {self.validate(examples) or self.missing(examples)}")

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(self._by_key)

    def section(self, key: str) -> Section:
        """The section with this key; KeyError if the form has none."""
        return self._by_key[key]

    def example_answers(self) -> dict[str, Any]:
        """Every section's example: a complete statement of this form."""
        return {s.key: s.example for s in self.sections}

    def ticked(self, key: str, answers: Mapping[str, Any]) -> list[str]:
        value = answers.get(key)
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

    def validate(self, answers: object) -> dict[str, Text]:
        """Problems with a whole ``answers`` object, keyed by section; {} when valid.

        Completeness is not checked here (a draft may be partial); see ``missing``.
        """
        if not isinstance(answers, dict):
            return {"answers": Text(N_("Answers must be an object keyed by section."))}
        errors: dict[str, Text] = {}
        for key, value in answers.items():
            section = self._by_key.get(key) if isinstance(key, str) else None
            if section is None:
                errors[str(key)] = Text(N_("This is an unknown section."))
                continue
            problem = section.check(value)
            # (a section explains another exactly when it is of the explanations kind)
            if problem is None and section.explains is not None and value:
                extra = [k for k in value if k not in self.ticked(section.explains, answers)]
                if extra:
                    problem = Text(N_("Explain only what is ticked in “%(section)s”: %(extra)s is not "
                                      "ticked."), {"section": Text(self.section(section.explains).title),
                                                  "extra": ", ".join(extra)})
            if problem:
                errors[key] = problem
        return errors

    def is_complete(self, section: Section, answers: Mapping[str, Any]) -> bool:
        """Is this section answered as the form requires? Explanations are owed for every choice
        ticked in the section they explain, whether or not the explanation is itself required."""
        value = answers.get(section.key)
        if section.explains is not None:  # the explanations kind
            ticked = self.ticked(section.explains, answers)
            if not ticked:
                return not section.required
            return isinstance(value, dict) and all(
                isinstance(value.get(v), str) and value[v].strip() for v in ticked)
        return not section.required or section.is_answered(value)

    def missing(self, answers: Mapping[str, Any] | None) -> list[str]:
        """Keys of the sections still to answer before a submit, in the order they are asked."""
        answers = answers or {}
        return [s.key for s in self.sections if not self.is_complete(s, answers)]

    def carry_over(self, answers: Mapping[str, Any] | None) -> dict[str, Any]:
        """The answers this form keeps when a statement switches to it: those to its own
        sections that are valid here (explanations only of what is still ticked)."""
        answers = answers or {}
        kept = {k: v for k, v in answers.items() if k in self._by_key and self.section(k).check(v) is None}
        for s in self.sections:
            if s.explains is not None and isinstance(kept.get(s.key), dict):  # explanations
                ticked = self.ticked(s.explains, kept)
                kept[s.key] = {k: v for k, v in kept[s.key].items() if k in ticked}
        return kept
