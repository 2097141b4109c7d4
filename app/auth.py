"""Bearer-token authentication for the API. Tokens are stored hashed.

Every API view is authenticated before it runs (``require_user``), except a
view marked ``@checks_own_token``: such a view checks the token itself, in
the same SQL statement that reads its answer (the clerk's gate,
``app/api/fast.py``; an item and its statement, ``app/api/reads.py``), so
the token is still checked against the database on every request, once
instead of twice.

Failed token authentications are counted per client address (``app.ratelimit``):
both paths go through ``bearer_token()`` (a blocked address is refused with 429
before its token is looked at) and ``unauthorized()`` (a presented token that
failed counts; past the limit the answer is 429 instead of 401).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, g, request

from app import ratelimit
from app.errors import OperationError
from app.models import User
from app.operations.people import user_for_token


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    ratelimit.refuse_if_blocked()
    return token.strip()


def unauthorized() -> OperationError:
    if request.headers.get("Authorization"):  # a token was presented and refused: count it
        refused = ratelimit.record_failure()
        if refused is not None:
            return refused
    return OperationError("Send a valid API token: Authorization: Bearer <token>.",
                          status=401, code="unauthorized")


def checks_own_token(view: Callable) -> Callable:
    """Mark ``view`` as authenticating inside its own query (see the module docstring)."""
    view.checks_own_token = True  # type: ignore[attr-defined]  # a mark, read with getattr
    return view


def require_user() -> User | None:
    """The request's user, or 401. ``None`` only for a ``@checks_own_token`` view,
    which answers 401 itself."""
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    # A path with NUL in it is refused (404) before any view runs: authenticate
    # it here as usual, so that 401 still comes first for it too.
    if getattr(view, "checks_own_token", False) and "\x00" not in request.path:
        return None
    token = bearer_token()
    user = user_for_token(token) if token else None
    if user is None:
        raise unauthorized()
    g.actor = user
    return user
