"""Reading a saved Legistar Web API response one object at a time, or saying in plain words why not.

Why this module exists: the import is run on whatever a person or a script
saved, and a nightly job that imports nothing must not look like one that
imported everything. A response that cannot be read raises ``Unreadable``
with a reason a clerk can act on ("this looks like an HTML page", "this is
not UTF-8 text", "the file ends in the middle"), never a traceback.

Why it looks like this:

* Files are streamed with ``ijson`` (its C parser, yajl), one element of the
  top-level list at a time, so the memory an import needs does not grow with
  the file. ``ijson.basic_parse`` gives the events and ``_values`` builds the
  objects, counting how deep they nest: ijson's own builders keep the full
  path of every level, which for a file nested 100,000 deep is gigabytes.
* The bytes are checked as they are read (``_Checked``): UTF-8 with an exact
  offset for the first bad byte, and no run of digits longer than Python
  will turn into a number (yajl's C backend crashes the process on one).
* A top-level list is a listing; one object is one object (``/matters/17071``
  or San Jose's composite event); anything else (a bare number, a string, an
  error object with ``Message``/``ExceptionMessage``) is not a response.
"""

from __future__ import annotations

import codecs
import io
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

import ijson

from workflows.legistar_values import Unreadable, printable, shown

MAX_DEPTH = 32  # San Jose's composite file, the deepest real response, nests 7 levels
CHUNK = 1 << 16
ERROR_KEYS = ("Message", "ExceptionMessage", "ExceptionType", "MessageDetail", "StackTrace")
_WHITESPACE = b" \t\r\n"


class Source(Protocol):
    """Something read twice by one import: once to check and index it, once to apply it."""

    @property
    def name(self) -> str: ...

    def objects(self) -> Iterator[Any]: ...


@dataclass(frozen=True)
class SavedFile:
    path: Path

    @property
    def name(self) -> str:
        return str(self.path)

    def objects(self) -> Iterator[Any]:
        try:
            with open(self.path, "rb") as stream:
                yield from read(stream)
        except OSError as exc:
            raise Unreadable(f"the file cannot be opened: {exc.strerror or exc}") from None


@dataclass(frozen=True)
class Payload:
    """A response already decoded (the live client's pages, a test's objects)."""

    name: str
    payload: Any

    def objects(self) -> Iterator[Any]:
        check_response(self.payload)
        yield from self.payload if isinstance(self.payload, list) else [self.payload]


def read(stream: BinaryIO) -> Iterator[Any]:
    """The objects of one response: each element of a top-level list, or the one object."""
    checked = _Checked(stream)
    for value, top in _values(checked, split=True):
        if not top:
            yield value
        elif not isinstance(value, list):
            check_response(value)
            yield value


def decode(body: bytes) -> Any:
    """A whole response in memory (the live client's page), checked like a file."""
    ((value, _),) = _values(_Checked(io.BytesIO(body)), split=False)
    check_response(value)
    return value


def check_response(value: Any) -> None:
    """A list or one object; an error object or a bare value is not a response."""
    if isinstance(value, list):
        return
    if not isinstance(value, dict):
        what = ("null" if value is None else "true or false" if isinstance(value, bool)
                else f"a bare {'text' if isinstance(value, str) else 'number'} ({shown(value)})")
        raise Unreadable(f"this is {what}, not a Legistar response (a list of objects or one object)")
    if any(key in value for key in ERROR_KEYS) and not any(key.endswith("Id") for key in value):
        said = " ".join(str(value[k]) for k in ("Message", "ExceptionMessage") if value.get(k))
        raise Unreadable("this is an error from the Legistar Web API, not data"
                         + (f": {printable(said[:200])}" if said else ""))


# -- the parser ----------------------------------------------------------------------

