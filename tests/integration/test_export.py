"""``reis export`` / ``reis import``: the whole record out to JSON Lines and
back into an empty database, ids, timestamps and hash chains unchanged."""

from __future__ import annotations

import io
import json

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from app.errors import OperationError
from app.extensions import db
from app.models import User
from app.operations import audit, items, people, statements
from tests.conftest import _empty_tables
from tests.integration.test_audit import app_on, build_record, cli_runner, fresh_database, kind_of


def everything() -> dict[str, list[dict]]:
    """Every row of every table, as the database gives it back."""
    db.session.commit()
    return {name: [dict(r) for r in db.session.execute(select(t).order_by(t.c.id)).mappings()]
            for name, t in db.metadata.tables.items()}


def export_text(include_credentials: bool = False) -> str:
    out = io.StringIO()
    audit.export(out.write, include_credentials=include_credentials)
    return out.getvalue()


def api_answers(client, headers) -> dict:
    """The API's answers about every item, byte for byte."""
    listing = client.get("/api/v1/items", headers=headers)
    answers = {"/items": listing.get_data(as_text=True)}
    for row in listing.json["items"]:
        base = f"/api/v1/items/{row['file_id']}"
        for path in (base, f"{base}/statement", f"{base}/statement/history", f"{base}/agendizable"):
            r = client.get(path, headers=headers)
            answers[path] = (r.status_code, r.get_data(as_text=True))
    return answers


class TestExportImport:
    def test_import_reproduces_every_row_and_every_answer(self, app_ctx, world, client):
        build_record(world)
        people.create_user("pw@test.reis", "Has Password", "clerk", password="correct horse")
        before, digest = everything(), audit.verify().digest
        answers = api_answers(client, world["admin"].headers)
        exported = export_text(include_credentials=True)
        _empty_tables(app_ctx)
        counts = audit.import_record(io.StringIO(exported))
        assert counts["history_events"] == len(before["history_events"]) > 20
        assert everything() == before
        assert api_answers(client, world["admin"].headers) == answers
        signed = db.session.scalar(select(User).where(User.email == "pw@test.reis"))
        assert people.check_password(signed, "correct horse")
        report = audit.verify()
        assert report.ok and report.digest == digest
        assert export_text(include_credentials=True) == exported

    def test_without_credentials_nobody_can_sign_in_with_the_copy(self, app_ctx, world, client):
        build_record(world)
        people.create_user("pw@test.reis", "Has Password", "clerk", password="correct horse")
        exported = export_text()
        assert '"table":"api_tokens"' not in exported
        assert '"password_hash":null' in exported and "argon2" not in exported
        _empty_tables(app_ctx)
        audit.import_record(io.StringIO(exported))
        assert set(db.session.scalars(select(User.password_hash))) == {None}
        assert client.get("/api/v1/items", headers=world["admin"].headers).status_code == 401
        assert audit.verify().ok
        assert export_text() == exported

    def test_no_token_or_password_is_stored_anywhere(self, world):
        """Even the export with credentials, which holds every column of every table, holds only
        hashes: the database keeps no secret that signs anyone in."""
        build_record(world)
        people.create_user("pw@test.reis", "Has Password", "clerk", password="correct horse")
        exported = export_text(include_credentials=True)
        assert "correct horse" not in exported and "$argon2id$" in exported
        for person in world.people.values():
            assert person.token not in exported
            assert people.hash_token(person.token) in exported

    def test_timestamps_keep_microseconds_and_utc(self, world):
        build_record(world)
        rows = [json.loads(line) for line in export_text().splitlines()[1:]]
        stamps = [obj["row"]["at"] for obj in rows if obj["table"] == "history_events"]
        assert "2026-12-01T17:00:00.000000+00:00" in stamps
        assert all(len(s) == 32 and s.endswith("+00:00") for s in stamps)

    def test_new_rows_after_an_import_get_fresh_ids(self, app_ctx, world):
        build_record(world)
        exported = export_text()
        _empty_tables(app_ctx)
        audit.import_record(io.StringIO(exported))
        staff = db.session.scalar(select(User).where(User.email == "staff@test.reis"))
        items.create_item(staff, {"file_id": "2026-00099", "title": "After the move", "department": "DOU"})
        statements.save_answers(staff, "2026-00099", {}, version=1)
        assert audit.verify().ok

    def test_a_non_empty_database_is_refused(self, world):
        build_record(world)
        before = everything()
        with pytest.raises(OperationError, match="not empty") as caught:
            audit.import_record(io.StringIO(export_text()))
        assert caught.value.code == "not_empty"
        assert everything() == before

    @pytest.mark.parametrize(("mangle", "message"), [
        (lambda ls: ["not json", *ls[1:]], "Line 1: this is not a REIS export"),
        (lambda ls: [ls[0].replace('"schema":"', '"schema":"old'), *ls[1:]], "schema revision"),
        (lambda ls: [*ls, '{"table":"secrets","row":{}}'], "unknown table 'secrets'"),
        (lambda ls: [*ls, ls[1]], "out of order"),
        (lambda ls: [ls[0], ls[1].replace('"code":', '"kode":'), *ls[2:]], "not have the table's columns"),
        (lambda ls: [*ls[:-1], "{"], "is not JSON"),
    ])
    def test_a_bad_file_is_refused_and_nothing_is_written(self, app_ctx, world, mangle, message):
        build_record(world)
        lines = export_text().splitlines()
        _empty_tables(app_ctx)
        with pytest.raises(OperationError, match=message):
            audit.import_record(io.StringIO("\n".join(mangle(lines)) + "\n"))
        assert all(rows == [] for rows in everything().values())

    def test_every_table_has_a_decision(self, app_ctx):
        decided = {*audit.RECORD_TABLES, *audit.MIRROR_TABLES, *audit.CREDENTIAL_TABLES,
                   *audit.NOT_EXPORTED}
        assert set(db.metadata.tables) - decided == set(), "add it to a list in app/operations/audit.py"

    def test_the_commands(self, app_ctx, world, tmp_path):
        build_record(world)
        path = tmp_path / "record.jsonl"
        assert cli_runner().invoke(args=["export", "--output", str(path)]).exit_code == 0
        assert cli_runner().invoke(args=["export"]).stdout == path.read_text(encoding="utf-8")
        refused = cli_runner().invoke(args=["import", str(path)])
        assert refused.exit_code == 1 and "The database is not empty" in refused.stderr
        _empty_tables(app_ctx)
        done = cli_runner().invoke(args=["import", str(path)])
        assert done.exit_code == 0, done.output
        assert "7 history chains intact" in done.stdout


class TestAcrossDatabases:
    def test_the_record_moves_to_the_other_database_unchanged(self, database_url, world, tmp_path):
        """The likely move: from the embedded SQLite to PostgreSQL (and back)."""
        build_record(world)
        exported, digest = export_text(include_credentials=True), audit.verify().digest
        other = "sqlite" if kind_of(database_url) == "postgresql" else "postgresql"
        with fresh_database(other, tmp_path) as url, app_on(url):
            upgrade(revision=json.loads(exported.splitlines()[0])["schema"])  # the source's, not newer
            audit.import_record(io.StringIO(exported))
            report = audit.verify()
            assert report.ok and report.digest == digest
            assert export_text(include_credentials=True) == exported
