"""The app's side of ``workflows.i18n.Text``: a rule's sentence in the reader's language.

``workflows/`` returns sentences marked with ``N_`` and their parameters; this
translates them with the catalogue of the language being written (a request's,
or a ``force_locale`` block's, as for a mail), dates included. Nested sentences
are translated the same way, so no English is left inside a translated one.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from babel.dates import format_skeleton
from babel.numbers import format_decimal
from flask_babel import get_translations

from app.languages import current
from workflows.i18n import Text


def translated(text: Text) -> str:
    """``text`` in the current language (English where a translation is missing)."""
    # the catalogue once per sentence (not per word, as gettext would): a sweep writes hundreds;
    # the words without their parameters, which Text.render fills in
    words = get_translations().gettext
    return text.render(lambda msgid: words(msgid) if msgid else msgid, _day, _number)


def _day(d: date) -> str:
    """ "Tue, Dec 1, 2026" (es: "mar, 1 dic 2026"): a date inside a sentence."""
    return _day_in(current().locale, d)


@lru_cache(maxsize=2048)
def _day_in(locale: str, d: date) -> str:
    # a sweep writes the same few dates hundreds of times; Babel's formatting is the slow part
    return format_skeleton("yMMMEd", d, locale=locale)


def _number(n: int) -> str:
    return format_decimal(n, locale=current().locale)

