"""Each mail in its recipient's language (API.md, "Languages"): in one event, a Spanish-speaking
approver reads Spanish while a colleague reads English, through a real SMTP server (aiosmtpd);
the in-app notification titles follow the same language."""

from __future__ import annotations

from datetime import date

import pytest

from app.extensions import db
from app.models import Notification
from app.operations import accounts, gate, outbox
from tests.integration.services import SmtpServer, app_settings

MEETING = date(2027, 3, 2)


@pytest.fixture
def smtp(app_ctx):
    server = SmtpServer().start()
    with app_settings(app_ctx, SMTP_HOST="127.0.0.1", SMTP_PORT=server.port):
        yield server
    server.stop()


def mail_to(smtp, address: str):
    found = [m for m in smtp.sink.accepted if m["To"].addresses[0].addr_spec == address]
    assert len(found) == 1, [m["To"] for m in smtp.sink.accepted]
    return found[0]


def parts(message) -> tuple[str, str]:
    return tuple(message.get_body((kind,)).get_content().replace("\r\n", "\n")
                 for kind in ("plain", "html"))


def _title(user_id: int) -> str:
    """The person's latest in-app notification title."""
    db.session.expire_all()
    return db.session.scalars(db.select(Notification.subject).where(Notification.user_id == user_id)
                              .order_by(Notification.id.desc())).first()


class TestOneEventTwoLanguages:
    def test_spanish_approver_reads_spanish_and_the_colleague_english(self, world, smtp):
        accounts.set_preferences(world["approver"].user, language="es")
        world.item("2026-00001", state="department_review", title="Water discount for renters")
        assert outbox.deliver_pending() == 2

        spanish = mail_to(smtp, "approver@test.reis")
        assert spanish["Subject"].strip() == (
            "[REIS] 2026-00001 presentada para la revisión del departamento: Water discount for renters")
        assert spanish["Content-Language"] == "es"
        text, html = parts(spanish)
        assert "Hola, \u2068Approver\u2069:" in text
        assert "presentó la declaración de equidad racial de 2026-00001" in text
        assert "Estado actual: Revisión del departamento" in text
        assert "Recibe este correo por su función en la revisión de REIS." in text
        assert '<html lang="es">' in html and "<strong>2026-00001</strong>" in html
        assert "submitted" not in text and "Hello" not in text

        english = mail_to(smtp, "approver2@test.reis")
        assert english["Subject"].strip() == ("[REIS] 2026-00001 submitted for department review: "
                                      "Water discount for renters")
        assert english["Content-Language"] == "en"
        text, html = parts(english)
        assert "Hello \u2068" in text
        assert "submitted the racial equity statement for 2026-00001" in text
        assert "State now: Department review" in text
        assert '<html lang="en">' in html

        # the in-app notification titles are in each person's language too
        assert _title(world["approver"].user.id).startswith("[REIS] 2026-00001 presentada")
        assert _title(world["approver2"].user.id).startswith("[REIS] 2026-00001 submitted")

    @pytest.mark.parametrize(("language", "subject", "sentence"), [
        ("vi", "[REIS] 2026-00001 đã vào chương trình nghị sự ngày 2 tháng 3, 2027: Item 2026-00001",
         "vào chương trình nghị sự của cuộc họp ngày Thứ Ba, 2 tháng 3, 2027"),
        ("zh-Hant", "[REIS] 2026-00001 已列入 2027年3月2日 的議程\uff1aItem 2026-00001",  # a full-width colon
         "列入 2027年3月2日 星期二 會議的議程"),
    ])
    def test_the_meeting_date_is_written_in_the_reader_s_language(self, world, smtp, language,
                                                                    subject, sentence):
        accounts.set_preferences(world["staff"].user, language=language)
        world.item("2026-00001", state="ready_to_agendize", meeting_date=MEETING)
        outbox.deliver_pending()
        smtp.sink.accepted.clear()
        gate.agendize(world["clerk"].user, "2026-00001")
        outbox.deliver_pending()
        message = mail_to(smtp, "staff@test.reis")
        assert message["Subject"].strip() == subject
        text, _html = parts(message)
        assert sentence in text, text
