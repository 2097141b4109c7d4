"""Page by page, in each shipped language: no English sentence of the catalogue is left on
the page (a string that bypasses the catalogue, or a catalogue entry a view forgets to
translate, shows here as English among the translated words)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from babel.messages.pofile import read_po

from app.models.user import Language
from app.operations import accounts, gate
from tests.factories import complete_answers
from tests.integration.test_web_translations import TRANSLATIONS
from tests.integration.web_helpers import WebUser, give_passwords, signed_in, text

SHIPPED = [lang for lang in Language if lang is not Language.EN]
#: Words that are the same in every language, or names: never "left in English".
SAME_EVERYWHERE = {"REIS", "Email", "ODE", "SCORE"}


def english_sentences(lang: Language) -> set[str]:
    """The catalogue's English messages of at least three words whose translation differs,
    without placeholders or markup (those are checked through their translations)."""
    with (TRANSLATIONS / lang.locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f, locale=lang.locale)
    return {m.id for m in catalog if isinstance(m.id, str) and m.id and m.string != m.id
            and len(m.id.split()) >= 3 and "%" not in m.id and "<" not in m.id
            and m.id not in SAME_EVERYWHERE} - answers_as_written()


def left_in_english(page: str, sentences: set[str]) -> list[str]:
    visible = text(re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S))
    return sorted(s for s in sentences if s in visible)


def answers_as_written() -> set[str]:
    """The example answers the factories fill in: the department's words, shown as written."""
    found: set[str] = set()
    for form in ("full", "short", "exemption"):
        for value in complete_answers(form).values():
            rows = value if isinstance(value, list) else [value]
            for row in rows:
                found.update(row.values() if isinstance(row, dict) else [row])
    return {v for v in found if isinstance(v, str)}


def build(world, lang: Language):
    """Everyone reads ``lang`` before anything happens (notification titles are written then)."""
    for person in world.people.values():
        accounts.set_preferences(person.user, language=lang.value)
    world.item("2026-00838", state="ready_to_agendize", title="SCORE Work Plan", body="City Council",
               meeting_date=date(2027, 3, 2))
    gate.agendize(world["clerk"].user, "2026-00838")
    world.item("2026-00001", state="department_review", meeting_date=date(2027, 3, 2))
    world.item("2026-00002", state="draft", meeting_date=date(2027, 3, 2))
    give_passwords()
    return world


PAGES = {
    "staff": ["/", "/items/2026-00002", "/items/2026-00002/statement", "/items/2026-00002/edit",
              "/items/new", "/notifications", "/account"],
    "approver": ["/", "/review", "/items/2026-00001/review", "/items/2026-00001"],
    "clerk": ["/board?meeting=2027-03-02", "/items/2026-00838", "/reports"],
    "ode": ["/reports"],
    "admin": ["/admin", "/screening-rules"],
}
PUBLIC = ["/public/", "/public/meetings/2027-03-02", "/public/statements/2026-00838", "/public/dashboard"]


@pytest.mark.parametrize("lang", SHIPPED, ids=str)
def test_signed_in_pages(world, app_ctx, lang):
    busy = build(world, lang)
    sentences = english_sentences(lang)
    found = {}
    for who, paths in PAGES.items():
        person = signed_in(app_ctx, busy[who])
        for path in paths:
            response = person.get(path)
            assert response.status_code == 200, (who, path, response.status_code)
            assert f'<html lang="{lang.value}"' in response.text, path
            left = left_in_english(response.text, sentences)
            if left:
                found[f"{who} {path}"] = left
    assert not found, found


@pytest.mark.parametrize("lang", SHIPPED, ids=str)
def test_public_pages(world, app_ctx, lang):
    build(world, Language.EN)
    sentences = english_sentences(lang)
    visitor = WebUser(app_ctx)
    found = {}
    for path in PUBLIC:
        response = visitor.open(f"{path}?lang={lang.value}")
        assert response.status_code == 200, path
        left = left_in_english(response.text, sentences)
        if left:
            found[path] = left
    assert not found, found


@pytest.mark.parametrize("lang", SHIPPED, ids=str)
def test_the_sign_in_page_follows_the_browser(world, app_ctx, lang):
    page = WebUser(app_ctx, headers={"Accept-Language": lang.value}).open("/sign-in").text
    assert f'<html lang="{lang.value}"' in page
    assert not left_in_english(page, english_sentences(lang))


@pytest.mark.parametrize(("lang", "required"), [
    (Language.ES, "Este campo es obligatorio."), (Language.VI, "Trường này là bắt buộc."),
    (Language.ZH_HANT, "此欄位為必填。")])
def test_form_errors_are_in_the_reader_s_language(world, app_ctx, lang, required):
    """WTForms' own messages come from our catalogue (forms/messages.py), for every language."""
    busy = build(world, lang)
    staff = signed_in(app_ctx, busy["staff"])
    staff.get("/items/new")
    response = staff.post("/items/new", {"file_id": "", "title": ""})
    assert response.status_code == 422
    assert required in response.text and "This field is required." not in response.text
