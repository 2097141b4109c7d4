"""Sign in, sign out, choose a language; my account: password and calendar feed."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_login import current_user, login_user, logout_user

from app import calendar_feed, delegates, permissions
from app.errors import OperationError
from app.operations import accounts, people
from app.permissions import Action
from app.web.auth import (
    PER_ADDRESS,
    PER_EMAIL,
    PER_EMAIL_AND_ADDRESS,
    authenticate,
    email_and_address_key,
    email_key,
    failed,
    limiter,
    me,
    sign_in,
    sign_out,
)
from forms.account import LanguageForm, PasswordForm
from forms.base import ActionForm
from forms.delegation import DelegationForm
from forms.login import LoginForm


def safe_next(target: str | None, default: str) -> str:
    """Only a path on this site: never an open redirect to another host."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return default
    return target


@limiter.limit(PER_EMAIL_AND_ADDRESS, key_func=email_and_address_key, methods=["POST"], deduct_when=failed)
@limiter.limit(PER_ADDRESS, methods=["POST"], deduct_when=failed)
@limiter.limit(PER_EMAIL, key_func=email_key, methods=["POST"], deduct_when=failed)
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("web.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            session.clear()  # a fresh session: nothing carried over from before sign-in
            login_user(sign_in(user))
            return redirect(safe_next(request.args.get("next"), url_for("web.home")), 303)
        form.password.errors = [gettext("The email or password is not right.")]
    return render_template("login.html", form=form), 200


def logout():
    form = ActionForm()
    if form.validate_on_submit():
        sign_out()
        logout_user()
        session.clear()
    return redirect(url_for("web.login"), 303)


def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            accounts.set_preferences(current_user.user, language=form.language.data)
        else:
            session["language"] = form.language.data
    return redirect(safe_next(form.next.data, url_for("web.home")), 303)


def account(password_form: PasswordForm | None = None, status: int = 200,
            delegation_form: DelegationForm | None = None, problems: list[str] | None = None):
    user = me()
    may_delegate = permissions.can_ever(user, Action.DELEGATE)
    mine = delegates.current(user) if may_delegate else None
    delegation_form = delegation_form or DelegationForm(formdata=None, prefix="delegation")
    return render_template("account.html", password_form=password_form or PasswordForm(formdata=None),
                           feed_url=calendar_feed.feed_url(user), action=ActionForm(),
                           may_delegate=may_delegate, delegation=mine, delegation_form=delegation_form,
                           problems=problems or []), status


def change_password():
    user = me()
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            user = accounts.set_password(user, user.id, form.password.data, form.current_password.data)
        except OperationError as exc:
            form.add_errors(exc.extra.get("fields", {}))
        else:
            # Every session of this person ended with the change, this one too: start a new one
            # here, so the person who changed it stays signed in and every copy elsewhere does not.
            session.clear()
            login_user(sign_in(user))
            flash(gettext("Your password was changed. Every other place you were signed in has been "
                          "signed out."), "success")
            return redirect(url_for("web.account"), 303)
    return account(password_form=form, status=422)


def rotate_feed():
    if ActionForm().validate_on_submit():
        people.rotate_feed(me())
        flash(gettext("Your calendar feed has a new address; the old one no longer works. Subscribe "
                      "to the new one in your calendar."), "success")
    return redirect(url_for("web.account"), 303)
