"""Every number taken from a path, a query or a form is checked where it is parsed:
an out-of-range or non-ASCII number is a 404 (path) or a 422 (query, form), never a 5xx.

The traps: ``str.isdigit`` and ``int()`` accept "²" and Arabic-Indic digits,
SQLite cannot bind an integer past 2**63 (OverflowError), PostgreSQL's
``integer`` ends at 2**31 - 1 (NumericValueOutOfRange), and ``int()`` refuses a
string of more than 4,300 digits with a ValueError.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Notification
from app.numbers import DB_INT_MAX, whole_number
from app.operations import lookup
from tests.integration.web_helpers import give_passwords, signed_in, text

HUGE = ("2147483648", "9223372036854775808", "9999999999999999999", "1" * 5000)
NOT_ASCII = ("²", "\u0661\u0662", "\uff11\uff12", "-1", "+1", " 1", "1.0", "0x10")


@pytest.fixture
def web(app_ctx, world):
    give_passwords()
    return world


class TestTheHelper:
    @pytest.mark.parametrize("raw", ["0", "7", "0042", str(DB_INT_MAX)])
    def test_takes_ascii_digits_within_the_database_integer(self, raw):
        assert whole_number(raw) == int(raw)

    @pytest.mark.parametrize("raw", [*HUGE, *NOT_ASCII, "", None, 12, "1\x00"])
    def test_refuses_everything_else(self, raw):
        assert whole_number(raw) is None


class TestApiPaths:
    @pytest.mark.parametrize("number", [*HUGE, "²", "\u0661\u0662"])
    def test_a_notification_id_out_of_range_is_404(self, client, world, number):
        r = client.post(f"/api/v1/notifications/{number}/read", headers=world["staff"].headers)
        assert r.status_code == 404, r.data[:300]
        assert r.json["error"] == "not_found"

    def test_the_largest_id_is_simply_not_found(self, client, world):
        r = client.post(f"/api/v1/notifications/{DB_INT_MAX}/read", headers=world["staff"].headers)
        assert r.status_code == 404 and r.json["error"] == "not_found"

    def test_openapi_says_the_range(self, client):
        spec = client.get("/api/v1/openapi.json").json
        params = spec["paths"]["/api/v1/notifications/{notification_id}/read"]["post"]["parameters"]
        assert params[0]["schema"] == {"type": "integer", "minimum": 0, "maximum": DB_INT_MAX}


class TestApiQuery:
    @pytest.mark.parametrize("limit", [*HUGE, *NOT_ASCII])
    def test_a_limit_that_is_no_small_number_is_422(self, client, world, limit):
        r = client.get("/api/v1/notifications", query_string={"limit": limit},
                       headers=world["staff"].headers)
        assert r.status_code == 422, r.data[:300]
        assert r.json["error"] == "invalid" and "limit" in r.json["fields"]


class TestAdminPaths:
    @pytest.mark.parametrize("action", ["role", "deactivate", "reactivate"])
    @pytest.mark.parametrize("number", ["2147483648", "9999999999999999999", "1" * 5000])
    def test_a_user_id_past_the_integer_range_is_404(self, app_ctx, web, action, number):
        admin = signed_in(app_ctx, web["admin"])
        admin.get("/admin")
        r = admin.post(f"/admin/users/{number}/{action}", {"u1-role": "clerk"})
        assert r.status_code == 404, r.text[:300]


class TestFormNumbers:
    @pytest.mark.parametrize("version", ["²", "\u0661", "9999999999999999999", "1" * 5000, "1\x00"])
    def test_a_damaged_statement_version_is_a_form_error(self, app_ctx, web, version):
        web.item("2026-00001")
        user = signed_in(app_ctx, web["staff"])
        user.get("/items/2026-00001/statement")
        r = user.post("/items/2026-00001/statement", {"version": version, "proposal": "Mine", "save": "1"})
        assert r.status_code == 422, r.text[:300]
        assert "The form is damaged; reload the page." in text(r.text)
        assert "Mine" in r.text  # what the person typed stays in the form
        assert lookup.item("2026-00001").statement.answers == {}

    @pytest.mark.parametrize("version", ["²", "9999999999999999999"])
    def test_a_damaged_review_version_is_a_form_error(self, app_ctx, web, version):
        web.item("2026-00001", state="department_review")
        user = signed_in(app_ctx, web["approver"])
        user.get("/items/2026-00001/review")
        r = user.post("/items/2026-00001/review", {"version": version, "approve": "1"})
        assert r.status_code == 422, r.text[:300]
        assert "The form is damaged; reload the page." in text(r.text)
        assert lookup.item("2026-00001").statement.state.value == "department_review"

    @pytest.mark.parametrize("number", ["²", "\u0661\u0662", "2147483648", "9999999999999999999", "1" * 5000])
    def test_marking_a_notification_read_by_a_damaged_id_marks_nothing(self, app_ctx, web, number):
        web.item("2026-00001", state="department_review")  # tells the approvers
        user = signed_in(app_ctx, web["approver"])
        user.get("/notifications")
        r = user.post("/notifications/read", {"id": number})
        assert r.status_code == 404  # there is no such notification of theirs (nor anyone's)
        assert db.session.scalar(select(func.count()).select_from(Notification).where(
            Notification.user_id == web["approver"].user.id, Notification.read_at.is_(None))) == 1

    def test_the_version_still_works(self, app_ctx, web):
        web.item("2026-00001")
        user = signed_in(app_ctx, web["staff"])
        user.get("/items/2026-00001/statement")
        r = user.post("/items/2026-00001/statement", {"version": "1", "save": "1", "proposal": "Ours."})
        assert r.status_code == 303
        assert lookup.item("2026-00001").statement.answers["proposal"] == "Ours."
