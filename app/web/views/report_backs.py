"""Reporting a report-back's result: the page the department's staff and approvers use."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext

from app import permissions
from app.errors import OperationError
from app.operations import lookup, report_backs
from app.permissions import Action
from app.web import refusals
from app.web.auth import me
from forms.report_back import ReportBackForm


def report(file_id: str, n: int):
    user = me()
    item = lookup.item(file_id)
    if not permissions.can(user, Action.REPORT_BACK, item):
        abort(403)
    row = next((r for r in report_backs.owed(item.statement.id) if r.n == n), None)
    if row is None:
        abort(404)
    form = ReportBackForm()
    problems: list[str] = []
    status = 422 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            report_backs.report(user, file_id, n, form.result.data, form.reason.data or None)
        except OperationError as exc:
            problems, status = refusals.place(exc, form), exc.status
        else:
            flash(gettext("Result of report-back %(n)d saved.", n=n), "success")
            return redirect(url_for("web.item", file_id=file_id, _anchor="report-backs-heading"), 303)
    elif not form.is_submitted() and row.result:
        form.result.data = row.result
    return render_template("report_back.html", form=form, item=item, row=report_backs.shown([row])[0],
                           history=report_backs.results_of(row), problems=problems), status
