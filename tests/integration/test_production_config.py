"""Production refuses to start on unsafe settings, in every entry point
(``create_app()`` for gunicorn, the ``reis`` script), and starts on good ones.

A production app here points at the session's PostgreSQL database; nothing
in these tests writes to it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from app.web.auth import limiter
from config import DEV_SECRET_KEY, ConfigError

REIS = Path(sys.executable).parent / "reis"
GOOD_KEY = "production-" + "s" * 40
REDIS = "redis://127.0.0.1:1/0"  # never contacted: nothing here counts a failure


@pytest.fixture(autouse=True)
def _keep_limiter_storage():
    """A production app points the (process-wide) limiter at Redis; put it back after."""
    saved = limiter._storage, limiter._limiter
    yield
    limiter._storage, limiter._limiter = saved


@pytest.fixture
def pg_url(postgres_database) -> str:
    return postgres_database


@pytest.fixture
def production_app(pg_url):
    app = create_app({"ENV": "production", "DATABASE_URL": pg_url, "SECRET_KEY": GOOD_KEY,
                      "RATELIMIT_STORAGE_URL": REDIS})
    with app.app_context():
        upgrade()  # idempotent: the shared session database may be migrated already
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def reis_env(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REIS_", "FLASK_"))}
    return {**env, **{f"REIS_{k}": v for k, v in settings.items()}}


class TestCreateAppRefuses:
    def test_the_development_key(self, pg_url):
        with pytest.raises(ConfigError, match="REIS_SECRET_KEY"):
            create_app({"ENV": "production", "DATABASE_URL": pg_url, "SECRET_KEY": DEV_SECRET_KEY})

    def test_a_short_key(self, pg_url):
        with pytest.raises(ConfigError, match="at least 32"):
            create_app({"ENV": "production", "DATABASE_URL": pg_url, "SECRET_KEY": "short-key"})

    def test_sqlite(self, tmp_path):
        with pytest.raises(ConfigError, match="PostgreSQL"):
            create_app({"ENV": "production", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
                        "SECRET_KEY": GOOD_KEY})

    def test_an_unknown_environment(self, tmp_path):
        with pytest.raises(ConfigError, match="REIS_ENV"):
            create_app({"ENV": "staging", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})

    def test_from_the_environment_as_gunicorn_would(self, monkeypatch, pg_url):
        """``gunicorn 'app:create_app()'`` passes no overrides: the environment decides."""
        monkeypatch.setenv("REIS_ENV", "production")
        monkeypatch.setenv("REIS_DATABASE_URL", pg_url)
        monkeypatch.setenv("REIS_RATELIMIT_STORAGE_URL", REDIS)
        monkeypatch.delenv("REIS_SECRET_KEY", raising=False)
        with pytest.raises(ConfigError, match="REIS_SECRET_KEY"):
            create_app()
        monkeypatch.setenv("REIS_SECRET_KEY", GOOD_KEY)
        app = create_app()
        assert app.config["REIS_ENV"] == "production"
        with app.app_context():
            db.engine.dispose()


class TestReisScriptRefuses:
    @pytest.mark.parametrize("settings, says", [
        ({"ENV": "production"}, "REIS_SECRET_KEY"),
        ({"ENV": "production", "SECRET_KEY": GOOD_KEY}, "PostgreSQL"),
        ({"ENV": "bogus"}, "REIS_ENV"),
        ({"FILE_ID_PATTERN": "(unclosed"}, "REIS_FILE_ID_PATTERN"),
    ])
    def test_bad_settings_stop_the_script_with_a_message(self, tmp_path, settings, says):
        env = reis_env(DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}", **settings)
        done = subprocess.run([str(REIS), "departments", "create", "--code", "X", "--name", "X"],
                              env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120,
                              check=False)
        assert done.returncode != 0
        assert says in done.stderr
        assert "Traceback" not in done.stderr
        assert "created" not in done.stdout


class TestProductionStarts:
    def test_settings_are_production(self, production_app):
        assert production_app.config["REIS_ENV"] == "production"
        assert production_app.config["TESTING"] is False
        assert production_app.debug is False
        assert production_app.config["SECRET_KEY"] == GOOD_KEY
        assert production_app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")

    def test_health_and_api_answer(self, production_app):
        client = production_app.test_client()
        health = client.get("/healthz")
        assert health.status_code == 200 and health.json["status"] == "ok"
        denied = client.get("/api/v1/items")
        assert denied.status_code == 401 and denied.json["error"] == "unauthorized"

    def test_demo_data_is_refused(self, production_app):
        with production_app.app_context():
            result = production_app.test_cli_runner().invoke(args=["demo"])
            db.session.remove()
        assert result.exit_code != 0
        assert "production" in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
