"""The outbox relay against a real SMTP server (aiosmtpd): bodies, failures, digest, races."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Notification, User
from app.models.base import utcnow
from app.models.notification import NotificationKind
from app.operations import gate, outbox, statements
from tests.integration.services import SmtpServer, app_settings, free_port


@pytest.fixture
def smtp(app_ctx):
    server = SmtpServer().start()
    with app_settings(app_ctx, SMTP_HOST="127.0.0.1", SMTP_PORT=server.port):
        yield server
    server.stop()


def rows(**where) -> list[Notification]:
    db.session.expire_all()
    query = select(Notification).order_by(Notification.id)
    for name, value in where.items():
        query = query.where(getattr(Notification, name) == value)
    return list(db.session.scalars(query))


def row_for(email: str, kind: str | None = None) -> Notification:
    found = [r for r in rows(email=email) if kind is None or r.kind == kind]
    assert len(found) == 1, found
    return found[0]


def body(message, kind: str = "plain") -> str:
    return message.get_body((kind,)).get_content().replace("\r\n", "\n")


def set_user(user: User, **values) -> None:
    row = db.session.get(User, user.id)
    for name, value in values.items():
        setattr(row, name, value)
    db.session.commit()


def reminder(world, email: str, user=None, key: str = "reminder:1:2027-02-01") -> Notification:
    """An outbox row as the reminder sweep writes it (app/operations/sweep.py)."""
    row = Notification(user_id=user.id if user else None, email=email, kind="reminder",
                       dedupe_key=key, subject="Reminder: the racial equity statement for "
                       "file 2026-00001", payload={
                           "file_id": "2026-00001", "reasons": ["sla_overdue"], "day": "2027-02-01",
                           "message": "The department review of 2026-00001 is past its SLA."})
    db.session.add(row)
    db.session.commit()
    return row


class TestDelivery:
    def test_a_mail_per_row_with_text_and_html(self, world, smtp):
        world.item("2026-00001", state="department_review")
        assert outbox.deliver_pending() == 2
        assert smtp.sink.count() == 2
        row = row_for("approver@test.reis")
        message = next(m for m in smtp.sink.accepted if m["To"].addresses[0].addr_spec ==
                       "approver@test.reis")
        assert message["Subject"] == row.subject
        assert message["From"] == "reis@localhost"
        assert message["X-REIS-Notification"] == str(row.id)
        assert message["Message-ID"].startswith(f"<reis.{row.id}.")
        assert message["Auto-Submitted"] == "auto-generated"
        text = body(message)
        html = body(message, "html")
        # what people typed is isolated (FSI ... PDI, see app/text.py)
        assert "\u2068Staff\u2069 submitted the racial equity statement for 2026-00001" in text
        assert "Hello \u2068Approver\u2069," in text
        assert "<strong>2026-00001</strong>" in html
        assert row.email_status == "sent" and row.attempts == 1 and row.last_error is None
        assert row.delivered_at is not None

    def test_html_escapes_what_people_typed(self, world, smtp):
        world.item("2026-00001", state="department_review", title="<script>x()</script> & co")
        outbox.deliver_pending()
        message = smtp.sink.accepted[0]
        html = body(message, "html")
        assert "<script>" not in html and "&lt;script&gt;x()&lt;/script&gt; &amp; co" in html
        assert "\u2068<script>x()</script> & co\u2069" in body(message)

    def test_the_comment_of_a_return_is_in_the_mail(self, world, smtp):
        world.item("2026-00001", state="department_review")
        statements.fire_event(world["approver"].user, "2026-00001", "return",
                              "Please add the rent data.\nAnd the survey.")
        outbox.deliver_pending()
        mail = next(m for m in smtp.sink.accepted if "returned" in m["Subject"])
        assert "Please add the rent data.\nAnd the survey." in body(mail)

    def test_a_second_run_sends_nothing(self, world, smtp):
        world.item("2026-00001", state="department_review")
        outbox.deliver_pending()
        assert outbox.deliver_pending() == 0
        assert smtp.sink.count() == 2

    def test_without_smtp_host_the_mail_goes_to_the_log(self, world, app_ctx, caplog):
        world.item("2026-00001", state="department_review")
        with app_settings(app_ctx, SMTP_HOST=None), caplog.at_level(logging.INFO, "reis.mail"):
            assert outbox.deliver_pending() == 2
        logged = [r.getMessage() for r in caplog.records if r.name == "reis.mail"]
        assert len(logged) == 2 and "submitted the racial equity statement" in logged[0]
        assert {r.email_status for r in rows()} == {"sent"}

    def test_the_sweeps_reminder_rows_are_delivered(self, world, smtp):
        reminder(world, "approver@test.reis", world["approver"].user)
        reminder(world, "director@dou.example", key="reminder:1:2027-02-01:director")
        assert outbox.deliver_pending() == 2
        bodies = {m["To"].addresses[0].addr_spec: body(m)
                  for m in smtp.sink.accepted}
        assert "The department review of 2026-00001 is past its SLA." in bodies["approver@test.reis"]
        assert "Hello \u2068Approver\u2069," in bodies["approver@test.reis"]
        assert "Hello \u2068director@dou.example\u2069," in bodies["director@dou.example"]
        assert {r.email_status for r in rows()} == {"sent"}

    def test_only_due_rows_are_claimed(self, world, smtp):
        world.item("2026-00001", state="department_review")
        later = utcnow() + timedelta(minutes=5)
        for row in rows():
            row.next_attempt_at = later
        db.session.commit()
        assert outbox.deliver_pending() == 0
        assert outbox.deliver_pending(now=later) == 2


class TestFailures:
    def test_a_4xx_is_retried_with_back_off(self, world, smtp):
        world.item("2026-00001", state="department_review")
        smtp.sink.refuse["approver@test.reis"] = "450 4.2.1 Mailbox busy, try later"
        start = utcnow()
        outbox.deliver_pending(now=start)
        row = row_for("approver@test.reis")
        assert row.email_status == "pending" and row.attempts == 1
        assert row.next_attempt_at == start + timedelta(seconds=30)
        assert "450" in row.last_error
        assert row_for("approver2@test.reis").email_status == "sent"

        assert outbox.deliver_pending(now=start + timedelta(seconds=10)) == 0  # not yet due
        del smtp.sink.refuse["approver@test.reis"]
        assert outbox.deliver_pending(now=start + timedelta(seconds=31)) == 1
        row = row_for("approver@test.reis")
        assert row.email_status == "sent" and row.attempts == 2 and row.last_error is None
        assert smtp.sink.by_notification()[row.id] == 1

    def test_back_off_doubles_and_is_capped(self):
        assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
        assert outbox.backoff(30) == timedelta(hours=1)

    def test_no_server_is_transient_and_stops_the_run(self, world, app_ctx):
        world.item("2026-00001", state="department_review")
        with app_settings(app_ctx, SMTP_HOST="127.0.0.1", SMTP_PORT=free_port()):
            assert outbox.deliver_pending() == 1  # the first row found the server down
        assert {r.email_status for r in rows()} == {"pending"}
        tried = [r for r in rows() if r.attempts]
        assert len(tried) == 1 and "unavailable" in tried[0].last_error

    def test_a_5xx_for_the_recipient_fails_for_good(self, world, smtp, client):
        world.item("2026-00001", state="department_review")
        smtp.sink.refuse["approver@test.reis"] = "550 5.1.1 No such user here"
        outbox.deliver_pending()
        row = row_for("approver@test.reis")
        assert row.email_status == "failed" and row.attempts == 1
        assert "550 5.1.1 No such user here" in row.last_error
        del smtp.sink.refuse["approver@test.reis"]
        assert outbox.deliver_pending(now=utcnow() + timedelta(days=2)) == 0  # never retried
        assert smtp.sink.by_notification()[row.id] == 0
        shown = client.get("/api/v1/notifications", headers=world["approver"].headers).json
        assert shown["notifications"][0]["email_status"] == "failed"
        assert "550" in shown["notifications"][0]["email_error"]

    def test_a_bad_address_fails_for_good(self, world, smtp):
        set_user(world["approver"].user, email="approver at dou")
        world.item("2026-00001", state="department_review")
        outbox.deliver_pending()
        row = row_for("approver at dou")
        assert row.email_status == "failed" and "not a valid e-mail address" in row.last_error
        assert smtp.sink.count() == 1  # approver2's

    def test_gives_up_after_the_last_attempt(self, world, smtp, app_ctx):
        world.item("2026-00001", state="department_review")
        smtp.sink.refuse["approver@test.reis"] = "451 4.3.0 Temporary failure"
        start = utcnow()
        with app_settings(app_ctx, MAIL_MAX_ATTEMPTS=2):
            outbox.deliver_pending(now=start)
            outbox.deliver_pending(now=start + timedelta(minutes=1))
        row = row_for("approver@test.reis")
        assert row.email_status == "failed" and row.attempts == 2
        assert row.last_error.startswith("gave up after 2 attempts")

    def test_a_user_deactivated_before_delivery_gets_nothing(self, world, smtp):
        world.item("2026-00001", state="department_review")
        set_user(world["approver2"].user, active=False)
        outbox.deliver_pending()
        row = row_for("approver2@test.reis")
        assert row.email_status == "skipped" and row.last_error == outbox.DEACTIVATED
        assert [m["To"].addresses[0].addr_spec for m in smtp.sink.accepted] == ["approver@test.reis"]

    def test_a_crash_after_sending_leaves_the_row_pending(self, world, smtp, monkeypatch):
        """The documented price of at-least-once: the row is sent again, never lost."""
        world.item("2026-00001", state="department_review")
        real = outbox._deliver

        def crash_after_send(*args):
            real(*args)
            raise RuntimeError("worker died before the commit")

        monkeypatch.setattr(outbox, "_deliver", crash_after_send)
        with pytest.raises(RuntimeError):
            outbox.deliver_pending()
        monkeypatch.setattr(outbox, "_deliver", real)
        assert {r.email_status for r in rows()} == {"pending"}
        outbox.deliver_pending()
        assert {r.email_status for r in rows()} == {"sent"}
        resent = [m for m in smtp.sink.accepted if m["X-REIS-Notification"] == str(rows()[0].id)]
        assert len(resent) == 2 and resent[0]["Message-ID"] == resent[1]["Message-ID"]


class TestLinks:
    """Every mail about an item links to the item's page (REIS_BASE_URL), in text and HTML."""

    LINK = "https://reis.city.example/app/items/2026-00001"

    def mails(self, smtp) -> list:
        outbox.deliver_pending()
        return list(smtp.sink.accepted)

    def test_event_reminder_and_agenda_mails_link_to_the_item(self, world, smtp, app_ctx):
        with app_settings(app_ctx, BASE_URL="https://reis.city.example/app/"):
            world.item("2026-00001", state="ready_to_agendize")
            gate.agendize(world["clerk"].user, "2026-00001")
            reminder(world, "staff@test.reis", world["staff"].user)
            sent = self.mails(smtp)
        kinds = {row.kind for row in rows()}
        assert {"submitted", "approved", "ready", "agendized", "reminder"} <= kinds
        assert len(sent) == len(rows()) > 5
        for message in sent:
            assert f"Open it: {self.LINK}" in body(message), body(message)
            assert f'<a href="{self.LINK}">' in body(message, "html")
        agendized = next(m for m in sent if "on the agenda" in m["Subject"])
        assert "on the agenda of the Tuesday, March 2, 2027 meeting" in body(agendized)

    def test_the_digest_links_each_item(self, world, smtp, app_ctx):
        set_user(world["approver"].user, notify_mode="digest")
        with app_settings(app_ctx, BASE_URL="https://reis.city.example/app"):
            world.item("2026-00001", state="department_review")
            world.item("2026-00002", state="department_review")
            outbox.deliver_pending()
            outbox.queue_digests()
            digest = next(m for m in self.mails(smtp) if "digest" in m["Subject"])
        for file_id in ("2026-00001", "2026-00002"):
            assert f"https://reis.city.example/app/items/{file_id}" in body(digest)
            assert f'<a href="https://reis.city.example/app/items/{file_id}">' in body(digest, "html")

    def test_no_base_url_no_link(self, world, smtp):
        world.item("2026-00001", state="department_review")
        for message in self.mails(smtp):
            assert "http" not in body(message) and "<a " not in body(message, "html")


