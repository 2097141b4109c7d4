"""The item page, my notifications, administration, and the Spanish interface."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from app.extensions import db
from app.models import Notification, User
from app.operations import lookup, statements
from app.web.auth import limiter
from tests.integration.web_helpers import WebUser, give_passwords, signed_in, text


@pytest.fixture
def web(app_ctx, world):
    give_passwords()
    limiter.reset()
    return world


class TestItemPage:
    def test_item_history_and_lifecycle(self, app_ctx, web):
        web.item("2026-00001", state="department_review", fiscal="Costs nothing.")
        statements.fire_event(web["approver"].user, "2026-00001", "return", "Say <who> benefits.")
        page = signed_in(app_ctx, web["clerk"]).get("/items/2026-00001")
        assert page.status_code == 200
        words = text(page.text)
        assert "Costs nothing." in words
        assert "returned (Department review → Draft) by Approver" in words  # a name, not an email
        assert "approver@test.reis" not in words
        assert "Say &lt;who&gt; benefits." in page.text  # escaped
        svg = page.text.split("<svg")[1].split("</svg>")[0]
        assert 'class="state current"' in svg and "(current state)" in svg
        assert svg.count("<g class=\"state") == 4
        assert "class draft current" in page.text  # the Mermaid source says the same
        assert "(read-only)" in words and "Edit the statement" not in words

    def test_history_reads_city_time(self, app_ctx, web):
        """7:28 PM Pacific on 30 November is 03:28 UTC on 1 December: the page says November 30."""
        with time_machine.travel(datetime(2026, 11, 20, 18, 0, tzinfo=UTC), tick=False):
            web.item("2026-00001", state="ode_review")  # submitted and approved on another day
        with time_machine.travel(datetime(2026, 12, 1, 3, 28, tzinfo=UTC), tick=False):
            statements.fire_event(web["ode"].user, "2026-00001", "approve")
        history = text(signed_in(app_ctx, web["clerk"]).get("/items/2026-00001").text
                       .split('id="history-heading"')[1])
        assert "approved (ODE review → Ready to agendize) by Ode , Nov 30, 2026, 7:28:00 PM" in history
        assert "Dec 1" not in history

    def test_unknown_item_is_404(self, app_ctx, web):
        page = signed_in(app_ctx, web["staff"]).get("/items/2099-99999")
        assert page.status_code == 404
        assert "No agenda item has file ID" in page.text

    def test_editing_an_item_after_review_reopens_the_statement(self, app_ctx, web):
        web.item("2026-00001", state="ode_review")
        user = signed_in(app_ctx, web["staff"])
        page = user.get("/items/2026-00001/edit")
        assert "sends the statement back to draft" in page.text
        response = user.post("/items/2026-00001/edit", {"title": "New title", "meeting_date": "2027-03-02",
                                                         "fiscal_statement": "Funded."})
        assert response.status_code == 303
        item = lookup.item("2026-00001")
        assert item.title == "New title" and item.statement.state.value == "draft"
        assert other_department_cannot_edit(app_ctx, web)


def other_department_cannot_edit(app_ctx, web) -> bool:
    user = signed_in(app_ctx, web["other_staff"])
    return (user.get("/items/2026-00001/edit").status_code == 403
            and user.post("/items/2026-00001/edit", {"title": "x"}).status_code == 403)


class TestNotifications:
    def _notify(self, user: User, subject: str) -> Notification:
        row = Notification(user_id=user.id, email=user.email, kind="reminder", subject=subject,
                           payload={})
        db.session.add(row)
        db.session.commit()
        return row

    def test_list_and_mark_read(self, app_ctx, web):
        first = self._notify(web["staff"].user, "Cutoff in 5 business days: 2026-00001")
        self._notify(web["staff"].user, "Returned: 2026-00002")
        self._notify(web["staff2"].user, "Not yours")
        user = signed_in(app_ctx, web["staff"])
        page = user.get("/notifications")
        words = text(page.text)
        assert "Cutoff in 5 business days: 2026-00001" in words and "Not yours" not in words
        assert "Notifications (2 new)" in words
        user.post("/notifications/read", {"id": str(first.id)})
        assert "Notifications (1 new)" in text(user.get("/notifications").text)
        user.post("/notifications/read")
        assert db.session.get(Notification, first.id).read_at is not None
        assert "new)" not in text(user.get("/notifications").text)

    def test_someone_elses_notification_is_not_found_and_stays_unread(self, app_ctx, web):
        theirs = self._notify(web["staff2"].user, "Not yours")
        user = signed_in(app_ctx, web["staff"])
        user.get("/notifications")
        assert user.post("/notifications/read", {"id": str(theirs.id)}).status_code == 404
        db.session.expire_all()
        assert db.session.get(Notification, theirs.id).read_at is None

    def test_choose_digest_and_language(self, app_ctx, web):
        user = signed_in(app_ctx, web["staff"])
        user.get("/notifications")
        response = user.post("/notifications/settings", {"notify_mode": "digest", "language": "es"})
        assert response.status_code == 303
        saved = db.session.get(User, web["staff"].user.id)
        assert (saved.notify_mode, saved.language) == ("digest", "es")
        assert "Mis notificaciones" in user.get("/notifications").text

    def test_an_unknown_mode_is_refused(self, app_ctx, web):
        user = signed_in(app_ctx, web["staff"])
        user.get("/notifications")
        response = user.post("/notifications/settings", {"notify_mode": "never", "language": "en"})
        assert response.status_code == 422


class TestAdmin:
    def test_only_admins(self, app_ctx, web):
        assert signed_in(app_ctx, web["clerk"]).get("/admin").status_code == 403
        user = signed_in(app_ctx, web["staff"])
        user.get("/")
        response = user.post("/admin/departments", {"department-code": "X", "department-name": "X"})
        assert response.status_code == 403

    def test_create_department_and_user_then_change_role_and_deactivate(self, app_ctx, web):
        admin = signed_in(app_ctx, web["admin"])
        admin.get("/admin")
        assert admin.post("/admin/departments", {"department-code": "YPCE",
                                                 "department-name": "Youth, Parks"}).status_code == 303
        response = admin.post("/admin/users", {"user-email": "new@test.reis", "user-name": "New Person",
                                               "user-role": "staff", "user-department": "YPCE",
                                               "user-password": "a long enough password"})
        assert response.status_code == 303
        new = WebUser(app_ctx, "new@test.reis")
        assert new.sign_in("a long enough password").status_code == 303
        user = db.session.query(User).filter_by(email="new@test.reis").one()
        admin.post(f"/admin/users/{user.id}/role",
                   {f"u{user.id}-role": "clerk", f"u{user.id}-department": ""})
        assert db.session.get(User, user.id).role.value == "clerk"
        admin.post(f"/admin/users/{user.id}/deactivate")
        assert db.session.get(User, user.id).active is False
        assert new.open("/").status_code == 303  # signed out on the next click

    def test_a_staff_role_needs_a_department(self, app_ctx, web):
        admin = signed_in(app_ctx, web["admin"])
        admin.get("/admin")
        clerk = web["clerk"].user
        response = admin.post(f"/admin/users/{clerk.id}/role", {f"u{clerk.id}-role": "staff",
                                                               f"u{clerk.id}-department": ""})
        assert response.status_code == 422
        assert "belong to a department" in response.text
        assert db.session.get(User, clerk.id).role.value == "clerk"


class TestSpanish:
    def test_the_browsers_language_before_sign_in(self, app_ctx, web):
        page = WebUser(app_ctx).open("/sign-in", headers={"Accept-Language": "es-MX,es;q=0.9"})
        assert '<html lang="es">' in page.text and "Iniciar sesión" in page.text

    def test_the_users_choice_after_sign_in(self, app_ctx, web):
        web["staff"].user.language = "es"
        db.session.commit()
        web.item("2026-00001")
        user = signed_in(app_ctx, web["staff"])
        words = text(user.get("/").text)
        assert "Borrador (1)" in words and "Nuevo asunto" in words
        assert "Guardar borrador" in user.get("/items/2026-00001/statement").text

    def test_the_header_switch_stores_the_choice(self, app_ctx, web):
        user = signed_in(app_ctx, web["clerk"])
        user.get("/")
        user.post("/language", {"language": "es", "next": "/board"})
        assert db.session.get(User, web["clerk"].user.id).language == "es"
        assert "Tablero de secretaría" in user.get("/board").text
