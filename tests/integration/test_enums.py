"""The values of notifications and preferences are enums, and the database holds them
to it: a CHECK constraint per column, on SQLite and PostgreSQL alike (as for State and Role)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.languages import LANGUAGES
from app.models.notification import EmailStatus, NotificationKind
from app.models.user import Language, NotifyMode

INSERT_NOTIFICATION = text(
    "INSERT INTO notifications (email, kind, subject, payload, created_at, email_status, attempts, "
    "next_attempt_at) VALUES ('a@b.c', :kind, 's', '{}', CURRENT_TIMESTAMP, :status, 0, "
    "CURRENT_TIMESTAMP)")


class TestTheDatabaseRefusesOtherValues:
    @pytest.mark.parametrize(("kind", "status"), [("reminders", "pending"), ("reminder", "queued"),
                                                  ("Reminder", "pending"), ("reminder", "")])
    def test_notification_kind_and_status(self, app_ctx, kind, status):
        with pytest.raises(IntegrityError):
            db.session.execute(INSERT_NOTIFICATION, {"kind": kind, "status": status})
        db.session.rollback()

    def test_every_kind_and_status_is_accepted(self, app_ctx):
        for kind in NotificationKind:
            for status in EmailStatus:
                db.session.execute(INSERT_NOTIFICATION, {"kind": kind.value, "status": status.value})
        db.session.rollback()

    @pytest.mark.parametrize(("column", "value"), [("language", "fr"), ("language", "zh"),
                                                   ("notify_mode", "weekly"), ("notify_mode", "")])
    def test_user_language_and_notify_mode(self, world, column, value):
        with pytest.raises(IntegrityError):
            db.session.execute(text(f"UPDATE users SET {column} = :value WHERE email = :email"),
                               {"value": value, "email": "staff@test.reis"})
        db.session.rollback()

    def test_every_language_and_mode_is_accepted(self, world):
        for language in Language:
            for mode in NotifyMode:
                db.session.execute(text("UPDATE users SET language = :l, notify_mode = :m"),
                                   {"l": language.value, "m": mode.value})
        db.session.rollback()


class TestLanguages:
    def test_the_one_list(self):
        assert [lang.value for lang in Language] == ["en", "es", "vi", "zh-Hant"]

    def test_pages_offer_the_languages_with_a_catalogue(self):
        assert {lang.value: name for lang, name in LANGUAGES.items()} == {
            "en": "English", "es": "Español", "vi": "Tiếng Việt", "zh-Hant": "繁體中文"}
