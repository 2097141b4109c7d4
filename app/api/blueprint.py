"""The API's blueprint and route registry, apart from ``app/api/__init__.py`` so that
the view modules it imports do not import it back."""

from flask import Blueprint

from app.api.spec import Api

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
api = Api(blueprint)
