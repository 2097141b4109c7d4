"""The gate's one-statement path (``app/api/fast.py``) answers exactly as the
general path would: same bytes, same reasons, same 401s and 404s, and a
revoked token or a deactivated user is refused from the very next request."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import jsonify
from sqlalchemy import select, update

from app.api import serialize
from app.extensions import db
from app.models import ApiToken, Item, User
from app.models.base import utcnow
from app.operations import gate, people

STATES = ["draft", "department_review", "ode_review", "ready_to_agendize"]


def _expected_bytes(file_id: str) -> bytes:
    """What the general path says: the ORM item, ``reasons_for``, ``jsonify``."""
    db.session.expire_all()
    item = db.session.scalar(select(Item).where(Item.file_id == file_id))
    return jsonify(serialize.gate(item.file_id, gate.reasons_for(item))).get_data()


class TestAnswer:
    @pytest.mark.parametrize("state", STATES)
    @pytest.mark.parametrize("fiscal", ["Funded.", None, "  "])
    def test_same_bytes_as_the_general_path(self, client, world, state, fiscal):
        world.item("2026-00001", state=state, fiscal=fiscal)
        response = client.get("/api/v1/items/2026-00001/agendizable",
                              headers=world["clerk"].headers)
        assert response.status_code == 200
        assert response.mimetype == "application/json"
        assert response.get_data() == _expected_bytes("2026-00001")
        body = response.json
        assert body["agendizable"] is (not body["reasons"])
        codes = [r["code"] for r in body["reasons"]]
        assert ("statement_not_approved" in codes) is (state != "ready_to_agendize")
        assert ("fiscal_statement_missing" in codes) is (fiscal != "Funded.")

    def test_no_meeting_date(self, client, world):
        world.item("2026-00001", state="ready_to_agendize")
        db.session.execute(update(Item).values(meeting_date=None))
        db.session.commit()
        body = client.get("/api/v1/items/2026-00001/agendizable",
                          headers=world["clerk"].headers).json
        assert [r["code"] for r in body["reasons"]] == ["no_meeting_date"]
        assert client.get("/api/v1/items/2026-00001/agendizable",
                          headers=world["clerk"].headers).get_data() == _expected_bytes(
                              "2026-00001")

    def test_agendized_date_counts_as_the_meeting(self, client, world):
        world.item("2026-00001", state="ready_to_agendize", meeting_date=dt.date(2027, 3, 2))
        gate.agendize(world["clerk"].user, "2026-00001", dt.date(2027, 3, 9))
        db.session.execute(update(Item).values(meeting_date=None))
        db.session.commit()
        body = client.get("/api/v1/items/2026-00001/agendizable",
                          headers=world["clerk"].headers).json
        assert body == {"file_id": "2026-00001", "agendizable": True, "reasons": []}

    def test_file_id_with_a_space_is_found(self, app_ctx, client, world):
        app_ctx.config["REIS_FILE_ID_PATTERN"] = r"^Int \d{4}-\d{4}$"
        try:
            world.item("Int 0891-2024", state="draft")
        finally:
            app_ctx.config["REIS_FILE_ID_PATTERN"] = r"^\d{4}-\d{5}$"
        response = client.get("/api/v1/items/Int%200891-2024/agendizable",
                              headers=world["clerk"].headers)
        assert response.status_code == 200
        assert response.json["file_id"] == "Int 0891-2024"


class TestRefusals:
    def _gate(self, client, headers):
        return client.get("/api/v1/items/2026-00001/agendizable", headers=headers)

    @pytest.mark.parametrize("headers", [
        {}, {"Authorization": ""}, {"Authorization": "Bearer "}, {"Authorization": "Basic abc"},
        {"Authorization": "Bearer not-a-token"},
    ])
    def test_missing_or_unknown_token(self, client, world, headers):
        world.item("2026-00001")
        response = self._gate(client, headers)
        assert response.status_code == 401
        assert response.json["error"] == "unauthorized"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")

    def test_unknown_token_wins_over_unknown_item(self, client, world):
        response = client.get("/api/v1/items/2026-04040/agendizable",
                              headers={"Authorization": "Bearer not-a-token"})
        assert response.status_code == 401

    def test_unknown_token_wins_over_a_nul_in_the_path(self, client, world):
        path = "/api/v1/items/2026-0000%00/agendizable"
        assert client.get(path).status_code == 401
        assert client.get(path, headers={"Authorization": "Bearer not-a-token"}).status_code == 401
        assert client.get(path, headers=world["clerk"].headers).status_code == 404

    def test_unknown_item(self, client, world):
        response = client.get("/api/v1/items/2026-04040/agendizable",
                              headers=world["clerk"].headers)
        assert response.status_code == 404
        assert response.json == {"error": "not_found",
                                 "message": "No agenda item has file ID '2026-04040'."}

    def test_revoked_token_refused_from_the_next_request(self, client, world):
        world.item("2026-00001")
        clerk = world["clerk"]
        assert self._gate(client, clerk.headers).status_code == 200
        db.session.execute(update(ApiToken).where(ApiToken.user_id == clerk.user.id)
                           .values(revoked_at=utcnow()))
        db.session.commit()
        assert self._gate(client, clerk.headers).status_code == 401

    def test_deactivated_user_refused_from_the_next_request(self, client, world):
        world.item("2026-00001")
        clerk = world["clerk"]
        assert self._gate(client, clerk.headers).status_code == 200
        db.session.execute(update(User).where(User.id == clerk.user.id).values(active=False))
        db.session.commit()
        assert self._gate(client, clerk.headers).status_code == 401

    def test_a_second_token_of_the_same_user_still_works(self, client, world):
        world.item("2026-00001")
        clerk = world["clerk"]
        second = people.issue_token(clerk.user, "agenda software")
        db.session.execute(update(ApiToken).where(ApiToken.user_id == clerk.user.id,
                                                  ApiToken.name != "agenda software")
                           .values(revoked_at=utcnow()))
        db.session.commit()
        assert self._gate(client, clerk.headers).status_code == 401
        assert self._gate(client, {"Authorization": f"Bearer {second}"}).status_code == 200
