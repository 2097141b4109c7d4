"""What changed in the answers between two submissions, for reviewers.

Text answers are compared word by word (``difflib.SequenceMatcher`` on words,
each with the spaces that follow it), so a reviewer sees the sentence with the
removed words struck through and the new ones underlined, rather than two
walls of text. Choice answers list what was added and what was removed.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from workflows.questionnaire import KIND_TEXT, SECTIONS, Section

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


def changes(old: dict, new: dict) -> list[SectionChange]:
    """One entry per section whose answer differs, in questionnaire order."""
    found = []
    for section in SECTIONS:
        before, after = old.get(section.key), new.get(section.key)
        if before == after:
            continue
        change = SectionChange(section)
        if section.kind == KIND_TEXT:
            change.segments = words(before or "", after or "")
        else:
            labels = {c.value: c.label for c in section.choices}
            as_list = lambda v: v if isinstance(v, list) else ([v] if v else [])  # noqa: E731
            b, a = as_list(before), as_list(after)
            change.added = [labels.get(v, v) for v in a if v not in b]
            change.removed = [labels.get(v, v) for v in b if v not in a]
        found.append(change)
    return found
