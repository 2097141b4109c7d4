"""The REIS engine's Flask application: ``create_app()`` is the WSGI entry point."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import config
from app import calendar_feed, celery_app, cli, deadlines, extensions, health, numbers, public, text, web
from app import db as database  # the module; ``app.extensions.db`` is the extension
from app.api import api, blueprint
from app.api import errors as api_errors


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    settings = config.load(overrides)
    app = Flask(__name__, instance_path=str(config.INSTANCE_DIR))
    app.config.update({f"REIS_{k}": v for k, v in settings.items()})
    app.config.update(
        SECRET_KEY=settings["SECRET_KEY"],
        MAX_CONTENT_LENGTH=settings["MAX_CONTENT_LENGTH"],
        SQLALCHEMY_DATABASE_URI=config.sqlalchemy_url(settings["DATABASE_URL"]),
        SQLALCHEMY_ENGINE_OPTIONS=_engine_options(settings),
        TESTING=settings["ENV"] == "testing",
        JSON_SORT_KEYS=False,
    )
    if settings["DATABASE_URL"].startswith("sqlite:///"):
        config.INSTANCE_DIR.mkdir(parents=True, exist_ok=True)

    numbers.init_app(app)  # first: a route picks its converters when it is added
    text.init_app(app)
    _trust_proxies(app, settings["TRUSTED_PROXIES"])
    db = extensions.db
    db.init_app(app)
    extensions.migrate.init_app(app, db, directory=str(config.MIGRATIONS_DIR))
    with app.app_context():
        database.configure_engine(db.engine, settings["SQLITE_BUSY_TIMEOUT_MS"])
    celery_app.celery_init_app(app)
    deadlines.init_app(app)
    api_errors.register(app)
    app.register_blueprint(blueprint)
    app.register_blueprint(health.blueprint)
    web.init_app(app)
    public.init_app(app)
    app.register_blueprint(calendar_feed.blueprint)
    cli.init_app(app)
    app.extensions["reis.openapi"] = api.openapi(blueprint.url_prefix or "")
    # Last: teardowns run last-registered first, and this one must see the session
    # before anything closes it.
    database.end_read_only_requests(app)
    return app


def _trust_proxies(app: Flask, count: int) -> None:
    """Behind ``count`` reverse proxies, believe their X-Forwarded-For/-Proto/-Host/-Port/-Prefix
    (the ``count``-th value from the right), so that rate limits count the real client's
    address and not the proxy's, which every user shares. With 0 (the default) nothing is
    believed: a client could otherwise write its own X-Forwarded-For and pick its address."""
    if count:
        # Flask's documented way to wrap the WSGI app, which its types declare as a method
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count,  # type: ignore[method-assign]
                                x_port=count, x_prefix=count)


def _engine_options(settings: dict[str, Any]) -> dict[str, Any]:
    url = settings["DATABASE_URL"]
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": settings["SQLITE_BUSY_TIMEOUT_MS"] / 1000,
                                 "check_same_thread": False}}
    return {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 10,
            "connect_args": {"connect_timeout": 5}}
