"""Who decides on the pages: naming one's delegate, an administrator's page for someone away
and for stalls, claiming in ODE review, and "on behalf of" in the history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.extensions import db
from app.models import Delegation, Notification
from app.operations import accounts, delegation, statements
from tests.factories import complete_answers
from tests.integration.web_helpers import give_passwords, signed_in, text

TODAY = date.today()


@pytest.fixture
def web(app_ctx, world):
    give_passwords()
    return world


def span(days: int = 3) -> dict:
    return {"delegation-starts": TODAY.isoformat(),
            "delegation-ends": (TODAY + timedelta(days=days)).isoformat()}


class TestMyDelegate:
    def test_name_and_revoke(self, app_ctx, web):
        user = signed_in(app_ctx, web["approver"])
        assert "My delegate while I am away" in user.get("/account").text
        r = user.post("/account/delegation", {"delegation-delegate": "staff2@test.reis", **span()})
        assert r.status_code == 303
        page = user.get("/account").text
        assert 'id="current-delegation"' in page and "staff2@test.reis" in page
        assert user.post("/account/delegation/revoke").status_code == 303
        assert 'id="current-delegation"' not in user.get("/account").text

    def test_a_refusal_is_next_to_the_field_and_the_input_is_kept(self, app_ctx, web):
        user = signed_in(app_ctx, web["approver"])
        r = user.post("/account/delegation", {"delegation-delegate": "other_staff@test.reis", **span()})
        assert r.status_code == 422
        field = r.text.split('id="delegation-delegate-error"')[1].split("</ul>")[0]
        assert "same department" in text(field)
        assert 'value="other_staff@test.reis"' in r.text
        r = user.post("/account/delegation", {"delegation-delegate": "staff2@test.reis", **span(200)})
        assert r.status_code == 422 and 'id="delegation-ends-error"' in r.text
        assert db.session.query(Delegation).count() == 0

    def test_without_csrf_nothing_changes(self, app_ctx, web):
        user = signed_in(app_ctx, web["approver"])
        form = {"delegation-delegate": "staff2@test.reis", **span()}
        r = user.post("/account/delegation", form, csrf=False)
        assert r.status_code in (400, 422)
        assert db.session.query(Delegation).count() == 0

    @pytest.mark.parametrize("who", ["staff", "clerk", "admin"])
    def test_others_have_no_delegate_to_name(self, app_ctx, web, who):
        user = signed_in(app_ctx, web[who])
        assert "My delegate while I am away" not in user.get("/account").text
        r = user.post("/account/delegation", {"delegation-delegate": "staff2@test.reis", **span()})
        assert r.status_code == 403


class TestAdministration:
    def test_someone_away_gets_a_delegate(self, app_ctx, web):
        admin = signed_in(app_ctx, web["admin"])
        r = admin.post("/admin/delegations", {"delegation-delegator": str(web["approver"].user.id),
                                              "delegation-delegate": "staff2@test.reis", **span()})
        assert r.status_code == 303
        page = admin.get("/admin").text
        assert "Delegations" in page and "Staff2" in page

    def test_bad_input_is_kept_with_its_error(self, app_ctx, web):
        admin = signed_in(app_ctx, web["admin"])
        r = admin.post("/admin/delegations", {"delegation-delegator": str(web["approver"].user.id),
                                              "delegation-delegate": "clerk@test.reis", **span()})
        assert r.status_code == 422 and 'id="delegation-delegate-error"' in r.text
        assert 'value="clerk@test.reis"' in r.text

    def test_stalled_statements_and_thin_departments_are_listed(self, app_ctx, web):
        accounts.set_active(web["admin"].user, web["approver2"].user.id, False)
        web.item("2026-00001", state="draft")
        statements.save(web["approver"].user, "2026-00001", complete_answers(), 1)
        statements.fire_event(web["approver"].user, "2026-00001", "submit")
        page = signed_in(app_ctx, web["admin"]).get("/admin").text
        stalled = page.split('id="stalled-heading"')[1].split("<h3")[0]
        assert "2026-00001" in stalled
        thin = text(page.split('id="thin-heading"')[1].split("<h3")[0])
        assert "DOU" in thin and "CDD" in thin  # one active approver each


class TestAssignmentAndHistory:
    def test_claim_from_the_item_page_and_the_queue_puts_mine_first(self, app_ctx, web):
        web.item("2026-00001", state="ode_review")
        web.item("2026-00002", state="ode_review")  # to ode2 (ode has one already)
        user = signed_in(app_ctx, web["ode2"])
        queue = user.get("/review").text
        assert queue.index("2026-00002") < queue.index("2026-00001")
        assert "assigned to me" in queue
        r = user.post("/items/2026-00001/assign", {"assignee": "me"})
        assert r.status_code == 303
        page = user.get("/items/2026-00001").text
        assert "Assigned to" in page and "Ode2" in page.split('id="assignee"')[1].split("</p>")[0], page

    def test_the_history_says_on_whose_behalf(self, app_ctx, web):
        web.item("2026-00001", state="department_review")
        delegation.set_delegate(web["approver"].user, web["approver"].user, "staff2@test.reis", TODAY,
                                TODAY + timedelta(days=1))
        statements.fire_event(web["staff2"].user, "2026-00001", "approve")
        page = text(signed_in(app_ctx, web["clerk"]).get("/items/2026-00001").text)
        assert "by Staff2 on behalf of Approver " in page  # by name, like the actor

    def test_the_mail_says_on_whose_behalf(self, app_ctx, web):
        from app.mail import compose

        web.item("2026-00001", state="department_review")
        delegation.set_delegate(web["approver"].user, web["approver"].user, "staff2@test.reis", TODAY,
                                TODAY + timedelta(days=1))
        statements.fire_event(web["staff2"].user, "2026-00001", "approve")
        row = db.session.query(Notification).filter_by(kind="approved").first()
        message = compose(row, language="en", recipient_name="Ode", config=app_ctx.config)
        body = message.get_body(("plain",)).get_content()
        assert "Staff2 on behalf of Approver" in body.replace("\u2068", "").replace("\u2069", "")
