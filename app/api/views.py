"""API views: authenticate, parse, call one operation, serialise. Nothing else."""

from __future__ import annotations

from datetime import date

from flask import current_app, g, jsonify, request

from app.api import api, blueprint, serialize
from app.api.schemas import (AgendizeRequest, GateOut, HistoryOut, ItemCreate, ItemList, ItemOut,
                             ItemPatch, MeetingOut, SectionList, StatementEvent, StatementOut,
                             StatementPut)
from app.api.spec import parse
from app.auth import require_user
from app.errors import invalid
from app.operations import gate, items, lookup, statements
from workflows.statement import State

PUBLIC_ENDPOINTS = {"api.get_openapi"}


@blueprint.before_request
def _authenticate():
    if request.endpoint not in PUBLIC_ENDPOINTS:
        require_user()


def _date(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value) if len(value) == 10 else _bad_date(name)
    except ValueError:
        return _bad_date(name)


def _bad_date(name: str):
    raise invalid({name: "must be a date, YYYY-MM-DD"})


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
    meeting_date = _date(args["meeting_date"], "meeting_date") if "meeting_date" in args else None
    state = None
    if "state" in args:
        try:
            state = State(args["state"])
        except ValueError:
            raise invalid({"state": f"must be one of {', '.join(s.value for s in State)}"}) from None
    found = items.list_items(meeting_date, args.get("department"), state)
    return jsonify({"items": [serialize.item(i) for i in found]})


@api.route("GET", "/items/<file_id>", summary="One item", response=ItemOut, errors=(404,))
def items_get(file_id):
    return jsonify(serialize.item(lookup.item(file_id)))


@api.route("PATCH", "/items/<file_id>", summary="Change an item (a material change reopens "
           "its statement)", body=ItemPatch, response=ItemOut, errors=(403, 404, 409))
def items_patch(file_id):
    changes = parse(ItemPatch).model_dump(exclude_unset=True)
    if changes.get("title", "") is None:
        raise invalid({"title": "cannot be null"})
    return jsonify(serialize.item(items.update_item(g.actor, file_id, changes)))


# -- the statement --------------------------------------------------------------

@api.route("GET", "/items/<file_id>/statement", summary="The item's statement",
           response=StatementOut, errors=(404,))
def statement_get(file_id):
    return jsonify(serialize.statement(lookup.item(file_id).statement))


@api.route("PUT", "/items/<file_id>/statement", summary="Replace the draft's answers",
           body=StatementPut, response=StatementOut, errors=(403, 404, 409))
def statement_put(file_id):
    body = parse(StatementPut)
    statement = statements.save_answers(g.actor, file_id, body.answers, body.version)
    return jsonify(serialize.statement(statement))


@api.route("POST", "/items/<file_id>/statement/events", summary="Submit, approve or return",
           body=StatementEvent, response=StatementOut, errors=(403, 404, 409))
def statement_event(file_id):
    body = parse(StatementEvent)
    statement = statements.fire_event(g.actor, file_id, body.event, body.comment, body.version)
    return jsonify(serialize.statement(statement))


@api.route("GET", "/items/<file_id>/statement/history", summary="The statement's history, "
           "oldest first", response=HistoryOut, errors=(404,))
def statement_history(file_id):
    return jsonify({"events": [e.to_dict() for e in statements.events(file_id)]})


# -- the gate -------------------------------------------------------------------

@api.route("GET", "/items/<file_id>/agendizable", summary="May this item be agendized?",
           response=GateOut, errors=(404,))
def gate_check(file_id):
    item = lookup.item(file_id)
    return jsonify(serialize.gate(item.file_id, gate.reasons_for(item)))


@api.route("POST", "/items/<file_id>/agendize", summary="Put the item on a meeting's agenda",
           body=AgendizeRequest, response=ItemOut, errors=(403, 404, 409))
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
    when = _date(meeting_date, "meeting_date")
    rows = gate.meeting_items(when)
    out = []
    for file_id, title, department, state, fiscal, _agendized, _for in rows:
        reasons = serialize.gate(file_id, gate.gate.reasons(state, fiscal, when))
        out.append({"file_id": file_id, "title": title, "department": department,
                    "statement_state": state.value, **reasons})
    return jsonify({"meeting_date": when.isoformat(), "items": out})


# -- other ----------------------------------------------------------------------

@api.route("GET", "/sections", summary="The statement's questions", response=SectionList)
def sections():
    return jsonify({"sections": serialize.SECTIONS_JSON})


@blueprint.get("/openapi.json", endpoint="get_openapi")
def openapi():
    return jsonify(current_app.extensions["reis.openapi"])
