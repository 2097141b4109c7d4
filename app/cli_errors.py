"""How a ``reis`` command reports an operation's refusal: one line, exit status 1."""

from __future__ import annotations

from typing import NoReturn

import click

from app.errors import OperationError


def fail(exc: OperationError) -> NoReturn:
    """Turn ``exc`` into click's error: its sentence, then what is wrong with each field."""
    fields = exc.extra.get("fields")
    detail = "; ".join(f"{k}: {v}" for k, v in fields.items()) if fields else ""
    raise click.ClickException(f"{exc.message} {detail}".strip())
