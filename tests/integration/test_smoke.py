"""The walking skeleton: an item goes from draft to agendized through the API."""


class TestJourney:
    def test_draft_to_agendized(self, client, world):
        staff, approver, ode, clerk = world["staff"], world["approver"], world["ode"], world["clerk"]
        r = client.post("/api/v1/items", headers=staff.headers, json={
            "file_id": "2026-00838", "title": "SCORE Work Plan", "department": "DOU",
            "meeting_date": "2027-03-02", "fiscal_statement": "No new cost."})
        assert r.status_code == 201, r.json
        assert r.json["statement_state"] == "draft"

        gate = client.get("/api/v1/items/2026-00838/agendizable", headers=clerk.headers).json
        assert gate["agendizable"] is False
        assert [x["code"] for x in gate["reasons"]] == ["statement_not_approved"]

        from tests.factories import complete_answers

        r = client.put("/api/v1/items/2026-00838/statement", headers=staff.headers,
                       json={"answers": complete_answers(), "version": 1})
        assert r.status_code == 200, r.json
        r = client.post("/api/v1/items/2026-00838/statement/events", headers=staff.headers,
                        json={"event": "submit", "version": r.json["version"]})
        assert r.json["state"] == "department_review"
        r = client.post("/api/v1/items/2026-00838/statement/events", headers=approver.headers,
                        json={"event": "approve"})
        assert r.json["state"] == "ode_review"
        r = client.post("/api/v1/items/2026-00838/statement/events", headers=ode.headers,
                        json={"event": "approve"})
        assert r.json["state"] == "ready_to_agendize"
        r = client.post("/api/v1/items/2026-00838/agendize", headers=clerk.headers)
        assert r.status_code == 200, r.json
        assert r.json["agendized"] is True and r.json["agendized_for"] == "2027-03-02"
        events = client.get("/api/v1/items/2026-00838/statement/history",
                            headers=clerk.headers).json["events"]
        assert [e["event"] for e in events] == ["create", "submit", "approve", "approve", "agendize"]
        assert [e["seq"] for e in events] == [1, 2, 3, 4, 5]
