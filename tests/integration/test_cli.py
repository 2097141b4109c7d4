"""The ``reis`` command line of API.md, on a SQLite file of its own.

The installed console script is run as a subprocess where the contract is
about the script itself (``reis db upgrade``, the token on the last line);
the other commands run in-process through Flask's CLI runner against a copy
of the same migrated file, which is much faster and exercises the same code.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from datetime import datetime, time
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from app import create_app, deadlines
from app.extensions import db
from app.models import ApiToken, Department, Item, Notification, Statement, User
from tests.integration.services import SmtpServer

REIS = Path(sys.executable).parent / "reis"
TIMEOUT_S = 120


def reis(database: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run the installed ``reis`` script with only this database in its environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REIS_", "FLASK_"))}
    env["REIS_DATABASE_URL"] = f"sqlite:///{database}"
    return subprocess.run([str(REIS), *args], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=TIMEOUT_S, check=False)


@pytest.fixture(scope="module")
def migrated_file(tmp_path_factory) -> Path:
    """A SQLite file that ``reis db upgrade`` migrated (once for the module)."""
    assert REIS.exists(), f"the console script is not installed at {REIS}; run make install"
    folder = tmp_path_factory.mktemp("cli")
    path = folder / "template.sqlite3"
    done = reis(path, "db", "upgrade", cwd=folder)
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture
def database(migrated_file, tmp_path) -> Path:
    path = tmp_path / "reis.sqlite3"
    shutil.copy(migrated_file, path)
    return path


@pytest.fixture
def cli_app(database):
    app = create_app({"ENV": "development", "DATABASE_URL": f"sqlite:///{database}",
                      "SECRET_KEY": "test-" + uuid.uuid4().hex})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def run(cli_app):
    """``run("departments", "create", ...)``: the click result, in the app's context."""
    def invoke(*args: str):
        with cli_app.app_context():
            result = cli_app.test_cli_runner().invoke(args=list(args))
            db.session.remove()
        return result
    return invoke


def lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.strip()]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


class TestDbUpgrade:
    def test_upgrade_builds_the_schema(self, migrated_file):
        from sqlalchemy import create_engine

        engine = create_engine(f"sqlite:///{migrated_file}")
        try:
            names = set(inspect(engine).get_table_names())
        finally:
            engine.dispose()
        assert {"alembic_version", "departments", "users", "api_tokens", "items", "statements",
                "history_events"} <= names

    def test_upgrade_again_is_harmless(self, database, tmp_path):
        again = reis(database, "db", "upgrade", cwd=tmp_path)
        assert again.returncode == 0, again.stderr


class TestDepartments:
    def test_create(self, run, cli_app):
        result = run("departments", "create", "--code", "DOU", "--name", "Department of Utilities")
        assert result.exit_code == 0, result.output
        assert "DOU" in result.output
        with cli_app.app_context():
            found = db.session.scalar(select(Department).where(Department.code == "DOU"))
            assert found.name == "Department of Utilities"

    def test_duplicate_is_refused_clearly(self, run, cli_app):
        assert run("departments", "create", "--code", "DOU", "--name", "Utilities").exit_code == 0
        again = run("departments", "create", "--code", "DOU", "--name", "Utilities again")
        assert again.exit_code != 0
        assert "DOU already exists" in again.output
        assert "Traceback" not in again.output
        with cli_app.app_context():
            assert count(Department) == 1

    def test_name_is_required(self, run):
        result = run("departments", "create", "--code", "DOU")
        assert result.exit_code == 2
        assert "--name" in result.output


