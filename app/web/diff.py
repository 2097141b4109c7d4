"""What changed in the answers between two submissions, for reviewers.

Text answers are compared word by word (``difflib.SequenceMatcher`` on words,
each with the spaces that follow it), so a reviewer sees the sentence with the
removed words struck through and the new ones underlined, rather than two
walls of text. Choice answers list what was added and what was removed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import gettext

from workflows.questionnaire import KIND_CHOICE, KIND_TEXT, Section

_TOKENS = re.compile(r"\s+|\S+\s*")  # a word with the spaces after it: changes read as phrases


@dataclass
class SectionChange:
    section: Section
    segments: list[tuple[str, str]] = field(default_factory=list)  # (equal|delete|insert, text)
    added: list[str] = field(default_factory=list)  # choice labels
    removed: list[str] = field(default_factory=list)


def words(old: str, new: str) -> list[tuple[str, str]]:
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    segments: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(("equal", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            segments.append(("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(("insert", "".join(b[j1:j2])))
    return segments


def changes(old: dict, new: dict, sections: Sequence[Section]) -> list[SectionChange]:
    """One entry per section (of the statement's form) whose answer differs, in the order asked.

    Text is compared word by word; choices, explanations and indicators list what was added and
    what was removed (an explanation or an indicator that changed is both)."""
    found = []
    for section in sections:
        before, after = old.get(section.key), new.get(section.key)
        if before == after:
            continue
        change = SectionChange(section)
        if section.kind == KIND_TEXT and isinstance(before or "", str) and isinstance(after or "", str):
            change.segments = words(before or "", after or "")
        else:
            b, a = _lines(section, before), _lines(section, after)
            change.added = [line for line in a if line not in b]
            change.removed = [line for line in b if line not in a]
        found.append(change)
    return found


def _lines(section: Section, value) -> list[str]:
    """An answer as the lines a reviewer compares, in the reviewer's language."""
    if isinstance(value, (int, str)) and section.kind != KIND_CHOICE:
        return [str(value)] if value != "" else []
    return section.lines(value, gettext)
