"""Errors a person can act on. Operations raise them; the API renders the
JSON envelope of API.md and the web pages render a message."""

from __future__ import annotations

from collections.abc import Mapping

from flask import has_app_context

from app.translated import translated
from workflows.i18n import N_, Text


class OperationError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None,
                 **extra) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code
        self.extra = extra

    def to_dict(self) -> dict:
        return {"error": self.code, "message": self.message, **self.extra}


def forbidden(message: str = N_("You may not do that.")) -> OperationError:
    return OperationError(message, status=403, code="forbidden")


def not_found(message: str) -> OperationError:
    return OperationError(message, status=404, code="not_found")


def invalid(fields: Mapping[str, str | Text],
            message: str = N_("Some fields are not valid.")) -> OperationError:
    """422 ``invalid``; each field's problem in the language being written (the request's:
    ``Accept-Language`` for the API, the person's for a page), as the rules' ``Text`` allow."""
    return OperationError(message, status=422, code="invalid",
                          fields={k: _words(v) for k, v in fields.items()})


def _words(problem: str | Text) -> str:
    if not isinstance(problem, Text):
        return problem
    return translated(problem) if has_app_context() else problem.english()


def conflict(code: str, message: str, **extra) -> OperationError:
    return OperationError(message, status=409, code=code, **extra)
