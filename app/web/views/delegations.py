"""Who decides, on the pages: one's own delegate (my account), an administrator's for
someone away (administration), and the ODE assignment (the review page)."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext

from app import permissions
from app.errors import OperationError
from app.extensions import db
from app.models import User
from app.operations import assignment, delegation
from app.permissions import Action
from app.web import refusals
from app.web.auth import me
from app.web.views import account, admin
from forms.base import ActionForm
from forms.delegation import AssignForm, DelegationForm, SomeonesDelegationForm


def set_mine():
    user = me()
    if not permissions.can_ever(user, Action.DELEGATE):
        abort(403)
    form = DelegationForm(prefix="delegation")
    if form.validate_on_submit():
        try:
            delegation.set_delegate(user, user, form.delegate.data, form.starts.data, form.ends.data)
        except OperationError as exc:
            return account.account(delegation_form=form, problems=refusals.place(exc, form), status=422)
        flash(gettext("Your delegate is named."), "success")
        return redirect(url_for("web.account"), 303)
    return account.account(delegation_form=form, status=422)


def revoke_mine():
    user = me()
    if not permissions.can_ever(user, Action.DELEGATE):
        abort(403)
    if ActionForm().validate_on_submit():
        try:
            delegation.revoke(user, user)
        except OperationError as exc:
            refusals.flash_refusal(exc)
        else:
            flash(gettext("Your delegation was revoked."), "success")
    return redirect(url_for("web.account"), 303)


def _person(user_id: str | None) -> User | None:
    return db.session.get(User, int(user_id)) if user_id and user_id.isascii() and user_id.isdigit() \
        and len(user_id) < 10 else None


def set_someones():
    actor = admin.admin_user()
    form = SomeonesDelegationForm(prefix="delegation")
    if form.validate_on_submit():
        delegator = _person(form.delegator.data)
        if delegator is None:
            form.delegator.errors.append(gettext("Choose someone from the list."))
            return admin.index(delegation_form=form, status=422)
        try:
            delegation.set_delegate(actor, delegator, form.delegate.data, form.starts.data, form.ends.data)
        except OperationError as exc:
            return admin.index(delegation_form=form, problems=refusals.place(exc, form), status=422)
        flash(gettext("%(email)s has a delegate.", email=delegator.email), "success")
        return redirect(url_for("web.admin"), 303)
    return admin.index(delegation_form=form, status=422)


def revoke_someones(user_id: int):
    actor = admin.admin_user()
    if ActionForm().validate_on_submit():
        delegator = db.session.get(User, user_id)
        if delegator is None:
            abort(404)
        try:
            delegation.revoke(actor, delegator)
        except OperationError as exc:
            refusals.flash_refusal(exc)
        else:
            flash(gettext("The delegation of %(email)s was revoked.", email=delegator.email), "success")
    return redirect(url_for("web.admin"), 303)


def assign(file_id: str):
    """Claim ("assign to me") or reassign a statement in ODE review."""
    user = me()
    if not permissions.can_ever(user, Action.ASSIGN):
        abort(403)
    form = AssignForm()
    if form.validate_on_submit():
        chosen = form.assignee.data or None
        if chosen == "me":
            chosen = user.email
        try:
            assignment.assign(user, file_id, chosen)
        except OperationError as exc:
            refusals.flash_refusal(exc)
        else:
            flash(gettext("The assignment of %(file_id)s is saved.", file_id=file_id), "success")
    return redirect(url_for("web.item", file_id=file_id), 303)

