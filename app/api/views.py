"""API views: authenticate, parse, call one operation, serialise. Nothing else."""

from __future__ import annotations

import re
from datetime import date

from flask import current_app, g, jsonify, request

from app.api import fast, reads, serialize
from app.api.blueprint import api, blueprint
from app.api.schemas import (
    AgendizeRequest,
    GateOut,
    HistoryOut,
    ItemCreate,
    ItemList,
    ItemOut,
    ItemPatch,
    MeetingOut,
    SectionList,
    StatementEvent,
    StatementOut,
    StatementPut,
)
from app.api.spec import parse
from app.auth import checks_own_token, require_user
from app.errors import invalid, not_found
from app.operations import gate, items, statements
from workflows import questionnaire
from workflows.statement import State
from workflows.states import Event

PUBLIC_ENDPOINTS = {"api.get_openapi"}


@blueprint.before_request
def _authenticate():
    if request.endpoint not in PUBLIC_ENDPOINTS:
        require_user()


@blueprint.before_request
def _refuse_nul():
    """PostgreSQL cannot compare text with NUL in it; such a path or filter names nothing."""
    if any("\x00" in str(v) for v in (request.view_args or {}).values()):
        raise not_found("There is nothing at this address.")
    bad = {k for k, v in request.args.items(multi=True) if "\x00" in k + v}
    if bad:
        raise invalid({k: "must not contain the NUL character (U+0000)" for k in sorted(bad)})


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def query_date(value: str, name: str) -> date:
    # Only YYYY-MM-DD: fromisoformat alone would also take week dates such as 2026-W01-1.
    try:
        return date.fromisoformat(value) if _ISO_DATE.fullmatch(value) else _bad_date(name)
    except ValueError:
        return _bad_date(name)


def _bad_date(name: str):
    raise invalid({name: "must be a date written year-month-day, such as 2027-03-02"})


# -- items --------------------------------------------------------------------

@api.route("POST", "/items", summary="Create an agenda item (its statement starts in draft)",
           body=ItemCreate, response=ItemOut, status=201, errors=(403, 409))
def items_create():
    data = parse(ItemCreate).model_dump(exclude_unset=True)
    return jsonify(serialize.item(items.create_item(g.actor, data))), 201


@api.route("GET", "/items", summary="List items", response=ItemList, errors=(422,), query={
    "meeting_date": {"type": "string", "format": "date"},
    "department": {"type": "string"},
    "state": {"type": "string", "enum": [s.value for s in State]},
})
def items_list():
    args = request.args
    meeting_date = query_date(args["meeting_date"], "meeting_date") if "meeting_date" in args else None
    state = None
    if "state" in args:
        try:
            state = State(args["state"])
        except ValueError:
            raise invalid({"state": f"must be one of {', '.join(s.value for s in State)}"}) from None
    found = items.list_items(meeting_date, args.get("department"), state)
    return jsonify({"items": [serialize.item(i) for i in found]})


@api.route("GET", "/items/<file_id>", summary="One item", response=ItemOut, errors=(404,))
@checks_own_token
def items_get(file_id):
    return reads.item(file_id)  # token and item in one SQL statement


@api.route("PATCH", "/items/<file_id>", summary="Change an item (a material change reopens "
           "its statement)", body=ItemPatch, response=ItemOut, errors=(403, 404, 409))
def items_patch(file_id):
    changes = parse(ItemPatch).model_dump(exclude_unset=True)
    return jsonify(serialize.item(items.update_item(g.actor, file_id, changes)))


# -- the statement --------------------------------------------------------------

@api.route("GET", "/items/<file_id>/statement", summary="The item's statement",
           response=StatementOut, errors=(404,))
@checks_own_token
def statement_get(file_id):
    return reads.statement(file_id)  # token, item, statement and submitter in one SQL statement


@api.route("PUT", "/items/<file_id>/statement", summary="Replace the draft's answers (and its form "
           "and screening answers)", body=StatementPut, response=StatementOut, errors=(403, 404, 409))
def statement_put(file_id):
    body = parse(StatementPut)
    statement = statements.save(g.actor, file_id, body.answers, body.version, body.form, body.screening)
    return serialize.statement_response(statement)


@api.route("POST", "/items/<file_id>/statement/events", summary="Submit, approve or return",
           body=StatementEvent, response=StatementOut, errors=(403, 404, 409))
def statement_event(file_id):
    body = parse(StatementEvent)
    statement = statements.fire_event(g.actor, file_id, Event(body.event), body.comment, body.version)
    return serialize.statement_response(statement)


@api.route("GET", "/items/<file_id>/statement/history", summary="The statement's history, "
           "oldest first", response=HistoryOut, errors=(404,))
def statement_history(file_id):
    return jsonify({"events": [e.to_dict() for e in statements.events(g.actor, file_id)]})


# -- the gate -------------------------------------------------------------------

@api.route("GET", "/items/<file_id>/agendizable", summary="May this item be agendized?",
           response=GateOut, errors=(404,))
@checks_own_token
def gate_check(file_id):
    return fast.gate_check(file_id)  # the hot path: token and item in one SQL statement


@api.route("POST", "/items/<file_id>/agendize", summary="Put the item on a meeting's agenda",
           body=AgendizeRequest, body_required=False, response=ItemOut, errors=(403, 404, 409))
def gate_agendize(file_id):
    body = parse(AgendizeRequest) if request.get_data(cache=True) else AgendizeRequest()
    return jsonify(serialize.item(gate.agendize(g.actor, file_id, body.meeting_date)))


@api.route("POST", "/items/<file_id>/unagendize", summary="Take the item off the agenda",
           response=ItemOut, errors=(403, 404))
def gate_unagendize(file_id):
    return jsonify(serialize.item(gate.unagendize(g.actor, file_id)))


@api.route("GET", "/meetings/<meeting_date>/items", summary="A meeting's items and their gate",
           response=MeetingOut, errors=(422,))
def meeting_items(meeting_date):
    when = query_date(meeting_date, "meeting_date")
    return jsonify(fast.meeting(when, gate.meeting(when)))


# -- other ----------------------------------------------------------------------

@api.route("GET", "/sections", summary="A form's questions (default: the full statement, current "
           "version)", response=SectionList, errors=(422,), query={
               "form": {"type": "string", "enum": list(questionnaire.FORM_NAMES)},
               "version": {"type": "integer", "enum": sorted(questionnaire.VERSIONS)}})
def sections():
    form = request.args.get("form", questionnaire.FormName.FULL)
    if form not in questionnaire.FORM_NAMES:
        raise invalid({"form": f"must be one of {', '.join(questionnaire.FORM_NAMES)}"})
    raw = request.args.get("version", str(questionnaire.CURRENT_VERSION))
    version = int(raw) if raw.isascii() and raw.isdigit() and int(raw) in questionnaire.VERSIONS else None
    if version is None:
        raise invalid({"version": f"must be one of {', '.join(map(str, sorted(questionnaire.VERSIONS)))}"})
    if form not in questionnaire.VERSIONS[version].forms:
        raise invalid({"form": f"questionnaire version {version} has no {form} form"})
    return jsonify({"sections": serialize.sections(form, version)})


@blueprint.get("/openapi.json", endpoint="get_openapi")
def openapi():
    return jsonify(current_app.extensions["reis.openapi"])
