"""The record cannot be quietly rewritten: the hash-chained history and
``reis audit verify`` (export and import: test_export.py).

Tampering is done the way an insider with database access would do it: raw
SQL on a connection of its own, behind the application's back.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine
from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import select, text

from app import create_app
from app.db import write_transaction
from app.extensions import db
from app.models import HistoryEvent, Item, Notification, Statement, User
from app.models.history import GENESIS, content_hash
from app.operations import audit, gate, history, items, statements
from tests.conftest import new_postgres_database

FIELDS = dict(statement_id=7, seq=3, event="return", from_state="ode_review", to_state="draft",
              actor="ode@test.reis", comment="Needs data.",
              at=datetime(2026, 12, 1, 17, 0, 0, 1, tzinfo=UTC), prev_hash="a" * 64)


def build_record(world) -> None:
    """Seven histories as people make them: returns, reopenings, agenda changes, odd text."""
    staff, ode, clerk = world["staff"].user, world["ode"].user, world["clerk"].user
    world.item("2026-00001")
    world.item("2026-00002", state="department_review")
    world.item("2026-00003", state="ready_to_agendize")
    gate.agendize(clerk, "2026-00003")
    gate.unagendize(clerk, "2026-00003")
    gate.agendize(clerk, "2026-00003", date(2027, 3, 9))
    world.item("2026-00004", state="ode_review")
    statements.fire_event(ode, "2026-00004", "return", 'Sources? « ünïcode » ✓ "quoted"\nline two')
    world.item("2026-00005", state="ready_to_agendize")
    items.update_item(staff, "2026-00005", {"title": "A new title reopens it"})
    world.item("2026-00006", state="ode_review", department="CDD", fiscal=None)
    with time_machine.travel(datetime(2026, 12, 1, 17, 0, tzinfo=UTC), tick=False):
        world.item("2026-00007")  # a timestamp with zero microseconds must round-trip too
    with write_transaction():
        statement_id = db.session.scalar(select(Statement.id).join(Item).where(Item.file_id == "2026-00004"))
        db.session.add(Notification(
            user_id=world["staff"].user.id, email="staff@test.reis", kind="returned",
            statement_id=statement_id, subject="Returned: « 2026-00004 »", dedupe_key="returned:2026-00004:1",
            payload={"comment": "ünïcode ✓", "nested": {"b": [1, 2], "a": None}}))
        db.session.get(User, world["staff2"].user.id).active = False


def raw(sql: str, **params) -> None:
    """An edit behind the application's back: its own connection, no ORM, no hooks."""
    db.session.commit()
    with db.engine.begin() as conn:
        conn.execute(text(sql), params)
    db.session.expire_all()


def history_id(file_id: str, seq: int) -> int:
    return db.session.scalar(select(HistoryEvent.id).join(Statement).join(Item)
                             .where(Item.file_id == file_id, HistoryEvent.seq == seq))


def breaks() -> list[tuple[str, int | None, str]]:
    return [(b.file_id, b.seq, b.problem) for b in audit.verify().breaks]


def where(found) -> list[tuple[str, int | None]]:
    return [(file_id, seq) for file_id, seq, _ in found]


def cli_runner():
    return current_app.test_cli_runner()


