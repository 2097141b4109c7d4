"""``GET /items/{id}`` and ``GET /items/{id}/statement`` in one Core statement
(``app/api/reads.py``) answer exactly as the general path does: the ORM views
they replaced (authenticate with ``require_user``, ``lookup.item`` /
``statements.read``, ``serialize``), served in the same app, give the same
status, headers and bytes, for every role, every state, and every refusal."""

from __future__ import annotations

import pytest
from flask import g, jsonify
from sqlalchemy import update

from app.api import serialize
from app.extensions import db
from app.models import ApiToken, User
from app.models.base import utcnow
from app.operations import lookup, statements

ITEM_VIEW, STATEMENT_VIEW = "api.get_items_get", "api.get_statement_get"
ROLES = ["staff", "staff2", "approver", "other_staff", "other_approver", "ode", "clerk", "admin"]


def _orm_item(file_id):
    return jsonify(serialize.item(lookup.item(file_id)))


def _orm_statement(file_id):
    return jsonify(serialize.statement(statements.read(g.actor, file_id)))


class Both:
    """The same request through the fast reads and through the general path."""

    def __init__(self, app, client):
        self.app, self.client = app, client

    def get(self, path: str, headers: dict[str, str] | None = None):
        fast = self.client.get(path, headers=headers)
        views = self.app.view_functions
        kept = views[ITEM_VIEW], views[STATEMENT_VIEW]
        views[ITEM_VIEW], views[STATEMENT_VIEW] = _orm_item, _orm_statement  # unmarked: require_user runs
        try:
            db.session.expire_all()  # nothing the fast request or the test loaded is reused
            general = self.client.get(path, headers=headers)
        finally:
            views[ITEM_VIEW], views[STATEMENT_VIEW] = kept
        return fast, general

    def same(self, path: str, headers: dict[str, str] | None = None) -> int:
        fast, general = self.get(path, headers)
        assert fast.status_code == general.status_code
        assert sorted(fast.headers.items()) == sorted(general.headers.items())
        assert fast.get_data() == general.get_data()
        return fast.status_code


@pytest.fixture
def both(app_ctx, client):
    assert {ITEM_VIEW, STATEMENT_VIEW} <= set(app_ctx.view_functions)
    return Both(app_ctx, client)


def _returned(world, file_id):
    """A statement back in draft after a return: it has been submitted, so everyone reads it."""
    world.item(file_id, state="department_review")
    statements.fire_event(world["approver"].user, file_id, "return", "Say more about who benefits.")


class TestEveryRoleAndState:
    @pytest.mark.parametrize("state", ["draft", "department_review", "ode_review", "ready_to_agendize"])
    def test_same_answers(self, both, world, state):
        world.item("2026-00001", state=state)
        world.item("2026-00002", state=state, department="CDD", fiscal=None)
        for role in ROLES:
            headers = world[role].headers
            for file_id in ("2026-00001", "2026-00002"):
                assert both.same(f"/api/v1/items/{file_id}", headers) == 200
                status = both.same(f"/api/v1/items/{file_id}/statement", headers)
                assert status == 200 or (state == "draft" and status == 403)

    def test_a_never_submitted_draft_is_refused_to_outsiders_only(self, both, world):
        world.item("2026-00001", state="draft")
        expected = {"staff": 200, "staff2": 200, "approver": 200, "other_staff": 403,
                    "other_approver": 403, "ode": 200, "clerk": 200, "admin": 200}
        for role, status in expected.items():
            assert both.same("/api/v1/items/2026-00001/statement", world[role].headers) == status
        fast, _ = both.get("/api/v1/items/2026-00001/statement", world["other_staff"].headers)
        assert fast.json["error"] == "forbidden"

    def test_a_returned_draft_is_read_by_everyone(self, both, world):
        _returned(world, "2026-00001")
        for role in ROLES:
            assert both.same("/api/v1/items/2026-00001/statement", world[role].headers) == 200
        fast, _ = both.get("/api/v1/items/2026-00001/statement", world["clerk"].headers)
        assert fast.json["state"] == "draft"
        assert fast.json["submitted_by"] == "staff@test.reis"

    def test_short_form_agendized_and_in_spanish(self, both, world):
        from app.operations import gate

        world.item("2026-00001", state="ready_to_agendize", form="short")
        gate.agendize(world["clerk"].user, "2026-00001")
        headers = {**world["ode"].headers, "Accept-Language": "es"}
        assert both.same("/api/v1/items/2026-00001", headers) == 200
        assert both.same("/api/v1/items/2026-00001/statement", headers) == 200
        fast, _ = both.get("/api/v1/items/2026-00001", headers)
        assert fast.json["agendized"] is True
        assert fast.headers["Cache-Control"] == "no-store"