class TestUsers:
    def test_token_is_the_last_line_and_authenticates(self, database, tmp_path, cli_app):
        made = reis(database, "departments", "create", "--code", "DOU", "--name", "Utilities",
                    cwd=tmp_path)
        assert made.returncode == 0, made.stderr
        made = reis(database, "users", "create", "--email", "dana@city.test", "--name", "Dana",
                    "--role", "staff", "--department", "DOU", "--token", cwd=tmp_path)
        assert made.returncode == 0, made.stderr
        token = lines(made.stdout)[-1]
        assert re.fullmatch(r"\S{20,}", token), made.stdout
        assert "dana@city.test" not in token

        client = cli_app.test_client()
        ok = client.get("/api/v1/items", headers={"Authorization": f"Bearer {token}"})
        assert ok.status_code == 200, ok.json
        assert ok.json == {"items": []}
        wrong = client.get("/api/v1/items", headers={"Authorization": f"Bearer {token}x"})
        assert wrong.status_code == 401

    def test_each_token_is_new(self, run):
        run("departments", "create", "--code", "DOU", "--name", "Utilities")
        first = run("users", "create", "--email", "a@city.test", "--name", "A", "--role", "clerk",
                    "--token")
        second = run("users", "create", "--email", "b@city.test", "--name", "B", "--role",
                     "clerk", "--token")
        assert first.exit_code == second.exit_code == 0
        assert lines(first.output)[-1] != lines(second.output)[-1]

    def test_without_token_flag_no_token_is_printed(self, run, cli_app):
        result = run("users", "create", "--email", "c@city.test", "--name", "C", "--role", "clerk")
        assert result.exit_code == 0, result.output
        assert lines(result.output) == ["created user c@city.test (clerk)"]

    def test_password_is_stored_hashed(self, run, cli_app):
        from app.operations.people import check_password

        result = run("users", "create", "--email", "d@city.test", "--name", "D", "--role", "admin",
                     "--password", "correct horse battery")
        assert result.exit_code == 0, result.output
        with cli_app.app_context():
            user = db.session.scalar(select(User).where(User.email == "d@city.test"))
            assert user.password_hash and "correct horse" not in user.password_hash
            assert check_password(user, "correct horse battery")

    def test_bad_role_is_refused(self, run, cli_app):
        result = run("users", "create", "--email", "e@city.test", "--name", "E", "--role", "mayor")
        assert result.exit_code != 0
        assert "--role" in result.output and "mayor" in result.output
        with cli_app.app_context():
            assert count(User) == 0

    @pytest.mark.parametrize("extra, says", [
        (["--role", "staff"], "belong to a department"),
        (["--role", "staff", "--department", "NOPE"], "no department has code"),
    ])
    def test_department_problems_are_refused(self, run, cli_app, extra, says):
        result = run("users", "create", "--email", "f@city.test", "--name", "F", *extra)
        assert result.exit_code != 0
        assert says in result.output
        with cli_app.app_context():
            assert count(User) == 0

    def test_duplicate_email_is_refused(self, run):
        args = ("users", "create", "--email", "g@city.test", "--name", "G", "--role", "clerk")
        assert run(*args).exit_code == 0
        again = run(*args, "--token")
        assert again.exit_code != 0
        assert "already exists" in again.output


