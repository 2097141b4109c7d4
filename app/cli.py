"""The ``reis`` command line (a Flask CLI group): see API.md."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import Flask
from flask.cli import FlaskGroup

from app import audit_cli, legistar_cli, screening_cli
from app.errors import OperationError
from workflows.statement import Role


def main() -> None:
    FlaskGroup(create_app=_create_app, help="The REIS engine's command line.").main(prog_name="reis")


def _create_app() -> Flask:
    """The app, or a one-line "Error: ..." (exit 1) instead of a traceback on bad settings."""
    from app import create_app
    from config import ConfigError

    try:
        return create_app()
    except ConfigError as exc:
        raise click.ClickException(f"refusing to start: {exc}") from None


def _fail(exc: OperationError):
    fields = exc.extra.get("fields")
    detail = "; ".join(f"{k}: {v}" for k, v in fields.items()) if fields else ""
    raise click.ClickException(f"{exc.message} {detail}".strip())


departments = click.Group("departments", help="Manage departments.")
users = click.Group("users", help="Manage users and their API tokens.")
reminders = click.Group("reminders", help="Deadline reminders.")


@departments.command("create")
@click.option("--code", required=True)
@click.option("--name", required=True)
@click.option("--escalation-email", default=None, help="Copied on unanswered reminders.")
def departments_create(code, name, escalation_email):
    from app.operations import people

    try:
        people.create_department(code, name, escalation_email)
    except OperationError as exc:
        _fail(exc)
    click.echo(f"created department {code}")


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--department", default=None, help="Department code (staff and approvers).")
@click.option("--password", default=None)
@click.option("--token", is_flag=True, help="Print a new API token as the last line.")
def users_create(email, name, role, department, password, token):
    from app.operations import people

    try:
        user = people.create_user(email, name, role, department, password)
    except OperationError as exc:
        _fail(exc)
    click.echo(f"created user {email} ({role})")
    if token:
        click.echo(people.issue_token(user, name="cli"))


@reminders.command("sweep")
@click.option("--now", "now", default=None, help="ISO timestamp to sweep as of (default: now).")
def reminders_sweep(now):
    from app.operations import sweep

    when = datetime.now(UTC)
    if now:
        try:
            when = datetime.fromisoformat(now)
        except ValueError:
            raise click.BadParameter("must be an ISO 8601 timestamp", param_hint="--now") from None
        if when.tzinfo is None:
            raise click.BadParameter("give a UTC offset, e.g. 2026-12-01T09:00:00-08:00",
                                     param_hint="--now")
    sent = sweep.run(when)
    click.echo(f"{sent} reminders sent")


@click.command("demo")
def demo():
    """Load demonstration departments, users and items (idempotent)."""
    from app import demo as demo_data

    try:
        for line in demo_data.load():
            click.echo(line)
    except RuntimeError as exc:  # the production refusal: a message, not a traceback
        raise click.ClickException(str(exc)) from None


@click.command("serve-all")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve_all(host, port):
    """Run the web app, a Celery worker and beat together; Ctrl-C stops all three."""
    from flask import current_app

    from worker.celery_app import for_app, prepare_embedded_broker
    from worker.supervise import serve_all as supervise

    prepare_embedded_broker(for_app(current_app))
    raise SystemExit(supervise(host, port))


def init_app(app: Flask) -> None:
    for command in (departments, users, reminders, demo, serve_all):
        app.cli.add_command(command)
    audit_cli.init_app(app)
    legistar_cli.init_app(app)
    screening_cli.init_app(app)
