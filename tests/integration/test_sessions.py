"""Sessions end on the server: a copied session cookie opens nothing once its session ended.

Signing out ends that session (and only that one); deactivation and a new
password end every session of the user, on every device. Deactivation also
revokes the user's API tokens and retires their calendar-feed URL, and
reactivation brings none of them back.
"""

from __future__ import annotations

import pytest
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import func, select

from app import calendar_feed
from app.extensions import db
from app.models import ApiToken, User, UserSession
from app.operations import accounts, lookup, people
from tests.integration.web_helpers import PASSWORD, WebUser, give_passwords, signed_in, text

COOKIE = "reis_session"
FILE_ID = "2026-00001"
NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def web(app_ctx, world):
    give_passwords()
    world.item(FILE_ID)
    return world


def copy_of(app, user: WebUser) -> WebUser:
    """Another browser holding a copy of ``user``'s session cookie (as a thief would)."""
    thief = WebUser(app, user.email)
    thief.client.set_cookie(COOKIE, user.client.get_cookie(COOKIE).value)
    thief.token = user.token
    return thief


def signed_out(response) -> bool:
    return response.status_code == 303 and response.headers["Location"].startswith("/sign-in")


def save_draft(user: WebUser, words: str):
    return user.post(f"/items/{FILE_ID}/statement", {"version": "1", "save": "1", "proposal": words})


def sessions_of(person) -> int:
    return db.session.scalar(select(func.count()).select_from(UserSession)
                             .where(UserSession.user_id == person.user.id))


class TestSignOut:
    def test_a_copied_cookie_stops_working_for_pages_and_forms(self, app_ctx, web):
        user = signed_in(app_ctx, web["staff"])
        user.get(f"/items/{FILE_ID}/statement")
        thief = copy_of(app_ctx, user)
        assert thief.get("/").status_code == 200  # the copy works while the session lives
        assert user.post("/sign-out").status_code == 303
        assert signed_out(thief.open("/"))
        assert signed_out(thief.open(f"/items/{FILE_ID}"))
        assert signed_out(save_draft(thief, "written by a thief"))
        assert lookup.item(FILE_ID).statement.answers == {}

    def test_signing_out_ends_only_that_session(self, app_ctx, web):
        laptop, phone = signed_in(app_ctx, web["staff"]), signed_in(app_ctx, web["staff"])
        laptop.get("/")
        laptop.post("/sign-out")
        assert signed_out(laptop.open("/"))
        assert phone.get("/").status_code == 200
        assert sessions_of(web["staff"]) == 1

    def test_the_cookie_holds_no_user_id_and_the_database_no_session_id(self, app_ctx, web):
        user = signed_in(app_ctx, web["staff"])
        serializer = SecureCookieSessionInterface().get_signing_serializer(app_ctx)
        session_id = serializer.loads(user.client.get_cookie(COOKIE).value)["_user_id"]
        assert len(session_id) >= 40 and session_id != str(web["staff"].user.id)
        stored = db.session.scalar(select(UserSession.id_hash)
                                   .where(UserSession.user_id == web["staff"].user.id))
        assert stored == people.hash_token(session_id)


