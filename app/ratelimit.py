"""Slowing down API token guessing: failed token authentications per client address.

Only failures count: a request that presents a bearer token the database
does not accept (unknown, revoked, or its user deactivated) is one hit on a
per-address counter kept in the same Flask-Limiter storage as the sign-in
limits (memory in development and tests, Redis in production, so every
process sees the same counts). A request without any token reveals nothing
and is not counted. Once an address passes the limit
(``REIS_API_TOKEN_FAILURES``, default "100 per minute") every request from it that
presents a token is refused with 429 ``too_many_requests`` and a
``Retry-After`` header until the window ends, whether the token is right or
not, so guessing gains nothing from continuing.

The cost for a good request must stay trivial (the clerk's gate is the hot
path), so the "is this address blocked?" question is answered from a small
dictionary in this process, not from the shared storage: a process learns of
a block the first time that address fails in it (the shared counter is
already over the limit, so that failure is refused at once). An attacker gets
at most one extra guess per process per window, and a good request pays one
dictionary lookup.
"""

from __future__ import annotations

import logging
import math
import time

from flask import Flask, current_app, g
from flask_limiter.util import get_remote_address
from limits import parse

from app.errors import OperationError
from app.extensions import limiter

log = logging.getLogger(__name__)

SCOPE = "api-token-failure"
_BLOCKED = "reis.token_failures_blocked"


def too_many(retry_after: int) -> OperationError:
    g.retry_after = retry_after
    return OperationError("Too many failed token authentications from this address; "
                          f"wait {retry_after} seconds and try again.",
                          status=429, code="too_many_requests")


def _blocked() -> dict[str, float]:
    return current_app.extensions.setdefault(_BLOCKED, {})


def refuse_if_blocked() -> None:
    """Before a presented token is checked: 429 if this address is blocked (a dict lookup)."""
    blocked = _blocked()
    if not blocked:
        return
    address = get_remote_address()
    until = blocked.get(address)
    if until is None:
        return
    now = time.time()
    if until <= now:
        blocked.pop(address, None)
        return
    raise too_many(max(1, math.ceil(until - now)))


def record_failure() -> OperationError | None:
    """Count one failed token; a 429 error to raise instead of 401 once over the limit."""
    item = parse(current_app.config["REIS_API_TOKEN_FAILURES"])
    address = get_remote_address()
    try:
        strategy = limiter.limiter
        if strategy.hit(item, "reis", SCOPE, address):
            return None
        reset_at = strategy.get_window_stats(item, "reis", SCOPE, address).reset_time
    except Exception:  # the counter's storage is down: fail open, and say so
        log.exception("rate-limit storage unavailable; token failure not counted")
        return None
    reset_at = max(reset_at, time.time() + 1)
    _blocked()[address] = reset_at
    return too_many(max(1, math.ceil(reset_at - time.time())))


def reset(app: Flask) -> None:
    """Forget every count and block (tests)."""
    with app.app_context():
        limiter.reset()
        app.extensions.pop(_BLOCKED, None)


def init_app(app: Flask) -> None:
    parse(app.config["REIS_API_TOKEN_FAILURES"])  # a bad limit string fails at start

    @app.after_request
    def _retry_after(response):
        retry_after = g.pop("retry_after", None)
        if retry_after is not None and response.status_code == 429:
            response.headers["Retry-After"] = str(retry_after)
        return response
