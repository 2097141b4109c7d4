"""The ``reis`` console script: Flask's CLI group around ``create_app`` (API.md, "The command line").

Apart from ``app.cli`` (the commands, which ``create_app`` registers) so that
the app never imports the module that imports it. Commands of the worker
side (``reis serve-all``) come in through the ``flask.commands`` entry points
(``pyproject.toml``), which ``FlaskGroup`` loads: ``app`` never imports ``worker``.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup

from app import create_app
from config import ConfigError


def main() -> None:
    FlaskGroup(create_app=_create_app, help="The REIS engine's command line.").main(prog_name="reis")


def _create_app() -> Flask:
    """The app, or a one-line "Error: ..." (exit 1) instead of a traceback on bad settings."""
    try:
        return create_app()
    except ConfigError as exc:
        raise click.ClickException(f"refusing to start: {exc}") from None


if __name__ == "__main__":
    main()
