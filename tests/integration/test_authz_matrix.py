"""The authorization matrix: every API route, as every role, in every state,
against the one declared table in ``app/permissions.py``.

The routes come from ``app.url_map``: a new /api/ route without a row in the
table fails ``TestTableCoversEveryRoute``, so it cannot be forgotten. Each
mutating call gets a fresh item walked to its state by real operations, so one
call's success cannot change the next call's answer.
"""

from __future__ import annotations

import itertools

import pytest

from app import permissions
from app.extensions import db
from app.models import User
from app.operations import gate, people, statements
from tests.factories import complete_answers
from tests.integration.web_helpers import csrf_from
from workflows.statement import State

P = "/api/v1"
MEETING = "2027-03-02"
# (label, world key or None); "deactivated" and "anonymous" are made below.
ROLES = ("staff", "other_staff", "approver", "other_approver", "ode", "clerk", "admin",
         "deactivated", "anonymous")
STATES = ("draft", "department_review", "ode_review", "ready_to_agendize", "agendized")
MUTATING = {"api.patch_items_patch", "api.put_statement_put", "api.post_statement_event:submit",
            "api.post_statement_event:approve", "api.post_statement_event:return",
            "api.post_gate_agendize", "api.post_gate_unagendize"}


def _row_keys(app) -> set[str]:
    keys = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(P + "/"):
            continue
        if rule.endpoint == "api.post_statement_event":
            keys |= {f"{rule.endpoint}:{ev}" for ev in ("submit", "approve", "return")}
        else:
            keys.add(rule.endpoint)
    return keys


class TestTableCoversEveryRoute:
    def test_every_api_route_has_exactly_one_row(self, app):
        assert _row_keys(app) == set(permissions.API)

    def test_rows_are_the_objects_the_views_check(self):
        from app.operations.gate import CLERKS
        from workflows.statement import EDITORS

        assert permissions.API["api.post_items_create"].grant is EDITORS
        assert permissions.API["api.put_statement_put"].grant is EDITORS
        assert set(permissions.CLERK_GRANTS) == set(CLERKS)
        assert permissions.WEB["web.item_edit"].grant is EDITORS


def _request(key: str, file_id: str, counter: itertools.count) -> tuple[str, str, dict | None]:
    endpoint, _, event = key.partition(":")
    item = f"{P}/items/{file_id}"
    return {
        "api.get_openapi": ("GET", f"{P}/openapi.json", None),
        "api.get_items_list": ("GET", f"{P}/items", None),
        "api.get_items_get": ("GET", item, None),
        "api.get_statement_get": ("GET", f"{item}/statement", None),
        "api.get_statement_history": ("GET", f"{item}/statement/history", None),
        "api.get_gate_check": ("GET", f"{item}/agendizable", None),
        "api.get_meeting_items": ("GET", f"{P}/meetings/{MEETING}/items", None),
        "api.get_sections": ("GET", f"{P}/sections", None),
        "api.get_notifications_list": ("GET", f"{P}/notifications", None),
        "api.get_preferences_get": ("GET", f"{P}/me/preferences", None),
        "api.put_preferences_put": ("PUT", f"{P}/me/preferences", {"notify_mode": "digest"}),
        "api.get_calendar_feed_get": ("GET", f"{P}/me/calendar-feed", None),
        "api.post_calendar_feed_rotate": ("POST", f"{P}/me/calendar-feed", None),
        "api.post_notifications_read": ("POST", f"{P}/notifications/999999/read", None),
        "api.post_items_create": ("POST", f"{P}/items", {
            "file_id": f"2099-{next(counter):05d}", "title": "New", "department": "DOU",
            "fiscal_statement": "Funded."}),
        "api.patch_items_patch": ("PATCH", item, {"title": "Retitled"}),
        "api.put_statement_put": ("PUT", f"{item}/statement", {"answers": complete_answers()}),
        "api.post_statement_event": ("POST", f"{item}/statement/events",
                                     {"event": event, "comment": "Because."}),
        "api.post_gate_agendize": ("POST", f"{item}/agendize", None),
        "api.post_gate_unagendize": ("POST", f"{item}/unagendize", None),
    }[endpoint]