def _values(stream: _Checked, split: bool) -> Iterator[tuple[Any, bool]]:
    """(value, is_top_level) pairs. ``split``: each element of a top-level list is yielded as it
    is completed, then the (empty) list itself; otherwise only the top-level value, whole."""
    stack: list[Any] = []
    keys: list[Any] = []
    began = False
    try:
        for event, value in ijson.basic_parse(stream, buf_size=CHUNK):
            began = True
            if event == "map_key":
                keys[-1] = value
                continue
            element = split and len(stack) == 1 and isinstance(stack[0], list)
            if event in ("start_map", "start_array"):
                if len(stack) >= MAX_DEPTH:
                    raise Unreadable(f"it is nested more than {MAX_DEPTH} levels deep; a Legistar "
                                     "response is a list of objects a few levels deep")
                container: Any = {} if event == "start_map" else []
                if stack and not element:
                    _add(stack[-1], keys[-1], container)
                stack.append(container)
                keys.append(None)
                continue
            if event in ("end_map", "end_array"):
                value = stack.pop()
                keys.pop()
                if not stack:
                    yield value, True
                elif split and len(stack) == 1 and isinstance(stack[0], list):
                    yield value, False
            elif not stack:
                yield value, True
            elif element:
                yield value, False
            else:
                _add(stack[-1], keys[-1], value)
    except ijson.JSONError as exc:
        raise Unreadable(stream.explain(exc, began)) from None


def _add(parent: Any, key: Any, value: Any) -> None:
    if isinstance(parent, list):
        parent.append(value)
    else:
        parent[key] = value


class _Checked:
    """A binary stream read for ijson: UTF-8 and number lengths checked on the way."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.offset = 0  # bytes handed to the parser so far
        self.started = False
        self._utf8 = codecs.getincrementaldecoder("utf-8")("strict")
        self._digits = min(sys.get_int_max_str_digits() or 4300, 4300)
        self._long_number = re.compile(rb"[0-9]{%d,}" % (self._digits + 1))
        self._tail = b""  # the digits that ended the previous chunk
        self.head = b""  # the first bytes, to quote

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            return b""
        chunk = self.raw.read(CHUNK if size is None or size < 0 else size)
        if not self.started:
            chunk = self._start(chunk)
        self._check(chunk)
        self.offset += len(chunk)
        return chunk

    def _start(self, chunk: bytes) -> bytes:
        while len(chunk) < 4 and (more := self.raw.read(CHUNK)):
            chunk += more
        self.started = True
        if chunk.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
            raise Unreadable("this is UTF-32 text, not UTF-8; save the response as UTF-8")
        if chunk.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise Unreadable("this is UTF-16 text, not UTF-8 (as PowerShell's '>' saves it); "
                             "save the response as UTF-8")
        chunk = chunk.removeprefix(codecs.BOM_UTF8)
        first = chunk.lstrip(_WHITESPACE)[:1]
        while not first and (more := self.raw.read(CHUNK)):
            chunk, first = more, more.lstrip(_WHITESPACE)[:1]
        if not first:
            raise Unreadable("the file is empty")
        if first == b"<":
            raise Unreadable("this looks like an HTML page (an error or sign-in page?), "
                             "not a Legistar response")
        self.head = chunk[:64]
        return chunk

    def _check(self, chunk: bytes) -> None:
        pending = self._utf8.getstate()[0]
        try:
            self._utf8.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            data = pending + chunk
            where = self.offset - len(pending) + exc.start
            raise Unreadable(f"this is not UTF-8 text: byte 0x{data[exc.start]:02X} at offset {where} "
                             "cannot be read (saved as Windows-1252 or Latin-1?); Legistar sends "
                             "UTF-8, so save the response as it came") from None
        run = self._tail + chunk
        if self._long_number.search(run):
            raise Unreadable(f"it holds a number with more than {self._digits:,} digits "
                             f"(near offset {self.offset})")
        digits = len(run) - len(run.rstrip(b"0123456789"))
        self._tail = run[len(run) - digits:] if digits else b""

    def explain(self, exc: Exception, began: bool) -> str:
        said = str(exc).split("\n", 1)[0].strip()
        if "premature EOF" in said:
            return ("the file ends in the middle of the JSON (it was cut off); "
                    "save or download the response again")
        if "trailing garbage" in said:
            return "there is more after the JSON ends (two responses in one file?)"
        if not began:
            start = self.head.decode("utf-8", "replace").strip()[:40]
            return f"this is not JSON: it begins {printable(repr(start))}"
        return f"this is not valid JSON ({said}, in the first {self.offset:,} bytes)"
