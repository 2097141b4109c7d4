"""The API of follow-through and reports (API.md, "Follow-through and reports"):
report-backs, the metrics, the annual report's narratives."""

from __future__ import annotations

from flask import Response, g, jsonify, request

from app.api.blueprint import api
from app.api.report_schemas import (
    MetricsOut,
    NarrativeOut,
    NarrativePut,
    ReportBackList,
    ReportBackOut,
    ReportBackPost,
)
from app.api.spec import parse
from app.api.views import query_date
from app.errors import not_found
from app.numbers import whole_number
from app.operations import metrics, narratives, report_backs

# -- report-backs ---------------------------------------------------------------------


@api.route("GET", "/items/<file_id>/report-backs", summary="What the item's department owes since it "
           "was agendized: its success indicators, each with its result", response=ReportBackList,
           errors=(403, 404))
def report_backs_list(file_id):
    rows = report_backs.list_for(g.actor, file_id)
    return jsonify({"report_backs": [report_backs.to_dict(r) for r in rows]})


@api.route("POST", "/items/<file_id>/report-backs/<int:n>", summary="Report a report-back's result "
           "(staff and approvers of the item's department; a correction needs a reason)",
           body=ReportBackPost, response=ReportBackOut, errors=(403, 404, 409))
def report_backs_report(file_id, n):
    body = parse(ReportBackPost)
    return jsonify(report_backs.to_dict(report_backs.report(g.actor, file_id, n, body.result, body.reason)))


# -- metrics --------------------------------------------------------------------------

PERIOD_QUERY = {"from": {"type": "string", "format": "date"}, "to": {"type": "string", "format": "date"},
                "department": {"type": "string"}}


def _asked() -> tuple:
    """(from, to, department) of the query, checked: dates, from <= to, a known department
    the person may see."""
    args = request.args
    start = query_date(args["from"], "from") if "from" in args else None
    end = query_date(args["to"], "to") if "to" in args else None
    start, end = metrics.period(start, end)
    return start, end, metrics.allowed_department(g.actor, args.get("department"))


@api.route("GET", "/reports/metrics", summary="The metrics of the statements of items created in a "
           "period (ODE, clerks, admins; a department's approvers: their own)", response=MetricsOut,
           query=PERIOD_QUERY, errors=(403, 422))
def reports_metrics():
    return jsonify(metrics.compute(*_asked()))


@api.route("GET", "/reports/metrics.csv", summary="The facts behind the metrics, one row per statement "
           "(CSV)", response=MetricsOut, query=PERIOD_QUERY, errors=(403, 422), media_type="text/csv")
def reports_metrics_csv():
    name, text = metrics.csv_document(*_asked())
    return Response(text, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


# -- the annual report's narratives -----------------------------------------------------


def _year(raw: str) -> int:
    """A year from the path: four ASCII digits (``app.numbers``), else there is nothing there."""
    year = whole_number(raw, narratives.LAST_YEAR)
    if year is None:
        raise not_found("There is no annual report at this address: give the year as four digits.")
    return year


@api.route("GET", "/reports/annual/<year>/narrative", summary="The year's narratives: ODE's account "
           "and the community partners' (version 0: nobody wrote them yet)", response=NarrativeOut,
           errors=(403, 404))
def narrative_get(year):
    return jsonify(narratives.get(g.actor, _year(year)).to_dict())


@api.route("PUT", "/reports/annual/<year>/narrative", summary="Replace the year's narratives (ODE "
           "reviewers and administrators; a stale version is 409)", body=NarrativePut,
           response=NarrativeOut, errors=(403, 404, 409))
def narrative_put(year):
    wanted = _year(year)
    body = parse(NarrativePut)
    return jsonify(narratives.save(g.actor, wanted, body.ode, body.community, body.version).to_dict())