def _outcome(status: int) -> str:
    if status < 400:
        return permissions.OK
    return {401: permissions.UNAUTHENTICATED, 403: permissions.FORBIDDEN,
            404: permissions.NOT_FOUND, 409: permissions.REFUSED,
            422: permissions.REFUSED}.get(status, f"unexpected {status}")


class Matrix:
    def __init__(self, world, client) -> None:
        self.world, self.client = world, client
        self.numbers = itertools.count(1)
        self.files = itertools.count(1)
        user = people.create_user("gone@test.reis", "Gone", "staff", "DOU", password=None)
        self.gone_token = people.issue_token(user)
        user.active = False
        db.session.commit()

    def item(self, state: str) -> str:
        file_id = f"2026-{next(self.files):05d}"
        walk = "ready_to_agendize" if state == "agendized" else state
        self.world.item(file_id, state=walk)
        if state == "draft":  # complete, so that submitting it can succeed
            statements.save_answers(self.world["staff"].user, file_id, complete_answers(), version=1)
        if state == "agendized":
            gate.agendize(self.world["clerk"].user, file_id)
        return file_id

    def headers(self, role: str) -> dict:
        if role == "anonymous":
            return {}
        if role == "deactivated":
            return {"Authorization": f"Bearer {self.gone_token}"}
        return self.world[role].headers

    def principal(self, role: str) -> tuple[str | None, str | None]:
        if role in ("anonymous", "deactivated"):
            return None, None
        user = self.world[role].user
        return user.role, user.department.code if user.department else None

    def version(self, file_id: str) -> int:
        return self.client.get(f"{P}/items/{file_id}/statement",
                               headers=self.world["admin"].headers).get_json()["version"]

    def run(self, key: str) -> list[str]:
        row = permissions.API[key]
        wrong, shared = [], {}
        for state in STATES:
            for role in ROLES:
                if key in MUTATING:
                    file_id = self.item(state)
                else:
                    file_id = shared.get(state) or shared.setdefault(state, self.item(state))
                method, path, body = _request(key, file_id, self.numbers)
                if key == "api.put_statement_put":
                    body = {**body, "version": self.version(file_id)}
                # A deactivated token is a failed authentication: each from an address of its
                # own, so the token-failure rate limit (tested elsewhere) never answers 429 here.
                n = next(self.numbers)
                address = f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"
                response = self.client.open(path, method=method, json=body, headers=self.headers(role),
                                            environ_base={"REMOTE_ADDR": address})
                role_name, department = self.principal(role)
                want = permissions.expected(row, role_name, department, "DOU",
                                            State(state if state != "agendized" else "ready_to_agendize"),
                                            state == "agendized")
                got = _outcome(response.status_code)
                if got != want:
                    wrong.append(f"{key} as {role} in {state}: expected {want}, got "
                                 f"{response.status_code} {response.get_data(as_text=True)[:200]}")
        return wrong


@pytest.mark.parametrize("key", sorted(permissions.API))
class TestApiMatrix:
    def test_every_role_in_every_state_gets_what_the_table_says(self, world, client, key):
        assert Matrix(world, client).run(key) == []


# -- the web pages ----------------------------------------------------------------
# A page answers a refusal with 403, a missing sign-in with a redirect to the sign-in
# page, and "not in this state" by re-rendering with 409/422 or a flash:
# here only the permission is compared (401 / 403 / got past it). Each post carries
# the CSRF token of a page of the same session, as a browser's would.
WEB_MUTATING = {"web.item_edit", "web.statement", "web.review", "web.agendize", "web.unagendize"}


def _web_keys(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules()
            if "POST" in rule.methods and not rule.rule.startswith("/api/")}


class TestWebTableCoversEveryRoute:
    def test_every_state_changing_page_has_exactly_one_row(self, app):
        assert _web_keys(app) == set(permissions.WEB)


