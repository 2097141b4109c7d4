"""Administration: departments and users (create, deactivate, change role)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from wtforms import SelectChoice

from app import permissions
from app.errors import OperationError
from app.operations import accounts, deciders, people
from app.permissions import Action
from app.text import strip_bidi
from app.web import queries, refusals
from app.web.auth import me
from forms.admin import DepartmentForm, RoleForm, SetPasswordForm, UserForm
from forms.base import ActionForm
from forms.delegation import SomeonesDelegationForm
from workflows.delegation import DELEGATING_ROLES


def admin_user():
    user = me()
    if not permissions.can(user, Action.ADMINISTER):
        abort(403)
    return user


def _department_choices():
    return [SelectChoice("", gettext("(none)")),
            *(SelectChoice(d.code, f"{d.code} — {strip_bidi(d.name)}") for d in queries.departments())]


def index(department_form=None, user_form=None, problems=(), status=200, delegation_form=None):
    admin_user()
    choices = _department_choices()
    department_form = department_form or DepartmentForm(formdata=None, prefix="department")
    user_form = user_form or UserForm(formdata=None, prefix="user")
    user_form.department.choices = choices
    users = queries.users()
    role_forms = {}
    for user in users:
        form = RoleForm(formdata=None, prefix=f"u{user.id}",
                        data={"role": user.role.value,
                              "department": user.department.code if user.department else ""})
        form.department.choices = choices
        role_forms[user.id] = form
    delegation_form = delegation_form or SomeonesDelegationForm(formdata=None, prefix="delegation")
    delegation_form.delegator.choices = [
        SelectChoice(str(u.id), f"{strip_bidi(u.name)} ({u.email})") for u in users
        if u.active and u.role in DELEGATING_ROLES]
    return render_template("admin.html", users=users, departments=queries.departments(),
                           department_form=department_form, user_form=user_form, role_forms=role_forms,
                           action=ActionForm(), problems=list(problems), delegation_form=delegation_form,
                           delegations=queries.delegations(), stalled=deciders.stalled(),
                           thin=queries.thin_departments()), status


def create_department():
    admin_user()
    form = DepartmentForm(prefix="department")
    if form.validate_on_submit():
        try:
            people.create_department(form.code.data, form.name.data, form.escalation_email.data)
        except OperationError as exc:
            return index(department_form=form, problems=refusals.place(exc, form), status=422)
        flash(gettext("Department %(code)s created.", code=form.code.data), "success")
        return redirect(url_for("web.admin"), 303)
    return index(department_form=form, status=422)


def create_user():
    admin_user()
    form = UserForm(prefix="user")
    form.department.choices = _department_choices()
    if form.validate_on_submit():
        try:
            people.create_user(form.email.data, form.name.data, form.role.data, form.department.data,
                               form.password.data)
        except OperationError as exc:
            return index(user_form=form, problems=refusals.place(exc, form), status=422)
        flash(gettext("User %(email)s created.", email=form.email.data), "success")
        return redirect(url_for("web.admin"), 303)
    return index(user_form=form, status=422)


def change_role(user_id: int):
    actor = admin_user()
    form = RoleForm(prefix=f"u{user_id}")
    form.department.choices = _department_choices()
    if form.validate_on_submit():
        try:
            accounts.change_role(actor, user_id, form.role.data, form.department.data)
        except OperationError as exc:
            return index(problems=refusals.place(exc), status=exc.status)
        flash(gettext("Role changed."), "success")
        return redirect(url_for("web.admin"), 303)
    return index(problems=[e for errors in form.errors.values() for e in errors], status=422)


def set_active(user_id: int, active: bool):
    actor = admin_user()
    if ActionForm().validate_on_submit():
        try:
            accounts.set_active(actor, user_id, active)
        except OperationError as exc:
            return index(problems=refusals.place(exc), status=exc.status)
        flash(gettext("User reactivated.") if active else gettext("User deactivated."), "success")
    return redirect(url_for("web.admin"), 303)


def deactivate(user_id: int):
    return set_active(user_id, False)


def reactivate(user_id: int):
    return set_active(user_id, True)


def set_password(user_id: int):
    """A new password for someone who forgot theirs; every session of theirs ends."""
    actor = admin_user()
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = accounts.set_password(actor, user_id, form.password.data)
        except OperationError as exc:
            return index(problems=refusals.place(exc, form), status=exc.status)
        flash(gettext("%(email)s has a new password and was signed out everywhere.", email=user.email),
              "success")
        return redirect(url_for("web.admin"), 303)
    return index(problems=[e for errors in form.errors.values() for e in errors], status=422)
