"""The record's integrity: check the history's hash chains; export the whole
record to JSON Lines and import it into an empty database.

``verify`` walks every statement's chain and reports the first broken link of
each: a row whose content no longer matches its hash (edited), whose
``prev_hash`` is not the previous row's hash (a row before it was removed,
inserted or re-hashed), a gap in ``seq`` (a row removed), or a statement row
that disagrees with where its history ends (its state or agenda flag edited,
or its last events cut off).

The export is one header line and then one line per row, table by table in
foreign-key order and by id within a table, with every column. Ids are kept,
so references (and the hashes, which cover ``statement_id``) hold after an
import, and a re-export of an imported database is byte-for-byte the same.
Credentials (password hashes, API token hashes) are left out unless asked
for: a record given to an auditor or a court should not carry them, while a
move to a new server may want them.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, func, select, text
from sqlalchemy.types import TypeDecorator

from app.db import write_transaction
from app.errors import OperationError, conflict
from app.extensions import db
from app.models import HistoryEvent, Item, Statement
from app.models.history import GENESIS, content_hash
from workflows.states import Event

FORMAT = "reis-export"
FORMAT_VERSION = 1
#: the record itself (ODE's screening rules included: they decide how items start)
RECORD_TABLES = ("departments", "users", "delegations", "screening_rules", "items", "statements",
                 "statement_revisions", "history_events", "notifications", "report_backs",
                 "report_back_results", "annual_narratives")
#: what the Legistar import keeps (matter -> item links, cursors): a restored deployment goes on
#: importing incrementally instead of starting over
MIRROR_TABLES = ("legistar_matters", "legistar_events", "legistar_event_items", "legistar_cursors")
#: exported only with ``include_credentials``
CREDENTIAL_TABLES = ("api_tokens",)
#: columns blanked (NULL) unless ``include_credentials``
CREDENTIAL_COLUMNS = {"users": ("password_hash",)}
#: tables deliberately left out of every export, with the reason; a table in none of
#: these lists fails tests/integration/test_audit.py, so each new table gets a decision
NOT_EXPORTED: dict[str, str] = {
    "user_sessions": "live web sign-ins: a restored or moved server starts with everyone signed out",
}
_BATCH = 500


# --- verify -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Break:
    """The first broken link of one statement's chain."""

    file_id: str
    seq: int | None
    problem: str

    def __str__(self) -> str:
        where = f"seq {self.seq}" if self.seq is not None else "no history"
        return f"{self.file_id} {where}: {self.problem}"


@dataclass
class Report:
    chains: int = 0
    rows: int = 0
    breaks: list[Break] = field(default_factory=list)
    #: SHA-256 over every chain's last hash: write it down (minutes, another system) and a later
    #: verify of the same record must print the same, which a wholesale rewrite cannot fake
    digest: str = ""

    @property
    def ok(self) -> bool:
        return not self.breaks


def verify() -> Report:
    """Walk every statement's history in one consistent snapshot."""
    with _snapshot():
        statements = {row.id: row for row in db.session.execute(
            select(Statement.id, Statement.state, Item.file_id, Item.agendized)
            .join(Item, Item.id == Statement.item_id))}
        report, heads = Report(chains=len(statements)), hashlib.sha256()
        rows = db.session.execute(
            select(HistoryEvent.__table__).order_by(HistoryEvent.statement_id, HistoryEvent.seq)
            .execution_options(yield_per=_BATCH))
        walked = set()
        for statement_id, chain in _by_statement(rows):
            walked.add(statement_id)
            statement = statements[statement_id]
            broken, head, count = _walk(statement, chain)
            report.rows += count
            if broken:
                report.breaks.append(broken)
            heads.update(f"{statement_id}:{head}\n".encode())
        for statement_id in sorted(statements.keys() - walked):
            report.breaks.append(Break(statements[statement_id].file_id, None,
                                       "the statement has no history at all"))
    report.breaks.sort(key=lambda b: b.file_id)
    report.digest = heads.hexdigest()
    return report


def _by_statement(rows: Iterable[Any]) -> Iterator[tuple[int, list]]:
    current: int | None = None
    chain: list = []
    for row in rows:
        if current is not None and row.statement_id != current and chain:
            yield current, chain
            chain = []
        current = row.statement_id
        chain.append(row)
    if current is not None and chain:
        yield current, chain


