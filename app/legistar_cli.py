"""``reis legistar import`` and ``reis legistar readiness``: the city's agenda system from a terminal.

Why it looks like this: the import is run by people and by nightly jobs, and
a job can only read the exit status, so the status says how the run went
(``EXIT_*``, also in ``--help`` and the README). Every line printed goes
through ``printable``: a value read from a file cannot split a line or turn it
around.
"""

from __future__ import annotations

import json
import textwrap
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import click
from flask import Flask, current_app

from app.errors import OperationError
from app.legistar_client import LegistarClient, LegistarError
from app.operations import legistar as ops
from app.operations import legistar_meetings as meetings
from workflows.legistar_values import INT_MAX, printable

EXIT_OK = 0  # every response read, every row applied (agenda headings aside)
EXIT_UNREADABLE = 1  # a file or Web API response could not be read
EXIT_USAGE = 2  # bad options or settings: nothing was read or written
EXIT_NOT_APPLIED = 3  # all read, but some rows were not applied (or not in full)

legistar = click.Group("legistar", help="Import items and meetings from the city's Legistar.")


class Refused(click.ClickException):
    """Bad options or settings: exit 2, like click's own usage errors."""

    exit_code = EXIT_USAGE


def _refuse(exc: OperationError):
    fields = exc.extra.get("fields")
    detail = "; ".join(f"{k}: {v}" for k, v in fields.items()) if fields else ""
    raise Refused(printable(f"{exc.message} {detail}".strip()))