@contextmanager
def fresh_database(kind: str, tmp_path) -> Iterator[str]:
    """The URL of a new, empty database of ``kind`` (never the session's shared one)."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / f'{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    with new_postgres_database("reis_audit") as url:
        yield url


@contextmanager
def app_on(url: str) -> Iterator:
    """Another app on ``url``, its context pushed (the session's own app context is set aside)."""
    other = create_app({"ENV": "testing", "DATABASE_URL": url, "SECRET_KEY": "test-" + uuid.uuid4().hex})
    try:
        with other.app_context():
            yield other
            db.session.remove()
    finally:
        with other.app_context():
            db.engine.dispose()


def kind_of(url: str) -> str:
    return "postgresql" if url.startswith("postgresql") else "sqlite"


class TestHash:
    @pytest.mark.parametrize("name", sorted(FIELDS))
    def test_every_field_is_covered(self, name):
        value = FIELDS[name]
        changed = (value + timedelta(microseconds=1) if isinstance(value, datetime)
                   else value + 1 if isinstance(value, int) else value + "x")
        assert content_hash(**{**FIELDS, name: changed}) != content_hash(**FIELDS)

    def test_the_same_instant_in_another_zone_hashes_the_same(self):
        elsewhere = FIELDS["at"].astimezone(datetime.now().astimezone().tzinfo)
        assert content_hash(**{**FIELDS, "at": elsewhere}) == content_hash(**FIELDS)


class TestChain:
    def test_each_row_links_to_the_previous_one_of_its_statement(self, world):
        build_record(world)
        previous: dict[int, str] = {}
        for row in db.session.scalars(select(HistoryEvent).order_by(HistoryEvent.statement_id,
                                                                    HistoryEvent.seq)):
            assert row.prev_hash == previous.get(row.statement_id, GENESIS)
            assert row.hash == content_hash(row.statement_id, row.seq, row.event, row.from_state,
                                            row.to_state, row.actor, row.comment, row.at, row.prev_hash)
            previous[row.statement_id] = row.hash
        assert len(previous) == 7

    def test_verify_passes_on_an_untouched_record(self, world):
        build_record(world)
        report = audit.verify()
        assert report.ok, report.breaks
        assert (report.chains, report.rows) == (7, db.session.query(HistoryEvent).count())

    def test_the_application_itself_cannot_rewrite_a_row(self, world):
        world.item("2026-00001")
        db.session.scalar(select(HistoryEvent)).comment = "rewritten"
        with pytest.raises(RuntimeError, match="append-only"):
            db.session.flush()
        db.session.rollback()


class TestTampering:
    @pytest.mark.parametrize(("column", "value"), [
        ("comment", "Looks fine."), ("actor", "approver2@test.reis"), ("event", "approve"),
        ("to_state", "ready_to_agendize")])
    def test_an_edited_row_is_reported(self, world, column, value):
        build_record(world)
        raw(f"UPDATE history_events SET {column} = :v WHERE id = :id", v=value,
            id=history_id("2026-00004", 4))
        [(file_id, seq, problem)] = breaks()
        assert (file_id, seq) == ("2026-00004", 4)
        assert problem == "the content does not match its hash: the row was edited"

    def test_a_backdated_row_is_reported(self, world):
        build_record(world)
        row = db.session.get(HistoryEvent, history_id("2026-00003", 2))
        raw("UPDATE history_events SET at = :at WHERE id = :id", at=row.at - timedelta(days=1), id=row.id)
        assert where(breaks()) == [("2026-00003", 2)]

    def test_a_removed_row_is_reported(self, world):
        build_record(world)
        raw("DELETE FROM history_events WHERE id = :id", id=history_id("2026-00003", 3))
        assert breaks() == [("2026-00003", 4, "seq 3 is missing before it: rows were removed")]

    def test_a_rewritten_and_rehashed_row_breaks_the_next_link(self, world):
        """An insider who knows the algorithm re-hashes the row they edit: the next row still
        points at the old hash."""
        build_record(world)
        row = db.session.get(HistoryEvent, history_id("2026-00003", 2))
        forged = content_hash(row.statement_id, row.seq, row.event, row.from_state, row.to_state,
                              "approver2@test.reis", row.comment, row.at, row.prev_hash)
        raw("UPDATE history_events SET actor = 'approver2@test.reis', hash = :h WHERE id = :id",
            h=forged, id=row.id)
        [(file_id, seq, problem)] = breaks()
        assert (file_id, seq) == ("2026-00003", 3)
        assert problem.startswith("prev_hash is not the hash of seq 2")

    def test_a_chain_rehashed_end_to_end_changes_the_record_digest(self, world):
        """Re-hashing a whole chain passes the chain check; the digest written down earlier
        is what catches it (docs/SECURITY.md)."""
        build_record(world)
        before = audit.verify().digest
        rows = db.session.scalars(select(HistoryEvent).join(Statement).join(Item)
                                  .where(Item.file_id == "2026-00001")).all()
        prev = GENESIS
        for row in rows:
            digest = content_hash(row.statement_id, row.seq, row.event, row.from_state, row.to_state,
                                  "someone.else@test.reis", row.comment, row.at, prev)
            raw("UPDATE history_events SET actor = 'someone.else@test.reis', prev_hash = :p, hash = :h "
                "WHERE id = :id", p=prev, h=digest, id=row.id)
            prev = digest
        report = audit.verify()
        assert report.ok
        assert report.digest != before

    def test_a_statement_moved_past_the_gate_is_reported(self, world):
        build_record(world)
        raw("UPDATE statements SET state = 'ready_to_agendize', approved_at = submitted_at WHERE item_id = "
            "(SELECT id FROM items WHERE file_id = '2026-00002')")
        [(file_id, seq, problem)] = breaks()
        assert (file_id, seq) == ("2026-00002", 2)
        assert "in state ready_to_agendize but its history ends in department_review" in problem

    def test_an_item_put_on_the_agenda_behind_the_back_is_reported(self, world):
        build_record(world)
        raw("UPDATE items SET agendized = :t, agendized_for = :d WHERE file_id = '2026-00005'",
            t=True, d=date(2027, 3, 2))
        assert where(breaks()) == [("2026-00005", 5)]

    def test_cutting_off_the_last_events_is_reported(self, world):
        build_record(world)
        raw("DELETE FROM history_events WHERE id = :id", id=history_id("2026-00005", 5))  # the reopen
        [(file_id, seq, problem)] = breaks()
        assert (file_id, seq) == ("2026-00005", 4)
        assert "its history ends in ready_to_agendize" in problem

    def test_only_the_first_break_of_each_chain_is_reported(self, world):
        build_record(world)
        for file_id, seq in [("2026-00003", 2), ("2026-00003", 4), ("2026-00001", 1)]:
            raw("UPDATE history_events SET comment = 'x' WHERE id = :id", id=history_id(file_id, seq))
        assert where(breaks()) == [("2026-00001", 1), ("2026-00003", 2)]

    def test_the_command_exits_1_and_names_the_break(self, world):
        build_record(world)
        intact = cli_runner().invoke(args=["audit", "verify"])
        assert intact.exit_code == 0, intact.output
        assert intact.stdout.startswith("7 history chains intact (")
        raw("UPDATE history_events SET comment = 'x' WHERE id = :id", id=history_id("2026-00004", 2))
        broken = cli_runner().invoke(args=["audit", "verify"])
        assert broken.exit_code == 1
        assert "BROKEN 2026-00004 seq 2: the content does not match its hash" in broken.stderr
        assert "1 of 7 history chains are broken" in broken.stderr


BEFORE_CHAIN = "382d414e9c48"  # the revision before 9a62f62983eb (hash-chained history)


def _old_table(name: str, *columns: tuple[str, sa.types.TypeEngine]) -> sa.TableClause:
    return sa.table(name, *(sa.column(c, t) for c, t in columns))


STAMP = sa.DateTime(timezone=True)
OLD_ITEMS = _old_table("items", ("id", sa.Integer), ("file_id", sa.String), ("title", sa.Text),
                       ("department_id", sa.Integer), ("agendized", sa.Boolean), ("created_at", STAMP),
                       ("updated_at", STAMP))
OLD_STATEMENTS = _old_table("statements", ("id", sa.Integer), ("item_id", sa.Integer), ("state", sa.String),
                            ("version", sa.Integer), ("answers", sa.JSON), ("state_entered_at", STAMP),
                            ("submitted_at", STAMP))
OLD_HISTORY = _old_table("history_events", ("statement_id", sa.Integer),
                         ("seq", sa.Integer), ("event", sa.String), ("from_state", sa.String),
                         ("to_state", sa.String), ("actor", sa.String), ("comment", sa.Text), ("at", STAMP))


class TestMigration:
    def test_history_written_before_the_chain_is_chained_by_the_upgrade(self, database_url, tmp_path):
        """A deployment upgrading with history in it: the backfill computes the chain the
        application would have written, and the application goes on from it."""
        t0 = datetime(2026, 11, 2, 16, 30, 5, 123456, tzinfo=UTC)
        with fresh_database(kind_of(database_url), tmp_path) as url, app_on(url):
            upgrade(revision=BEFORE_CHAIN)
            with db.engine.begin() as conn:
                conn.execute(text("INSERT INTO departments (id, code, name) VALUES (1, 'DOU', 'Utilities')"))
                conn.execute(OLD_ITEMS.insert(), [
                    {"id": n, "file_id": f"2026-0000{n}", "title": "Old", "department_id": 1,
                     "agendized": False, "created_at": t0, "updated_at": t0} for n in (1, 2)])
                conn.execute(OLD_STATEMENTS.insert(), [
                    {"id": n, "item_id": n, "state": "department_review", "version": 2, "answers": {},
                     "state_entered_at": t0, "submitted_at": t0} for n in (1, 2)])
                conn.execute(OLD_HISTORY.insert(), [
                    row for n in (1, 2) for row in (
                        {"statement_id": n, "seq": 1, "event": "create", "from_state": None,
                         "to_state": "draft", "actor": "staff@old.reis", "comment": None, "at": t0},
                        {"statement_id": n, "seq": 2, "event": "submit", "from_state": "draft",
                         "to_state": "department_review", "actor": "staff@old.reis", "comment": "« ✓ »",
                         "at": t0 + timedelta(microseconds=n)})])
            upgrade()
            report = audit.verify()
            assert report.ok, report.breaks
            assert (report.chains, report.rows) == (2, 4)
            first = db.session.scalars(select(HistoryEvent.prev_hash).where(HistoryEvent.seq == 1)).all()
            assert first == [GENESIS, GENESIS]
            with write_transaction():
                statement = db.session.get(Statement, 1)
                statement.state = "draft"
                history.record(statement, "reopen", "department_review", "draft", None, "Changed.")
            assert audit.verify().ok
