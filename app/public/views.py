"""Public pages (no sign-in), their JSON feed, and the agenda-packet PDFs.

Views only load and render: what is published is decided once, in
``app.operations.publication``. Anything not published is a plain 404, so the
public cannot even tell a draft exists.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, jsonify, render_template, url_for

from app import dates
from app.auth import require_user
from app.errors import OperationError
from app.operations import metrics, packet, publication, report_backs
from app.web import report_charts

public = Blueprint("public", __name__, url_prefix="/public", static_folder="static",
                   static_url_path="/static")
packets = Blueprint("packets", __name__, url_prefix="/packets")

#: the dashboard counts every published statement: items created since long before the engine
DASHBOARD_SINCE = date(2000, 1, 1)
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


@public.context_processor
def _helpers() -> dict:
    return {"long_date": dates.long_date, "city_date": dates.city_date}


def _meeting(value: str) -> date:
    try:
        return date.fromisoformat(value) if len(value) == 10 else abort(404)
    except ValueError:
        abort(404)


def _published(file_id: str):
    try:
        return publication.published_item(file_id)
    except OperationError:
        abort(404)


def _pdf(item) -> Response:
    response = Response(packet.render(item), mimetype="application/pdf")
    name = "".join(c if c.isalnum() or c in "-_" else "_" for c in item.file_id)
    response.headers["Content-Disposition"] = f'inline; filename="REIS-{name}.pdf"'
    return response


@public.get("/")
def index():
    return render_template("public/index.html", meetings=publication.meeting_dates())


@public.get("/meetings/<meeting_date>")
def meeting(meeting_date):
    when = _meeting(meeting_date)
    found = publication.published_items(when)
    if not found:
        abort(404)
    return render_template("public/meeting.html", meeting_date=when, items=found)


@public.get("/dashboard")
def dashboard():
    """The reports' charts over published statements only, and each published item's report-backs."""
    figures = metrics.compute(DASHBOARD_SINCE, dates.today(), None, published_only=True)
    owed = [(file_id, title, report_backs.shown(rows))
            for file_id, title, rows in publication.published_report_backs()]
    return render_template("public/dashboard.html", m=figures, charts=report_charts.charts(figures),
                           owed=owed)


@public.get("/statements/<file_id>")
def statement(file_id):
    item = _published(file_id)
    return render_template("public/statement.html", item=item,
                           approvals=publication.approvals(item.statement),
                           answers=publication.answers(item.statement), form=publication.form(item.statement),
                           report_backs=report_backs.shown(report_backs.owed(item.statement.id)))


@public.get("/statements/<file_id>/packet.pdf")
def statement_pdf(file_id):
    return _pdf(_published(file_id))


@public.get("/feed.json")
def feed():
    """The published statements as a JSON Feed 1.1 (jsonfeed.org); REIS fields under ``_reis``."""
    entries = []
    for item in publication.published_items():
        approvals = publication.approvals(item.statement)
        answers = publication.answers(item.statement)
        form = publication.form(item.statement)
        url = url_for("public.statement", file_id=item.file_id, _external=True)
        entries.append({
            "id": url, "url": url, "title": f"{item.file_id}: {item.title}",
            "content_text": "\n\n".join(f"{a.title}\n{a.text or ', '.join(a.choices) or '—'}"
                                        for a in answers),
            "date_published": approvals.ode.isoformat() if approvals.ode else None,
            "date_modified": item.statement.approved_at.isoformat() if item.statement.approved_at else None,
            "tags": [item.department.code, *([item.item_type] if item.item_type else [])],
            "attachments": [{"url": url_for("public.statement_pdf", file_id=item.file_id, _external=True),
                             "mime_type": "application/pdf", "title": "Agenda packet attachment"}],
            "_reis": {
                "file_id": item.file_id, "title": item.title, "department": item.department.code,
                "department_name": item.department.name, "body": item.body,
                "item_type": item.item_type, "meeting_date": publication.meeting_of(item).isoformat(),
                "form": form.name, "exemption": {"category": form.category, "reason": form.reason}
                if form.name == "exemption" else None,
                "submitted_at": approvals.submitted.isoformat() if approvals.submitted else None,
                "department_approved_at": approvals.department.isoformat() if approvals.department else None,
                "ode_approved_at": approvals.ode.isoformat() if approvals.ode else None,
                "answers": {a.key: (a.text if a.text is not None else list(a.choices) or None)
                            for a in answers},
            },
        })
    body = {"version": JSON_FEED_VERSION, "title": "Racial Equity Impact and Sustainability Statements",
            "home_page_url": url_for("public.index", _external=True),
            "feed_url": url_for("public.feed", _external=True), "language": "en-US", "items": entries}
    response = jsonify(body)
    response.mimetype = "application/feed+json"
    return response


@packets.get("/<file_id>.pdf")
def packet_pdf(file_id):
    """Any approved statement, agendized or not, for a signed-in user (the clerk's packet)."""
    require_user()
    return _pdf(publication.approved_item(file_id))
