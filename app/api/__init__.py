"""The JSON API (``/api/v1``), exactly as API.md says."""

from flask import Blueprint

from app.api.spec import Api

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
api = Api(blueprint)

from app.api import errors, views  # noqa: E402,F401  (registers routes and handlers)
from app.api import notifications  # noqa: E402,F401  (the in-app list and preferences)
