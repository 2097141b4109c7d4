"""The caller's own things: in-app notifications, notification preferences, and the private
calendar-feed URL.

Views authenticate (the blueprint's ``before_request``), parse, call one
operation (``app/operations/notify.py`` for the list, ``accounts.py`` for the
preferences, the same ones the pages call) and serialise; nothing else.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self

from flask import g, jsonify, request
from pydantic import BaseModel, model_validator

from app import calendar_feed
from app.api.blueprint import api
from app.api.schemas import Strict
from app.api.spec import parse
from app.errors import invalid
from app.models import Notification, User
from app.models.notification import EmailStatus
from app.models.user import Language, NotifyMode
from app.numbers import whole_number
from app.operations import accounts, notify, people

MAX_LIMIT = 200


class NotificationOut(BaseModel):
    id: int
    kind: str
    subject: str
    file_id: str | None
    payload: dict[str, Any]
    created_at: datetime
    read: bool
    read_at: datetime | None
    email_status: EmailStatus
    email_attempts: int
    email_error: str | None
    delivered_at: datetime | None


class NotificationList(BaseModel):
    notifications: list[NotificationOut]


class PreferencesIn(Strict):
    """Either or both; what is left out stays as it is."""

    notify_mode: NotifyMode | None = None
    language: Language | None = None

    @model_validator(mode="after")
    def _something(self) -> Self:
        if self.notify_mode is None and self.language is None:
            raise ValueError("give notify_mode, language or both")
        return self


class CalendarFeedOut(BaseModel):
    url: str
    webcal: str


class PreferencesOut(BaseModel):
    notify_mode: NotifyMode
    language: Language


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def notification(row: Notification) -> dict:
    payload = row.payload or {}
    return {
        "id": row.id, "kind": row.kind, "subject": row.subject, "file_id": payload.get("file_id"),
        "payload": payload, "created_at": _iso(row.created_at), "read": row.read_at is not None,
        "read_at": _iso(row.read_at), "email_status": row.email_status,
        "email_attempts": row.attempts, "email_error": row.last_error,
        "delivered_at": _iso(row.delivered_at),
    }


def preferences(user: User) -> dict:
    return {"notify_mode": user.notify_mode, "language": user.language}


@api.route("GET", "/notifications", summary="The caller's notifications, newest first",
           response=NotificationList, errors=(422,), query={
               "unread": {"type": "boolean"},
               "limit": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 50},
           })
def notifications_list():
    args = request.args
    unread = args.get("unread", "false")
    if unread not in ("true", "false"):
        raise invalid({"unread": "must be true or false"})
    limit = whole_number(args.get("limit", "50"), MAX_LIMIT)
    if not limit:
        raise invalid({"limit": f"must be an integer from 1 to {MAX_LIMIT}"})
    rows = notify.inbox(g.actor, unread_only=unread == "true", limit=limit)
    return jsonify({"notifications": [notification(r) for r in rows]})


@api.route("POST", "/notifications/<int:notification_id>/read",
           summary="Mark one of the caller's notifications read", response=NotificationOut,
           errors=(404,))
def notifications_read(notification_id):
    return jsonify(notification(notify.mark_read(g.actor, notification_id)))


@api.route("GET", "/me/preferences", summary="The caller's notification preferences",
           response=PreferencesOut)
def preferences_get():
    return jsonify(preferences(g.actor))


@api.route("PUT", "/me/preferences",
           summary="Choose one mail per event or a daily digest, and the language of mail",
           body=PreferencesIn, response=PreferencesOut)
def preferences_put():
    body = parse(PreferencesIn)
    return jsonify(preferences(accounts.set_preferences(g.actor, language=body.language,
                                                        notify_mode=body.notify_mode)))


@api.route("GET", "/me/calendar-feed", summary="The caller's private calendar-feed URL (deadlines as "
           "iCalendar); whoever has it can read them", response=CalendarFeedOut)
def calendar_feed_get():
    return jsonify(calendar_feed.urls(g.actor))


@api.route("POST", "/me/calendar-feed", summary="A new private calendar-feed URL: the old one answers "
           "404 from now on", response=CalendarFeedOut)
def calendar_feed_rotate():
    return jsonify(calendar_feed.urls(people.rotate_feed(g.actor)))
