"""The reports' filters: a period and a department (a GET form, bookmarkable, no CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField
from wtforms.validators import Optional

from forms.base import BaseForm


class ReportFilterForm(BaseForm):
    """The query's names are the API's (``from``, ``to``, ``department``), so the CSV link
    and a bookmark say the same thing."""

    class Meta:
        csrf = False

    start = DateField(_l("From"), name="from", validators=[Optional()],
                      description=_l("Items created on or after this day."))
    end = DateField(_l("To"), name="to", validators=[Optional()],
                    description=_l("Items created on or before this day."))
    department = SelectField(_l("Department"), validate_choice=False)
