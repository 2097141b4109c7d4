"""Naming a delegate (one's own, or an administrator's for someone away), and the ODE assignment."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, EmailField, SelectField
from wtforms.validators import DataRequired, InputRequired, Length

from forms.admin import EMAIL
from forms.base import BaseForm


class DelegationForm(BaseForm):
    delegate = EmailField(_l("Delegate's email"), validators=[DataRequired(), EMAIL, Length(max=254)],
                          description=_l("For a department approver: someone of the same department (not "
                                         "a clerk). For an ODE reviewer: another ODE reviewer."))
    starts = DateField(_l("First day"), validators=[InputRequired()])
    ends = DateField(_l("Last day"), validators=[InputRequired()],
                     description=_l("Both days are included (City dates)."))


class SomeonesDelegationForm(DelegationForm):
    """An administrator names a delegate for someone who is away."""

    delegator = SelectField(_l("Person who is away"), coerce=str, validate_choice=False,
                            validators=[DataRequired()])


class AssignForm(BaseForm):
    assignee = SelectField(_l("Assign to"), validate_choice=False)