def _walk(statement, chain: list) -> tuple[Break | None, str, int]:
    """(the first broken link or None, the chain's last hash, rows walked)."""
    problem, at = _first_problem(statement, chain)
    return (Break(statement.file_id, at, problem) if problem else None), chain[-1].hash, len(chain)


def _first_problem(statement, chain: list) -> tuple[str | None, int | None]:
    prev_hash, expected, agendized = GENESIS, 1, False
    for row in chain:
        if row.seq != expected:
            missing = str(expected) if row.seq == expected + 1 else f"{expected}-{row.seq - 1}"
            return f"seq {missing} is missing before it: rows were removed", row.seq
        if row.prev_hash != prev_hash:
            before = f"the hash of seq {row.seq - 1}" if row.seq > 1 else "the genesis value"
            return (f"prev_hash is not {before}: a row before it was changed, removed or replaced",
                    row.seq)
        recomputed = content_hash(row.statement_id, row.seq, row.event, row.from_state, row.to_state,
                                  row.actor, row.comment, row.at, row.prev_hash, row.on_behalf_of)
        if recomputed != row.hash:
            return "the content does not match its hash: the row was edited", row.seq
        if row.event in (Event.AGENDIZE, Event.UNAGENDIZE):
            agendized = row.event == Event.AGENDIZE
        prev_hash, expected = row.hash, expected + 1
    last = chain[-1]
    if str(statement.state) != last.to_state:
        return (f"the statement is in state {statement.state} but its history ends in {last.to_state}: "
                "the statement row was edited or events were cut off", last.seq)
    if bool(statement.agendized) != agendized:
        flag = "agendized" if statement.agendized else "not agendized"
        return (f"the item is {flag} but its history says otherwise: the item row was edited or "
                "events were cut off", last.seq)
    return None, None


# --- export -------------------------------------------------------------------------------------

def export(write: Callable[[str], object], include_credentials: bool = False) -> dict[str, int]:
    """Write the whole record as JSON Lines through ``write``; return rows written per table."""
    counts = {}
    with _snapshot():
        write(_line({"format": FORMAT, "version": FORMAT_VERSION, "schema": _schema_revision(),
                     "credentials": include_credentials}))
        for name in _tables(include_credentials):
            table = _table(name)
            blank = () if include_credentials else CREDENTIAL_COLUMNS.get(name, ())
            counts[name] = 0
            rows = db.session.execute(select(table).order_by(*table.primary_key.columns)
                                      .execution_options(yield_per=_BATCH)).mappings()
            for row in rows:
                values = {k: None if k in blank else _dump(v) for k, v in row.items()}
                write(_line({"table": name, "row": values}))
                counts[name] += 1
    return counts


def _line(obj: dict) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True) + "\n"


def _dump(value):
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")  # UTCDateTime: always aware, in UTC
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


# --- import -------------------------------------------------------------------------------------

def import_record(lines: Iterable[str]) -> dict[str, int]:
    """Insert an export into an empty database (same schema revision), ids and all.

    All or nothing: one transaction; any bad line rolls everything back.
    """
    numbered = iter(enumerate(lines, start=1))
    header = _header(next(numbered, (1, "")))
    allowed = _tables(header["credentials"])
    counts = dict.fromkeys(allowed, 0)
    with write_transaction():
        _refuse_non_empty()
        batch: list[dict] = []
        batch_table: str | None = None
        position = 0
        for number, raw in numbered:
            if not raw.strip():
                continue
            name, row = _parse(number, raw, allowed)
            if allowed.index(name) < position:
                raise _bad(number, f"{name} after {allowed[position]}: the export is out of order")
            if name != batch_table or len(batch) >= _BATCH:
                _insert(batch_table, batch)
                batch, batch_table, position = [], name, allowed.index(name)
            batch.append(_load_row(number, _table(name), row))
            counts[name] += 1
        _insert(batch_table, batch)
        _reset_sequences(allowed)
    return counts


