"""API errors whose message names something (a department, a file ID, a version) in the language
of ``Accept-Language`` (API.md, "Languages"): the sentence is translated with its values filled
in; the ``error`` code and the envelope's other members never change."""

from __future__ import annotations

import pytest

STATEMENT = "/api/v1/items/2026-00001/statement"

#: (language header, then the three messages: another department's statement, a stale version,
#: an item that exists already)
EXPECTED = [
    ("en", "You may not edit statements of department DOU.",
     "Someone else changed this statement (it is now version 1, you sent 7); reload and try again.",
     "An item with file ID 2026-00001 already exists."),
    ("es-MX,es;q=0.9", "No puede editar declaraciones del departamento DOU.",
     "Otra persona cambió esta declaración (ahora es la versión 1; usted envió la 7); vuelva a "
     "cargar e inténtelo de nuevo.",
     "Ya existe un asunto con el número de expediente 2026-00001."),
    ("vi-VN", "Bạn không được chỉnh sửa bản đánh giá của sở DOU.",
     "Người khác đã thay đổi bản đánh giá này (hiện là phiên bản 1, bạn đã gửi 7); hãy tải lại và "
     "thử lại.",
     "Đã có một mục với mã hồ sơ 2026-00001."),
    ("zh-TW", "您不可編輯部門 DOU 的聲明書。",
     "其他人已變更此聲明書\uff08現在是第 1 版\uff0c您送出的是第 7 版\uff09\uff1b請重新載入後再試一次。",
     "已有檔案編號為 2026-00001 的項目。"),
]


@pytest.mark.parametrize(("language", "forbidden", "stale", "exists"), EXPECTED)
def test_messages_with_values_follow_accept_language(client, world, language, forbidden, stale, exists):
    world.item("2026-00001")

    def call(method, path, who, body):
        r = client.open(path, method=method, json=body,
                        headers={**world[who].headers, "Accept-Language": language})
        return r.status_code, r.json

    assert call("PUT", STATEMENT, "other_staff", {"answers": {}, "version": 1}) == (
        403, {"error": "forbidden", "message": forbidden})
    assert call("PUT", STATEMENT, "staff", {"answers": {}, "version": 7}) == (
        409, {"error": "conflict", "message": stale, "version": 1})
    status, body = call("POST", "/api/v1/items", "staff",
                        {"file_id": "2026-00001", "title": "Again", "department": "DOU"})
    assert (status, body["error"], body["message"]) == (409, "exists", exists)
