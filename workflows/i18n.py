"""Marking the rules' words for translation, without Flask.

``workflows/`` stays pure Python, yet the questionnaire, the screening
questions and the exemption categories are words people read. They are
written once, in English, wrapped in ``N_()``: the marker changes nothing at
run time, and lets the message extractor find them (``pybabel extract -k N_``).
The app translates them when it shows them (``gettext`` at display time), so a
language without a translation shows the English.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeAlias


def N_(message: str) -> str:
    """Mark ``message`` for extraction; return it unchanged."""
    return message


# -- a message to translate later ----------------------------------------------

#: what a ``Text`` parameter may be: words that are not translated (a file ID, a
#: number), a date (written in the reader's language), or another ``Text``
Param: TypeAlias = "str | int | date | Text"


@dataclass(frozen=True)
class Text:
    """A sentence marked with ``N_`` and its named parameters, translated by the app.

    ``workflows/`` builds it without knowing who will read it; the app
    translates ``msgid`` when it writes the mail or the page, formats the
    dates and translates the nested ``Text`` parameters the same way. So a
    translator sees whole sentences with ``%(name)s`` placeholders, which they
    may put in any order.
    """

    msgid: str
    params: Mapping[str, Param] = field(default_factory=dict)

    def render(self, translate: Callable[[str], str], day: Callable[[date], str],
               number: Callable[[int], str] = str) -> str:
        """The sentence, with ``translate`` for the words, ``day`` for the dates and ``number``
        for the whole numbers."""
        values = {k: _value(v, translate, day, number) for k, v in self.params.items()}
        return translate(self.msgid) % values if values else translate(self.msgid)

    def english(self) -> str:
        """The source-language sentence (logs, tests, and readers with no language)."""
        return self.render(lambda s: s, english_date, "{:,}".format)

    def __str__(self) -> str:
        return self.english()


def _value(v: Param, translate: Callable[[str], str], day: Callable[[date], str],
           number: Callable[[int], str]) -> str:
    if isinstance(v, Text):
        return v.render(translate, day, number)
    if isinstance(v, date):
        return day(v)
    if isinstance(v, int):
        return number(v)
    return v


def english_date(d: date) -> str:
    """ "Tue Dec 1, 2026": the short English date of the rules' messages."""
    return f"{d:%a %b} {d.day}, {d.year}"


def joined(parts: Sequence[Text]) -> Text:
    """``a``, ``a and b``, ``a and b and c``: parts joined by a translated "and"."""
    if not parts:
        raise ValueError("nothing to join")
    out = parts[0]
    for p in parts[1:]:
        out = Text(N_("%(first)s and %(second)s"), {"first": out, "second": p})
    return out
