"""Settings: defaults, typed ``REIS_*`` overrides, and the refusals of ``validate()``.

Every call passes ``environ`` explicitly, so the machine's own environment
never leaks into these tests.
"""

from __future__ import annotations

import re

import pytest

import config
from config import DEFAULTS, DEV_SECRET_KEY, ConfigError, load

GOOD_KEY = "k" * 40
PG = "postgresql://reis@db.internal:5432/reis"


def production(**environ: str) -> dict[str, str]:
    return {"REIS_ENV": "production", "REIS_SECRET_KEY": GOOD_KEY, "REIS_DATABASE_URL": PG,
            "REIS_RATELIMIT_STORAGE_URL": "redis://redis.internal:6379/0", **environ}


class TestDefaults:
    def test_defaults_are_alphabetised(self):
        assert list(DEFAULTS) == sorted(DEFAULTS)

    def test_defaults_load_as_development(self):
        settings = load(environ={})
        assert settings["ENV"] == "development"
        assert settings["SECRET_KEY"] == DEV_SECRET_KEY
        assert settings["DATABASE_URL"].startswith("sqlite:///")
        assert settings["FILE_ID_PATTERN"] == r"^\d{4}-\d{5}$"
        assert settings["BROKER_URL"] is None and settings["SMTP_HOST"] is None

    def test_default_file_id_pattern_is_sacramentos(self):
        pattern = load(environ={})["FILE_ID_PATTERN"]
        assert re.fullmatch(pattern, "2026-00838")
        assert not re.fullmatch(pattern, "26-00838")
        assert not re.fullmatch(pattern, "2026-00838x")

    def test_load_leaves_the_defaults_alone(self):
        settings = load(environ={"REIS_SMTP_PORT": "2525"})
        settings["MAIL_FROM"] = "changed@x"
        assert DEFAULTS["SMTP_PORT"] == 25 and DEFAULTS["MAIL_FROM"] != "changed@x"


class TestEnvironmentOverrides:
    def test_ints_are_typed(self):
        settings = load(environ={"REIS_SMTP_PORT": "2525", "REIS_CUTOFF_BUSINESS_DAYS": " 12 ",
                                 "REIS_SQLITE_BUSY_TIMEOUT_MS": "0"})
        assert settings["SMTP_PORT"] == 2525 and type(settings["SMTP_PORT"]) is int
        assert settings["CUTOFF_BUSINESS_DAYS"] == 12
        assert settings["SQLITE_BUSY_TIMEOUT_MS"] == 0

    @pytest.mark.parametrize("raw", ["twenty", "2.5", "1e3", "0x19"])
    def test_a_non_integer_is_refused_naming_the_variable(self, raw):
        with pytest.raises(ConfigError, match="REIS_SMTP_PORT must be an integer"):
            load(environ={"REIS_SMTP_PORT": raw})

    @pytest.mark.parametrize("name, raw", [("CUTOFF_BUSINESS_DAYS", "-1"),
                                           ("SLA_ODE_REVIEW_DAYS", "-5"),
                                           ("SMTP_PORT", "0"), ("SMTP_PORT", "70000")])
    def test_out_of_range_ints_are_refused(self, name, raw):
        with pytest.raises(ConfigError, match=f"REIS_{name}"):
            load(environ={f"REIS_{name}": raw})

    def test_strings_are_taken_as_given(self):
        settings = load(environ={"REIS_MAIL_FROM": "agenda@cityofsacramento.org",
                                 "REIS_SMTP_HOST": "smtp.city.test",
                                 "REIS_BROKER_URL": "redis://127.0.0.1:6379/0"})
        assert settings["MAIL_FROM"] == "agenda@cityofsacramento.org"
        assert settings["SMTP_HOST"] == "smtp.city.test"
        assert settings["BROKER_URL"] == "redis://127.0.0.1:6379/0"

    def test_an_empty_variable_means_unset(self):
        assert load(environ={"REIS_SMTP_PORT": "", "REIS_ENV": ""})["SMTP_PORT"] == 25

    def test_unrelated_variables_are_ignored(self):
        settings = load(environ={"SMTP_PORT": "1", "REIS_NOT_A_SETTING": "x"})
        assert settings["SMTP_PORT"] == 25 and "NOT_A_SETTING" not in settings

    def test_explicit_overrides_win_over_the_environment(self):
        settings = load({"SMTP_PORT": 587}, environ={"REIS_SMTP_PORT": "2525"})
        assert settings["SMTP_PORT"] == 587

    def test_an_override_of_the_wrong_type_is_refused(self):
        with pytest.raises(ConfigError, match="REIS_SMTP_PORT"):
            load({"SMTP_PORT": "587"}, environ={})

    def test_reads_os_environ_by_default(self, monkeypatch):
        monkeypatch.setenv("REIS_SLA_ODE_REVIEW_DAYS", "7")
        assert load()["SLA_ODE_REVIEW_DAYS"] == 7


