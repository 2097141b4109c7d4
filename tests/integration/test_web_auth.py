"""Signing in and out, CSRF, throttled guessing, cookies and security headers."""

from __future__ import annotations

import pytest
from limits import parse_many

from app import create_app
from app.operations import accounts
from app.web.auth import PER_EMAIL, PER_EMAIL_AND_ADDRESS, limiter
from tests.integration.web_helpers import PASSWORD, WebUser, give_passwords, signed_in

ATTACKER, OWNER = "203.0.113.7", "198.51.100.200"


def per_hour(limits: str) -> float:
    """The most failures an hour the limits allow."""
    return min(item.amount * 3600 / item.get_expiry() for item in parse_many(limits))


@pytest.fixture
def web(app_ctx, world):
    give_passwords()
    limiter.reset()
    yield world
    limiter.reset()


class TestSignIn:
    def test_pages_need_sign_in(self, app_ctx, web):
        response = WebUser(app_ctx).open("/items/2026-00001")
        assert response.status_code == 303
        assert response.headers["Location"].startswith("/sign-in?next=/items/2026-00001")

    def test_right_password_signs_in_and_goes_where_asked(self, app_ctx, web):
        user = WebUser(app_ctx, "STAFF@test.reis")
        response = user.sign_in(next_path="/notifications")
        assert response.status_code == 303
        assert response.headers["Location"] == "/notifications"
        assert user.get("/").status_code == 200

    def test_next_never_leaves_the_site(self, app_ctx, web):
        for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
            response = WebUser(app_ctx, web["staff"].email).sign_in(next_path=target)
            assert response.headers["Location"] == "/"

    def test_wrong_password_is_refused_without_saying_which_part(self, app_ctx, web):
        response = WebUser(app_ctx, web["staff"].email).sign_in("wrong password")
        assert response.status_code == 200
        assert "The email or password is not right." in response.text
        unknown = WebUser(app_ctx, "nobody@test.reis").sign_in()
        assert "The email or password is not right." in unknown.text

    def test_sign_out_ends_the_session(self, app_ctx, web):
        user = signed_in(app_ctx, web["staff"])
        user.get("/")
        assert user.post("/sign-out").status_code == 303
        assert user.open("/").status_code == 303

    def test_deactivated_user_is_signed_out_and_cannot_sign_in(self, app_ctx, web):
        user = signed_in(app_ctx, web["staff"])
        accounts.set_active(web["admin"].user, web["staff"].user.id, False)
        assert user.open("/").status_code == 303
        assert WebUser(app_ctx, web["staff"].email).sign_in().status_code == 200


class TestThrottling:
    def test_repeated_failures_are_slowed_down_even_with_the_right_password(self, app_ctx, web):
        user = WebUser(app_ctx, web["staff"].email)
        for _ in range(5):
            assert user.sign_in("wrong").status_code == 200
        refused = user.sign_in(PASSWORD)
        assert refused.status_code == 429
        assert "Too many failed sign-ins" in refused.text

    def test_successes_do_not_count(self, app_ctx, web):
        for _ in range(7):
            assert WebUser(app_ctx, web["staff"].email).sign_in().status_code == 303

    def test_one_email_counts_separately_from_another(self, app_ctx, web):
        for _ in range(5):
            WebUser(app_ctx, web["staff"].email).sign_in("wrong")
        assert WebUser(app_ctx, web["staff2"].email).sign_in().status_code == 303

    def test_nobody_can_lock_a_known_email_out_from_their_own_address(self, app_ctx, web):
        attacker = WebUser(app_ctx, web["staff"].email, address=ATTACKER)
        for _ in range(5):
            assert attacker.sign_in("guess").status_code == 200
        assert attacker.sign_in(PASSWORD).status_code == 429  # the attacker is stopped ...
        owner = WebUser(app_ctx, web["staff"].email, address=OWNER)
        assert owner.sign_in().status_code == 303  # ... and the owner, elsewhere, is not

    def test_one_address_trying_many_emails_is_stopped(self, app_ctx, web):
        emails = [person.email for person in web.people.values()]
        for n in range(30):  # 3 wrong guesses at each of 10 accounts: under each account's limit
            assert WebUser(app_ctx, emails[n % 10], address=ATTACKER).sign_in("guess").status_code == 200
        assert WebUser(app_ctx, web["staff"].email, address=ATTACKER).sign_in().status_code == 429
        assert WebUser(app_ctx, web["staff"].email, address=OWNER).sign_in().status_code == 303

    def test_many_addresses_guessing_one_email_meet_a_slow_ceiling(self, app_ctx, web):
        for n in range(12):  # 12 addresses x 5 guesses: none of them alone is over its limit
            for _ in range(5):
                assert WebUser(app_ctx, web["staff"].email,
                               address=f"198.51.100.{n}").sign_in("guess").status_code == 200
        assert WebUser(app_ctx, web["staff"].email, address=OWNER).sign_in().status_code == 429
        assert WebUser(app_ctx, web["staff2"].email, address=OWNER).sign_in().status_code == 303

    def test_one_address_cannot_reach_the_ceiling_alone(self):
        assert per_hour(PER_EMAIL_AND_ADDRESS) < per_hour(PER_EMAIL)


