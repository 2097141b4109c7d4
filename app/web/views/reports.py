"""``/reports``: the committee's charts with their data tables, filters and the CSV download."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_percent, gettext
from wtforms import SelectChoice

from app import annual_report, permissions
from app.errors import OperationError
from app.operations import metrics, narratives
from app.permissions import Action
from app.web import queries, refusals, report_charts
from app.web.auth import me
from forms.reports import NarrativeForm, ReportFilterForm

FIELD_OF = {"from": "start", "to": "end", "department": "department"}


def _asked(form: ReportFilterForm) -> tuple[tuple | None, int]:
    """((from, to, department), status) of a valid query; (None, 422) with the errors placed."""
    user = me()
    if request.args and not form.validate():
        return None, 422
    try:
        start, end = metrics.period(form.start.data, form.end.data)
        department = metrics.allowed_department(user, form.department.data or None)
    except OperationError as exc:
        if exc.status in (403, 404):
            raise
        for name, problem in exc.extra.get("fields", {}).items():
            field = form[FIELD_OF.get(name, name)]
            field.errors = [*field.errors, problem]
        return None, exc.status
    return (start, end, department), 200


def _form() -> ReportFilterForm:
    user = me()
    if not permissions.can_ever(user, Action.SEE_REPORTS):
        abort(403)
    form = ReportFilterForm(request.args)
    seen = [d for d in queries.departments() if permissions.can(user, Action.SEE_REPORTS, d.code)]
    everyone = permissions.can(user, Action.SEE_REPORTS, None)
    form.department.choices = ([SelectChoice("", gettext("All departments"))] if everyone else []) + [
        SelectChoice(d.code, f"{d.code} — {d.name}") for d in seen]
    return form


def index():
    form = _form()
    asked, status = _asked(form)
    if asked is None:  # the errors by their fields; the figures of the default period meanwhile
        asked = (*metrics.period(None, None), metrics.allowed_department(me(), None))
    start, end, department = asked
    if status == 200:  # the filters show the period and department the figures are of
        form.start.data, form.end.data, form.department.data = start, end, department or ""
    figures = metrics.compute(start, end, department)
    query = {"from": start.isoformat(), "to": end.isoformat(), **({"department": department} if department
                                                                  else {})}
    rates = {k: "—" if figures[k] is None else format_percent(figures[k])
             for k in ("return_rate", "on_time_rate")}
    return render_template("reports.html", form=form, m=figures, charts=report_charts.charts(figures),
                           query=query, start=start, end=end, rates=rates), status


def metrics_csv():
    form = _form()
    asked, status = _asked(form)
    if asked is None:
        abort(status)
    name, text = metrics.csv_document(*asked)
    return Response(text, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def annual_pdf(year: int):
    """The annual progress report of ``year`` as a PDF (the same as ``reis report annual``)."""
    _form()  # who may see the reports
    if not narratives.FIRST_YEAR <= year <= narratives.LAST_YEAR:
        abort(404)
    return Response(annual_report.render(year), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="reis-annual-report-{year}.pdf"'})


def narrative(year: int):
    """ODE (and admins) write the year's narratives; a stale version is refused, input kept."""
    user = me()
    if not permissions.can_ever(user, Action.WRITE_NARRATIVE):
        abort(403)
    if not narratives.FIRST_YEAR <= year <= narratives.LAST_YEAR:
        abort(404)
    current = narratives.read(year)
    form = NarrativeForm(data={"ode": current.ode, "community": current.community,
                               "version": current.version})
    problems: list[str] = []
    status = 422 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            narratives.save(user, year, form.ode.data or "", form.community.data or "",
                            form.version.data or 0)
        except OperationError as exc:
            problems, status = refusals.place(exc, form), exc.status
        else:
            flash(gettext("The %(year)d narratives are saved.", year=year), "success")
            return redirect(url_for("web.narrative", year=year), 303)
    return render_template("narrative.html", form=form, year=year, problems=problems), status
