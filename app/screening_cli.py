"""``reis screening rules list|set|remove``: ODE's rules by item type, from a terminal.

An operator on the server acts as the system (the permission vocabulary lets the
system set the rules, as it lets ODE reviewers and administrators); the web page
and ``PUT /api/v1/screening/rules`` are the same rules.
"""

from __future__ import annotations

import json

import click
from flask import Flask

from app.cli_errors import fail
from app.errors import OperationError
from app.operations import screening as ops
from workflows.screening import CATEGORY_KEYS

screening = click.Group("screening", help="Screening: ODE's rules by item type.")
rules = click.Group("rules", help="Items of a named type start as exemption requests in a category.")
screening.add_command(rules)
OPERATOR = None  # the system: whoever runs the command on the server


@rules.command("list")
@click.option("--json", "as_json", is_flag=True, help='Print {"item_types": {...}} as the API does.')
def rules_list(as_json):
    """Print each rule: item type, then its exemption category."""
    found = ops.as_map()
    if as_json:
        click.echo(json.dumps({"item_types": found}, ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("No screening rules: every item is screened on its own.")
    width = max((len(t) for t in found), default=0)
    for item_type, category in found.items():
        click.echo(f"{item_type:<{width}}  ->  {category}")


@rules.command("set")
@click.option("--item-type", required=True, help='As on the items, e.g. "Ceremonial Item" (case and '
                                                  "spaces do not matter).")
@click.option("--category", required=True, type=click.Choice(CATEGORY_KEYS))
def rules_set(item_type, category):
    """Add the rule for an item type, or change its category."""
    try:
        rule = ops.set_rule(OPERATOR, item_type, category)
    except OperationError as exc:
        fail(exc)
    click.echo(f"items of type {rule.item_type!r} now start as exemption requests ({rule.category})")


@rules.command("remove")
@click.option("--item-type", required=True)
def rules_remove(item_type):
    """Remove the rule for an item type: its new items are screened on their own again."""
    try:
        ops.remove_rule(OPERATOR, item_type)
    except OperationError as exc:
        fail(exc)
    click.echo(f"removed the rule for item type {item_type.strip()!r}")


def init_app(app: Flask) -> None:
    app.cli.add_command(screening)