class TestDigest:
    def test_digest_people_get_one_mail_a_day(self, world, smtp):
        set_user(world["approver"].user, notify_mode="digest")
        world.item("2026-00001", state="department_review")
        world.item("2026-00002", state="department_review")
        outbox.deliver_pending()
        assert {r.email_status for r in rows(email="approver@test.reis")} == {"skipped"}
        assert smtp.sink.count() == 2  # approver2's, one per event

        now = utcnow()
        assert outbox.queue_digests(now) == 1
        assert outbox.queue_digests(now) == 0  # same day: nothing new
        outbox.deliver_pending()
        digest = row_for("approver@test.reis", kind=NotificationKind.DIGEST)
        assert digest.email_status == "sent"
        mail = next(m for m in smtp.sink.accepted if m["X-REIS-Notification"] == str(digest.id))
        text = body(mail)
        assert "(2 notifications)" in text
        assert "2026-00001 submitted" in text and "2026-00002 submitted" in text
        carried = [r for r in rows(email="approver@test.reis") if r.kind != NotificationKind.DIGEST]
        assert all(r.delivered_at is not None for r in carried)

    def test_what_comes_after_the_days_digest_waits_for_the_next(self, world, smtp):
        set_user(world["approver"].user, notify_mode="digest")
        world.item("2026-00001", state="department_review")
        outbox.deliver_pending()
        now = utcnow()
        assert outbox.queue_digests(now) == 1
        world.item("2026-00002", state="department_review")
        outbox.deliver_pending()
        assert outbox.queue_digests(now) == 0
        assert outbox.queue_digests(now + timedelta(days=1)) == 1
        outbox.deliver_pending()
        digests = rows(kind=NotificationKind.DIGEST)
        assert [len(d.payload["items"]) for d in digests] == [1, 1]

    def test_digests_are_not_in_the_in_app_list(self, world, smtp, client):
        set_user(world["approver"].user, notify_mode="digest")
        world.item("2026-00001", state="department_review")
        outbox.deliver_pending()
        outbox.queue_digests()
        listed = client.get("/api/v1/notifications", headers=world["approver"].headers).json
        assert [n["kind"] for n in listed["notifications"]] == ["submitted"]
        digest = rows(kind=NotificationKind.DIGEST)[0]
        r = client.post(f"/api/v1/notifications/{digest.id}/read", headers=world["approver"].headers)
        assert r.status_code == 404


