"""Sign in, sign out, choose a language."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_login import current_user, login_user, logout_user

from app.operations import accounts
from app.web.auth import PER_ADDRESS, PER_EMAIL, Account, authenticate, email_key, failed, limiter
from forms.account import LanguageForm
from forms.base import ActionForm
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


@limiter.limit(PER_EMAIL, key_func=email_key, methods=["POST"], deduct_when=failed)
@limiter.limit(PER_ADDRESS, methods=["POST"], deduct_when=failed)
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("web.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            session.clear()  # a fresh session: nothing carried over from before sign-in
            login_user(Account(user))
            return redirect(safe_next(request.args.get("next"), url_for("web.home")), 303)
        form.password.errors = [gettext("The email or password is not right.")]
    return render_template("login.html", form=form), 200


def logout():
    form = ActionForm()
    if form.validate_on_submit():
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