class TestCsrf:
    def test_post_without_token_is_refused_and_changes_nothing(self, app_ctx, web):
        web.item("2026-00001")
        user = signed_in(app_ctx, web["staff"])
        response = user.post("/items/2026-00001/statement", {"version": "1", "proposal": "x", "save": "1"},
                             csrf=False)
        assert response.status_code == 400
        assert "security token" in response.text
        from app.operations import lookup

        assert lookup.item("2026-00001").statement.answers == {}

    def test_sign_in_itself_needs_the_token(self, app_ctx, web):
        response = WebUser(app_ctx).open("/sign-in", "POST", data={
            "email": web["staff"].email, "password": PASSWORD})
        assert response.status_code == 400

    def test_the_api_needs_no_token(self, app_ctx, web):
        response = app_ctx.test_client().post("/api/v1/items", headers=web["staff"].headers, json={
            "file_id": "2026-00002", "title": "T", "department": "DOU"})
        assert response.status_code == 201


class TestHeadersAndCookies:
    @pytest.mark.parametrize("path", ["/sign-in", "/api/v1/sections", "/healthz", "/static/reis.css"])
    def test_security_headers_on_every_response(self, app_ctx, web, path):
        response = WebUser(app_ctx).open(path)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"

    def test_session_cookie_is_httponly_and_samesite(self, app_ctx, web):
        response = WebUser(app_ctx, web["staff"].email).sign_in()
        cookie = next(v for k, v in response.headers.items()
                      if k == "Set-Cookie" and v.startswith("reis_session="))
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert "Secure" not in cookie  # tests run over plain http

    def test_production_cookies_are_secure(self):
        saved = limiter._storage, limiter._limiter  # production's Redis must not outlive this test
        app = create_app({"ENV": "production", "SECRET_KEY": "p" * 40,
                          "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
                          "RATELIMIT_STORAGE_URL": "redis://127.0.0.1:1/0"})
        limiter._storage, limiter._limiter = saved
        assert app.config["SESSION_COOKIE_SECURE"] is True
        assert app.config["REMEMBER_COOKIE_SECURE"] is True


class TestNoStore:
    """``Cache-Control: no-store`` on every response to an authenticated request."""

    ARGS = {"file_id": "2026-00001", "meeting_date": "2027-03-02", "notification_id": "1",
            "email": "approver@test.reis", "year": "2026", "n": "1"}

    def paths(self, app, web) -> list[str]:
        """Every GET route of the app that needs credentials, with real arguments."""
        from app import calendar_feed

        args = {**self.ARGS, "token": calendar_feed.feed_token(web["staff"].user)}
        found = []
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint == "static" \
                    or rule.endpoint.split(".")[0] in ("public", "health"):
                continue
            with app.test_request_context():
                from flask import url_for

                found.append(url_for(rule.endpoint, **{a: args[a] for a in rule.arguments}))
        return found

    def test_every_authenticated_get(self, app_ctx, web):
        web.item("2026-00001", state="ready_to_agendize")
        user = signed_in(app_ctx, web["admin"])
        paths = self.paths(app_ctx, web)
        assert {"/", "/admin", "/account", "/api/v1/items", "/packets/2026-00001.pdf",
                "/calendar/feed-url"} <= set(paths)
        for path in paths:
            response = user.open(path, headers=web["admin"].headers)
            assert response.headers.get("Cache-Control") == "no-store", (path, response.status_code)

    @pytest.mark.parametrize("path", ["/api/v1/items", "/api/v1/items/2026-99999",
                                      "/packets/2026-00001.pdf", "/nowhere"])
    def test_with_a_token_even_when_refused(self, client, web, path):
        response = client.get(path, headers=web["clerk"].headers)
        assert response.headers["Cache-Control"] == "no-store", path
        response = client.get(path, headers={"Authorization": "Bearer wrong"})
        assert response.headers["Cache-Control"] == "no-store", path

    def test_signed_in_posts_and_error_pages(self, app_ctx, web):
        user = signed_in(app_ctx, web["staff"])
        user.get("/")
        assert user.post("/notifications/read").headers["Cache-Control"] == "no-store"
        assert user.open("/no/such/page").headers["Cache-Control"] == "no-store"

    def test_the_calendar_feed(self, client, web):
        from app import calendar_feed

        response = client.get(f"/calendar/{calendar_feed.feed_token(web['staff'].user)}.ics")
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"

    def test_public_pages_without_credentials_stay_cacheable(self, app_ctx, web):
        for path in ("/public/", "/static/reis.css", "/healthz"):
            assert "no-store" not in WebUser(app_ctx).open(path).headers.get("Cache-Control", ""), path
