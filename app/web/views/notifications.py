"""My notifications: the in-app list, mark read, and how I want them mailed."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from app.numbers import whole_number
from app.operations import accounts, notify
from app.web import queries
from app.web.auth import me
from forms.account import PreferencesForm
from forms.base import ActionForm

SHOWN = 100  # the newest, as the API lists them (digest mails are not entries)


def index():
    user = me()
    found = notify.inbox(user, limit=SHOWN)
    file_ids = queries.statement_file_ids({n.statement_id for n in found if n.statement_id})
    preferences = PreferencesForm(data={"notify_mode": user.notify_mode, "language": user.language})
    return render_template("notifications.html", notifications=found, file_ids=file_ids,
                           preferences=preferences, action=ActionForm())


def mark_read():
    user = me()
    form = ActionForm()
    if form.validate_on_submit():
        raw = request.form.get("id", "")
        # all of mine (the "all" button), or one of mine: another's, no such id or a damaged
        # one is not found
        if raw == "":
            notify.mark_read(user, None)
        else:
            number = whole_number(raw)
            if number is None:
                abort(404)
            notify.mark_read(user, number)
        flash(gettext("Marked as read."), "success")
    return redirect(url_for("web.notifications"), 303)


def preferences():
    user = me()
    form = PreferencesForm()
    if form.validate_on_submit():
        accounts.set_preferences(user, language=form.language.data, notify_mode=form.notify_mode.data)
        flash(gettext("Your settings were saved."), "success")
        return redirect(url_for("web.notifications"), 303)
    found = notify.inbox(user, limit=SHOWN)
    file_ids = queries.statement_file_ids({n.statement_id for n in found if n.statement_id})
    return render_template("notifications.html", notifications=found, file_ids=file_ids,
                           preferences=form, action=ActionForm()), 422
