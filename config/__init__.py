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
    "API_TOKEN_FAILURES": "100 per minute",  # failed API token authentications per client address
    "BASE_URL": None,  # the address links in mails and feeds start with, e.g. https://reis.city.gov
    "BEAT_SCHEDULE_FILE": None,  # None: instance/celerybeat-schedule (beat's last-run times)
    "BROKER_URL": None,  # None: an embedded broker (SQLAlchemy transport on a SQLite file)
    "CITY_CLOSURES": "",  # extra City closures beyond CA holidays: ISO dates, comma-separated
    "CITY_OPEN_DAYS": "",  # CA holidays the City keeps open: ISO dates, comma-separated
    "COOKIE_SECURE": None,  # None: HTTPS-only cookies in production; false is refused there
    "CUTOFF_BUSINESS_DAYS": 10,
    "DATABASE_URL": f"sqlite:///{INSTANCE_DIR / 'reis.sqlite3'}",
    "DELEGATION_MAX_DAYS": 90,  # the longest delegation, in days (both ends counted)
    "ENV": "development",
    "ESCALATE_AFTER_REMINDERS": 3,  # unanswered reminders before the escalation contact is copied
    "FILE_ID_PATTERN": r"^\d{4}-\d{5}$",
    "LEGISTAR_BASE_URL": "https://webapi.legistar.com/v1",  # + /{client}/matters ...
    "LEGISTAR_DEPARTMENT_MAP": "{}",  # JSON {Legistar field: {value: department code}}, first match wins
    "LEGISTAR_PAGE_SIZE": 1000,  # $top per request (the Web API returns at most 1000)
    "LEGISTAR_TOKEN": None,  # the client's Web API token, if the city requires one
    "MAIL_FROM": "reis@localhost",
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    "ODE_AUTO_ASSIGN": True,  # a statement entering ODE review goes to the least busy reviewer
    "ODE_ESCALATION_EMAIL": None,  # copied on unanswered ODE-review reminders
    "RATELIMIT_STORAGE_URL": "memory://",  # sign-in throttling; a redis:// URL in production
    "REMINDER_DAYS_BEFORE_CUTOFF": "5,2",  # business days before the cutoff that remind
    "SECRET_KEY": DEV_SECRET_KEY,
    "SLA_DEPARTMENT_REVIEW_DAYS": 3,
    "SLA_ODE_REVIEW_DAYS": 5,
    "SMTP_HOST": None,
    "SMTP_PORT": 25,
    "SQLITE_BUSY_TIMEOUT_MS": 10_000,
    "TIMEZONE": "America/Los_Angeles",
    "TRUSTED_PROXIES": 0,  # reverse proxies in front whose X-Forwarded-* headers are believed
}

BOOLEANS = {"COOKIE_SECURE"}  # tri-state: None means "the environment decides"
ENVIRONMENTS = ("development", "testing", "production")
FILE_ID_MAX_LENGTH = 64
#: more proxies than this in a chain is a typo, and would let a client choose its own address
MAX_TRUSTED_PROXIES = 5


class ConfigError(ValueError):
    """The settings cannot work together; the app refuses to start."""


def _coerce(name: str, raw: str) -> Any:
    default = DEFAULTS[name]
    if isinstance(default, bool) or name in BOOLEANS:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError as exc:
            raise ConfigError(f"REIS_{name} must be an integer, got {raw!r}") from exc
    return raw


def load(overrides: Mapping[str, Any] | None = None,
         environ: Mapping[str, str] | None = None) -> dict[str, Any]:
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
    except (re.error, TypeError) as exc:
        raise ConfigError(f"REIS_FILE_ID_PATTERN is not a valid regular expression: {exc}") from exc
    for name, default in DEFAULTS.items():  # typed: an int setting is a whole number >= 0
        value = settings[name]
        if type(default) is int and (type(value) is not int or value < 0):
            raise ConfigError(f"REIS_{name} must be a whole number, at least 0; got {value!r}")
    if settings["TRUSTED_PROXIES"] > MAX_TRUSTED_PROXIES:
        raise ConfigError(f"REIS_TRUSTED_PROXIES is how many reverse proxies stand in front (0 to "
                          f"{MAX_TRUSTED_PROXIES}), got {settings['TRUSTED_PROXIES']}")
    base = settings["BASE_URL"]
    if base is not None and not re.fullmatch(r"https?://[^/\s?#]+(/[^\s?#]*)?", str(base)):
        raise ConfigError(f"REIS_BASE_URL must be an http:// or https:// address, got {base!r}")
    if settings["DELEGATION_MAX_DAYS"] < 1:
        raise ConfigError("REIS_DELEGATION_MAX_DAYS must be at least 1, got "
                          f"{settings['DELEGATION_MAX_DAYS']}")
    if not 0 < settings["SMTP_PORT"] < 65536:
        raise ConfigError(f"REIS_SMTP_PORT must be a TCP port (1-65535), got {settings['SMTP_PORT']}")
    if env == "production":
        if settings["SECRET_KEY"] in (None, "", DEV_SECRET_KEY):
            raise ConfigError("production needs REIS_SECRET_KEY set to a secret of its own")
        if len(settings["SECRET_KEY"]) < 32:
            raise ConfigError("REIS_SECRET_KEY must be at least 32 characters in production")
        if str(settings["DATABASE_URL"]).startswith("sqlite"):
            raise ConfigError("production needs PostgreSQL in REIS_DATABASE_URL, not SQLite")
        if settings["COOKIE_SECURE"] is False:
            raise ConfigError("production needs HTTPS-only cookies: REIS_COOKIE_SECURE must not be false")
        if not str(settings["RATELIMIT_STORAGE_URL"]).startswith(("redis://", "rediss://", "redis+")):
            raise ConfigError("production needs a redis:// URL in REIS_RATELIMIT_STORAGE_URL, shared by "
                              "every process, not in-memory counters")


def sqlalchemy_url(url: str) -> str:
    """Accept the usual ``postgresql://`` spelling and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
