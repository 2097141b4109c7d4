"""The server-rendered web application for staff, reviewers, clerks and admins.

Views authorise and dispatch only: every change goes through the same
``app.operations`` as the JSON API, and every button is shown, disabled or
hidden by asking the same permission vocabulary (``app.permissions`` over
``workflows.permissions``), so the pages can never allow what the API refuses. Everything
works without JavaScript.
"""

from __future__ import annotations

from flask import Flask

from app import languages
from app.web import auth, routes, security


def init_app(app: Flask) -> None:
    security.init_app(app)
    auth.init_app(app)
    languages.init_app(app)
    app.register_blueprint(routes.blueprint)
