"""What the pages offer is exactly what the API accepts, for every role and state.

Each probe asks the API something that fails only *after* the permission and
state checks (a stale version, a missing comment), so it changes nothing and
its error code says whether the real request would have been accepted.
"""

from __future__ import annotations

import pytest

from app.web.auth import limiter
from tests.integration.web_helpers import give_passwords, signed_in, text

STATES = {"2026-00001": "draft", "2026-00002": "department_review", "2026-00003": "ode_review",
          "2026-00004": "ready_to_agendize", "2026-00005": "department_review"}
PEOPLE = ("staff", "approver", "other_staff", "other_approver", "ode", "clerk", "admin")


@pytest.fixture
def web(app_ctx, world):
    give_passwords()
    limiter.reset()
    for file_id, state in STATES.items():
        world.item(file_id, state=state, department="CDD" if file_id == "2026-00005" else "DOU")
    return world


def api_may_edit(client, person, file_id) -> bool:
    r = client.put(f"/api/v1/items/{file_id}/statement", headers=person.headers,
                   json={"answers": {}, "version": -1})
    assert r.json["error"] in ("forbidden", "not_editable", "conflict"), r.json
    return r.json["error"] == "conflict"


def api_may_return(client, person, file_id) -> bool:
    r = client.post(f"/api/v1/items/{file_id}/statement/events", headers=person.headers,
                    json={"event": "return"})
    assert r.json["error"] in ("forbidden", "invalid_transition", "comment_required"), r.json
    return r.json["error"] == "comment_required"


class TestPagesMatchTheApi:
    @pytest.mark.parametrize("who", PEOPLE)
    def test_edit_and_review_links(self, app_ctx, web, who):
        person, client = web[who], app_ctx.test_client()
        user = signed_in(app_ctx, person)
        for file_id in STATES:
            page = user.get(f"/items/{file_id}").text
            assert ("Edit the statement" in page) == api_may_edit(client, person, file_id), file_id
            assert ("Review the statement" in page) == api_may_return(client, person, file_id), file_id
            edit_form = user.get(f"/items/{file_id}/statement").status_code
            assert (edit_form == 200) == api_may_edit(client, person, file_id), file_id
            review_page = user.get(f"/items/{file_id}/review").status_code
            assert (review_page == 200) == api_may_return(client, person, file_id), file_id

    def test_agendize_buttons_follow_the_gate(self, app_ctx, web):
        client = app_ctx.test_client()
        page = signed_in(app_ctx, web["clerk"]).get("/board?date=2027-03-02").text
        rows = page.split("<tbody")[1].split("</tbody>")[0].split("</tr>")[:-1]
        assert len(rows) == len(STATES)
        for row in rows:
            file_id = next(f for f in STATES if f in row)
            gate = client.get(f"/api/v1/items/{file_id}/agendizable", headers=web["clerk"].headers).json
            enabled = "Agendize" in text(row) and "disabled" not in row
            assert enabled == gate["agendizable"], file_id