def _header(first: tuple[int, str]) -> dict:
    number, raw = first
    try:
        header = json.loads(raw)
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise _bad(number, "this is not a REIS export (the first line is not its header)")
    if header.get("version") != FORMAT_VERSION:
        raise _bad(number, f"export format version {header.get('version')} is not supported "
                           f"(this engine reads version {FORMAT_VERSION})")
    here = _schema_revision()
    if header.get("schema") != here:
        raise _bad(number, f"the export was taken at schema revision {header.get('schema')} but this "
                           f"database is at {here}: import with the release that made it, then upgrade")
    header["credentials"] = bool(header.get("credentials"))
    return header


def _parse(number: int, raw: str, allowed: tuple[str, ...]) -> tuple[str, dict]:
    try:
        obj = json.loads(raw)
    except ValueError:
        raise _bad(number, "the line is not JSON") from None
    if not isinstance(obj, dict) or not isinstance(obj.get("row"), dict):
        raise _bad(number, 'each line after the header is {"table": ..., "row": {...}}')
    if obj.get("table") not in allowed:
        raise _bad(number, f"unknown table {obj.get('table')!r}")
    return obj["table"], obj["row"]


def _load_row(number: int, table: Table, row: dict) -> dict:
    columns = {c.name: c for c in table.columns}
    if set(row) != set(columns):
        odd = sorted(set(row) ^ set(columns))
        raise _bad(number, f"the {table.name} row does not have the table's columns ({', '.join(odd)})")
    try:
        return {name: _load(columns[name], value) for name, value in row.items()}
    except (TypeError, ValueError) as exc:
        raise _bad(number, f"a {table.name} value cannot be read: {exc}") from None


def _load(column, value):
    if value is None:
        return None
    column_type = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    try:
        kind = column_type.python_type
    except NotImplementedError:
        return value
    if kind is datetime:
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            raise ValueError(f"{column.name} has no UTC offset")
        return parsed
    if kind is date:
        return date.fromisoformat(value)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind(value)
    return value


def _insert(name: str | None, rows: list[dict]) -> None:
    if rows and name is not None:  # rows come with the name of their table
        db.session.execute(_table(name).insert(), rows)


def _refuse_non_empty() -> None:
    filled = []
    for name in (table.name for table in db.metadata.sorted_tables):
        count = db.session.scalar(select(func.count()).select_from(_table(name)))
        if count:
            filled.append(f"{count} {name}")
    if filled:
        raise conflict("not_empty", "The database is not empty (" + ", ".join(filled) + "); import only "
                       "into a freshly migrated, empty database (`reis db upgrade` on a new one).")


def _reset_sequences(names: Iterable[str]) -> None:
    """PostgreSQL hands out ids from sequences that an insert with explicit ids does not move."""
    if db.session.get_bind().dialect.name != "postgresql":
        return  # SQLite's INTEGER PRIMARY KEY continues from the largest id
    for name in names:
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {name}), 1), (SELECT MAX(id) FROM {name}) IS NOT NULL)"))


def _bad(number: int, message: str) -> OperationError:
    return OperationError(f"Line {number}: {message}.", status=422, code="invalid_export", line=number)


# --- shared -------------------------------------------------------------------------------------

def _tables(include_credentials: bool) -> tuple[str, ...]:
    """The tables to export, parents before children (foreign keys), ties by name."""
    wanted = {*RECORD_TABLES, *MIRROR_TABLES, *(CREDENTIAL_TABLES if include_credentials else ())}
    return tuple(table.name for table in db.metadata.sorted_tables if table.name in wanted)


def _table(name: str) -> Table:
    return db.metadata.tables[name]


def _schema_revision() -> str | None:
    return db.session.scalar(text("SELECT version_num FROM alembic_version"))


class _snapshot:
    """A read transaction that sees one moment of the database from its first to its last query.

    PostgreSQL needs REPEATABLE READ for that; SQLite (WAL) gives each read transaction a
    snapshot anyway.
    """

    def __enter__(self):
        session = db.session()
        if session.in_transaction():
            session.commit()
        if session.get_bind().dialect.name == "postgresql":
            session.connection(execution_options={"isolation_level": "REPEATABLE READ",
                                                  "postgresql_readonly": True})
        return self

    def __exit__(self, *exc):
        db.session.rollback()
        return False
