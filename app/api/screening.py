"""The API of forms and screening (API.md, "Forms and screening"): the questions, ODE's
rules by item type, and bulk events on exemption requests."""

from __future__ import annotations

from flask import g, jsonify

from app.api import serialize
from app.api.blueprint import api
from app.api.schemas import BulkEvent, BulkOut, ScreeningOut, ScreeningRules
from app.api.spec import parse
from app.operations import screening, statements
from workflows.states import Event


@api.route("GET", "/screening", summary="The screening questions, the exemption categories and the forms",
           response=ScreeningOut)
def screening_get():
    return jsonify(serialize.screening_questions())


@api.route("GET", "/screening/rules", summary="ODE's rules: items of these types start as exemption "
           "requests", response=ScreeningRules)
def screening_rules_get():
    return jsonify({"item_types": screening.as_map()})


@api.route("PUT", "/screening/rules", summary="Replace every screening rule (ODE reviewers and "
           "administrators)", body=ScreeningRules, response=ScreeningRules, errors=(403,))
def screening_rules_put():
    body = parse(ScreeningRules)
    return jsonify({"item_types": screening.replace_all(g.actor, body.item_types)})


@api.route("POST", "/statements/events", summary="Submit or approve a page of exemption requests, "
           "each on its own", body=BulkEvent, response=BulkOut)
def statements_bulk_event():
    body = parse(BulkEvent)
    results = statements.bulk_event(g.actor, Event(body.event), body.file_ids, body.comment)
    return jsonify({"results": results})
