"""Text from people, on the way in and on the way out: no NUL, no direction tricks.

**NUL (U+0000)** is refused in every string, at every depth (an answer, a
choice, a key): PostgreSQL cannot store it in a text column nor compare one
with it (the request failed with a 500 there, while SQLite stored it), and no
person types it. The API refuses it with 422 ``invalid`` naming where it was
(``nul_paths``), the web forms with an error next to the field
(``forms.base.BaseForm``), and a path part holding it is a 404.

**Bidirectional controls** (the embeddings, overrides and isolates
U+202A to U+202E and U+2066 to U+2069, and the invisible marks U+200E, U+200F and
U+061C: Unicode's ``Bidi_Control`` set) let a name such as
``"Pat \\u202egnp.exe"`` read as "Pat exe.png", and an unclosed override
reverses whatever follows it on the line: the role next to a name, the rest
of a mail's sentence. They are stripped from the short texts that name
things, people's names, department names and item titles, once, by the
operations that write them (``plain``). Long texts (answers, comments,
recommendations) keep them: a statement written in Arabic or Hebrew may need
them, and those are shown in blocks of their own.

Everything a person typed is also *isolated* where it is shown, so that even
strong right-to-left letters cannot reorder the words around it: ``<bdi>`` in
pages and HTML mail (the ``bdi`` filter), FSI…PDI (U+2068…U+2069) in plain
text such as text mail and calendar entries (``isolate``). Both also strip the
controls, so rows written before stripping existed are shown as safely as new
ones and need no migration.
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import Flask, abort, request
from markupsafe import Markup, escape

from app.errors import invalid

NUL = "\x00"
NUL_MESSAGE = "must not contain the NUL character (U+0000)"
#: Unicode's Bidi_Control characters
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_STRIP = dict.fromkeys(map(ord, BIDI_CONTROLS))
FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"


def nul_paths(value: object, path: str = "") -> Iterator[str]:
    """Where NUL occurs in a JSON-like value: "title", "answers.proposal", "answers.groups.1"."""
    if isinstance(value, str):
        if NUL in value:
            yield path or "$"
    elif isinstance(value, dict):
        for key, inner in value.items():
            where = f"{path}.{key}" if path else str(key)
            if NUL in str(key):
                yield where
            yield from nul_paths(inner, where)
    elif isinstance(value, list | tuple):
        for index, inner in enumerate(value):
            yield from nul_paths(inner, f"{path}.{index}" if path else str(index))


def strip_bidi(value: str) -> str:
    return value.translate(_STRIP)


def plain(value: str, field: str) -> str:
    """A name or title as stored: without direction controls, and not blank for want of them."""
    cleaned = strip_bidi(value)
    if value.strip() and not cleaned.strip():
        raise invalid({field: "must contain letters, not only direction marks"})
    return cleaned


def isolate(value: object) -> str:
    """Plain text (a text mail, a calendar entry): stripped, then FSI … PDI around it."""
    if value is None:
        return ""
    return f"{FIRST_STRONG_ISOLATE}{strip_bidi(str(value))}{POP_DIRECTIONAL_ISOLATE}"


def bdi(value: object) -> Markup:
    """HTML (pages, HTML mail): stripped, escaped, and in a ``<bdi>`` of its own."""
    if value is None:
        return Markup("")
    return Markup("<bdi>%s</bdi>") % escape(strip_bidi(str(value)))


def _refuse_nul_in_path(_endpoint: str | None, values: dict | None) -> None:
    """A path part with NUL names nothing: 404 before any view queries with it (PostgreSQL
    cannot compare text holding NUL). The API does the same in its own ``before_request``,
    after authenticating, so that a missing token is still its first answer."""
    if values and request.blueprint != "api" and any(NUL in str(v) for v in values.values()):
        abort(404)


def init_app(app: Flask) -> None:
    app.add_template_filter(bdi, "bdi")
    app.add_template_filter(isolate, "isolate")
    app.url_value_preprocessor(_refuse_nul_in_path)