class TestDeactivation:
    def test_ends_every_session_and_reactivation_does_not_restore_them(self, app_ctx, web):
        laptop, phone = signed_in(app_ctx, web["staff"]), signed_in(app_ctx, web["staff"])
        kept = copy_of(app_ctx, laptop)
        accounts.set_active(web["admin"].user, web["staff"].user.id, False)
        accounts.set_active(web["admin"].user, web["staff"].user.id, True)
        assert signed_out(laptop.open("/")) and signed_out(phone.open("/")) and signed_out(kept.open("/"))
        assert sessions_of(web["staff"]) == 0
        assert signed_in(app_ctx, web["staff"]).get("/").status_code == 200  # signing in again works

    def test_revokes_api_tokens_and_reactivation_does_not_restore_them(self, client, web):
        headers = web["staff"].headers
        assert client.get("/api/v1/items", headers=headers).status_code == 200
        accounts.set_active(web["admin"].user, web["staff"].user.id, False)
        accounts.set_active(web["admin"].user, web["staff"].user.id, True)
        assert client.get("/api/v1/items", headers=headers).status_code == 401
        assert client.get(f"/api/v1/items/{FILE_ID}/agendizable", headers=headers).status_code == 401
        assert db.session.scalar(select(func.count()).select_from(ApiToken).where(
            ApiToken.user_id == web["staff"].user.id, ApiToken.revoked_at.is_(None))) == 0
        fresh = people.issue_token(db.session.get(User, web["staff"].user.id))
        assert client.get("/api/v1/items", headers={"Authorization": f"Bearer {fresh}"}).status_code == 200

    def test_retires_the_calendar_feed_url(self, client, web):
        old = calendar_feed.feed_token(web["staff"].user)
        accounts.set_active(web["admin"].user, web["staff"].user.id, False)
        accounts.set_active(web["admin"].user, web["staff"].user.id, True)
        assert client.get(f"/calendar/{old}.ics").status_code == 404
        new = calendar_feed.feed_token(db.session.get(User, web["staff"].user.id))
        assert client.get(f"/calendar/{new}.ics").status_code == 200

    def test_the_admin_page_does_it_too(self, app_ctx, web):
        victim = signed_in(app_ctx, web["staff"])
        admin = signed_in(app_ctx, web["admin"])
        admin.get("/admin")
        assert admin.post(f"/admin/users/{web['staff'].user.id}/deactivate").status_code == 303
        assert signed_out(victim.open("/"))


class TestPasswordChange:
    def change(self, user: WebUser, current: str = PASSWORD, new: str = NEW_PASSWORD, confirm=None):
        user.get("/account")
        return user.post("/account/password", {"current_password": current, "password": new,
                                               "confirm": new if confirm is None else confirm})

    def test_ends_every_other_session_and_keeps_this_one(self, app_ctx, web):
        here, elsewhere = signed_in(app_ctx, web["staff"]), signed_in(app_ctx, web["staff"])
        stolen = copy_of(app_ctx, here)
        response = self.change(here)
        assert response.status_code == 303 and response.headers["Location"] == "/account"
        page = here.get("/account")
        assert page.status_code == 200 and "Your password was changed." in text(page.text)
        assert signed_out(elsewhere.open("/")) and signed_out(stolen.open("/"))
        assert sessions_of(web["staff"]) == 1
        assert WebUser(app_ctx, web["staff"].email).sign_in(PASSWORD).status_code == 200  # old one: no
        assert WebUser(app_ctx, web["staff"].email).sign_in(NEW_PASSWORD).status_code == 303

    @pytest.mark.parametrize(("current", "new", "confirm", "field"), [
        ("not my password", NEW_PASSWORD, None, "current_password"),
        (PASSWORD, "short", None, "password"),
        (PASSWORD, NEW_PASSWORD, "something else", "confirm"),
    ])
    def test_a_refusal_is_said_next_to_the_field_and_changes_nothing(self, app_ctx, web, current, new,
                                                                        confirm, field):
        here, elsewhere = signed_in(app_ctx, web["staff"]), signed_in(app_ctx, web["staff"])
        response = self.change(here, current, new, confirm)
        assert response.status_code == 422
        assert f'id="{field}-error"' in response.text
        assert elsewhere.get("/").status_code == 200
        assert WebUser(app_ctx, web["staff"].email).sign_in(PASSWORD).status_code == 303

    def test_an_admin_sets_a_forgotten_password_and_every_session_ends(self, app_ctx, web):
        victim = signed_in(app_ctx, web["staff"])
        admin = signed_in(app_ctx, web["admin"])
        admin.get("/admin")
        response = admin.post(f"/admin/users/{web['staff'].user.id}/password", {"password": NEW_PASSWORD})
        assert response.status_code == 303
        assert signed_out(victim.open("/"))
        assert WebUser(app_ctx, web["staff"].email).sign_in(NEW_PASSWORD).status_code == 303

    def test_only_admins_set_someone_elses_password(self, app_ctx, web):
        staff = signed_in(app_ctx, web["staff"])
        staff.get("/")
        response = staff.post(f"/admin/users/{web['staff2'].user.id}/password", {"password": NEW_PASSWORD})
        assert response.status_code == 403
        with pytest.raises(Exception, match="administrators"):
            accounts.set_password(web["staff"].user, web["staff2"].user.id, NEW_PASSWORD)
