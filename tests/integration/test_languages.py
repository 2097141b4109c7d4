"""Who reads what (API.md, "Languages"): ``?lang=`` on the public pages and the packet, then
the signed-in person's language, then the browser's, then English; the ``lang`` attribute of
every page and of the PDF; dates in the reader's language; the packet in Chinese and Vietnamese
read back with pypdf."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from flask_babel import force_locale
from icalendar import Calendar
from pypdf import PdfReader

from app import calendar_feed
from app.extensions import db
from app.models import User
from app.operations import accounts, gate, packet, publication
from tests.integration.web_helpers import WebUser, give_passwords, signed_in, text

MEETING = date(2027, 3, 2)
STATEMENT = "/public/statements/2026-00838"


@pytest.fixture
def published(world):
    world.item("2026-00838", state="ready_to_agendize", title="SCORE Work Plan", body="City Council",
               meeting_date=MEETING)
    gate.agendize(world["clerk"].user, "2026-00838")
    return world


def html_lang(page: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', page)
    assert match, "the page has no lang attribute"
    return match.group(1)


def pdf(data: bytes) -> tuple[PdfReader, str]:
    """The PDF and its text. Noto CJK is a CFF font, which fpdf2 embeds with a two-byte CMap
    encoding of its own (not Identity-H): the ToUnicode map is right, but pypdf reads each code's
    high byte as a NUL character of its own, so those are dropped here."""
    reader = PdfReader(io.BytesIO(data))
    extracted = " ".join(page.extract_text() for page in reader.pages).replace("\x00", "")
    return reader, " ".join(extracted.split())


class TestChoosingTheLanguage:
    @pytest.mark.parametrize(("header", "lang"), [
        ("es-MX,es;q=0.9,en;q=0.5", "es"), ("vi-VN", "vi"), ("zh-TW,zh;q=0.8", "zh-Hant"),
        ("zh-Hant-HK", "zh-Hant"), ("zh-CN,en;q=0.5", "en"), ("fr-FR,de;q=0.7", "en"), ("", "en"),
        ("hmn,vi;q=0.4", "vi")])
    def test_the_browser_s_language_else_english(self, published, app_ctx, header, lang):
        page = WebUser(app_ctx).open("/public/", headers={"Accept-Language": header}).text
        assert html_lang(page) == lang

    def test_lang_parameter_beats_the_browser_and_is_kept_for_the_visit(self, published, app_ctx):
        visitor = WebUser(app_ctx, headers={"Accept-Language": "es"})
        page = visitor.open(STATEMENT + "?lang=vi").text
        assert html_lang(page) == "vi" and "Về mục này" in page  # "About the item"
        assert html_lang(visitor.open("/public/").text) == "vi"  # the next page of the visit

    def test_an_unknown_lang_parameter_is_ignored(self, published, app_ctx):
        page = WebUser(app_ctx, headers={"Accept-Language": "es"}).open(STATEMENT + "?lang=xx").text
        assert html_lang(page) == "es"

    def test_the_signed_in_person_s_language_beats_the_browser(self, published, app_ctx):
        give_passwords()
        accounts.set_preferences(published["staff"].user, language="zh-Hant")
        staff = signed_in(app_ctx, published["staff"])
        staff.headers = {"Accept-Language": "es"}
        page = staff.get("/").text
        assert html_lang(page) == "zh-Hant" and "登出" in page  # "Sign out"

    def test_every_public_page_offers_every_language(self, published, app_ctx):
        for path in ("/public/", "/public/meetings/2027-03-02", STATEMENT):
            page = WebUser(app_ctx).open(path).text
            for tag, name in (("en", "English"), ("es", "Español"), ("vi", "Tiếng Việt"),
                              ("zh-Hant", "繁體中文")):
                assert f'lang="{tag}" hreflang="{tag}"' in page and name in page, (path, tag)
            assert re.search(r'href="[^"]*\?lang=zh-Hant"', page), path


class TestPublicPagesInEachLanguage:
    @pytest.mark.parametrize(("lang", "words", "day"), [
        ("es", ["Sobre el asunto", "Consideraciones financieras", "Todas las reuniones"],
         "2 de marzo de 2027"),
        ("vi", ["Về mục này", "Các cân nhắc tài chính", "Tất cả các cuộc họp"], "2 tháng 3, 2027"),
        ("zh-Hant", ["關於此項目", "財務考量", "所有會議"], "2027年3月2日"),
    ])
    def test_statement_page(self, published, app_ctx, lang, words, day):
        page = WebUser(app_ctx).open(f"{STATEMENT}?lang={lang}").text
        assert html_lang(page) == lang
        for word in words:
            assert word in page, word
        assert day in page
        # the questions are translated; the department's answers are as written
        with force_locale(lang.replace("-", "_")):
            title = publication.answers(publication.approved_item("2026-00838").statement)[1].title
        assert title in page and "What is Council being asked to decide" not in page
        assert "Racial Equity Impact and Sustainability Statement" not in text(page)

    def test_the_pdf_link_keeps_the_language(self, published, app_ctx):
        page = WebUser(app_ctx).open(f"{STATEMENT}?lang=vi").text
        assert "/public/statements/2026-00838/packet.pdf?lang=vi" in page


class TestPacketLanguage:
    def test_chinese_packet_reads_back_in_chinese(self, published, app_ctx):
        if packet.unicode_font() is None or packet.cjk_font() is None:
            pytest.skip("the fonts of .ci/run are not installed (fonts-dejavu-core, fonts-noto-cjk)")
        response = WebUser(app_ctx).open(f"{STATEMENT}/packet.pdf?lang=zh-Hant")
        reader, body = pdf(response.data)
        assert "種族平等影響與永續性聲明書" in body and "財務考量" in body and "檔案編號" in body
        assert "2027年3月2日" in body
        assert reader.trailer["/Root"]["/Lang"] == "zh-Hant"

    def test_vietnamese_diacritics_print(self, published, app_ctx):
        if packet.unicode_font() is None:
            pytest.skip("DejaVu Sans is not installed (fonts-dejavu-core)")
        reader, body = pdf(WebUser(app_ctx).open(f"{STATEMENT}/packet.pdf?lang=vi").data)
        assert "Bản Đánh giá Tác động Công bằng Chủng tộc và Bền vững" in body
        assert "Các cân nhắc tài chính" in body
        assert reader.trailer["/Root"]["/Lang"] == "vi"

    def test_without_a_cjk_font_the_packet_falls_back_to_english(self, published, monkeypatch,
                                                                  caplog):
        monkeypatch.setattr(packet, "FALLBACK_FONTS", ())  # as on a machine without fonts-noto-cjk
        item = publication.approved_item("2026-00838")
        with force_locale("zh_Hant"):
            reader, body = pdf(packet.render(item))
        assert "Financial Considerations" in body and "財務" not in body
        assert reader.trailer["/Root"]["/Lang"] == "en"
        assert "no font prints zh-Hant" in caplog.text


class TestApiMessages:
    """``message`` follows ``Accept-Language``; ``error`` (the code) never changes."""

    @pytest.mark.parametrize(("header", "message"), [
        ("", "No agenda item has file ID 'NOPE'."),
        ("es", "No hay ningún asunto de la agenda con el número de expediente 'NOPE'."),
        ("vi", "Không có mục nào trong chương trình nghị sự có mã hồ sơ 'NOPE'."),
        ("zh-TW", "沒有任何議程項目的檔案編號是 'NOPE'。"),
    ])
    def test_not_found(self, world, app_ctx, header, message):
        response = WebUser(app_ctx).open("/api/v1/items/NOPE", headers={
            **world["staff"].headers, "Accept-Language": header})
        assert response.status_code == 404
        assert response.json == {"error": "not_found", "message": message}

    def test_the_caller_s_own_language_does_not_override_the_header(self, world, app_ctx):
        accounts.set_preferences(world["staff"].user, language="zh-Hant")
        response = WebUser(app_ctx).open("/api/v1/items/NOPE", headers={
            **world["staff"].headers, "Accept-Language": "es"})
        assert response.json["message"].startswith("No hay ningún asunto")

    @pytest.mark.parametrize(("path", "status", "code"), [
        ("/api/v1/items", 401, "unauthorized"), ("/api/v1/nowhere", 404, "not_found")])
    def test_codes_are_the_same_in_every_language(self, world, app_ctx, path, status, code):
        answers = {lang: WebUser(app_ctx).open(path, headers={"Accept-Language": lang})
                   for lang in ("en", "es", "vi", "zh-Hant")}
        assert {a.status_code for a in answers.values()} == {status}
        assert {a.json["error"] for a in answers.values()} == {code}
        assert len({a.json["message"] for a in answers.values()}) == 4  # each in its language

    @pytest.mark.parametrize(("header", "message"), [
        ("en", "The statement is in draft; you cannot approve it there."),
        ("es", "La declaración está en borrador; ahí no puede aprobarla."),
        ("zh-Hant", "聲明書目前處於草稿\uff1b您不能在此階段批准它。"),  # a full-width semicolon
    ])
    def test_a_refusal_of_the_lifecycle(self, world, app_ctx, header, message):
        world.item("2026-00001", state="draft")
        response = WebUser(app_ctx).open(
            "/api/v1/items/2026-00001/statement/events", "POST", json={"event": "approve"},
            headers={**world["approver"].headers, "Accept-Language": header})
        assert response.status_code == 409
        assert response.json["error"] == "invalid_transition" and response.json["message"] == message


class TestCalendarFeed:
    def test_the_feed_speaks_its_owner_s_language(self, world):
        accounts.set_preferences(world["approver"].user, language="es")
        world.item("2026-00001", state="department_review", meeting_date=MEETING)
        db.session.expire_all()
        feed = Calendar.from_ical(calendar_feed.ical(db.session.get(User, world["approver"].user.id)))
        summaries = {str(e["summary"]) for e in feed.walk("VEVENT")}
        assert "Fecha límite de REIS: 2026-00001 debe estar lista para la agenda" in summaries
        assert "REIS: vence revisión del departamento: 2026-00001" in summaries
        descriptions = " ".join(str(e["description"]) for e in feed.walk("VEVENT"))
        assert "Reunión del martes, 2 de marzo de 2027" in descriptions


def test_a_page_in_a_negotiated_language_says_what_it_varies_by(published, app_ctx):
    response = WebUser(app_ctx).open("/public/", headers={"Accept-Language": "vi"})
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in response.headers["Vary"].split(",")}
