"""A person's own settings: language and how notifications are mailed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectChoice, SelectField

from forms.base import BaseForm

LANGUAGES = [SelectChoice("en", "English"), SelectChoice("es", "Español")]


class PreferencesForm(BaseForm):
    notify_mode = RadioField(_l("Mail me"), choices=[
        SelectChoice("each", _l("one mail for each notification")),
        SelectChoice("digest", _l("one daily digest with all of them")),
    ])
    language = SelectField(_l("Language of pages and mail"), choices=LANGUAGES)


class LanguageForm(BaseForm):
    """The language switch in every page's header."""

    language = SelectField(_l("Language"), choices=LANGUAGES)
    next = HiddenField()
