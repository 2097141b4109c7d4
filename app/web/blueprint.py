"""The web blueprint: sign-in required, errors rendered as pages, template helpers."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import format_date, format_datetime, get_locale, gettext
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app import permissions
from app.errors import OperationError
from app.permissions import Action
from app.web import labels, queries
from app.web.i18n import LANGUAGES

blueprint = Blueprint("web", __name__)

PUBLIC_ENDPOINTS = {"web.login", "web.set_language"}


@blueprint.before_request
def _require_sign_in():
    if request.endpoint in PUBLIC_ENDPOINTS or current_user.is_authenticated:
        return None
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("web.login", next=target), 303)


@blueprint.context_processor
def _helpers() -> dict:
    user = current_user.user if current_user.is_authenticated else None
    return {
        "me": user,
        # what the signed-in person may do, for menus and buttons (nobody signed in: nothing)
        "can": lambda action, target=None: user is not None and permissions.can(user, Action(action), target),
        "can_ever": lambda action: user is not None and permissions.can_ever(user, Action(action)),
        "my_queues": lambda: permissions.queues(user) if user is not None else [],
        "labels": labels,
        "languages": LANGUAGES,
        "unread_count": (lambda: queries.unread_count(user.id)) if user else (lambda: 0),
        "format_date": format_date,
        "format_datetime": format_datetime,
        "locale_code": lambda: str(get_locale() or "en"),
    }


@blueprint.app_template_filter("tr")
@blueprint.app_template_global("tr")
def translate(text: str) -> str:
    """The reader's language for a string marked in ``workflows/`` (a question, a choice, a screening
    question): looked up in the catalogue, never %-formatted (plain ``gettext``, not Jinja's ``_``)."""
    return gettext(text)


def error_page(status: int, message: str, title: str | None = None):
    return render_template("error.html", status=status, message=message,
                           title=title or gettext("Something stopped this")), status


@blueprint.errorhandler(OperationError)
def _operation_error(exc: OperationError):
    titles: dict[int | None, str] = {403: gettext("Not allowed"), 404: gettext("Not found")}
    return error_page(exc.status, exc.message, titles.get(exc.status))


@blueprint.errorhandler(CSRFError)
def _csrf_error(exc: CSRFError):
    return error_page(400, gettext("This form was not sent from this site's own page, or its security "
                                   "token is missing. Go back, reload the page and try again."),
                      gettext("The form could not be accepted"))


@blueprint.errorhandler(RateLimitExceeded)
def _too_many(exc: RateLimitExceeded):
    return error_page(429, gettext("Too many failed sign-ins. Wait a minute and try again; if you "
                                   "forgot your password, ask an administrator."),
                      gettext("Please wait"))


@blueprint.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    messages: dict[int | None, str] = {
        403: gettext("You may not open this page."),
        404: gettext("There is nothing at this address."),
        405: gettext("This address does not accept that method.")}
    titles: dict[int | None, str] = {403: gettext("Not allowed"), 404: gettext("Not found")}
    return error_page(exc.code or 500, messages.get(exc.code, exc.description or ""), titles.get(exc.code))
