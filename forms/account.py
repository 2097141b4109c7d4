"""A person's own settings: language and how notifications are mailed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectChoice, SelectField

from app.web.i18n import LANGUAGES
from app.web.labels import NOTIFY_MODES
from forms.base import BaseForm

LANGUAGE_CHOICES = [SelectChoice(language.value, name) for language, name in LANGUAGES.items()]


class PreferencesForm(BaseForm):
    notify_mode = RadioField(_l("Mail me"), choices=[
        SelectChoice(mode.value, label) for mode, label in NOTIFY_MODES.items()])
    language = SelectField(_l("Language of pages and mail"), choices=LANGUAGE_CHOICES)


class LanguageForm(BaseForm):
    """The language switch in every page's header."""

    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    next = HiddenField()
