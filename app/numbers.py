"""Whole numbers from outside (a path, a query, a form field): parsed once, here.

Why not ``int()`` or ``str.isdigit``: both accept "²", "١٢" and full-width
digits, ``int()`` raises on more than 4,300 digits, and a number that parses
can still be too big for the database (SQLite stops at 2**63 - 1 with an
``OverflowError`` in the driver, PostgreSQL's ``integer`` at 2**31 - 1 with
``NumericValueOutOfRange``): each of those was a 500. A number here is ASCII
digits, at most ten of them, and at most ``DB_INT_MAX``; anything else is
"no number", which a route answers with 404 and a form or a query with 422.

``IdConverter`` replaces Flask's ``int`` converter for every route, so a
``<int:user_id>`` can never hand a view a number the database cannot hold.
"""

from __future__ import annotations

import re

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

#: the largest id or version a column can hold on both databases (PostgreSQL ``integer``)
DB_INT_MAX = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")


def whole_number(raw: object, maximum: int = DB_INT_MAX) -> int | None:
    """``raw`` as a whole number from 0 to ``maximum``, or None if it is anything else."""
    if not isinstance(raw, str) or _DIGITS.fullmatch(raw) is None:
        return None
    number = int(raw)
    return number if number <= maximum else None


class IdConverter(IntegerConverter):
    """``<int:name>``: ASCII digits only (werkzeug's ``\\d`` also matches other scripts'
    digits), no more than ten of them, and at most ``DB_INT_MAX``; else the route does not
    match (404)."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map: Map, *args, **kwargs) -> None:
        kwargs.setdefault("max", DB_INT_MAX)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Before any route is added: a rule picks its converter when it is added."""
    app.url_map.converters["int"] = IdConverter
