"""``reis audit verify``, ``reis export`` and ``reis import``: the record's integrity
and its copy out of and back into the database (see app/operations/audit.py)."""

from __future__ import annotations

import click

from app.errors import OperationError
from app.operations import audit as record

audit = click.Group("audit", help="Check the record's integrity.")


@audit.command("verify")
def audit_verify():
    """Walk every statement's hash-chained history; exit 1 on the first broken link of any chain."""
    report = record.verify()
    if not report.ok:
        for broken in report.breaks:
            click.echo(f"BROKEN {broken}", err=True)
        click.echo(f"{len(report.breaks)} of {report.chains} history chains are broken "
                   f"({report.rows} events walked)", err=True)
        raise SystemExit(1)
    click.echo(f"{report.chains} history chains intact ({report.rows} events)")
    click.echo(f"record digest {report.digest}")


@click.command("export")
@click.option("--output", "output", type=click.File("w", encoding="utf-8", atomic=True), default="-",
              help="File to write (default: standard output).")
@click.option("--include-credentials", is_flag=True,
              help="Also export password hashes and API token hashes (keep the file secret).")
def export(output, include_credentials):
    """Write the whole record (departments, users, items, statements, revisions, history,
    notifications) as JSON Lines."""
    counts = record.export(output.write, include_credentials=include_credentials)
    output.flush()
    click.echo("exported " + ", ".join(f"{n} {name}" for name, n in counts.items()), err=True)


@click.command("import")
@click.argument("path", type=click.File("r", encoding="utf-8"))
def import_(path):
    """Load an export into an empty, migrated database; then check its history."""
    try:
        counts = record.import_record(path)
    except OperationError as exc:
        raise click.ClickException(exc.message) from None
    click.echo("imported " + ", ".join(f"{n} {name}" for name, n in counts.items()))
    report = record.verify()
    if not report.ok:
        for broken in report.breaks:
            click.echo(f"BROKEN {broken}", err=True)
        click.echo("imported, but the record's history is broken (see above)", err=True)
        raise SystemExit(1)
    click.echo(f"{report.chains} history chains intact; record digest {report.digest}")


def init_app(app) -> None:
    for command in (audit, export, import_):
        app.cli.add_command(command)
