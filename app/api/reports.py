"""The API of follow-through and reports (API.md, "Follow-through and reports"):
report-backs, the metrics, the annual report's narratives."""

from __future__ import annotations

from flask import g, jsonify

from app.api.blueprint import api
from app.api.report_schemas import ReportBackList, ReportBackOut, ReportBackPost
from app.api.spec import parse
from app.operations import report_backs

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
