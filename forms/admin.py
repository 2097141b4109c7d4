"""Administration: departments and users."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app.models.user import DEPARTMENT_ROLES
from app.web.labels import ROLES
from forms.account import new_password
from forms.base import BaseForm

# The shape only: whether the address receives mail is the mail server's business.
EMAIL = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Enter an email address."))


def _blank_to_none(value):
    return value or None


class DepartmentForm(BaseForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    escalation_email = EmailField(_l("Escalation email"), validators=[Optional(), EMAIL, Length(max=254)],
                                  filters=[_blank_to_none],
                                  description=_l("Copied when reminders go unanswered."))


class _RoleFields(BaseForm):
    role = SelectField(_l("Role"), choices=[SelectChoice(r.value, label) for r, label in ROLES.items()])
    department = SelectField(_l("Department"), filters=[_blank_to_none], validate_choice=False)

    def post_validate(self) -> None:
        if self.role.data in {r.value for r in DEPARTMENT_ROLES} and not self.department.data:
            self.department.errors.append(_l("Staff and department approvers belong to a department."))


class UserForm(_RoleFields):
    email = EmailField(_l("Email"), validators=[DataRequired(), EMAIL, Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    password = new_password(_l("Initial password"))


class RoleForm(_RoleFields):
    """Change one user's role (and department)."""


class SetPasswordForm(BaseForm):
    """An administrator gives someone a new password (they forgot theirs): their sessions end."""

    password = new_password(_l("New password"))
