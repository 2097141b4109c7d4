"""Route declarations with their schemas, and the OpenAPI document built
from them. A route is declared once: the same pydantic model that parses its
body is the one described in ``openapi.json``."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from flask import Blueprint, current_app, request
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import models_json_schema
from pydantic_core import ErrorDetails
from werkzeug.exceptions import RequestEntityTooLarge

from app.api.schemas import ErrorOut
from app.errors import OperationError, invalid
from app.numbers import DB_INT_MAX
from app.text import NUL_MESSAGE, nul_paths
from workflows.i18n import N_

ERROR_STATUS_TEXT = {
    400: "Malformed JSON", 401: "Missing or unknown token", 403: "Not allowed for this user",
    404: "Not found", 409: "Conflict with the current state", 413: "Body over 1 MiB",
    422: "Invalid input",
}


@dataclass
class Operation:
    method: str
    path: str  # Flask rule
    summary: str
    response: type[BaseModel]
    view: Callable[..., Any]
    status: int = 200
    body: type[BaseModel] | None = None
    query: dict[str, dict] = field(default_factory=dict)
    errors: tuple[int, ...] = ()
    auth: bool = True
    body_required: bool = True
    #: what a success answers; anything but JSON is described as a string (``response`` unused)
    media_type: str = "application/json"


class Api:
    def __init__(self, blueprint: Blueprint) -> None:
        self.blueprint = blueprint
        self.operations: list[Operation] = []

    def route(self, method: str, path: str, *, summary: str, response: type[BaseModel],
              status: int = 200, body: type[BaseModel] | None = None,
              query: dict[str, dict] | None = None, errors: tuple[int, ...] = (),
              auth: bool = True, body_required: bool = True, media_type: str = "application/json"):
        def register(view: Callable) -> Callable:
            op = Operation(method, path, summary, response, view, status, body, query or {},
                           errors, auth, body_required, media_type)
            self.operations.append(op)
            endpoint = f"{method.lower()}_{view.__name__}"
            # merge_slashes=False: "/items//statement" is no address, not a redirect (an
            # HTML page) to the item whose file ID is "statement".
            self.blueprint.add_url_rule(path, endpoint, view, methods=[method], merge_slashes=False)
            return view
        return register

    # -- the document ----------------------------------------------------------

    def openapi(self, prefix: str) -> dict[str, Any]:
        models: set[type[BaseModel]] = {ErrorOut}
        for op in self.operations:
            models.add(op.response)
            if op.body:
                models.add(op.body)
        keyed: list[tuple[type[BaseModel], Literal["validation"]]] = [
            (m, "validation") for m in sorted(models, key=lambda m: m.__name__)]
        refs, schema = models_json_schema(keyed, ref_template="#/components/schemas/{model}")
        paths: dict[str, dict] = {}
        for op in self.operations:
            path = prefix + _openapi_path(op.path)
            entry: dict[str, Any] = {
                "summary": op.summary,
                "operationId": f"{op.method.lower()}_{op.view.__name__}",
                "responses": {
                    str(op.status): {"description": "No content"} if op.status == 204 else
                    {"description": "Success", "content": {
                        op.media_type: {"schema": refs[(op.response, "validation")]
                                        if op.media_type == "application/json" else {"type": "string"}}}},
                },
            }
            params = [{"name": name, "in": "path", "required": True, "schema": schema}
                      for name, schema in _path_params(op.path)]
            params += [{"name": name, "in": "query", "required": False, "schema": spec}
                       for name, spec in op.query.items()]
            if params:
                entry["parameters"] = params
            if op.body is not None:
                entry["requestBody"] = {"required": op.body_required, "content": {
                    "application/json": {"schema": refs[(op.body, "validation")]}}}
            statuses = set(op.errors)
            if op.auth:
                statuses.add(401)
                entry["security"] = [{"bearer": []}]
            if op.body is not None:
                statuses |= {400, 413, 422}
            for status in sorted(statuses):
                entry["responses"][str(status)] = {
                    "description": ERROR_STATUS_TEXT.get(status, "Error"),
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
                }
            paths.setdefault(path, {})[op.method.lower()] = entry
        paths.update(_unregistered_paths(prefix))
        return {
            "openapi": "3.1.0",
            "info": {"title": "REIS engine API", "version": "1",
                     "description": "Racial Equity Impact and Sustainability Statements: "
                                    "write, review, and gate agenda items."},
            "paths": paths,
            "components": {
                "schemas": schema.get("$defs", {}),
                "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            },
        }


def _unregistered_paths(prefix: str) -> dict[str, dict]:
    """Routes not declared through ``Api.route``: the public ones API.md lists, and the
    token-authenticated ones outside ``/api/v1`` (the packet PDF, the calendar feed's URL),
    so that every endpoint that takes an API token is in the document."""
    def json_response(description: str, schema: dict) -> dict:
        return {"description": description, "content": {"application/json": {"schema": schema}}}

    def error(status: int) -> dict:
        return json_response(ERROR_STATUS_TEXT[status], {"$ref": "#/components/schemas/ErrorOut"})

    health = {"type": "object", "required": ["status"],
              "properties": {"status": {"type": "string"}, "database": {"type": "string"}}}
    feed_url = {"type": "object", "required": ["url", "webcal"],
                "properties": {"url": {"type": "string", "format": "uri"}, "webcal": {"type": "string"}}}
    file_id = {"name": "file_id", "in": "path", "required": True, "schema": {"type": "string"}}
    return {
        prefix + "/openapi.json": {"get": {
            "summary": "This OpenAPI document", "operationId": "get_openapi",
            "responses": {"200": json_response("The OpenAPI 3 document", {"type": "object"})}}},
        "/healthz": {"get": {
            "summary": "Liveness: does the database answer? (no token needed)",
            "operationId": "get_healthz",
            "responses": {"200": json_response("The database answers", health),
                          "503": json_response("The database does not answer", health)}}},
        "/packets/{file_id}.pdf": {"get": {
            "summary": "The agenda-packet PDF of an approved statement, on an agenda or not",
            "operationId": "get_packet_pdf", "parameters": [file_id], "security": [{"bearer": []}],
            "responses": {
                "200": {"description": "The PDF", "content": {
                    "application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
                "401": error(401), "404": error(404)}}},
        "/calendar/feed-url": {"get": {
            "summary": "The caller's private calendar feed (iCalendar) URL of their deadlines",
            "operationId": "get_calendar_feed_url", "security": [{"bearer": []}],
            "responses": {"200": json_response("The feed's URL, also as webcal://", feed_url),
                          "401": error(401)}}},
    }


def _path_params(rule: str) -> list[tuple[str, dict]]:
    """Each path parameter's name and schema; ``<int:…>`` is ``app.numbers.IdConverter``."""
    out = []
    for part in rule.split("<")[1:]:
        converter, _, name = part.split(">")[0].rpartition(":")
        schema = ({"type": "integer", "minimum": 0, "maximum": DB_INT_MAX} if converter == "int"
                  else {"type": "string"})
        out.append((name, schema))
    return out


def _openapi_path(rule: str) -> str:
    path = rule
    for part in rule.split("<")[1:]:
        inner = part.split(">")[0]
        path = path.replace(f"<{inner}>", "{" + inner.split(":")[-1] + "}")
    return path


Body = TypeVar("Body", bound=BaseModel)


def parse(model: type[Body]) -> Body:
    """Validate the request body against ``model``, or raise the API's 400/422."""
    if not request.is_json:
        raise OperationError(N_("Send a JSON body with Content-Type: application/json."),
                             status=400, code="bad_request")
    raw = request.get_data(cache=True)
    _refuse_truncated(raw)
    _refuse_nul(raw)
    try:
        return model.model_validate_json(raw or b"")
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        if any(e["type"] == "json_invalid" for e in errors):
            raise OperationError(N_("The body is not valid JSON."), status=400,
                                 code="bad_request") from None
        raise invalid(_field_errors(errors)) from None


def _refuse_truncated(raw: bytes) -> None:
    """A body sent without a length (chunked, as gunicorn passes it on) is cut at
    MAX_CONTENT_LENGTH rather than refused: if more follows, it is 413, not bad JSON."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if (request.content_length is None and limit is not None and len(raw) >= limit
            and request.environ["wsgi.input"].read(1)):
        raise RequestEntityTooLarge()


def _refuse_nul(raw: bytes) -> None:
    """422 naming every place a string holds NUL, at any depth (``app.text``). JSON can carry
    NUL only as the escape ``\\u0000``, so a body without those six bytes costs one scan."""
    if b"\\u0000" not in raw:
        return
    try:
        where = sorted(set(nul_paths(json.loads(raw))))
    except (ValueError, RecursionError):  # not JSON, or nested past reason: the model's parse says so
        return
    if where:
        raise invalid(dict.fromkeys(where, NUL_MESSAGE))


def _field_errors(errors: list[ErrorDetails]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for e in errors:
        # "$" is the body as a whole: "body" would name the item's own field of that name,
        # and an unknown key "" must still be named "".
        name = ".".join(str(p) for p in e["loc"]) if e["loc"] else "$"
        if e["type"] == "extra_forbidden":
            message = "unknown field"
        elif e["type"] == "missing":
            message = "is required"
        else:
            message = e["msg"]
        fields.setdefault(name, message)
    return fields
