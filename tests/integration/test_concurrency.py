"""Real threads racing real requests, on SQLite and PostgreSQL.

The design promises that concurrency is the database's job: the statement row
is locked (``SELECT … FOR UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on
SQLite) and its ``version`` is checked, so two people racing get one success
and one 409, never two successes, a lost update, a duplicate history ``seq``
or a 5xx. A ``threading.Barrier`` releases the racers together; each thread
has its own test client and therefore its own app context and session.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

from sqlalchemy import select

from app.extensions import db
from app.models import HistoryEvent, Item, Statement
from tests.factories import complete_answers

ROUNDS = 10
JOIN_TIMEOUT_S = 60


def race(app, calls: list[Callable]) -> list:
    """Run each ``call(client)`` in its own thread, all released at once; their responses.

    The main thread's transaction is ended first and afterwards, so it neither
    holds a snapshot (SQLite WAL) nor a lock the racers could wait on, and so
    the checks that follow read what the racers committed.
    """
    db.session.commit()
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int, call: Callable) -> None:
        try:
            client = app.test_client()
            barrier.wait(timeout=JOIN_TIMEOUT_S)
            results[index] = call(client)
        except BaseException as exc:  # surfaced in the main thread below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i, c), daemon=True) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(JOIN_TIMEOUT_S)
    assert not any(t.is_alive() for t in threads), "a racer is stuck (deadlock?)"
    if errors:
        raise errors[0]
    db.session.commit()
    for r in results:
        assert r.status_code < 500, (r.status_code, r.get_data(as_text=True))
        assert r.is_json, r.get_data(as_text=True)
    return results


def statuses(results) -> list[int]:
    return sorted(r.status_code for r in results)


def history(file_id: str) -> list[HistoryEvent]:
    return list(db.session.scalars(
        select(HistoryEvent).join(Statement, Statement.id == HistoryEvent.statement_id)
        .join(Item, Item.id == Statement.item_id).where(Item.file_id == file_id)
        .order_by(HistoryEvent.seq)))


def statement(file_id: str) -> Statement:
    return db.session.scalar(select(Statement).join(Item).where(Item.file_id == file_id))


def assert_history_contiguous(file_id: str) -> list[HistoryEvent]:
    events = history(file_id)
    assert [e.seq for e in events] == list(range(1, len(events) + 1)), [e.seq for e in events]
    return events


def event_poster(path: str, headers: dict, body: dict) -> Callable:
    return lambda client: client.post(path, headers=headers, json=body)


def assert_one_winner(results, loser_codes=("invalid_transition", "conflict")) -> None:
    assert statuses(results) == [200, 409], [(r.status_code, r.json) for r in results]
    loser = next(r for r in results if r.status_code == 409)
    assert loser.json["error"] in loser_codes, loser.json


class TestRacingReviewers:
    def test_two_department_approvers_one_wins(self, app_ctx, world):
        headers = [world["approver"].headers, world["approver2"].headers]
        for n in range(ROUNDS):
            file_id = f"2026-{100 + n:05d}"
            world.item(file_id, state="department_review")
            path = f"/api/v1/items/{file_id}/statement/events"
            results = race(app_ctx, [event_poster(path, h, {"event": "approve"}) for h in headers])

            assert_one_winner(results)
            winner = next(r for r in results if r.status_code == 200)
            assert winner.json["state"] == "ode_review"
            events = assert_history_contiguous(file_id)
            assert Counter(e.event for e in events)["approve"] == 1
            assert statement(file_id).state == "ode_review"

    def test_two_department_approvers_sending_the_same_version(self, app_ctx, world):
        headers = [world["approver"].headers, world["approver2"].headers]
        for n in range(ROUNDS):
            file_id = f"2026-{200 + n:05d}"
            world.item(file_id, state="department_review")
            version = statement(file_id).version
            path = f"/api/v1/items/{file_id}/statement/events"
            body = {"event": "approve", "version": version}
            results = race(app_ctx, [event_poster(path, h, body) for h in headers])

            assert_one_winner(results)
            events = assert_history_contiguous(file_id)
            assert Counter(e.event for e in events)["approve"] == 1

    def test_two_ode_reviewers_one_wins(self, app_ctx, world):
        headers = [world["ode"].headers, world["ode2"].headers]
        for n in range(ROUNDS):
            file_id = f"2026-{300 + n:05d}"
            world.item(file_id, state="ode_review")
            path = f"/api/v1/items/{file_id}/statement/events"
            results = race(app_ctx, [event_poster(path, h, {"event": "approve"}) for h in headers])

            assert_one_winner(results)
            events = assert_history_contiguous(file_id)
            # one by the department approver, one by exactly one ODE reviewer
            assert Counter(e.event for e in events)["approve"] == 2
            assert [e.to_state for e in events if e.event == "approve"][-1] == "ready_to_agendize"
            found = statement(file_id)
            assert found.state == "ready_to_agendize" and found.approved_at is not None

    def test_approve_racing_return(self, app_ctx, world):
        """An approve and a return at once: the loser sees the winner's state."""
        for n in range(ROUNDS):
            file_id = f"2026-{400 + n:05d}"
            world.item(file_id, state="ode_review")
            path = f"/api/v1/items/{file_id}/statement/events"
            results = race(app_ctx, [
                event_poster(path, world["ode"].headers, {"event": "approve"}),
                event_poster(path, world["ode2"].headers, {"event": "return", "comment": "No."}),
            ])

            assert_one_winner(results)
            events = assert_history_contiguous(file_id)
            final = statement(file_id).state
            assert events[-1].to_state == final
            assert final in ("ready_to_agendize", "draft")
            assert sum(e.event in ("approve", "return") and e.from_state == "ode_review"
                       for e in events) == 1