def _web_request(key: str, file_id: str, other_user: int) -> tuple[str, dict]:
    form = {"meeting_date": MEETING, "password": "a new password for someone"}
    path = {
        "web.login": "/sign-in", "web.logout": "/sign-out", "web.set_language": "/language",
        "web.mark_read": "/notifications/read", "web.preferences": "/notifications/settings",
        "web.item_new": "/items/new", "web.item_edit": f"/items/{file_id}/edit",
        "web.statement": f"/items/{file_id}/statement", "web.review": f"/items/{file_id}/review",
        "web.agendize": f"/board/{file_id}/agendize", "web.unagendize": f"/board/{file_id}/unagendize",
        "web.department_create": "/admin/departments", "web.user_create": "/admin/users",
        "web.user_deactivate": f"/admin/users/{other_user}/deactivate",
        "web.user_reactivate": f"/admin/users/{other_user}/reactivate",
        "web.user_role": f"/admin/users/{other_user}/role",
        "web.user_password": f"/admin/users/{other_user}/password",
        "web.change_password": "/account/password", "web.rotate_feed": "/account/calendar-feed",
    }[key]
    return path, form


def _web_outcome(key: str, response, file_id: str) -> str:
    location = response.headers.get("Location", "")
    if key == "web.logout":  # everyone ends on the sign-in page: only 403/5xx would be wrong
        return permissions.OK if response.status_code < 500 and response.status_code != 403 else "bad"
    if response.status_code in (302, 303) and location.split("?")[0].endswith("/sign-in"):
        return permissions.UNAUTHENTICATED
    if response.status_code == 403:
        return permissions.FORBIDDEN
    if key == "web.review" and response.status_code == 303 and location.endswith(f"/items/{file_id}"):
        return permissions.FORBIDDEN
    if response.status_code >= 500 or response.status_code == 400:  # 400: the CSRF token was refused
        return f"unexpected {response.status_code}"
    return permissions.OK


class WebMatrix(Matrix):
    def client_for(self, role: str):
        client = self.client.application.test_client()
        if role == "anonymous":
            return client
        user = db.session.get(User, self.gone_id if role == "deactivated" else self.world[role].user.id)
        session_id = people.start_session(user)  # a server-side session, as signing in makes
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = session_id, True
        return client

    def run_web(self, key: str) -> list[str]:
        self.gone_id = db.session.query(User.id).filter_by(email="gone@test.reis").scalar()
        other_user = self.world["staff2"].user.id
        row = permissions.WEB[key]
        wrong, shared = [], {}
        for state in STATES:
            for role in ROLES:
                if key in WEB_MUTATING:
                    file_id = self.item(state)
                else:
                    file_id = shared.get(state) or shared.setdefault(state, self.item(state))
                path, form = _web_request(key, file_id, other_user)
                client = self.client_for(role)
                with client.application.app_context():  # a request's own g, as under a server
                    page = client.get("/sign-in" if role in ("anonymous", "deactivated") else "/")
                with client.application.app_context():
                    response = client.post(path, data={**form, "csrf_token": csrf_from(page.text)})
                db.session.rollback()  # see what the request wrote
                role_name, department = self.principal(role)
                target = department if key == "web.item_new" and department else "DOU"
                want = permissions.expected(row, role_name, department, target,
                                            State(state if state != "agendized" else "ready_to_agendize"),
                                            state == "agendized")
                if want in (permissions.REFUSED, permissions.NOT_FOUND):
                    # past the permission check: the page says "not now" its own way
                    want = permissions.FORBIDDEN if key == "web.review" else permissions.OK
                got = _web_outcome(key, response, file_id)
                if got != want:
                    wrong.append(f"{key} as {role} in {state}: expected {want}, got "
                                 f"{response.status_code} {response.headers.get('Location', '')}")
        return wrong


@pytest.mark.parametrize("key", sorted(permissions.WEB))
class TestWebMatrix:
    def test_every_role_in_every_state_gets_what_the_table_says(self, world, client, key):
        assert WebMatrix(world, client).run_web(key) == []
