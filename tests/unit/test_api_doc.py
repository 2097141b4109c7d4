"""docs/API.md, the contract in the repository's own words, keeps up with the code.

Every route of the JSON API (``/api/v1``), every setting and every ``reis`` command
must be in the document, and the document names no API route the app does not
have. Paths are compared as the document writes them: ``<int:notification_id>``
in a Flask rule is ``{notification_id}`` there.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from flask import Flask

import config
from app import create_app
from app.api.errors import _HTTP_CODES

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "API.md").read_text(encoding="utf-8")
API_PREFIX = "/api/v1"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
#: ``METHOD /api/v1/...`` between backticks, as the document's tables write a route
DOC_ROUTE = re.compile(r"`(" + "|".join(METHODS) + r") (/api/v1/[^`\s?]*)")


def doc_path(rule: str) -> str:
    """``/items/<file_id>`` and ``/n/<int:notification_id>/read`` as the document writes them."""
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule)


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Flask:
    database = tmp_path_factory.mktemp("doc") / "reis.sqlite3"
    return create_app({"ENV": "testing", "DATABASE_URL": f"sqlite:///{database}"})


def api_routes(app: Flask) -> set[tuple[str, str]]:
    return {(method, doc_path(rule.rule))
            for rule in app.url_map.iter_rules() if rule.rule.startswith(API_PREFIX + "/")
            for method in rule.methods or () if method in METHODS}


def test_paths_are_written_as_in_the_document():
    assert doc_path("/api/v1/items/<file_id>/statement") == "/api/v1/items/{file_id}/statement"
    assert doc_path("/api/v1/notifications/<int:notification_id>/read") == \
        "/api/v1/notifications/{notification_id}/read"


def test_the_app_has_api_routes(app):
    assert ("GET", "/api/v1/items/{file_id}") in api_routes(app)  # the test looks where routes are


def test_every_api_route_is_documented(app):
    missing = sorted(f"{method} {path}" for method, path in api_routes(app)
                     if f"`{method} {path}`" not in DOC)
    assert not missing, "routes missing from docs/API.md:\n" + "\n".join(missing)


def test_the_document_names_no_api_route_the_app_lacks(app):
    documented = set(DOC_ROUTE.findall(DOC))
    assert documented, "the document's routes were not found: has its table format changed?"
    invented = sorted(f"{m} {p}" for m, p in documented - api_routes(app))
    assert not invented, "docs/API.md names routes the app does not have:\n" + "\n".join(invented)


def test_every_setting_is_documented():
    missing = sorted(f"REIS_{name}" for name in config.DEFAULTS if f"`REIS_{name}`" not in DOC)
    assert not missing, "settings missing from docs/API.md:\n" + "\n".join(missing)


def test_the_configuration_table_names_only_settings():
    section = DOC.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `REIS_([A-Z_]+)`", section, flags=re.MULTILINE)
    assert rows and set(rows) <= set(config.DEFAULTS)


def leaf_commands(group: click.Group, prefix: str = "") -> list[str]:
    found = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix}{name}"
        if isinstance(command, click.Group):
            found.extend(leaf_commands(command, path + " "))
        else:
            found.append(path)
    return found


def test_every_reis_command_is_documented(app):
    # Flask-Migrate's ``db`` group has many commands; ``reis db upgrade`` is the one we promise.
    ours = [c for c in leaf_commands(app.cli) if not c.startswith("db ")] + ["db upgrade", "serve-all"]
    missing = sorted(c for c in ours if f"`reis {c}" not in DOC)
    assert not missing, "reis commands missing from docs/API.md:\n" + "\n".join(missing)


#: Codes that only the command line meets (``reis import``, ``reis legistar readiness``); it
#: prints their sentence, never the code, so the API's table has no row for them.
COMMAND_LINE_CODES = {"not_empty", "invalid_export", "ambiguous"}
#: How the code spells an error: ``code="x"``, ``conflict("x", …)``, a refusal's
#: ``(status, "x", …)``, and the envelope's own ``envelope(status, "x", …)``.
RAISED = re.compile(r"""code="([a-z_]+)"|conflict\("([a-z_]+)"|\(\s*[0-9]{3},\s*"([a-z_]+)\"""")


def raised_codes() -> set[str]:
    found = set(_HTTP_CODES.values())
    for package in ("app", "workflows"):
        for source in (ROOT / package).rglob("*.py"):
            for groups in RAISED.findall(source.read_text(encoding="utf-8")):
                found.update(g for g in groups if g)
    return found - COMMAND_LINE_CODES


def test_the_code_search_finds_codes():
    assert {"invalid_transition", "not_agendizable", "too_large", "unavailable"} <= raised_codes()


def test_every_error_code_is_in_the_envelope_table():
    table = DOC.split("### The error envelope", 1)[1].split("\n### ", 1)[0]
    listed = set(re.findall(r"^\| [0-9]{3} \| `([a-z_]+)`", table, flags=re.MULTILINE))
    missing = sorted(raised_codes() - listed)
    assert not missing, "error codes missing from docs/API.md's envelope table:\n" + "\n".join(missing)
