"""A complete set of answers to the questionnaire: the tests' factories and the
benchmarks' seeds fill statements with it (one definition, so that when the
questions change, every complete statement changes with them)."""

from __future__ import annotations

from workflows.questionnaire import KIND_CHOICE, KIND_CHOICES, SECTIONS


def complete_answers(text: str = "Answer to {title}.") -> dict[str, object]:
    """Every section answered: the first choice, or ``text`` with the section's title."""
    answers: dict[str, object] = {}
    for s in SECTIONS:
        if s.kind == KIND_CHOICES:
            answers[s.key] = [s.choices[0].value]
        elif s.kind == KIND_CHOICE:
            answers[s.key] = s.choices[0].value
        else:
            answers[s.key] = text.format(title=s.title)
    return answers
