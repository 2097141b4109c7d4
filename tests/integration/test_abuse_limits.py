"""Abuse limits: failed API tokens are rate-limited per address (the client's own address
behind ``REIS_TRUSTED_PROXIES`` reverse proxies), request bodies are capped at 1 MiB, and
production refuses to start on unsafe settings."""

from __future__ import annotations

import pytest
import time_machine
from werkzeug.middleware.proxy_fix import ProxyFix

import config
from app import create_app, ratelimit
from app.extensions import db
from app.operations import people
from app.web.auth import limiter
from config import DEFAULTS, DEV_SECRET_KEY, ConfigError
from tests.integration.web_helpers import WebUser, give_passwords

ATTACKER = {"REMOTE_ADDR": "203.0.113.7"}
NEIGHBOUR = {"REMOTE_ADDR": "198.51.100.9"}
BAD = {"Authorization": "Bearer not-a-real-token"}
LIMIT = 100  # REIS_API_TOKEN_FAILURES default: 100 per minute


def test_the_default_limit_is_20_failures_a_minute():
    assert DEFAULTS["API_TOKEN_FAILURES"] == "100 per minute"
GOOD_KEY = "production-" + "k" * 40
REDIS = "redis://127.0.0.1:1/0"  # never contacted by these tests


@pytest.fixture
def limited(app_ctx):
    """The session app with the production default limit (its harness allows more)."""
    harness = app_ctx.config["REIS_API_TOKEN_FAILURES"]
    app_ctx.config["REIS_API_TOKEN_FAILURES"] = DEFAULTS["API_TOKEN_FAILURES"]
    ratelimit.reset(app_ctx)
    yield app_ctx
    ratelimit.reset(app_ctx)
    app_ctx.config["REIS_API_TOKEN_FAILURES"] = harness


def get(client, path, headers, address):
    return client.get(path, headers=headers, environ_base=address)


class TestFailedTokens:
    def test_a_first_bad_token_is_401_unauthorized(self, limited, world):
        response = get(limited.test_client(), "/api/v1/items", BAD, ATTACKER)
        assert response.status_code == 401
        assert response.json["error"] == "unauthorized"
        assert "Retry-After" not in response.headers

    def test_past_the_limit_failures_are_429_with_retry_after(self, limited, world):
        client = limited.test_client()
        for _ in range(LIMIT):
            assert get(client, "/api/v1/items", BAD, ATTACKER).status_code == 401
        refused = get(client, "/api/v1/items", BAD, ATTACKER)
        assert refused.status_code == 429
        assert refused.is_json and refused.json["error"] == "too_many_requests"
        assert refused.json["message"]
        assert 1 <= int(refused.headers["Retry-After"]) <= 60

    def test_the_gate_fast_path_counts_and_refuses_too(self, limited, world):
        world.item("2026-00001")
        client = limited.test_client()
        path = "/api/v1/items/2026-00001/agendizable"
        for _ in range(LIMIT):
            assert get(client, path, BAD, ATTACKER).status_code == 401
        assert get(client, path, BAD, ATTACKER).status_code == 429
        # blocked: even a right token from this address waits, so guessing gains nothing
        blocked = get(client, path, world["clerk"].headers, ATTACKER)
        assert blocked.status_code == 429 and "Retry-After" in blocked.headers

    def test_a_valid_token_from_another_address_still_works(self, limited, world):
        world.item("2026-00001")
        client = limited.test_client()
        for _ in range(LIMIT + 1):
            get(client, "/api/v1/items", BAD, ATTACKER)
        assert get(client, "/api/v1/items/2026-00001", world["clerk"].headers, NEIGHBOUR).status_code == 200
        gate = get(client, "/api/v1/items/2026-00001/agendizable", world["clerk"].headers, NEIGHBOUR)
        assert gate.status_code == 200 and gate.json["agendizable"] is False

    def test_successes_and_missing_tokens_do_not_count(self, limited, world):
        client = limited.test_client()
        for _ in range(LIMIT + 5):
            assert get(client, "/api/v1/items", world["clerk"].headers, ATTACKER).status_code == 200
            assert get(client, "/api/v1/items", {}, ATTACKER).status_code == 401
        assert get(client, "/api/v1/items", BAD, ATTACKER).status_code == 401

    def test_revoked_and_deactivated_tokens_count_as_failures(self, limited, world):
        user = world["staff2"].user
        user.active = False
        db.session.commit()
        client = limited.test_client()
        for _ in range(LIMIT):
            assert get(client, "/api/v1/items", world["staff2"].headers, ATTACKER).status_code == 401
        assert get(client, "/api/v1/items", world["staff2"].headers, ATTACKER).status_code == 429

    def test_the_block_ends_with_the_window(self, limited, world):
        client = limited.test_client()
        with time_machine.travel("2026-11-25 10:00:00+00:00", tick=False) as traveller:
            for _ in range(LIMIT + 1):
                get(client, "/api/v1/items", BAD, ATTACKER)
            assert get(client, "/api/v1/items", world["clerk"].headers, ATTACKER).status_code == 429
            traveller.shift(61)
            assert get(client, "/api/v1/items", world["clerk"].headers, ATTACKER).status_code == 200
            assert get(client, "/api/v1/items", BAD, ATTACKER).status_code == 401

    def test_counts_live_in_the_flask_limiter_storage(self, limited, world):
        client = limited.test_client()
        for _ in range(LIMIT + 1):
            get(client, "/api/v1/items", BAD, ATTACKER)
        limited.extensions.pop("reis.token_failures_blocked")  # as a fresh process would start
        # another process sees the shared count: the next failure is refused at once
        assert get(client, "/api/v1/items", BAD, ATTACKER).status_code == 429
        limiter.reset()
        limited.extensions.pop("reis.token_failures_blocked")
        assert get(client, "/api/v1/items", BAD, ATTACKER).status_code == 401

    def test_issued_tokens_are_unaffected_by_anothers_failures(self, limited, world):
        token = people.issue_token(world["staff"].user)
        db.session.commit()
        client = limited.test_client()
        for _ in range(LIMIT + 1):
            get(client, "/api/v1/items", BAD, ATTACKER)
        ok = get(client, "/api/v1/items", {"Authorization": f"Bearer {token}"}, NEIGHBOUR)
        assert ok.status_code == 200