def _since(value: str | None) -> datetime | None:
    """A date is midnight in the city; a timestamp without an offset is city time too."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("must be a date (YYYY-MM-DD) or an ISO timestamp",
                                 param_hint="--since") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(current_app.config["REIS_TIMEZONE"]))
    return moment


@legistar.command("import")
@click.option("--client", default=None, help="Legistar client name (e.g. sanjose): read the Web API.")
@click.option("--base-url", default=None, help="Web API root (default REIS_LEGISTAR_BASE_URL).")
@click.option("--token", default=None, help="Web API token (default REIS_LEGISTAR_TOKEN).")
@click.option("--since", default=None, help="Only matters changed since this date (default: the last run).")
@click.option("--file", "files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="A saved Web API response (repeatable); --client then only names the source.")
@click.option("--default-department", default=None, help="Owns what the department map does not place.")
@click.option("--strict", is_flag=True, help="Stop at the first file that cannot be read; write nothing.")
@click.option("--dry-run", is_flag=True,
              help="Read and check everything and say what would change (and which file numbers "
                   "REIS_FILE_ID_PATTERN rejects); write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def import_(client, base_url, token, since, files, default_department, strict, dry_run, as_json):
    """Create or update items from Legistar matters, meetings and agendas (idempotent).

    A file that cannot be read (an HTML page, not UTF-8, empty, cut off, an
    error object...) is reported and left out; the others are still applied,
    unless --strict.

    \b
    Exit status:
      0  every response was read and every row applied (agenda headings aside)
      1  a file or Web API response could not be read (the rest was applied,
         unless --strict, or the live Web API, where nothing is written then)
      2  bad options or settings: nothing was read or written
      3  everything was read, but some rows were not applied (see "skipped")
    """
    if not files and not client:
        raise click.UsageError("give --client NAME (live Web API) or --file PATH (saved responses)")
    if files and (base_url or token or since):
        raise click.UsageError("--base-url, --token and --since are for the live Web API, not --file")
    config = current_app.config
    try:
        if files:
            report = ops.import_files(files, client or "file", default_department, strict=strict,
                                      dry_run=dry_run)
        else:
            api = LegistarClient(base_url or config["REIS_LEGISTAR_BASE_URL"], client,
                                 token or config["REIS_LEGISTAR_TOKEN"], config["REIS_LEGISTAR_PAGE_SIZE"])
            report = ops.import_live(api, client, _since(since), default_department, dry_run=dry_run)
    except OperationError as exc:
        _refuse(exc)
    except LegistarError as exc:
        click.echo(printable(f"Error: {exc}"), err=True)
        click.echo("nothing was written", err=True)
        click.get_current_context().exit(EXIT_UNREADABLE)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        for line in summary(report):
            click.echo(printable(line))
    click.get_current_context().exit(exit_status(report))


def exit_status(report: ops.Report) -> int:
    if report.unreadable:
        return EXIT_UNREADABLE
    return EXIT_NOT_APPLIED if report.rejected else EXIT_OK


def summary(report: ops.Report) -> list[str]:
    """The report for a person; the caller prints each line through ``printable``."""
    would = "would be " if report.dry_run else ""
    lines = ["dry run: nothing was written"] if report.dry_run else []
    read = ", ".join(f"{kind.replace('_', ' ')} {n}" for kind, n in sorted(report.read.items()))
    lines.append(f"read: {read or 'nothing'}")
    if report.unreadable:
        count = len(report.unreadable)
        lines.append(f"could not read: {count} file{'s' if count > 1 else ''}")
        lines.extend(f"  - {s.ref}: {s.reason}" for s in report.unreadable)
    if report.stopped:
        lines.append("stopped at the first file that could not be read (--strict): nothing was written")
        return lines
    lines += [f"items: {len(report.created)} {would}created, {len(report.updated)} {would}updated "
              f"({len(report.reopened)} statements {would}reopened), {report.unchanged} unchanged",
              f"meetings: {report.events_written} {would}written; agenda rows: {report.event_items_written} "
              f"{would}written, {report.event_items_removed} {would}removed"]
    kinds = Counter(s.kind for s in report.skips)
    lines.append("skipped: " + (", ".join(f"{k.replace('_', ' ')} {n}" for k, n in sorted(kinds.items()))
                                if kinds else "nothing"))
    lines.extend(f"  - {s.kind}: {s.ref}: {s.reason}" for s in report.rejected)
    if report.warnings:
        lines.append("warnings:")
        lines.extend(f"  - {s.kind}: {s.ref}: {s.reason}" for s in report.warnings)
    if report.reopened:
        lines.append(f"{would}reopened: " + ", ".join(report.reopened))
    return lines


@legistar.command("readiness")
@click.option("--event", "event_id", required=True, type=click.IntRange(1, INT_MAX),
              help="The Legistar EventId.")
@click.option("--client", default=None, help="Which client's event, if several were imported.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def readiness(event_id, client, as_json):
    """A meeting's agenda in order, with the gate's answer for each item."""
    try:
        result = meetings.readiness(event_id, client)
    except OperationError as exc:
        raise click.ClickException(printable(exc.message)) from None
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    for line in table(result):
        click.echo(printable(line))


def table(result: dict) -> list[str]:
    when = result["date"] + (f" {result['time']}" if result["time"] else "")
    lines = [f"{result['body'] or 'Meeting'} — {when} (event {result['event_id']}, "
             f"agenda {result['agenda_status'] or 'unknown'})", ""]
    head = f"{'#':<8} {'file':<16} {'statement':<18} {'ready':<6} title / reasons"
    lines += [head, "-" * len(head)]
    rows = [r for r in result["items"] if r["kind"] != "heading"]
    for row in result["items"]:
        number = (row["agenda_number"] or "")[:8]
        title = " ".join(row["title"].split())
        if row["kind"] == "heading":
            lines.append(f"{number:<8} {textwrap.shorten(title.upper(), 80, placeholder='…')}")
            continue
        state = row["statement_state"] or "not imported"
        ready = {True: "yes", False: "NO", None: "—"}[row["agendizable"]]
        lines.append(f"{number:<8} {row['file_id']:<16} {state:<18} {ready:<6} "
                     f"{textwrap.shorten(title, 60, placeholder='…')}")
        lines.extend(f"{'':<50}· {r['message']}" for r in row["reasons"])
    agendizable = sum(1 for r in rows if r["agendizable"])
    lines += ["", f"{agendizable} of {len(rows)} items agendizable"]
    return lines


def init_app(app: Flask) -> None:
    app.cli.add_command(legistar)
