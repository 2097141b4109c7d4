"""Report-backs through the API (API.md, "Follow-through and reports"): agendizing turns each
success indicator of the approved statement into a report-back the department owes; its
staff and approvers report results; a correction needs a reason and is kept; taking the
item off the agenda before any result withdraws them. Both databases."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import ReportBackResult
from tests.factories import complete_answers

FILE_ID = "2026-00001"
URL = f"/api/v1/items/{FILE_ID}/report-backs"


def agendized(client, world, file_id=FILE_ID):
    world.item(file_id, state="ready_to_agendize")
    r = client.post(f"/api/v1/items/{file_id}/agendize", headers=world["clerk"].headers)
    assert r.status_code == 200, r.json


def listed(client, world, who="staff", file_id=FILE_ID):
    r = client.get(f"/api/v1/items/{file_id}/report-backs", headers=world[who].headers)
    assert r.status_code == 200, r.json
    return r.json["report_backs"]


def post(client, world, n, body, who="staff"):
    return client.post(f"{URL}/{n}", headers=world[who].headers, json=body)


class TestOwed:
    def test_nothing_is_owed_before_the_agenda(self, client, world):
        world.item(FILE_ID, state="ready_to_agendize")
        assert listed(client, world) == []

    def test_agendizing_owes_each_indicator(self, client, world):
        agendized(client, world)
        indicators = complete_answers()["accountability"]
        rows = listed(client, world, "other_staff")  # anyone signed in reads them
        assert [(r["n"], r["name"], r["baseline"], r["target"], r["due"]) for r in rows] == [
            (n, i["name"], i["baseline"], i["target"], i["due"]) for n, i in enumerate(indicators, 1)]
        assert {(r["status"], r["result"], r["reported_at"], r["reported_by"]) for r in rows} == {
            ("pending", None, None, None)}

    def test_moving_to_another_meeting_owes_nothing_new(self, client, world):
        agendized(client, world)
        r = client.post(f"/api/v1/items/{FILE_ID}/agendize", headers=world["clerk"].headers,
                        json={"meeting_date": "2027-04-06"})
        assert r.status_code == 200
        assert [r["n"] for r in listed(client, world)] == [1, 2]

    def test_unagendizing_before_any_result_withdraws_them(self, client, world):
        agendized(client, world)
        assert client.post(f"/api/v1/items/{FILE_ID}/unagendize",
                           headers=world["clerk"].headers).status_code == 200
        assert listed(client, world) == []
        assert post(client, world, 1, {"result": "Done."}).status_code == 404
        agendized_again = client.post(f"/api/v1/items/{FILE_ID}/agendize", headers=world["clerk"].headers)
        assert agendized_again.status_code == 200
        assert [r["status"] for r in listed(client, world)] == ["pending", "pending"]

    def test_unagendizing_after_a_result_keeps_them(self, client, world):
        agendized(client, world)
        assert post(client, world, 1, {"result": "2,400 households."}).status_code == 200
        assert client.post(f"/api/v1/items/{FILE_ID}/unagendize",
                           headers=world["clerk"].headers).status_code == 200
        assert [r["status"] for r in listed(client, world)] == ["reported", "pending"]

    def test_an_unknown_item_is_404(self, client, world):
        r = client.get("/api/v1/items/2099-99999/report-backs", headers=world["staff"].headers)
        assert (r.status_code, r.json["error"]) == (404, "not_found")


class TestReporting:
    def test_staff_report_a_result(self, client, world):
        agendized(client, world)
        r = post(client, world, 2, {"result": "One in three applications."}, who="approver")
        assert r.status_code == 200, r.json
        assert (r.json["n"], r.json["status"], r.json["result"], r.json["reported_by"]) == (
            2, "reported", "One in three applications.", world["approver"].email)
        assert r.json["reported_at"]
        assert [x["status"] for x in listed(client, world)] == ["pending", "reported"]

    def test_a_second_result_without_a_reason_is_409_and_changes_nothing(self, client, world):
        agendized(client, world)
        assert post(client, world, 1, {"result": "First."}).status_code == 200
        r = post(client, world, 1, {"result": "Second."})
        assert (r.status_code, r.json["error"]) == (409, "already_reported")
        assert listed(client, world)[0]["result"] == "First."

    def test_a_correction_with_a_reason_is_kept_in_history(self, client, world):
        agendized(client, world)
        assert post(client, world, 1, {"result": "First."}).status_code == 200
        r = post(client, world, 1, {"result": "Second.", "reason": "The first count missed May."},
                 who="approver")
        assert r.status_code == 200 and r.json["result"] == "Second."
        kept = db.session.execute(select(ReportBackResult.number, ReportBackResult.result,
                                         ReportBackResult.reason, ReportBackResult.reported_by)
                                  .order_by(ReportBackResult.number)).all()
        assert [tuple(k) for k in kept] == [
            (1, "First.", None, world["staff"].email),
            (2, "Second.", "The first count missed May.", world["approver"].email)]

    def test_an_unknown_number_is_404(self, client, world):
        agendized(client, world)
        for n in (0, 3, 2147483647):
            r = post(client, world, n, {"result": "Done."})
            assert (r.status_code, r.json["error"]) == (404, "not_found")

    def test_a_result_over_20000_characters_is_422(self, client, world):
        agendized(client, world)
        r = post(client, world, 1, {"result": "x" * 20_001})
        assert (r.status_code, r.json["error"]) == (422, "invalid")
        assert "result" in r.json["fields"]
        assert post(client, world, 1, {"result": "x" * 20_000}).status_code == 200

    def test_a_blank_result_is_422(self, client, world):
        agendized(client, world)
        r = post(client, world, 1, {"result": "   "})
        assert (r.status_code, r.json["error"]) == (422, "invalid")
        assert listed(client, world)[0]["status"] == "pending"

    def test_only_the_department_reports(self, client, world):
        agendized(client, world)
        for who in ("other_staff", "other_approver", "ode", "clerk", "admin"):
            r = post(client, world, 1, {"result": "Done."}, who=who)
            assert (r.status_code, r.json["error"]) == (403, "forbidden"), who
        assert listed(client, world)[0]["status"] == "pending"
