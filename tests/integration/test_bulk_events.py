"""Bulk events on exemption requests (``POST /statements/events``), on both databases: each item
in its own transaction with every rule of the single event, each result reported; one item's
refusal or failure stops nothing else and leaves nothing half-done."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import HistoryEvent, Notification, StatementRevision
from app.operations import lookup, notify
from tests.integration.test_bad_input import fingerprint

URL = "/api/v1/statements/events"


def bulk(client, world, who: str, event: str, file_ids: list, **extra):
    return client.post(URL, headers=world[who].headers, json={"event": event, "file_ids": file_ids, **extra})


def state(file_id: str) -> str:
    return lookup.item(file_id).statement.state.value


def rows_of(file_id: str) -> tuple:
    """Everything an event writes about one statement: state, version, history, revisions, mail."""
    db.session.rollback()
    statement = lookup.item(file_id).statement
    count = lambda model, column: db.session.scalar(  # noqa: E731
        select(func.count()).select_from(model).where(column == statement.id))
    return (statement.state.value, statement.version, count(HistoryEvent, HistoryEvent.statement_id),
            count(StatementRevision, StatementRevision.statement_id),
            count(Notification, Notification.statement_id))


class TestApproveAPage:
    def test_ode_approves_exemptions_and_each_result_is_reported(self, client, world):
        for n in (1, 2, 3):
            world.item(f"2026-0000{n}", state="ode_review", form="exemption")
        r = bulk(client, world, "ode", "approve", ["2026-00001", "2026-00002", "2026-00003"])
        assert r.status_code == 200
        assert r.json == {"results": [{"file_id": f"2026-0000{n}", "ok": True, "state": "ready_to_agendize"}
                                      for n in (1, 2, 3)]}
        history = db.session.scalars(select(HistoryEvent).where(HistoryEvent.event == "approve")
                                     .where(HistoryEvent.to_state == "ready_to_agendize")).all()
        assert sorted(h.actor for h in history) == ["ode@test.reis"] * 3

    def test_a_department_submits_its_exemption_requests(self, client, world):
        for n in (1, 2):
            world.item(f"2026-0000{n}", form="exemption")
            client.put(f"/api/v1/items/2026-0000{n}/statement", headers=world["staff"].headers,
                       json={"answers": {"summary": "A proclamation.", "exemption_category": "ceremonial",
                                         "exemption_reason": "It honours volunteers."}, "version": 2})
        r = bulk(client, world, "staff", "submit", ["2026-00001", "2026-00002"], comment="Ceremonial items.")
        assert [x["state"] for x in r.json["results"]] == ["department_review"] * 2

    def test_other_forms_and_other_problems_fail_alone(self, client, world):
        world.item("2026-00001", state="ode_review", form="exemption")
        world.item("2026-00002", state="ode_review", form="full")
        world.item("2026-00003", state="ode_review", form="short")
        world.item("2026-00004", state="department_review", form="exemption")
        world.item("2026-00005", state="ode_review", form="exemption")
        ids = ["2026-00001", "2026-00002", "2026-00003", "2026-00004", "2026-09999", "2026-00005"]
        before = {f: rows_of(f) for f in ("2026-00002", "2026-00003", "2026-00004")}
        results = bulk(client, world, "ode", "approve", ids).json["results"]
        assert [(x["file_id"], x["ok"]) for x in results] == [
            ("2026-00001", True), ("2026-00002", False), ("2026-00003", False), ("2026-00004", False),
            ("2026-09999", False), ("2026-00005", True)]
        errors = {x["file_id"]: x["error"] for x in results if not x["ok"]}
        assert errors["2026-00002"]["error"] == errors["2026-00003"]["error"] == "bulk_not_allowed"
        assert errors["2026-00002"]["form"] == "full" and errors["2026-00002"]["message"].strip()
        assert (errors["2026-00004"]["error"], errors["2026-00004"]["state"]) == (
            "invalid_transition", "department_review")
        assert errors["2026-09999"]["error"] == "not_found"
        assert {f: rows_of(f) for f in before} == before
        assert (state("2026-00001"), state("2026-00005")) == ("ready_to_agendize", "ready_to_agendize")

    def test_separation_of_duties_holds_item_by_item(self, client, world):
        world.item("2026-00001", state="department_review", form="exemption")
        world.item("2026-00002", state="department_review", form="exemption")
        results = bulk(client, world, "staff", "approve", ["2026-00001"]).json["results"]
        assert results[0]["error"]["error"] == "forbidden"
        results = bulk(client, world, "approver", "approve", ["2026-00001", "2026-00002"]).json["results"]
        assert [x["state"] for x in results] == ["ode_review"] * 2
        # the admin who gave the department approval may not also give ODE's
        world.item("2026-00003", state="department_review", form="exemption")
        bulk(client, world, "admin", "approve", ["2026-00003"])
        refused = bulk(client, world, "admin", "approve", ["2026-00003"]).json["results"][0]
        assert refused["error"]["error"] == "forbidden" and state("2026-00003") == "ode_review"

    def test_a_fault_in_the_middle_leaves_that_item_untouched(self, client, world, monkeypatch):
        for n in (1, 2, 3):
            world.item(f"2026-0000{n}", state="ode_review", form="exemption")
        before = rows_of("2026-00002")
        real = notify.on_event

        def failing(statement, *args, **kwargs):
            real(statement, *args, **kwargs)  # its outbox rows are written, then the item fails
            if statement.item.file_id == "2026-00002":
                raise RuntimeError("the disk is full")

        monkeypatch.setattr(notify, "on_event", failing)
        results = bulk(client, world, "ode", "approve", ["2026-00001", "2026-00002", "2026-00003"]).json
        assert [x["ok"] for x in results["results"]] == [True, False, True]
        assert results["results"][1]["error"]["error"] == "internal"
        assert rows_of("2026-00002") == before  # state, version, history, revisions and outbox as they were
        assert (state("2026-00001"), state("2026-00003")) == ("ready_to_agendize", "ready_to_agendize")


class TestBadRequests:
    @pytest.mark.parametrize(("body", "field"), [
        ({"event": "approve", "file_ids": []}, "file_ids"),
        ({"event": "approve", "file_ids": [f"2026-{n:05d}" for n in range(201)]}, "file_ids"),
        ({"event": "approve", "file_ids": ["2026-00001", "2026-00001"]}, "file_ids"),
        ({"event": "approve", "file_ids": ["2026-0000\x00"]}, "file_ids"),
        ({"event": "approve", "file_ids": [""]}, "file_ids"),
        ({"event": "approve", "file_ids": "2026-00001"}, "file_ids"),
        ({"event": "return", "file_ids": ["2026-00001"], "comment": "No."}, "event"),
        ({"event": "reopen", "file_ids": ["2026-00001"]}, "event"),
        ({"file_ids": ["2026-00001"]}, "event"),
        ({"event": "approve", "file_ids": ["2026-00001"], "comment": "x" * 20_001}, "comment"),
        ({"event": "approve", "file_ids": ["2026-00001"], "version": 1}, "version"),
    ])
    def test_is_422_and_nothing_changes(self, client, world, body, field):
        world.item("2026-00001", state="ode_review", form="exemption")
        before = fingerprint()
        r = client.post(URL, headers=world["ode"].headers, json=body)
        assert (r.status_code, r.json["error"]) == (422, "invalid"), r.json
        assert any(k == field or k.startswith(f"{field}.") for k in r.json["fields"]), r.json
        assert fingerprint() == before

    def test_200_is_the_limit(self, client, world):
        world.item("2026-00001", state="ode_review", form="exemption")
        ids = ["2026-00001", *(f"2027-{n:05d}" for n in range(199))]
        results = bulk(client, world, "ode", "approve", ids).json["results"]
        assert len(results) == 200 and results[0]["ok"] and not any(x["ok"] for x in results[1:])

    def test_needs_a_token_and_json(self, client, world):
        assert client.post(URL, json={"event": "approve", "file_ids": ["x"]}).status_code == 401
        r = client.post(URL, headers=world["ode"].headers, data="event=approve")
        assert (r.status_code, r.json["error"]) == (400, "bad_request")
