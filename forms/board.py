"""The clerk's board: which meeting to look at."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField
from wtforms.validators import InputRequired

from forms.base import BaseForm


class MeetingForm(BaseForm):
    """A GET form (bookmarkable), so it carries no CSRF token."""

    class Meta:
        csrf = False

    date = DateField(_l("Meeting date"), validators=[InputRequired()])
