"""Bearer-token authentication for the API. Tokens are stored hashed."""

from __future__ import annotations

from flask import g, request

from app.errors import OperationError
from app.models import User
from app.operations.people import user_for_token


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def require_user() -> User:
    token = bearer_token()
    user = user_for_token(token) if token else None
    if user is None:
        raise OperationError("Send a valid API token: Authorization: Bearer <token>.",
                             status=401, code="unauthorized")
    g.actor = user
    return user
