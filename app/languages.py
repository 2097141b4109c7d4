"""Which language a page, a mail or an API message speaks.

The order (API.md, "Languages"): on the public pages and the packet an
explicit ``?lang=`` first (it is also remembered for the visit); then the
signed-in person's choice (``User.language``); then the visit's choice (the
switcher on the sign-in page); then the browser's ``Accept-Language``; then
English. The API's error ``message``s follow ``Accept-Language`` alone (a
client asks for the language of each answer; the codes never change).

``Language`` (``app/models/user.py``) is the one list of languages; the
pages offer those this installation can serve, English and each one with a
compiled catalogue in ``app/translations/`` (adding one: docs/LANGUAGES.md).

Two spellings of one language: BCP 47 tags (``zh-Hant``) in ``lang``
attributes, mail headers and the API; Babel's (``zh_Hant``) for catalogues
and formatting. :func:`current` gives the ``Language``; ``.value`` and
``.locale`` the two spellings.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, Response, g, has_request_context, request, session
from flask_babel import Babel, get_locale, gettext
from flask_login import current_user

from app.models.user import Language

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
DEFAULT = Language.EN
#: Blueprints whose pages take ``?lang=`` (the public pages and the packet).
LANG_PARAMETER_BLUEPRINTS = frozenset({"public", "packets"})
#: Regions whose Chinese is written in Traditional characters.
_TRADITIONAL_REGIONS = frozenset({"tw", "hk", "mo"})


def served() -> dict[Language, str]:
    """The languages with a catalogue (and English, the source), each with its own name."""
    return {lang: lang.label for lang in Language
            if lang is DEFAULT or (TRANSLATIONS / lang.locale / "LC_MESSAGES" / "messages.mo").is_file()}


LANGUAGES = served()

babel = Babel()


def language_of(tag: str | None) -> Language | None:
    """The served language a tag names, as browsers and people write it: ``es-MX`` is Spanish,
    ``zh-TW``, ``zh-Hant-HK`` and ``zh_Hant`` Traditional Chinese (``zh-CN`` is not)."""
    if not tag or not isinstance(tag, str):
        return None
    parts = tag.strip().replace("_", "-").lower().split("-")
    if parts[0] == "zh":
        traditional = "hant" in parts[1:] or bool(_TRADITIONAL_REGIONS.intersection(parts[1:]))
        found = Language.ZH_HANT if traditional else None
    else:
        found = next((lang for lang in Language if lang.value == parts[0]), None)
    return found if found in LANGUAGES else None


def from_browser() -> Language | None:
    """The first language of ``Accept-Language`` (in the browser's order of preference) we serve."""
    for tag, _quality in request.accept_languages:
        found = language_of(tag)
        if found is not None:
            return found
    return None


def requested() -> Language | None:
    """``?lang=`` on a page that takes it."""
    if request.blueprint in LANG_PARAMETER_BLUEPRINTS:
        return language_of(request.args.get("lang"))
    return None


def choose() -> Language:
    if not has_request_context():
        return DEFAULT  # a command or a worker: ``force_locale`` says otherwise
    if request.path == "/api" or request.path.startswith("/api/"):
        return from_browser() or DEFAULT
    asked = requested()
    if asked is not None:
        session["language"] = asked.value
        return asked
    if current_user and current_user.is_authenticated:
        mine = language_of(current_user.user.language)
        if mine is not None:
            return mine
    return language_of(session.get("language")) or from_browser() or DEFAULT


def select_locale() -> str:
    return choose().locale


def current() -> Language:
    """The language of what is being written now (a request, or a ``force_locale`` block)."""
    locale = get_locale()
    return language_of(str(locale)) or DEFAULT if locale is not None else DEFAULT


def said(refusal) -> str:
    """A lifecycle refusal (``workflows.statement.Refusal``) in the reader's language: its
    words, and the words it names (a state, an event)."""
    if refusal.template is None:
        return gettext(refusal.message)
    return gettext(refusal.template, **{k: gettext(v) if isinstance(v, str) else v
                                        for k, v in refusal.params.items()})


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT.value)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", app.config["REIS_TIMEZONE"])
    babel.init_app(app, locale_selector=select_locale)
    app.context_processor(_template_helpers)
    app.add_template_filter(said, "said")
    app.after_request(_vary)


def _vary(response: Response) -> Response:
    """A response written in a negotiated language differs by the browser's language and by the
    visit's choice (a cookie): say so, so a shared cache never serves one reader another's."""
    babel_state = g.get("_flask_babel")
    if babel_state is not None and getattr(babel_state, "babel_locale", None) is not None:
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
    return response


def _template_helpers() -> dict:
    """For every template (pages, public pages, mail): the ``lang`` tag and the languages to offer."""
    return {"locale_code": lambda: current().value, "languages": LANGUAGES}