class TestRequestSize:
    BIG = "x" * (1024 * 1024 + 1)

    def test_api_post_over_1_mib_is_413_json(self, client, world):
        response = client.post("/api/v1/items", headers=world["clerk"].headers,
                               json={"file_id": "2026-00001", "title": self.BIG, "department": "DOU"})
        assert response.status_code == 413
        assert response.is_json and response.json["error"] == "too_large"

    def test_api_put_over_1_mib_is_413_json(self, client, world):
        world.item("2026-00001")
        response = client.put("/api/v1/items/2026-00001/statement", headers=world["staff"].headers,
                              json={"answers": {"x": self.BIG}, "version": 1})
        assert response.status_code == 413 and response.json["error"] == "too_large"

    def test_web_post_over_1_mib_is_413(self, limited, world):
        client = limited.test_client()
        response = client.post("/sign-in", data={"email": "a@example.org", "password": self.BIG})
        assert response.status_code == 413
        assert not response.is_json  # a web page, not the API's envelope

    def test_just_under_the_limit_is_not_refused_for_size(self, client, world):
        response = client.post("/api/v1/items", headers=world["clerk"].headers,
                               json={"file_id": "2026-00001", "title": "x" * 1000, "department": "DOU"})
        assert response.status_code != 413


def production(pg_url: str, **settings) -> dict:
    return {"ENV": "production", "DATABASE_URL": pg_url, "SECRET_KEY": GOOD_KEY,
            "RATELIMIT_STORAGE_URL": REDIS, **settings}


@pytest.fixture
def pg_url(postgres_database) -> str:
    saved = limiter._storage, limiter._limiter  # a production app points the limiter at Redis
    yield postgres_database
    limiter._storage, limiter._limiter = saved


