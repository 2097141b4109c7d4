"""Notifications on statement events (who hears about what) and the in-app list API."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.errors import OperationError
from app.extensions import db
from app.models import Notification, User
from app.operations import gate, items, statements
from tests.factories import complete_answers


def rows(file_id: str | None = None) -> list[Notification]:
    db.session.expire_all()
    query = select(Notification).order_by(Notification.id)
    if file_id is not None:
        query = query.where(Notification.payload["file_id"].as_string() == file_id)
    return list(db.session.scalars(query))


def recipients(kind: str) -> set[str]:
    return {n.email for n in rows() if n.kind == kind}


def deactivate(user: User) -> None:
    db.session.get(User, user.id).active = False
    db.session.commit()


class TestWhoIsTold:
    def test_submit_tells_the_departments_active_approvers(self, world):
        deactivate(world["approver2"].user)
        world.item("2026-00001", state="department_review")
        assert recipients("submitted") == {"approver@test.reis"}

    def test_department_approval_tells_the_ode_reviewer_it_is_assigned_to(self, world):
        world.item("2026-00001", state="ode_review")
        assert recipients("approved") == {"ode@test.reis"}  # nobody busier: the lowest id

    def test_without_auto_assignment_every_ode_reviewer_is_told(self, world, app_ctx, monkeypatch):
        monkeypatch.setitem(app_ctx.config, "REIS_ODE_AUTO_ASSIGN", False)
        world.item("2026-00001", state="ode_review")
        assert recipients("approved") == {"ode@test.reis", "ode2@test.reis"}

    def test_final_approval_tells_the_author_and_the_clerks(self, world):
        world.item("2026-00001", state="ready_to_agendize")
        assert recipients("ready") == {"staff@test.reis", "clerk@test.reis"}

    def test_return_tells_author_and_this_rounds_actors_with_the_comment(self, world):
        world.item("2026-00001", state="ode_review")
        statements.fire_event(world["ode"].user, "2026-00001", "return", "Add the data on rents.")
        returned = [n for n in rows() if n.kind == "returned"]
        assert {n.email for n in returned} == {"staff@test.reis", "approver@test.reis"}
        assert all(n.payload["comment"] == "Add the data on rents." for n in returned)
        assert all(n.payload["actor"] == "ode@test.reis" for n in returned)

    def test_return_does_not_reach_actors_of_an_earlier_round(self, world):
        world.item("2026-00001", state="ode_review")
        statements.fire_event(world["ode"].user, "2026-00001", "return", "Round one.")
        statements.fire_event(world["staff2"].user, "2026-00001", "submit")
        statements.fire_event(world["approver2"].user, "2026-00001", "return", "Round two.")
        second = {n.email for n in rows() if n.kind == "returned" and
                  n.payload["comment"] == "Round two."}
        # staff2 submitted this round; staff, approver and ode acted only in round one
        assert second == {"staff2@test.reis"}

    def test_reopen_tells_everyone_who_acted(self, world):
        world.item("2026-00001", state="ready_to_agendize")
        gate.agendize(world["clerk"].user, "2026-00001")
        gate.unagendize(world["clerk"].user, "2026-00001")
        items.update_item(world["staff2"].user, "2026-00001", {"title": "A new title"})
        reopened = [n for n in rows() if n.kind == "reopened"]
        assert {n.email for n in reopened} == {"staff@test.reis", "approver@test.reis",
                                              "ode@test.reis", "clerk@test.reis"}
        assert reopened[0].payload["actor"] == "system"
        assert reopened[0].payload["title"] == "A new title"

    def test_never_the_actor_themself(self, world):
        approver = world["approver"].user
        items.create_item(approver, {"file_id": "2026-00002", "title": "Own item",
                                     "department": "DOU"})
        statements.save_answers(approver, "2026-00002", complete_answers(), version=1)
        statements.fire_event(approver, "2026-00002", "submit")
        assert recipients("submitted") == {"approver2@test.reis"}

    def test_inactive_people_are_never_told(self, world):
        deactivate(world["clerk"].user)
        world.item("2026-00001", state="ready_to_agendize")
        assert recipients("ready") == {"staff@test.reis"}

    def test_a_refused_event_writes_no_notification(self, world):
        world.item("2026-00001", state="department_review")
        before = len(rows())
        with pytest.raises(OperationError):
            statements.fire_event(world["approver"].user, "2026-00001", "approve", version=99)
        assert len(rows()) == before

    def test_rows_carry_what_the_templates_need(self, world):
        world.item("2026-00001", state="department_review")
        row = rows()[0]
        assert row.subject == "[REIS] 2026-00001 submitted for department review: Item 2026-00001"
        assert row.email_status == "pending" and row.attempts == 0
        assert row.statement_id is not None and row.dedupe_key is None
        assert row.payload == {
            "file_id": "2026-00001", "title": "Item 2026-00001", "department": "DOU",
            "event": "submit", "state": "department_review", "actor": "staff@test.reis",
            "actor_name": "Staff", "comment": None}

    def test_a_long_title_is_cut_in_the_subject_only(self, world):
        title = "Water " * 60
        world.item("2026-00001", state="department_review", title=title)
        row = rows()[0]
        assert len(row.subject) < 200 and row.subject.endswith("…")
        assert row.payload["title"] == title


class TestTheAgenda:
    """The clerk's agendize and unagendize tell the item's staff (its author and department staff)."""

    def test_agendize_tells_the_items_staff_in_the_same_transaction(self, world):
        world.item("2026-00001", state="ready_to_agendize")
        gate.agendize(world["clerk"].user, "2026-00001")
        told = [n for n in rows() if n.kind == "agendized"]
        assert {n.email for n in told} == {"staff@test.reis", "staff2@test.reis"}
        assert told[0].subject == "[REIS] 2026-00001 is on the agenda of March 2, 2027: Item 2026-00001"
        assert told[0].payload["meeting_date"] == "2027-03-02"
        assert told[0].payload["actor"] == "clerk@test.reis"

    def test_unagendize_tells_them_with_the_meeting_it_left(self, world):
        world.item("2026-00001", state="ready_to_agendize")
        gate.agendize(world["clerk"].user, "2026-00001")
        gate.unagendize(world["admin"].user, "2026-00001")
        told = [n for n in rows() if n.kind == "unagendized"]
        assert {n.email for n in told} == {"staff@test.reis", "staff2@test.reis"}
        assert "taken off the agenda of March 2, 2027" in told[0].subject

    def test_the_author_is_told_even_from_another_role(self, world):
        world.item("2026-00001", state="draft")
        statements.save_answers(world["approver"].user, "2026-00001", complete_answers(), version=1)
        statements.fire_event(world["approver"].user, "2026-00001", "submit")
        statements.fire_event(world["approver2"].user, "2026-00001", "approve")
        statements.fire_event(world["ode"].user, "2026-00001", "approve")
        gate.agendize(world["clerk"].user, "2026-00001")
        assert recipients("agendized") == {"approver@test.reis", "staff@test.reis", "staff2@test.reis"}

    def test_a_refused_agendize_or_no_change_tells_nobody(self, world):
        world.item("2026-00001", state="ode_review")
        with pytest.raises(OperationError):
            gate.agendize(world["clerk"].user, "2026-00001")
        gate.unagendize(world["clerk"].user, "2026-00001")  # not on an agenda: nothing changes
        assert recipients("agendized") == recipients("unagendized") == set()


class TestNotificationsApi:
    def test_the_callers_list_newest_first(self, client, world):
        world.item("2026-00001", state="department_review")
        world.item("2026-00002", state="department_review")
        r = client.get("/api/v1/notifications", headers=world["approver"].headers)
        assert r.status_code == 200
        listed = r.json["notifications"]
        assert [n["file_id"] for n in listed] == ["2026-00002", "2026-00001"]
        first = listed[0]
        assert first["read"] is False and first["read_at"] is None
        assert first["email_status"] == "pending" and first["email_error"] is None
        assert first["kind"] == "submitted" and first["payload"]["actor"] == "staff@test.reis"
        assert client.get("/api/v1/notifications",
                          headers=world["clerk"].headers).json["notifications"] == []

    def test_mark_read(self, client, world):
        world.item("2026-00001", state="department_review")
        mine = client.get("/api/v1/notifications", headers=world["approver"].headers).json
        nid = mine["notifications"][0]["id"]
        r = client.post(f"/api/v1/notifications/{nid}/read", headers=world["approver"].headers)
        assert r.status_code == 200 and r.json["read"] is True and r.json["read_at"]
        again = client.post(f"/api/v1/notifications/{nid}/read", headers=world["approver"].headers)
        assert again.json["read_at"] == r.json["read_at"]  # idempotent
        unread = client.get("/api/v1/notifications?unread=true",
                            headers=world["approver"].headers).json["notifications"]
        assert unread == []

    def test_someone_elses_notification_is_not_found(self, client, world):
        world.item("2026-00001", state="department_review")
        nid = rows()[0].id
        r = client.post(f"/api/v1/notifications/{nid}/read", headers=world["staff"].headers)
        assert r.status_code == 404 and r.json["error"] == "not_found"
        assert rows()[0].read_at is None
        missing = client.post("/api/v1/notifications/999999/read", headers=world["staff"].headers)
        assert missing.status_code == 404 and missing.json["error"] == "not_found"
        bad = client.post("/api/v1/notifications/abc/read", headers=world["staff"].headers)
        assert bad.status_code == 404 and bad.json["error"] == "not_found"

    def test_needs_a_token(self, client, world):
        r = client.get("/api/v1/notifications")
        assert r.status_code == 401 and r.json["error"] == "unauthorized"

    @pytest.mark.parametrize("query", ["unread=yes", "limit=0", "limit=201", "limit=x"])
    def test_bad_query_is_invalid(self, client, world, query):
        r = client.get(f"/api/v1/notifications?{query}", headers=world["staff"].headers)
        assert r.status_code == 422 and r.json["error"] == "invalid"

    def test_limit(self, client, world):
        for n in range(3):
            world.item(f"2026-0000{n + 1}", state="department_review")
        r = client.get("/api/v1/notifications?limit=2", headers=world["approver"].headers)
        assert len(r.json["notifications"]) == 2

    def test_preferences(self, client, world):
        headers = world["staff"].headers
        assert client.get("/api/v1/me/preferences", headers=headers).json == {
            "notify_mode": "each", "language": "en"}
        r = client.put("/api/v1/me/preferences", headers=headers, json={"notify_mode": "digest"})
        assert r.status_code == 200 and r.json["notify_mode"] == "digest"
        db.session.expire_all()
        assert db.session.get(User, world["staff"].user.id).notify_mode == "digest"

    def test_language_alone_or_with_the_mode(self, client, world):
        headers = world["staff"].headers
        r = client.put("/api/v1/me/preferences", headers=headers, json={"language": "es"})
        assert r.status_code == 200 and r.json == {"notify_mode": "each", "language": "es"}
        r = client.put("/api/v1/me/preferences", headers=headers,
                       json={"language": "en", "notify_mode": "digest"})
        assert r.json == {"notify_mode": "digest", "language": "en"}

    @pytest.mark.parametrize("body", [{"notify_mode": "weekly"}, {"notify_mode": None}, {},
                                      {"notify_mode": "each", "extra": 1}, {"language": "fr"},
                                      {"language": "EN"}, {"language": 1}])
    def test_invalid_preferences(self, client, world, body):
        r = client.put("/api/v1/me/preferences", headers=world["staff"].headers, json=body)
        assert r.status_code == 422 and r.json["error"] == "invalid" and r.json["fields"]

    def test_malformed_preferences_body(self, client, world):
        r = client.put("/api/v1/me/preferences", headers=world["staff"].headers,
                       data="{", content_type="application/json")
        assert r.status_code == 400 and r.json["error"] == "bad_request"

    def test_described_in_openapi(self, client):
        paths = client.get("/api/v1/openapi.json").json["paths"]
        assert "get" in paths["/api/v1/notifications"]
        assert "post" in paths["/api/v1/notifications/{notification_id}/read"]
        assert {"get", "put"} <= set(paths["/api/v1/me/preferences"])
