"""English and Spanish: the signed-in person's choice (``User.language``),
else the session's, else the browser's preference."""

from __future__ import annotations

from flask import Flask, request, session
from flask_babel import Babel
from flask_login import current_user

LANGUAGES = {"en": "English", "es": "Español"}
DEFAULT = "en"

babel = Babel()


def select_locale() -> str:
    if current_user and current_user.is_authenticated and current_user.user.language in LANGUAGES:
        return current_user.user.language
    chosen = session.get("language")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", app.config["REIS_TIMEZONE"])
    babel.init_app(app, locale_selector=select_locale)
