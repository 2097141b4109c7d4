"""The app's side of ``workflows.i18n.Text``: a rule's sentence in the reader's language.

``workflows/`` returns sentences marked with ``N_`` and their parameters; this
translates them with the catalogue of the language being written (a request's,
or a ``force_locale`` block's, as for a mail), dates included. Nested sentences
are translated the same way, so no English is left inside a translated one.
"""

from __future__ import annotations

from babel.numbers import format_decimal
from flask_babel import gettext

from app.dates import short_date
from app.languages import current
from workflows.i18n import Text


def _word(msgid: str) -> str:
    # gettext without parameters: the %(name)s placeholders are filled by Text.render
    return gettext(msgid) if msgid else msgid


def translated(text: Text) -> str:
    """``text`` in the current language (English where a translation is missing)."""
    return text.render(_word, short_date, _number)


def _number(n: int) -> str:
    return format_decimal(n, locale=current().locale)


def spoken(value: str | Text) -> str:
    """A message in the current language: a ``Text`` translated with its parameters, a string
    marked with ``N_`` (or one written already) looked up in the catalogue."""
    return translated(value) if isinstance(value, Text) else gettext(value) if value else value