class TestRefusals:
    PATHS = ["/api/v1/items/2026-00001", "/api/v1/items/2026-00001/statement"]

    @pytest.mark.parametrize("path", PATHS)
    @pytest.mark.parametrize("headers", [
        {}, {"Authorization": ""}, {"Authorization": "Bearer "}, {"Authorization": "Basic abc"},
        {"Authorization": "Bearer not-a-token"},
    ])
    def test_missing_or_unknown_token(self, both, world, path, headers):
        world.item("2026-00001")
        assert both.same(path, headers) == 401

    @pytest.mark.parametrize("path", PATHS)
    def test_unknown_item(self, both, world, path):
        assert both.same(path.replace("00001", "04040"), world["clerk"].headers) == 404
        assert both.same(path.replace("00001", "04040"), {"Authorization": "Bearer x"}) == 401

    @pytest.mark.parametrize("path", PATHS)
    def test_a_nul_in_the_path(self, both, world, path):
        path = path.replace("00001", "0000%00")
        assert both.same(path) == 401
        assert both.same(path, {"Authorization": "Bearer not-a-token"}) == 401
        assert both.same(path, world["clerk"].headers) == 404

    @pytest.mark.parametrize("path", PATHS)
    def test_revoked_token_refused_from_the_next_request(self, both, world, path):
        world.item("2026-00001", state="ode_review")
        clerk = world["clerk"]
        assert both.same(path, clerk.headers) == 200
        db.session.execute(update(ApiToken).where(ApiToken.user_id == clerk.user.id)
                           .values(revoked_at=utcnow()))
        db.session.commit()
        assert both.same(path, clerk.headers) == 401

    @pytest.mark.parametrize("path", PATHS)
    def test_deactivated_user_refused_from_the_next_request(self, both, world, path):
        world.item("2026-00001", state="ode_review")
        staff = world["staff"]
        assert both.same(path, staff.headers) == 200
        db.session.execute(update(User).where(User.id == staff.user.id).values(active=False))
        db.session.commit()
        assert both.same(path, staff.headers) == 401

    def test_a_role_change_counts_from_the_next_request(self, both, world):
        world.item("2026-00001", state="draft")
        clerk = world["clerk"]
        assert both.same("/api/v1/items/2026-00001/statement", clerk.headers) == 200
        db.session.execute(update(User).where(User.id == clerk.user.id)
                           .values(role="staff", department_id=world["other_staff"].user.department_id))
        db.session.commit()
        assert both.same("/api/v1/items/2026-00001/statement", clerk.headers) == 403


class TestStatementResponse:
    """``serialize.statement_response`` writes ``jsonify``'s bytes, compact or indented."""

    @pytest.mark.parametrize("compact", [None, False])
    @pytest.mark.parametrize("language", ["en", "es"])
    def test_same_bytes_as_jsonify(self, app_ctx, world, compact, language):
        world.item("2026-00001", state="ode_review")
        kept = app_ctx.json.compact
        app_ctx.json.compact = compact
        try:
            with app_ctx.test_request_context(headers={"Accept-Language": language}):
                statement = lookup.item("2026-00001", submitter=True).statement
                fast = serialize.statement_response(statement)
                general = jsonify(serialize.statement(statement))
        finally:
            app_ctx.json.compact = kept
        assert fast.get_data() == general.get_data()
        assert fast.mimetype == general.mimetype == "application/json"
        assert (b'\n  "' in fast.get_data()) is (compact is False)
