"""``reis serve-all``: registered through the ``flask.commands`` entry points, so the
``reis`` group has it while ``app`` never imports ``worker``."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from app import demo
from worker.setup import prepare_embedded_broker
from worker.supervise import serve_all as supervise


@click.command("serve-all")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--demo-accounts", is_flag=True,
              help="Print the demo accounts again once web, worker and beat are up.")
@with_appcontext
def serve_all(host: str, port: int, demo_accounts: bool) -> None:
    """Run the web app, a Celery worker and beat together; Ctrl-C stops all three."""
    prepare_embedded_broker(current_app.extensions["celery"])
    closing = list(demo.accounts()) if demo_accounts else []
    raise SystemExit(supervise(host, port, closing=closing))
