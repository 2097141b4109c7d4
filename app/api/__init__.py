"""The JSON API (``/api/v1``), exactly as API.md says."""

from flask import Blueprint

from app.api.spec import Api

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
api = Api(blueprint)

from app.api import (  # noqa: E402,F401  (registers routes and handlers)
    errors,
    notifications,
    screening,
    views,
)
