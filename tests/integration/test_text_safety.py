"""Text from people: NUL is refused at any depth, and direction tricks neither stick nor spill.

* NUL (U+0000) anywhere in a string, however deeply nested, is 422 ``invalid``
  naming where it is (API) or an error next to the field (web forms); nothing
  is stored. On PostgreSQL several of these were 500s; on SQLite the NUL was stored.
* Bidirectional controls (U+202E and its kin) are stripped from people's names,
  department names and item titles on the way in, and everything people typed
  is isolated where it is shown (``<bdi>`` in HTML, FSI…PDI in plain text), so
  even a row written before the stripping cannot reverse the text around it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from app import mail
from app.errors import OperationError
from app.extensions import db
from app.models import Department, Item, Notification, User
from app.operations import items, lookup, people, statements
from app.text import BIDI_CONTROLS, bdi, isolate, nul_paths, strip_bidi
from tests.factories import complete_answers
from tests.integration.test_bad_input import assert_invalid, fingerprint
from tests.integration.web_helpers import give_passwords, signed_in
from tests.integration.web_helpers import text as words

FILE_ID = "2026-00001"
SPOOF = "XSS appr \u202egnp.exe"  # shows as "XSS appr exe.png"
FSI, PDI = "\u2068", "\u2069"


@pytest.fixture
def web(app_ctx, world):
    give_passwords()
    return world


class TestHelpers:
    def test_nul_paths_name_every_place(self):
        body = {"answers": {"proposal": "a\x00", "groups": ["ok", "b\x00"], "k\x00": "v"}, "t": "fine"}
        assert sorted(nul_paths(body)) == ["answers.groups.1", "answers.k\x00", "answers.proposal"]
        assert list(nul_paths({"answers": {"x": ["y", {"z": "ok"}]}})) == []

    def test_every_bidi_control_is_stripped_and_nothing_else(self):
        assert strip_bidi("a" + "".join(sorted(BIDI_CONTROLS)) + "b") == "ab"
        assert strip_bidi("Zoë ‎") == "Zoë "  # LRM (U+200E) goes, the rest stays
        assert strip_bidi("نور 2026") == "نور 2026"  # right-to-left letters are text, not controls

    def test_isolation_in_html_and_plain_text(self):
        assert str(bdi(SPOOF)) == "<bdi>XSS appr gnp.exe</bdi>"
        assert str(bdi("<b>")) == "<bdi>&lt;b&gt;</bdi>"
        assert isolate("a\u2069\u202eb") == f"{FSI}ab{PDI}"  # a stray PDI cannot end our isolate early


class TestNulInTheApi:
    def test_nested_in_answers_is_422_naming_the_answer(self, client, world):
        world.item(FILE_ID)
        before = fingerprint()
        for answers, where in [
            ({"proposal": "fine", "community_engagement": "x\x00y"}, "answers.community_engagement"),
            ({"score_goals": ["\x00"]}, "answers.score_goals.0"),
            ({"pro\x00posal": "x"}, "answers.pro\x00posal"),
        ]:
            r = client.put(f"/api/v1/items/{FILE_ID}/statement", headers=world["staff"].headers,
                           json={"answers": answers, "version": 1})
            assert_invalid(r, where)
        assert fingerprint() == before

    def test_an_escaped_backslash_is_no_nul(self, client, world):
        world.item(FILE_ID)
        r = client.put(f"/api/v1/items/{FILE_ID}/statement", headers=world["staff"].headers,
                       json={"answers": {"proposal": "C:\\u0000"}, "version": 1})
        assert r.status_code == 200, r.json
        assert lookup.item(FILE_ID).statement.answers["proposal"] == "C:\\u0000"


def _form_cases(world) -> list[tuple[str, str, dict, str]]:
    """(who, path, a valid form but for one field holding NUL, that field)."""
    return [
        ("staff", "/items/new", {"file_id": "2026-00002", "department": "DOU", "title": "T\x00"}, "title"),
        ("staff", f"/items/{FILE_ID}/edit", {"title": "T", "contact": "Jo\x00"}, "contact"),
        ("staff", f"/items/{FILE_ID}/statement", {"version": "1", "save": "1", "proposal": "P\x00"},
         "proposal"),
        ("admin", "/admin/users", {"user-email": "n@test.reis", "user-name": "N\x00",
                                   "user-role": "clerk", "user-password": "a long password"}, "user-name"),
        ("admin", "/admin/departments", {"department-code": "NEW", "department-name": "N\x00"},
         "department-name"),
    ]


class TestNulInWebForms:
    def test_every_form_puts_the_error_next_to_the_field_and_stores_nothing(self, app_ctx, web):
        web.item(FILE_ID)
        before = fingerprint()
        for who, path, data, field in _form_cases(web):
            user = signed_in(app_ctx, web[who])
            user.get(path if "admin" not in path else "/admin")
            r = user.post(path, data)
            assert r.status_code == 422, (path, r.status_code, r.text[:300])
            assert f'id="{field}-error"' in r.text, path
            assert "Remove the NUL character (U+0000) from this field." in words(r.text)
        assert fingerprint() == before

    def test_sign_in_with_nul_is_a_form_error(self, app_ctx, web):
        from tests.integration.web_helpers import WebUser

        r = WebUser(app_ctx, "staff\x00@test.reis").sign_in()
        assert r.status_code == 200
        assert "Remove the NUL character" in r.text

    def test_a_review_comment_with_nul_is_refused(self, app_ctx, web):
        web.item(FILE_ID, state="department_review")
        user = signed_in(app_ctx, web["approver"])
        user.get(f"/items/{FILE_ID}/review")
        version = str(lookup.item(FILE_ID).statement.version)
        r = user.post(f"/items/{FILE_ID}/review", {"version": version, "send_back": "1", "comment": "no\x00"})
        assert r.status_code == 422 and 'id="comment-error"' in r.text
        assert lookup.item(FILE_ID).statement.state.value == "department_review"


class TestNulInPaths:
    @pytest.mark.parametrize("path", ["/items/%00", "/items/2026-0000%00/statement", "/items/%00/edit",
                                      "/items/%00/review"])
    def test_pages_are_404(self, app_ctx, web, path):
        assert signed_in(app_ctx, web["admin"]).open(path).status_code == 404

    @pytest.mark.parametrize("path", ["/public/statements/%00", "/public/statements/%00/packet.pdf",
                                      "/packets/%00.pdf", "/calendar/%00.ics"])
    def test_public_pdfs_and_feeds_are_404(self, client, world, path):
        assert client.get(path, headers=world["clerk"].headers).status_code == 404


class TestBidiIsStrippedOnTheWayIn:
    def test_people_and_departments(self, app_ctx, world):
        people.create_department("ODD", "Dept \u202eof Odd")
        user = people.create_user("spoof@test.reis", SPOOF, "clerk")
        assert (user.name, lookup.department("ODD").name) == ("XSS appr gnp.exe", "Dept of Odd")

    def test_an_email_with_direction_marks_is_refused(self, app_ctx, world):
        with pytest.raises(OperationError) as refused:
            people.create_user("\u202eevil@test.reis", "Evil", "clerk")
        assert "email" in refused.value.extra["fields"]

    def test_item_titles_through_the_api(self, client, world):
        r = client.post("/api/v1/items", headers=world["staff"].headers, json={
            "file_id": FILE_ID, "title": "Parks \u202egnp.exe\u2066", "department": "DOU"})
        assert r.status_code == 201 and r.json["title"] == "Parks gnp.exe"
        r = client.patch(f"/api/v1/items/{FILE_ID}", headers=world["staff"].headers,
                         json={"title": "\u202bRoads\u202c"})
        assert r.status_code == 200 and r.json["title"] == "Roads"

    def test_a_title_of_only_controls_is_invalid(self, client, world):
        r = client.post("/api/v1/items", headers=world["staff"].headers, json={
            "file_id": FILE_ID, "title": "\u202e\u2066", "department": "DOU"})
        assert_invalid(r, "title")

    def test_the_same_title_with_controls_added_is_no_change(self, world):
        world.item(FILE_ID, state="ready_to_agendize")
        item = items.update_item(world["staff"].user, FILE_ID, {"title": f"\u202aItem {FILE_ID}\u202c"})
        assert item.statement.state.value == "ready_to_agendize"  # not reopened

    def test_the_admin_form(self, app_ctx, web):
        admin = signed_in(app_ctx, web["admin"])
        admin.get("/admin")
        r = admin.post("/admin/users", {"user-email": "n@test.reis", "user-name": SPOOF,
                                        "user-role": "clerk", "user-password": "a long password"})
        assert r.status_code == 303
        assert db.session.scalar(select(User.name).where(User.email == "n@test.reis")) == "XSS appr gnp.exe"


def _legacy_rows(world) -> None:
    """What a database written before the stripping may hold: controls in names and titles."""
    world.item(FILE_ID, state="department_review")
    db.session.execute(update(User).where(User.email == world["staff"].email).values(name=SPOOF))
    db.session.execute(update(Department).where(Department.code == "DOU").values(name="\u202eUtilities"))
    db.session.execute(update(Item).values(title="Pay \u202egnp.exe"))
    db.session.execute(update(Notification).values(subject="[REIS] \u202egnp.exe"))
    db.session.commit()


class TestShownIsolated:
    def test_the_admin_page(self, app_ctx, web):
        _legacy_rows(web)
        page = signed_in(app_ctx, web["admin"]).get("/admin").text
        assert "<bdi>XSS appr gnp.exe</bdi>" in page
        assert "<bdi>Utilities</bdi>" in page
        assert "\u202e" not in page

    @pytest.mark.parametrize(("who", "path"), [
        ("staff", "/"), ("staff", f"/items/{FILE_ID}"),
        ("approver", "/review"), ("approver", f"/items/{FILE_ID}/review"), ("approver", "/notifications"),
        ("clerk", "/board?date=2027-03-02"),
    ])
    def test_pages(self, app_ctx, web, who, path):
        _legacy_rows(web)
        page = signed_in(app_ctx, web[who]).get(path).text
        assert "\u202e" not in page, path
        assert "<bdi>Pay gnp.exe</bdi>" in page or "<bdi>[REIS] gnp.exe</bdi>" in page, path

    def test_mails_text_and_html(self, app_ctx, web):
        _legacy_rows(web)
        statements.fire_event(web["approver"].user, FILE_ID, "return", "Needs \u202edata")
        row = db.session.scalars(select(Notification).where(Notification.kind == "returned")).first()
        row.payload = {**row.payload, "actor_name": SPOOF}
        message = mail.compose(row, language="en", recipient_name=SPOOF, config=app_ctx.config)
        plain = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert f"{FSI}XSS appr gnp.exe{PDI}" in plain and f"{FSI}Pay gnp.exe{PDI}" in plain
        assert "<bdi>XSS appr gnp.exe</bdi>" in html and "<bdi>Pay gnp.exe</bdi>" in html
        assert "\u202e" not in message["Subject"] and "\u202e" not in str(message["To"])

    def test_a_text_with_its_own_direction_stays_as_written(self, client, world):
        world.item(FILE_ID)
        answers = {**complete_answers(), "proposal": "\u202bمقترح\u202c"}
        r = client.put(f"/api/v1/items/{FILE_ID}/statement", headers=world["staff"].headers,
                       json={"answers": answers, "version": 1})
        assert r.status_code == 200 and r.json["answers"]["proposal"] == "\u202bمقترح\u202c"