class TestUserToken:
    def test_a_new_token_for_an_existing_user_is_the_last_line(self, database, tmp_path, cli_app):
        reis(database, "users", "create", "--email", "Ana@City.test", "--name", "Ana", "--role", "clerk",
             cwd=tmp_path)
        first = reis(database, "users", "token", "--email", "ana@city.test", cwd=tmp_path)
        second = reis(database, "users", "token", "--email", "ANA@city.test", cwd=tmp_path)
        assert first.returncode == second.returncode == 0, first.stderr + second.stderr
        tokens = [lines(done.stdout)[-1] for done in (first, second)]
        assert tokens[0] != tokens[1] and all(re.fullmatch(r"\S{20,}", t) for t in tokens)
        client = cli_app.test_client()
        for token in tokens:  # a new token does not revoke the earlier ones
            r = client.get("/api/v1/items", headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == 200, r.json

    def test_an_unknown_email_is_refused(self, run, cli_app):
        result = run("users", "token", "--email", "nobody@city.test")
        assert result.exit_code == 1
        assert "No user has the email 'nobody@city.test'" in result.output
        assert "Traceback" not in result.output

    def test_a_deactivated_user_gets_no_token(self, run, cli_app):
        run("users", "create", "--email", "gone@city.test", "--name", "Gone", "--role", "clerk")
        with cli_app.app_context():
            db.session.scalar(select(User).where(User.email == "gone@city.test")).active = False
            db.session.commit()
        result = run("users", "token", "--email", "gone@city.test")
        assert result.exit_code == 1 and "deactivated" in result.output
        with cli_app.app_context():
            assert count(ApiToken) == 0


class TestDemo:
    def test_demo_is_idempotent(self, run, cli_app):
        first = run("demo")
        assert first.exit_code == 0, first.output
        with cli_app.app_context():
            before = (count(Department), count(User), count(Item), count(Statement))
        second = run("demo")
        assert second.exit_code == 0, second.output
        with cli_app.app_context():
            assert (count(Department), count(User), count(Item), count(Statement)) == before
            assert before[2] > 0 and before[1] > 0

    def test_demo_has_the_score_item_agendized_and_every_state(self, run, cli_app):
        assert run("demo").exit_code == 0
        with cli_app.app_context():
            score = db.session.scalar(select(Item).where(Item.file_id == "2026-00838"))
            assert score is not None and score.agendized
            assert score.statement.state == "ready_to_agendize"
            states = set(db.session.scalars(select(Statement.state)))
            assert {"draft", "department_review", "ode_review", "ready_to_agendize"} <= states


class TestRemindersSweep:
    def test_sweep_prints_a_count(self, run):
        assert run("demo").exit_code == 0
        result = run("reminders", "sweep", "--now", "2026-12-01T09:00:00-08:00")
        assert result.exit_code == 0, result.output
        assert re.search(r"\b\d+\b", lines(result.output)[-1]), result.output

    def test_sweep_defaults_to_now(self, run):
        result = run("reminders", "sweep")
        assert result.exit_code == 0, result.output
        assert re.search(r"\b\d+\b", lines(result.output)[-1]), result.output

    def test_sweep_delivers_its_mail_before_it_returns(self, run, cli_app):
        """Not at the next beat relay: the command relays what it claimed right after its commit."""
        assert run("demo").exit_code == 0
        with cli_app.app_context():
            rules = deadlines.current()
            day = rules.calendar.add_business_days(datetime.now(rules.tz).date(), 10)
            when = datetime.combine(day, time(9), tzinfo=rules.tz)  # review SLAs long past
        smtp = SmtpServer().start()
        try:
            cli_app.config.update(REIS_SMTP_HOST="127.0.0.1", REIS_SMTP_PORT=smtp.port)
            result = run("reminders", "sweep", "--now", when.isoformat())
            sent = int(re.search(r"(\d+) reminders sent", result.output).group(1))
            assert result.exit_code == 0 and sent > 0, result.output
            with cli_app.app_context():
                claimed = db.session.execute(select(Notification.id, Notification.email_status)
                                             .where(Notification.kind == "reminder")).all()
            assert {status for _id, status in claimed} == {"sent"} and len(claimed) == sent
            mailed = {m["X-REIS-Notification"] for m in smtp.sink.accepted}
            assert {str(i) for i, _status in claimed} <= mailed
        finally:
            smtp.stop()

    @pytest.mark.parametrize("bad", ["yesterday", "2026-13-01T09:00:00-08:00", "2026-12-01T09:00:00"])
    def test_bad_now_is_refused(self, run, bad):
        result = run("reminders", "sweep", "--now", bad)
        assert result.exit_code != 0
        assert "--now" in result.output
        assert "Traceback" not in result.output


class TestScreeningRules:
    def test_set_list_change_and_remove(self, run):
        assert lines(run("screening", "rules", "list").output) == [
            "No screening rules: every item is screened on its own."]
        done = run("screening", "rules", "set", "--item-type", " Ceremonial Item ",
                   "--category", "ceremonial")
        assert done.exit_code == 0, done.output
        assert "'Ceremonial Item'" in done.output and "(ceremonial)" in done.output
        run("screening", "rules", "set", "--item-type", "Minutes", "--category", "minutes_procedural")
        assert lines(run("screening", "rules", "list").output) == [
            "Ceremonial Item  ->  ceremonial", "Minutes          ->  minutes_procedural"]
        run("screening", "rules", "set", "--item-type", "CEREMONIAL ITEM", "--category", "other")
        listed = json.loads(run("screening", "rules", "list", "--json").output)
        assert listed == {"item_types": {"CEREMONIAL ITEM": "other", "Minutes": "minutes_procedural"}}
        gone = run("screening", "rules", "remove", "--item-type", "ceremonial item")
        assert gone.exit_code == 0 and "removed" in gone.output
        again = run("screening", "rules", "remove", "--item-type", "ceremonial item")
        assert again.exit_code == 1 and "No screening rule names" in again.output
        assert "Traceback" not in again.output

    @pytest.mark.parametrize(("args", "says"), [
        (["--item-type", "Minutes", "--category", "birthday"], "Invalid value for '--category'"),
        (["--item-type", "   ", "--category", "ceremonial"], "not blank"),
        (["--category", "ceremonial"], "Missing option '--item-type'"),
    ])
    def test_bad_rules_are_refused_and_change_nothing(self, run, args, says):
        result = run("screening", "rules", "set", *args)
        assert result.exit_code != 0 and says in result.output, result.output
        assert "Traceback" not in result.output
        assert json.loads(run("screening", "rules", "list", "--json").output) == {"item_types": {}}
