"""A person's own settings: language, how notifications are mailed, and their password."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectChoice, SelectField
from wtforms.validators import DataRequired, EqualTo, Length

from app.languages import LANGUAGES
from app.operations.people import PASSWORD_MAX, PASSWORD_MIN
from app.web.labels import NOTIFY_MODES
from forms.base import BaseForm, PasswordField

LANGUAGE_CHOICES = [SelectChoice(language.value, name) for language, name in LANGUAGES.items()]


class PreferencesForm(BaseForm):
    notify_mode = RadioField(_l("Mail me"), choices=[
        SelectChoice(mode.value, label) for mode, label in NOTIFY_MODES.items()])
    language = SelectField(_l("Language of pages and mail"), choices=LANGUAGE_CHOICES)


class LanguageForm(BaseForm):
    """The language switch in every page's header."""

    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    next = HiddenField()


def new_password(label) -> PasswordField:
    return PasswordField(label, validators=[DataRequired(), Length(min=PASSWORD_MIN, max=PASSWORD_MAX)],
                         render_kw={"autocomplete": "new-password"},
                         description=_l("At least %(num)d characters; a sentence is easy to remember.",
                                        num=PASSWORD_MIN))


class PasswordForm(BaseForm):
    """Change one's own password: every other session of the person ends."""

    current_password = PasswordField(_l("Current password"),
                                     validators=[DataRequired(), Length(max=PASSWORD_MAX)],
                                     render_kw={"autocomplete": "current-password"})
    password = new_password(_l("New password"))
    confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two new passwords are not the same."))],
        render_kw={"autocomplete": "new-password"})
