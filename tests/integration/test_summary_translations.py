"""The plain-language summary in the reader's language (API.md, "Languages"): the department
enters ``summary_translations`` with ``PUT``; the public page and the packet show the reader's,
or the original with a note; and say when the full statement is only in its original language."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from app.extensions import db
from app.models import Item
from app.operations import gate, statements
from tests.factories import complete_answers
from tests.integration.web_helpers import WebUser

FILE_ID = "2026-00838"
URL = f"/api/v1/items/{FILE_ID}/statement"
PAGE = f"/public/statements/{FILE_ID}"
VIETNAMESE = ("Người thuê nhà có hóa đơn nước nằm trong tiền thuê nhà sẽ được giảm giá từ tháng 1 "
              "năm 2027.")


def version() -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(Item).where(Item.file_id == FILE_ID)).statement.version


def put(client, world, translations, **extra):
    return client.put(URL, headers=world["staff"].headers, json={
        "answers": complete_answers(), "version": version(), "summary_translations": translations,
        **extra})


@pytest.fixture
def drafted(world):
    world.item(FILE_ID, state="draft", title="Water discount for renters", meeting_date=date(2027, 3, 2))
    return world


@pytest.fixture
def published(drafted, client):
    assert put(client, drafted, {"vi": VIETNAMESE, "zh-Hant": "租戶從 2027 年 1 月起可以申請水費折扣。"}
               ).status_code == 200
    statements.fire_event(drafted["staff"].user, FILE_ID, "submit")
    statements.fire_event(drafted["approver"].user, FILE_ID, "approve")
    statements.fire_event(drafted["ode"].user, FILE_ID, "approve")
    gate.agendize(drafted["clerk"].user, FILE_ID)
    return drafted


class TestEnteringTranslations:
    def test_put_keeps_them_and_get_returns_them(self, drafted, client):
        r = put(client, drafted, {"vi": VIETNAMESE, "es": "  "})
        assert r.status_code == 200, r.json
        assert r.json["summary_translations"] == {"vi": VIETNAMESE}  # a blank one is dropped
        got = client.get(URL, headers=drafted["staff"].headers).json
        assert got["summary_translations"] == {"vi": VIETNAMESE}

    def test_a_put_without_them_leaves_them(self, drafted, client):
        put(client, drafted, {"vi": VIETNAMESE})
        r = client.put(URL, headers=drafted["staff"].headers,
                       json={"answers": complete_answers(), "version": version()})
        assert r.status_code == 200 and r.json["summary_translations"] == {"vi": VIETNAMESE}

    @pytest.mark.parametrize(("translations", "field"), [
        ({"fr": "Bonjour"}, "summary_translations.fr"),
        ({"vi": "x" * 801}, "summary_translations.vi"),
    ])
    def test_bad_ones_are_refused_and_nothing_changes(self, drafted, client, translations, field):
        before = version()
        r = put(client, drafted, translations)
        assert r.status_code == 422 and r.json["error"] == "invalid"
        assert field in r.json["fields"]
        assert version() == before


class TestReading:
    def test_vietnamese_reader_reads_the_vietnamese_summary(self, published, app_ctx):
        page = WebUser(app_ctx).open(f"{PAGE}?lang=vi").text
        assert VIETNAMESE in page
        assert "Toàn bộ bản đánh giá chỉ có bằng ngôn ngữ gốc, English." in page
        assert "chưa được dịch" not in page

    def test_without_a_translation_the_original_with_a_note(self, published, app_ctx):
        page = WebUser(app_ctx).open(f"{PAGE}?lang=es").text
        original = complete_answers()["summary"]
        assert f'<p class="answer-text" lang="en">{original}' in page.replace("&#39;", "'")
        assert "Este resumen todavía no se ha traducido a su idioma." in page

    def test_the_english_reader_gets_no_note(self, published, app_ctx):
        page = WebUser(app_ctx).open(f"{PAGE}?lang=en").text
        assert "only in its original language" not in page and "not been translated" not in page

    def test_the_packet_prints_the_reader_s_summary(self, published, app_ctx):
        data = WebUser(app_ctx).open(f"{PAGE}/packet.pdf?lang=vi").data
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
        assert VIETNAMESE in text
        assert "Toàn bộ bản đánh giá chỉ có bằng ngôn ngữ gốc, English." in text


class TestTheStatementPage:
    def test_the_department_enters_them_beside_the_summary(self, drafted, app_ctx):
        from tests.integration.web_helpers import give_passwords, signed_in, statement_fields

        give_passwords()
        staff = signed_in(app_ctx, drafted["staff"])
        page = staff.get(f"/items/{FILE_ID}/statement").text
        assert 'name="summary_translations-vi"' in page and 'lang="zh-Hant"' in page
        fields = {**statement_fields(complete_answers()), "version": str(version()),
                  "summary_translations-vi": VIETNAMESE, "summary_translations-es": "",
                  "summary_translations-zh_Hant": "", "save": "Save draft"}
        response = staff.post(f"/items/{FILE_ID}/statement", fields)
        assert response.status_code == 303, response.text
        db.session.expire_all()
        statement = db.session.scalar(db.select(Item).where(Item.file_id == FILE_ID)).statement
        assert statement.summary_translations == {"vi": VIETNAMESE}
        assert VIETNAMESE in staff.get(f"/items/{FILE_ID}/statement").text  # shown again to edit


class TestReviewersSeeThem:
    def test_the_review_page_shows_what_will_be_published(self, drafted, client, app_ctx):
        from tests.integration.web_helpers import give_passwords, signed_in

        assert put(client, drafted, {"vi": VIETNAMESE}).status_code == 200
        statements.fire_event(drafted["staff"].user, FILE_ID, "submit")
        give_passwords()
        page = signed_in(app_ctx, drafted["approver"]).get(f"/items/{FILE_ID}/review").text
        assert "The summary in other languages" in page
        assert '<dd lang="vi" class="answer-text">' in page and VIETNAMESE in page
