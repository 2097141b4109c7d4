"""The reports' filters: a period and a department (a GET form, bookmarkable, no CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.operations.narratives import MAX_LENGTH
from forms.base import BaseForm, WholeNumberField


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


class NarrativeForm(BaseForm):
    """The annual report's two narratives, and the version they were read at."""

    ode = TextAreaField(_l("The Office of Diversity & Equity's account"),
                        validators=[Length(max=MAX_LENGTH)], render_kw={"rows": 10},
                        description=_l("What the year's statements show, what changed, and what comes next."))
    community = TextAreaField(_l("The community partners' account"),
                              validators=[Length(max=MAX_LENGTH)], render_kw={"rows": 10},
                              description=_l("In the partners' own words, as they gave them."))
    version = WholeNumberField(validators=[InputRequired()])
