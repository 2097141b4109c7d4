"""The migrations are the schema: they must build exactly what the models
declare, walk down and back up, and stand on their own.

Each test here migrates a fresh, empty database (never the session's shared
one), on SQLite and on PostgreSQL. The model/migration comparison is
Warehouse's ``db-check``: ``alembic.autogenerate.compare_metadata`` with the
options ``migrations/env.py`` uses, so "no differences" here means
``reis db migrate`` would write an empty revision.
"""

from __future__ import annotations

import ast
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from pprint import pformat

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

import config
from app import create_app
from app.extensions import db
from tests.conftest import new_postgres_database

VERSIONS = config.MIGRATIONS_DIR / "versions"
ENV_PY = config.MIGRATIONS_DIR / "env.py"
# Packages of this project: a revision that imports one changes meaning when they change.
PROJECT_PACKAGES = ("app", "workflows", "config", "forms", "worker")


def env_compare_options() -> dict:
    """The comparison options env.py hands Alembic, read from env.py itself."""
    source = ENV_PY.read_text()
    options = {}
    for name in ("compare_type", "compare_server_default"):
        found = re.search(rf'["\']{name}["\']\s*:\s*(True|False)', source)
        if found:
            options[name] = found.group(1) == "True"
    assert "compare_type" in options, "env.py no longer sets compare_type; update this test"
    return options


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    with new_postgres_database("reis_migr") as url:
        yield url


@pytest.fixture
def fresh_app(fresh_url):
    app = create_app({"ENV": "testing", "DATABASE_URL": fresh_url,
                      "SECRET_KEY": "test-" + uuid.uuid4().hex})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=env_compare_options())
        return compare_metadata(context, db.metadata)


def tables() -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def head_revision() -> str:
    script = ScriptDirectory(str(config.MIGRATIONS_DIR))
    heads = script.get_heads()
    assert len(heads) == 1, f"the migrations have {len(heads)} heads: {heads}; merge them"
    return heads[0]


def current_revision() -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


class TestUpgrade:
    def test_head_matches_the_models(self, fresh_app):
        upgrade()
        assert current_revision() == head_revision()
        diff = differences()
        assert diff == [], ("the models and the migrations disagree; write a revision "
                            "(reis db migrate) or fix the models:\n" + pformat(diff))

    def test_every_model_table_is_created(self, fresh_app):
        upgrade()
        assert tables() == set(db.metadata.tables)

    def test_upgrade_twice_is_a_no_op(self, fresh_app):
        upgrade()
        upgrade()
        assert current_revision() == head_revision()


class TestDowngrade:
    def test_down_to_base_and_up_again(self, fresh_app):
        upgrade()
        downgrade(revision="base")
        assert current_revision() is None
        assert tables() == set(), "downgrade base left tables behind"
        upgrade()
        assert current_revision() == head_revision()
        assert differences() == []

    def test_each_step_down_and_up(self, fresh_app):
        """Every revision's downgrade undoes its upgrade, one step at a time."""
        script = ScriptDirectory(str(config.MIGRATIONS_DIR))
        revisions = [r.revision for r in script.walk_revisions()]  # head first
        upgrade()
        for revision in revisions:
            downgrade(revision="-1")
            upgrade(revision=revision)
            assert current_revision() == revision
            downgrade(revision="-1")
        assert current_revision() is None
        upgrade()
        assert differences() == []


class TestRevisionFiles:
    @staticmethod
    def revision_files() -> list[Path]:
        files = sorted(VERSIONS.glob("*.py"))
        assert files, "no revision files"
        return files

    def test_revisions_import_nothing_from_the_project(self):
        offenders = []
        for path in self.revision_files():
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom):
                    names = [node.module or ""] if node.level == 0 else ["(relative import)"]
                else:
                    continue
                for name in names:
                    if name.split(".")[0] in PROJECT_PACKAGES or name == "(relative import)":
                        offenders.append(f"{path.name}:{node.lineno} imports {name}")
        assert offenders == []

    def test_revision_files_are_date_prefixed(self):
        names = [p.name for p in self.revision_files()]
        assert all(re.fullmatch(r"\d{8}_[0-9a-f]{12}_\w+\.py", n) for n in names), names

    def test_one_head(self):
        head_revision()
