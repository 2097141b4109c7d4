"""One journey per language in Chromium: a person who reads Spanish, Vietnamese or Traditional
Chinese signs in, opens their home page, an item and its statement form, and a resident reads
the public statement. Every page has the right ``lang``, no English sentence of the catalogue
left, and passes axe; the public statement in each language is photographed for the README."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models.user import Language
from app.operations import gate, people, statements
from tests.browser.checks import check
from tests.factories import complete_answers
from tests.integration.test_pages_in_each_language import english_sentences, left_in_english
from tests.integration.web_helpers import give_passwords

SHIPPED = [lang for lang in Language if lang is not Language.EN]
BROWSER_LOCALE = {Language.ES: "es-MX", Language.VI: "vi-VN", Language.ZH_HANT: "zh-TW"}
PUBLISHED = "2026-07001"
SUMMARIES = {  # the department's translations of the example summary
    "es": "Los inquilinos cuya factura de agua está incluida en el alquiler hoy no pueden recibir el "
          "descuento de la Ciudad. Este asunto les permite solicitarlo a partir de enero de 2027.",
    "vi": "Người thuê nhà có hóa đơn nước nằm trong tiền thuê nhà hiện không được hưởng chương trình "
          "giảm giá của Thành phố. Mục này cho phép họ nộp đơn từ tháng 1 năm 2027.",
    "zh-Hant": "水費包含在房租裡的租戶，目前無法享有本市的折扣。這個項目讓他們從 2027 年 1 月起可以申請。",  # noqa: RUF001
}


@pytest.fixture(scope="module")
def readers(server, world):
    """A published statement, a draft, and one member of staff who reads each language."""
    _base, app = server
    with app.app_context():
        world.item(PUBLISHED, title="Water discount for renters", meeting_date=date(2027, 3, 2))
        statements.save(world["staff"].user, PUBLISHED, complete_answers(), 1,
                        summary_translations=SUMMARIES)
        statements.fire_event(world["staff"].user, PUBLISHED, "submit")
        statements.fire_event(world["approver"].user, PUBLISHED, "approve")
        statements.fire_event(world["ode"].user, PUBLISHED, "approve")
        gate.agendize(world["clerk"].user, PUBLISHED)
        world.item("2026-07002", meeting_date=date(2027, 3, 2))
        for lang in SHIPPED:
            user = people.create_user(f"staff-{lang.locale.lower()}@test.reis", f"Staff {lang.label}",
                                      "staff", "DOU")
            user.language = lang
        db.session.commit()
        give_passwords()
        db.session.remove()


def in_language(page, lang: Language, sentences: set[str]) -> None:
    expect(page.locator("html")).to_have_attribute("lang", lang.value)
    left = left_in_english(page.content(), sentences)
    assert not left, f"{page.url}: {left}"


@pytest.mark.parametrize("lang", SHIPPED, ids=str)
def test_a_day_in_each_language(readers, browser, server, lang):
    base, _app = server
    sentences = english_sentences(lang)
    context = browser.new_context(base_url=base, locale=BROWSER_LOCALE[lang],
                                  viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto("/sign-in")  # before signing in: the browser's language
        in_language(page, lang, sentences)
        check(page)
        page.locator("input[name=email]").fill(f"staff-{lang.locale.lower()}@test.reis")
        page.locator("input[name=password]").fill("correct horse battery staple")
        page.locator("form:has(input[name=password]) [type=submit]").click()
        page.wait_for_url(f"{base}/")
        for path in ("/", "/items/2026-07002", "/items/2026-07002/statement", "/notifications"):
            page.goto(path)
            in_language(page, lang, sentences)
            check(page)

        resident = context.new_page()  # the same browser, not signed in elsewhere: ?lang= decides
        resident.goto(f"/public/statements/{PUBLISHED}?lang={lang.value}")
        in_language(resident, lang, sentences)
        expect(resident.get_by_text(SUMMARIES[lang.value])).to_be_visible()
        check(resident, f"public-statement-{lang.value}")
        resident.goto("/public/")
        in_language(resident, lang, sentences)  # the choice is kept for the visit
    finally:
        context.close()


def test_the_public_switcher(readers, browser, server):
    base, _app = server
    context = browser.new_context(base_url=base)
    try:
        page = context.new_page()
        page.goto(f"/public/statements/{PUBLISHED}")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        page.get_by_role("navigation", name="Language").get_by_role("link", name="Tiếng Việt").click()
        expect(page.locator("html")).to_have_attribute("lang", "vi")
        page.get_by_role("navigation", name="Ngôn ngữ").get_by_role("link", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    finally:
        context.close()
