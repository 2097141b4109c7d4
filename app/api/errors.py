"""Every error under /api/ is the JSON envelope; nothing becomes an HTML page or a 5xx
that the client could have avoided."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, request
from flask_babel import gettext
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from app.errors import OperationError
from app.extensions import db
from workflows.i18n import N_

log = logging.getLogger(__name__)

_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 413: "too_large", 415: "bad_request"}
_HTTP_MESSAGES = {
    404: N_("There is nothing at this address."),
    405: N_("This address does not accept that method."),
    413: N_("The request body is larger than 1 MiB."),
}
_UNAVAILABLE = N_("The database is not answering; try again shortly.")
_INTERNAL = N_("Something went wrong on our side; it has been logged.")


def envelope(status: int, code: str, message: str, **extra):
    """The error as JSON. ``message`` is in the language of ``Accept-Language`` when the
    catalogue has it (a sentence marked for translation, or one written with ``gettext``);
    ``code`` is the same in every language."""
    response = jsonify({"error": code, "message": gettext(message) if message else message, **extra})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="reis"'
    return response


def _wants_json() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def register(app: Flask) -> None:
    @app.errorhandler(OperationError)
    def _operation_error(exc: OperationError):
        return envelope(exc.status, exc.code, exc.message, **exc.extra)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if not _wants_json():
            return exc
        status = exc.code or 500
        code = _HTTP_CODES.get(status, "bad_request")
        response = envelope(status, code, _HTTP_MESSAGES.get(status, exc.description or code))
        for name, value in exc.get_headers():  # e.g. a 405's Allow, which HTTP requires
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(OperationalError)
    def _database_down(exc: OperationalError):
        log.error("database unavailable: %s", exc)
        try:
            db.session.rollback()
        except SQLAlchemyError:  # the connection died under the rollback too
            db.session.registry.clear()
        if _wants_json():
            return envelope(503, "unavailable", _UNAVAILABLE)
        return "The service is briefly unavailable; try again shortly.", 503

    @app.teardown_appcontext
    def _close_session_on_a_dead_connection(_exc):
        """Runs before Flask-SQLAlchemy's own teardown (registered earlier). When
        PostgreSQL has just terminated the connection, the closing ROLLBACK raises;
        uncaught here it would turn the 503 already answered into a 500."""
        try:
            db.session.remove()
        except SQLAlchemyError as exc:
            log.warning("closing the session on a dead connection: %s", exc)
            db.session.registry.clear()

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.path)
        if _wants_json():
            return envelope(500, "internal", _INTERNAL)
        return "Something went wrong on our side; it has been logged.", 500
