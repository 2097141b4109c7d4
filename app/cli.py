"""The ``reis`` commands that ``create_app`` registers (API.md, "The command line").

The console script itself is ``app.console.main``; ``reis serve-all`` is the
worker side's (``worker/cli.py``, a ``flask.commands`` entry point).
"""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import Flask

from app import annual_report, audit_cli, legistar_cli, screening_cli
from app import demo as demo_data
from app.cli_errors import fail
from app.errors import OperationError
from app.operations import lookup, narratives, outbox, people, sweep
from workflows.statement import Role

departments = click.Group("departments", help="Manage departments.")
users = click.Group("users", help="Manage users and their API tokens.")
reminders = click.Group("reminders", help="Deadline reminders.")
report = click.Group("report", help="Reports for the Racial Equity Committee.")


@departments.command("create")
@click.option("--code", required=True)
@click.option("--name", required=True)
@click.option("--escalation-email", default=None, help="Copied on unanswered reminders.")
def departments_create(code, name, escalation_email):
    try:
        people.create_department(code, name, escalation_email)
    except OperationError as exc:
        fail(exc)
    click.echo(f"created department {code}")


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--department", default=None, help="Department code (staff and approvers).")
@click.option("--password", default=None)
@click.option("--token", is_flag=True, help="Print a new API token as the last line.")
def users_create(email, name, role, department, password, token):
    try:
        user = people.create_user(email, name, role, department, password)
    except OperationError as exc:
        fail(exc)
    click.echo(f"created user {email} ({role})")
    if token:
        click.echo(people.issue_token(user, name="cli"))


@users.command("token")
@click.option("--email", required=True, help="The user's email (any case).")
def users_token(email):
    """Print a new API token for an existing user as the last line."""
    try:
        user = lookup.user_by_email(email)
    except OperationError as exc:
        fail(exc)
    if not user.active:
        raise click.ClickException(f"{user.email} is deactivated: reactivate the account first.")
    click.echo(f"new API token for {user.email} ({user.role.value}); it is shown only once:")
    click.echo(people.issue_token(user, name="cli"))


@reminders.command("sweep")
@click.option("--now", "now", default=None, help="ISO timestamp to sweep as of (default: now).")
def reminders_sweep(now):
    """Claim the reminders due as of --now, then deliver them at once (not at the next relay)."""
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
    if sent:
        outbox.relay()
    click.echo(f"{sent} reminders sent")


@report.command("annual")
@click.option("--year", required=True, type=click.IntRange(narratives.FIRST_YEAR, narratives.LAST_YEAR))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True),
              help="Where to write the PDF.")
def report_annual(year, out):
    """Write the annual progress report (the year's metrics, charts and narratives) as a PDF."""
    data = annual_report.render(year)
    with open(out, "wb") as f:
        f.write(data)
    click.echo(f"Wrote the {year} annual progress report to {out} ({len(data):,} bytes).")


@click.command("demo")
def demo():
    """Load demonstration departments, users and items (idempotent)."""
    try:
        for line in demo_data.load():
            click.echo(line)
    except RuntimeError as exc:  # the production refusal: a message, not a traceback
        raise click.ClickException(str(exc)) from None


def init_app(app: Flask) -> None:
    for command in (departments, users, reminders, report, demo):
        app.cli.add_command(command)
    audit_cli.init_app(app)
    legistar_cli.init_app(app)
    screening_cli.init_app(app)