class TestRacingEditors:
    def test_two_staff_saving_the_same_version(self, app_ctx, world):
        staff = [world["staff"], world["staff2"]]
        for n in range(ROUNDS):
            file_id = f"2026-{500 + n:05d}"
            world.item(file_id)
            version = statement(file_id).version
            bodies = []
            for person in staff:
                answers = complete_answers()
                answers["proposal"] = f"Written by {person.email} in round {n}."
                bodies.append(answers)
            path = f"/api/v1/items/{file_id}/statement"
            results = race(app_ctx, [
                (lambda client, h=p.headers, a=a, path=path, v=version: client.put(
                    path, headers=h, json={"answers": a, "version": v}))
                for p, a in zip(staff, bodies, strict=True)])

            assert_one_winner(results, loser_codes=("conflict",))
            winner = next(i for i, r in enumerate(results) if r.status_code == 200)
            found = statement(file_id)
            assert found.answers == bodies[winner]  # no lost update, no mix of the two
            assert found.version == results[winner].json["version"]
            assert found.last_edited_by_id == staff[winner].user.id

    def test_material_patch_racing_ode_approve(self, app_ctx, world):
        """Never a ready statement for an item that changed after its approval."""
        outcomes = Counter()
        for n in range(ROUNDS):
            file_id = f"2026-{600 + n:05d}"
            world.item(file_id, state="ode_review")
            new_title = f"Retitled in round {n}"
            results = race(app_ctx, [
                lambda client, f=file_id: client.post(
                    f"/api/v1/items/{f}/statement/events", headers=world["ode"].headers,
                    json={"event": "approve"}),
                lambda client, f=file_id, t=new_title: client.patch(
                    f"/api/v1/items/{f}", headers=world["staff"].headers, json={"title": t}),
            ])
            approve, patch = results

            assert patch.status_code == 200, patch.json
            assert patch.json["title"] == new_title
            assert patch.json["statement_state"] == "draft"
            events = assert_history_contiguous(file_id)
            kinds = [e.event for e in events]
            assert kinds[-1] == "reopen" and events[-1].actor == "system"
            assert statement(file_id).state == "draft"
            assert statement(file_id).approved_at is None
            if approve.status_code == 200:  # approved first, then reopened by the change
                outcomes["approve_first"] += 1
                assert kinds[-2:] == ["approve", "reopen"]
                assert events[-1].from_state == "ready_to_agendize"
            else:  # reopened first; the approve found a draft
                outcomes["patch_first"] += 1
                assert approve.status_code == 409, approve.json
                assert approve.json["error"] in ("invalid_transition", "conflict")
                assert kinds.count("approve") == 1  # only the department's
                assert events[-1].from_state == "ode_review"
        assert sum(outcomes.values()) == ROUNDS

    def test_ready_statement_never_outlives_a_material_change(self, app_ctx, world):
        """Whatever the order, a ready statement's item is the one that was approved."""
        for n in range(ROUNDS):
            file_id = f"2026-{700 + n:05d}"
            world.item(file_id, state="ode_review", recommendation="Approve it.")
            race(app_ctx, [
                lambda client, f=file_id: client.post(
                    f"/api/v1/items/{f}/statement/events", headers=world["ode2"].headers,
                    json={"event": "approve"}),
                lambda client, f=file_id: client.patch(
                    f"/api/v1/items/{f}", headers=world["approver"].headers,
                    json={"recommendation": f"Approve it, amended {f}."}),
            ])
            found = statement(file_id)
            assert found.item.recommendation == f"Approve it, amended {file_id}."
            assert found.state == "draft" and found.approved_at is None
            assert assert_history_contiguous(file_id)[-1].event == "reopen"


class TestRacingCreates:
    def test_many_creates_of_one_file_id(self, app_ctx, world):
        for n in range(3):
            file_id = f"2026-{800 + n:05d}"
            people = ["staff", "staff2", "approver", "approver2", "admin", "staff", "staff2",
                      "approver"]
            results = race(app_ctx, [
                (lambda client, h=world[p].headers, i=i, f=file_id: client.post(
                    "/api/v1/items", headers=h,
                    json={"file_id": f, "title": f"Racer {i}", "department": "DOU"}))
                for i, p in enumerate(people)])

            codes = Counter(r.status_code for r in results)
            assert codes == {201: 1, 409: len(people) - 1}, [(r.status_code, r.json) for r in results]
            assert {r.json["error"] for r in results if r.status_code == 409} == {"exists"}
            winner = next(r for r in results if r.status_code == 201)
            rows = db.session.scalars(select(Item).where(Item.file_id == file_id)).all()
            assert len(rows) == 1 and rows[0].title == winner.json["title"]
            assert [e.event for e in assert_history_contiguous(file_id)] == ["create"]

    def test_creates_of_different_file_ids_all_succeed(self, app_ctx, world):
        results = race(app_ctx, [
            (lambda client, i=i: client.post(
                "/api/v1/items", headers=world["staff"].headers,
                json={"file_id": f"2026-{900 + i:05d}", "title": f"Item {i}", "department": "DOU"}))
            for i in range(8)])
        assert statuses(results) == [201] * 8
        assert db.session.scalar(select(db.func.count(Item.id))) == 8
