"""Settings: one alphabetised map of defaults, typed environment overrides,
and a ``validate()`` that refuses to start on a bad combination.

Every setting can be given as ``REIS_<NAME>`` in the environment. Tests and
scripts pass overrides to ``load()`` directly instead of mutating ``os.environ``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DEV_SECRET_KEY = "dev-not-secret-change-me"
ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = ROOT / "instance"
MIGRATIONS_DIR = ROOT / "migrations"

DEFAULTS: dict[str, Any] = {
    "BROKER_URL": None,  # None: an embedded broker (SQLAlchemy transport on a SQLite file)
    "CUTOFF_BUSINESS_DAYS": 10,
    "DATABASE_URL": f"sqlite:///{INSTANCE_DIR / 'reis.sqlite3'}",
    "ENV": "development",
    "FILE_ID_PATTERN": r"^\d{4}-\d{5}$",
    "MAIL_FROM": "reis@localhost",
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    "SECRET_KEY": DEV_SECRET_KEY,
    "SLA_DEPARTMENT_REVIEW_DAYS": 3,
    "SLA_ODE_REVIEW_DAYS": 5,
    "SMTP_HOST": None,
    "SMTP_PORT": 25,
    "SQLITE_BUSY_TIMEOUT_MS": 10_000,
    "TIMEZONE": "America/Los_Angeles",
}

ENVIRONMENTS = ("development", "testing", "production")
FILE_ID_MAX_LENGTH = 64


class ConfigError(ValueError):
    """The settings cannot work together; the app refuses to start."""


def _coerce(name: str, raw: str) -> Any:
    default = DEFAULTS[name]
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError as exc:
            raise ConfigError(f"REIS_{name} must be an integer, got {raw!r}") from exc
    return raw


def load(overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Defaults, then ``REIS_*`` environment variables, then explicit overrides."""
    environ = os.environ if environ is None else environ
    settings = dict(DEFAULTS)
    for name in DEFAULTS:
        raw = environ.get(f"REIS_{name}")
        if raw not in (None, ""):
            settings[name] = _coerce(name, raw)
    settings.update(overrides or {})
    validate(settings)
    return settings


def validate(settings: Mapping[str, Any]) -> None:
    env = settings["ENV"]
    if env not in ENVIRONMENTS:
        raise ConfigError(f"REIS_ENV must be one of {', '.join(ENVIRONMENTS)}, got {env!r}")
    pattern = settings["FILE_ID_PATTERN"]
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ConfigError(f"REIS_FILE_ID_PATTERN is not a valid regular expression: {exc}") from exc
    if env == "production":
        if settings["SECRET_KEY"] in (None, "", DEV_SECRET_KEY):
            raise ConfigError("production needs REIS_SECRET_KEY set to a secret of its own")
        if len(settings["SECRET_KEY"]) < 32:
            raise ConfigError("REIS_SECRET_KEY must be at least 32 characters in production")
        if str(settings["DATABASE_URL"]).startswith("sqlite"):
            raise ConfigError("production needs PostgreSQL in REIS_DATABASE_URL, not SQLite")


def sqlalchemy_url(url: str) -> str:
    """Accept the usual ``postgresql://`` spelling and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