class TestEnvironment:
    @pytest.mark.parametrize("env", ["development", "testing", "production"])
    def test_known_environments(self, env):
        environ = production() if env == "production" else {}
        assert load(environ={**environ, "REIS_ENV": env})["ENV"] == env

    @pytest.mark.parametrize("env", ["prod", "Production", "staging", "dev"])
    def test_unknown_environment_is_refused(self, env):
        with pytest.raises(ConfigError, match="REIS_ENV must be one of"):
            load(environ={"REIS_ENV": env})


class TestFileIdPattern:
    @pytest.mark.parametrize("pattern", [r"^\d{2}-\d{3}$", r"Int \d{4}-\d{4}", r"[A-Z]{2,4}\d+"])
    def test_other_cities_forms_are_accepted(self, pattern):
        assert load(environ={"REIS_FILE_ID_PATTERN": pattern})["FILE_ID_PATTERN"] == pattern

    @pytest.mark.parametrize("pattern", ["^(\\d{4}-\\d{5}$", "[", "*abc", "(?P<x>a)(?P<x>b)"])
    def test_a_broken_pattern_is_refused(self, pattern):
        with pytest.raises(ConfigError, match="REIS_FILE_ID_PATTERN"):
            load(environ={"REIS_FILE_ID_PATTERN": pattern})

    def test_a_pattern_that_is_not_text_is_refused(self):
        with pytest.raises(ConfigError, match="REIS_FILE_ID_PATTERN"):
            load({"FILE_ID_PATTERN": None}, environ={})


class TestProduction:
    def test_good_production_settings_load(self):
        settings = load(environ=production())
        assert settings["ENV"] == "production" and settings["SECRET_KEY"] == GOOD_KEY

    @pytest.mark.parametrize("key", [None, DEV_SECRET_KEY])
    def test_the_development_key_is_refused(self, key):
        environ = production()
        if key is None:
            del environ["REIS_SECRET_KEY"]
        else:
            environ["REIS_SECRET_KEY"] = key
        with pytest.raises(ConfigError, match="REIS_SECRET_KEY"):
            load(environ=environ)

    @pytest.mark.parametrize("key", ["short", "x" * 31])
    def test_a_short_key_is_refused(self, key):
        with pytest.raises(ConfigError, match="at least 32 characters"):
            load(environ=production(REIS_SECRET_KEY=key))

    def test_a_key_of_32_characters_is_enough(self):
        assert load(environ=production(REIS_SECRET_KEY="y" * 32))["SECRET_KEY"] == "y" * 32

    @pytest.mark.parametrize("url", ["sqlite:///instance/reis.sqlite3", "sqlite://",
                                     "sqlite+pysqlite:////tmp/reis.sqlite3"])
    def test_sqlite_is_refused(self, url):
        with pytest.raises(ConfigError, match="PostgreSQL"):
            load(environ=production(REIS_DATABASE_URL=url))

    def test_the_default_database_is_refused(self):
        environ = production()
        del environ["REIS_DATABASE_URL"]
        with pytest.raises(ConfigError, match="PostgreSQL"):
            load(environ=environ)

    def test_development_tolerates_what_production_refuses(self):
        settings = load(environ={"REIS_SECRET_KEY": "short"})
        assert settings["SECRET_KEY"] == "short"


class TestSqlalchemyUrl:
    @pytest.mark.parametrize("url", ["postgres://u@h/db", "postgresql://u@h/db"])
    def test_postgres_uses_psycopg3(self, url):
        assert config.sqlalchemy_url(url) == "postgresql+psycopg://u@h/db"

    @pytest.mark.parametrize("url", ["postgresql+psycopg://u@h/db", "sqlite:////tmp/x.sqlite3"])
    def test_other_urls_are_untouched(self, url):
        assert config.sqlalchemy_url(url) == url
