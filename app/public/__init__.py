"""What the public and the agenda packet get: published statements, their feed and PDFs.

``public`` needs no sign-in and shows only published statements (approved,
item agendized); ``packets`` serves the agenda-packet PDF of any approved
statement to a signed-in user (Bearer token), for the clerk assembling a
packet before the item is agendized.
"""

from __future__ import annotations

from flask import Flask

from app.public import views


def init_app(app: Flask) -> None:
    app.register_blueprint(views.public)
    app.register_blueprint(views.packets)