class TestConcurrentRelays:
    def test_two_relays_at_once_send_each_row_once(self, world, smtp, app_ctx):
        for n in range(8):
            world.item(f"2026-0001{n}", state="ode_review")  # 3 rows each: 2 approvers, the assignee
        barrier = threading.Barrier(2)
        errors = []

        def relay():
            try:
                with app_ctx.app_context():
                    barrier.wait(10)
                    outbox.deliver_pending()
            except Exception as exc:  # surfaced below
                errors.append(exc)

        threads = [threading.Thread(target=relay) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert errors == []
        counts = smtp.sink.by_notification()
        assert len(counts) == 24 and set(counts.values()) == {1}
        assert {r.email_status for r in rows()} == {"sent"}


class TestMailer:
    def test_reconnects_when_the_server_dropped_an_idle_connection(self):
        from email.message import EmailMessage

        from app.mail import Mailer

        first = SmtpServer().start()
        second = None
        try:
            with Mailer("127.0.0.1", first.port, "reis@localhost") as mailer:
                for n in range(2):
                    message = EmailMessage()
                    message["Subject"], message["X-REIS-Notification"] = f"m{n}", str(n)
                    message.set_content("hello")
                    if n == 1:  # the server went away and came back between two mails
                        first.stop()
                        second = SmtpServer(port=first.port).start()
                    mailer.send(message, "someone@example.org")
            assert first.sink.by_notification() == {0: 1}
            assert second.sink.by_notification() == {1: 1}
        finally:
            if second is not None:
                second.stop()
