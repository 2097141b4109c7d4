"""The rules' field-level messages in the reader's language (API.md, "Languages"): the ``fields``
of a 422 ``invalid`` follow ``Accept-Language`` on the API, and the errors next to the fields of
the statement page the person's language; the codes and the keys never change."""

from __future__ import annotations

import pytest

from app.operations import accounts, lookup
from tests.integration.test_api_statement import TEXT_KEY
from tests.integration.test_web_forms import PAGE, web  # noqa: F401 (a fixture)
from tests.integration.web_helpers import signed_in, text

URL = "/api/v1/items/2026-00001/statement"
BAD = {TEXT_KEY: 7, "accountability": [{"name": "Enrolled", "baseline": "0", "target": "3,000",
                                        "due": "soon"}],
       "inequity_levels_how": {"structural": "Housing history."}, "colour": "blue"}


def fields(client, world, language: str) -> dict[str, str]:
    r = client.put(URL, headers={**world["staff"].headers, "Accept-Language": language},
                   json={"answers": BAD, "version": 1})
    assert r.status_code == 422 and r.json["error"] == "invalid", r.json
    return r.json["fields"]


@pytest.mark.parametrize(("language", "expected"), [
    ("en", {"text": "This answer must be text.",
            "due": "Indicator 1: due must be a date, YYYY-MM-DD.",
            "how": "Explain only what is ticked in “Levels of inequity”: structural is not ticked.",
            "unknown": "This is an unknown section."}),
    ("es-MX,es;q=0.9", {"text": "Esta respuesta debe ser texto.",
                        "due": "Indicador 1: due debe ser una fecha, AAAA-MM-DD.",
                        "how": "Explique solo lo que está marcado en «Niveles de desigualdad»: "
                               "structural no está marcado.",
                        "unknown": "Esta sección no existe."}),
    ("vi", {"text": "Câu trả lời này phải là văn bản.", "unknown": "Đây là một phần không xác định."}),
    ("zh-TW", {"text": "此答案必須是文字。", "unknown": "這是未知的部分。"}),
])
def test_the_api_s_fields_follow_accept_language(client, world, language, expected):
    world.item("2026-00001")
    got = fields(client, world, language)
    assert set(got) == {f"answers.{k}" for k in BAD}  # the keys never change
    keys = {"text": TEXT_KEY, "due": "accountability", "how": "inequity_levels_how", "unknown": "colour"}
    for name, sentence in expected.items():
        assert got[f"answers.{keys[name]}"] == sentence


def test_the_page_puts_spanish_errors_next_to_the_fields(app_ctx, web):  # noqa: F811
    web.item("2026-00001")
    accounts.set_preferences(web["staff"].user, language="es")
    user = signed_in(app_ctx, web["staff"])
    user.get(PAGE)
    response = user.post(PAGE, {"version": "1", "save": "1",
                                "inequity_levels_how-structural": "Housing history."})
    assert response.status_code == 422
    words = text(response.text)
    assert "Explique solo lo que está marcado en «Niveles de desigualdad»: structural no está marcado." \
        in words
    assert "is not ticked" not in words and "Housing history." in response.text  # the input is kept
    assert lookup.item("2026-00001").statement.version == 1


def test_the_summary_s_translations_too(client, world):
    world.item("2026-00001")
    r = client.put(URL, headers={**world["staff"].headers, "Accept-Language": "vi"},
                   json={"answers": {}, "version": 1, "summary_translations": {"fr": "Bonjour"}})
    assert r.status_code == 422 and r.json["fields"] == {
        "summary_translations.fr": "phải là một trong các ngôn ngữ en, es, vi, zh-Hant"}