class TestProductionRefuses:
    def test_the_development_secret_key(self, pg_url):
        with pytest.raises(ConfigError, match="REIS_SECRET_KEY"):
            create_app(production(pg_url, SECRET_KEY=DEV_SECRET_KEY))

    def test_sqlite(self, pg_url, tmp_path):
        with pytest.raises(ConfigError, match="PostgreSQL"):
            create_app(production(pg_url, DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}"))

    def test_cookies_that_are_not_https_only(self, pg_url):
        with pytest.raises(ConfigError, match="REIS_COOKIE_SECURE"):
            create_app(production(pg_url, COOKIE_SECURE=False))

    def test_cookie_secure_false_from_the_environment(self, pg_url, monkeypatch):
        monkeypatch.setenv("REIS_COOKIE_SECURE", "false")
        with pytest.raises(ConfigError, match="REIS_COOKIE_SECURE"):
            create_app(production(pg_url))

    @pytest.mark.parametrize("storage", ["memory://", "", "memcached://127.0.0.1:11211"])
    def test_rate_limits_not_in_redis(self, pg_url, storage):
        with pytest.raises(ConfigError, match="REIS_RATELIMIT_STORAGE_URL"):
            create_app(production(pg_url, RATELIMIT_STORAGE_URL=storage))

    def test_good_settings_start_with_secure_cookies_and_redis_counts(self, pg_url):
        app = create_app(production(pg_url))
        assert app.config["SESSION_COOKIE_SECURE"] is True
        assert app.config["REMEMBER_COOKIE_SECURE"] is True
        assert app.config["RATELIMIT_STORAGE_URI"].startswith("redis://")
        with app.app_context():
            db.engine.dispose()

    def test_development_may_turn_secure_cookies_on(self, pg_url, tmp_path):
        app = create_app({"ENV": "development", "COOKIE_SECURE": True,
                          "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
        assert app.config["SESSION_COOKIE_SECURE"] is True
        with app.app_context():
            db.engine.dispose()


PROXY = {"REMOTE_ADDR": "192.0.2.10"}  # the reverse proxy every request arrives from


def through_proxy(client_address: str) -> dict[str, str]:
    return {**BAD, "X-Forwarded-For": client_address}


@pytest.fixture
def behind_proxy(app, limited):
    """The same database, served by an app that trusts one reverse proxy."""
    saved = limiter._storage, limiter._limiter
    proxied = create_app({"ENV": "testing", "DATABASE_URL": app.config["REIS_DATABASE_URL"],
                          "SECRET_KEY": app.config["SECRET_KEY"], "TRUSTED_PROXIES": 1})
    yield proxied
    with proxied.app_context():
        db.engine.dispose()
    limiter._storage, limiter._limiter = saved


class TestTrustedProxies:
    def test_by_default_no_forwarded_header_is_believed(self, app):
        assert DEFAULTS["TRUSTED_PROXIES"] == 0
        assert not isinstance(app.wsgi_app, ProxyFix)

    def test_the_setting_puts_proxy_fix_in_front(self, behind_proxy):
        fix = behind_proxy.wsgi_app
        assert isinstance(fix, ProxyFix)
        assert (fix.x_for, fix.x_proto, fix.x_host, fix.x_port, fix.x_prefix) == (1, 1, 1, 1, 1)

    @pytest.mark.parametrize("raw", ["-1", "6", "two", "1.5"])
    def test_a_bad_value_refuses_to_start(self, raw):
        with pytest.raises(ConfigError, match="REIS_TRUSTED_PROXIES"):
            config.load(environ={"REIS_TRUSTED_PROXIES": raw})

    def test_read_from_the_environment(self):
        assert config.load(environ={"REIS_TRUSTED_PROXIES": "2"})["TRUSTED_PROXIES"] == 2

    def test_one_client_behind_the_proxy_cannot_lock_out_the_others(self, behind_proxy, world):
        client = behind_proxy.test_client()
        for _ in range(LIMIT + 1):
            client.get("/api/v1/items", headers=through_proxy("203.0.113.7"), environ_base=PROXY)
        assert client.get("/api/v1/items", headers=through_proxy("203.0.113.7"),
                          environ_base=PROXY).status_code == 429
        neighbour = {**world["clerk"].headers, "X-Forwarded-For": "198.51.100.9"}
        assert client.get("/api/v1/items", headers=neighbour, environ_base=PROXY).status_code == 200

    def test_sign_in_failures_count_per_client_behind_the_proxy(self, behind_proxy, world):
        give_passwords()
        emails = [person.email for person in world.people.values()]

        def via_proxy(email: str, client_address: str) -> WebUser:
            return WebUser(behind_proxy, email, address=PROXY["REMOTE_ADDR"],
                           headers={"X-Forwarded-For": client_address})

        for n in range(30):  # past the per-address limit, under every per-email one
            assert via_proxy(emails[n % 10], "203.0.113.7").sign_in("guess").status_code == 200
        assert via_proxy(world["staff"].email, "203.0.113.7").sign_in().status_code == 429
        assert via_proxy(world["staff"].email, "198.51.100.9").sign_in().status_code == 303

    def test_without_trust_a_client_cannot_choose_its_address(self, limited, world):
        client = limited.test_client()
        for n in range(LIMIT + 1):  # a new X-Forwarded-For each time: the count stays one
            client.get("/api/v1/items", headers=through_proxy(f"198.51.100.{n % 250}"), environ_base=ATTACKER)
        assert client.get("/api/v1/items", headers=world["clerk"].headers,
                          environ_base=ATTACKER).status_code == 429
