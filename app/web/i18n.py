"""The language of pages: the signed-in person's choice (``User.language``),
else the session's, else the browser's preference.

``Language`` (``app/models/user.py``) is the one list of languages; the
pages offer those this installation can serve, English and each one with a
compiled catalogue in ``app/translations/``.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, request, session
from flask_babel import Babel
from flask_login import current_user

from app.models.user import Language

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
DEFAULT = Language.EN


def served() -> dict[Language, str]:
    """The languages with a catalogue (and English, the source), each with its own name."""
    return {lang: lang.label for lang in Language
            if lang is DEFAULT or (TRANSLATIONS / lang.locale / "LC_MESSAGES" / "messages.mo").is_file()}


LANGUAGES = served()

babel = Babel()


def select_locale() -> str:
    if current_user and current_user.is_authenticated and current_user.user.language in LANGUAGES:
        return str(current_user.user.language)
    chosen = session.get("language")
    if chosen in LANGUAGES:
        return str(chosen)
    return request.accept_languages.best_match([str(lang) for lang in LANGUAGES]) or DEFAULT.value


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT.value)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", app.config["REIS_TIMEZONE"])
    babel.init_app(app, locale_selector=select_locale)
