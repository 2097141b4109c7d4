"""Reminders in each recipient's language (API.md, "Languages"): in one sweep, a
Spanish-speaking approver's reminder (subject and sentence) is Spanish while a colleague's is
English, through the real outbox and a real SMTP server; report-back reminders too."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import Notification
from app.operations import accounts, outbox
from tests.integration.test_mail_languages import mail_to, parts, smtp  # noqa: F401 (a fixture)
from tests.integration.test_report_back_reminders import FILE_ID as OWING
from tests.integration.test_report_back_reminders import owing
from tests.integration.test_sweep import overdue_review, sweep_at

D = date


def only_what_follows(smtp) -> None:  # noqa: F811
    """Send the mails of the setup's events, and forget them: only the reminders are looked at."""
    outbox.deliver_pending()
    smtp.sink.accepted.clear()


def test_one_sweep_two_languages(world, smtp):  # noqa: F811
    accounts.set_preferences(world["approver"].user, language="es")
    overdue_review(world, "2026-00101")
    only_what_follows(smtp)
    assert sweep_at(D(2026, 11, 20)) == 2
    outbox.deliver_pending()

    spanish = mail_to(smtp, "approver@test.reis")
    assert spanish["Subject"].strip() == (
        "Recordatorio: la declaración de equidad racial del expediente 2026-00101")
    text, html = parts(spanish)
    sentence = ("La declaración de equidad racial del expediente 2026-00101 pasó el plazo de su "
                "revisión del departamento, que era el jue, 5 nov 2026: por favor, apruébela o "
                "devuélvala con un comentario hoy.")
    assert sentence in text and sentence in html
    assert "Hola" in text and "deadline" not in text and "please" not in text

    english = mail_to(smtp, "approver2@test.reis")
    assert english["Subject"].strip() == "Reminder: the racial equity statement for file 2026-00101"
    text, _ = parts(english)
    assert ("The racial equity statement for file 2026-00101 is past its department review "
            "deadline of Thu, Nov 5, 2026: please approve it or return it with a comment today."
            ) in text

    # the in-app titles follow the same languages
    titles = {email: subject for email, subject in db.session.execute(
        select(Notification.email, Notification.subject).where(Notification.kind == "reminder"))}
    assert titles["approver@test.reis"].startswith("Recordatorio:")
    assert titles["approver2@test.reis"].startswith("Reminder:")


def test_report_back_reminders_in_each_language(world, smtp):  # noqa: F811
    accounts.set_preferences(world["staff"].user, language="vi")
    accounts.set_preferences(world["approver"].user, language="zh-Hant")
    owing(world)
    only_what_follows(smtp)
    assert sweep_at(D(2026, 11, 23)) == 3
    outbox.deliver_pending()

    vi = mail_to(smtp, "staff@test.reis")
    assert vi["Subject"].strip() == f"Nhắc nhở báo cáo lại: hồ sơ {OWING} còn nợ một kết quả"
    assert f"Báo cáo lại 1 của hồ sơ {OWING}" in parts(vi)[0]
    zh = mail_to(smtp, "approver@test.reis")
    assert zh["Subject"].strip() == f"回報提醒\uff1a檔案 {OWING} 尚欠一項結果"  # a full-width colon
    assert f"檔案 {OWING} 的回報 1" in parts(zh)[0] and "10 個工作天" in parts(zh)[0]
    en = mail_to(smtp, "approver2@test.reis")
    assert en["Subject"].strip() == f"Report-back reminder: file {OWING} owes a result"
    assert f"Report-back 1 of file {OWING} (“Households enrolled”) is due Wed, Dec 9, 2026" in parts(en)[0]
