"""A person's own settings: language, how notifications are mailed, and their password."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectChoice, SelectField
from wtforms.validators import DataRequired, EqualTo, Length

from app.operations.people import PASSWORD_MAX, PASSWORD_MIN
from forms.base import BaseForm, PasswordField

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
