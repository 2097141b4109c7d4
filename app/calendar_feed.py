"""Each person's deadlines as an iCalendar feed (``/calendar/<token>.ics``).

Why a secret in the URL: calendar clients (Google Calendar, Outlook, Apple
Calendar) subscribe to a URL and poll it; they cannot send an
``Authorization`` header. So the URL itself is the credential: the token is
the user's id and their ``feed_generation``, signed with ``itsdangerous``
under the deployment's ``SECRET_KEY`` (salt ``reis.calendar-feed``), so it
cannot be guessed or forged and reveals nothing but a number. It only reads
deadlines and cannot call the API. A person who shared or leaked their URL
gets a new one (``POST /api/v1/me/calendar-feed``, or the button on their
account page): the generation goes up and every earlier URL
answers 404. Deactivation retires the URL the same way, so reactivation does
not bring it back, and a deactivated user's feed answers 404 anyway; rotating
``SECRET_KEY`` revokes every feed URL at once. URLs made before generations
existed carry none and count as generation 0. A signed-in user gets their URL
from ``GET /api/v1/me/calendar-feed`` (or ``GET /calendar/feed-url``, with a
Bearer token) or their account page.

Which deadlines concern whom (statements not yet ``ready_to_agendize``):
staff see their department's cutoffs; department approvers also the review
SLAs of their department's ``department_review``; ODE reviewers the SLAs of
``ode_review`` and those items' cutoffs; clerks every cutoff; admins all.
Deadlines are all-day events on the City business day they fall on; each UID
is stable, so a client updates an event instead of duplicating it, and a
deadline that no longer applies disappears at the next poll. Each event's
``URL`` opens the item's page (``REIS_BASE_URL``, else this request's address).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, current_app, jsonify, url_for
from icalendar import Calendar, Event
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from app.auth import require_user
from app.deadlines import current as current_deadlines
from app.extensions import db
from app.links import item_url
from app.models import Department, Item, Statement, User
from app.models.base import utcnow
from app.numbers import DB_INT_MAX
from app.text import strip_bidi
from workflows import deadlines
from workflows.statement import Role, State

blueprint = Blueprint("calendar", __name__, url_prefix="/calendar")
SALT = "reis.calendar-feed"
_STEP = {State.DEPARTMENT_REVIEW: "department review", State.ODE_REVIEW: "ODE review"}


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def feed_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "g": user.feed_generation})


def user_for_feed_token(token: str) -> User | None:
    try:
        payload = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(payload, dict):
        return None
    user_id, generation = payload.get("u"), payload.get("g", 0)
    user = db.session.get(User, user_id) if type(user_id) is int and 0 < user_id <= DB_INT_MAX else None
    if user is None or not user.active or generation != user.feed_generation:
        return None
    return user


def feed_url(user: User) -> str:
    return url_for("calendar.feed", token=feed_token(user), _external=True)


def _concerns(user: User):
    """Two tests on (department id, state): does its cutoff, does its review SLA concern the user?"""
    role, mine = Role(user.role), user.department_id
    if role is Role.STAFF:
        return (lambda dept, state: dept == mine), (lambda dept, state: False)
    if role is Role.DEPARTMENT_APPROVER:
        return ((lambda dept, state: dept == mine),
                (lambda dept, state: dept == mine and state is State.DEPARTMENT_REVIEW))
    if role is Role.ODE_REVIEWER:
        in_ode = lambda dept, state: state is State.ODE_REVIEW  # noqa: E731
        return in_ode, in_ode
    if role is Role.CLERK:
        return (lambda dept, state: True), (lambda dept, state: False)
    return (lambda dept, state: True), (lambda dept, state: state in _STEP)


def deadlines_for(user: User) -> list[dict]:
    """The user's deadlines: {kind, uid, day, file_id, summary, description}, soonest first."""
    cutoff_concerns, sla_concerns = _concerns(user)
    rows = db.session.execute(
        select(Item.id, Item.file_id, Item.title, Item.meeting_date, Item.agendized_for, Item.department_id,
               Department.code, Statement.id, Statement.state, Statement.state_entered_at)
        .join(Statement, Statement.item_id == Item.id).join(Department, Department.id == Item.department_id)
        .where(Statement.state != State.READY_TO_AGENDIZE).order_by(Item.file_id)).all()
    rules = current_deadlines()
    tz = ZoneInfo(current_app.config["REIS_TIMEZONE"])
    out = []
    for item_id, file_id, title, meeting, agendized_for, dept_id, dept, st_id, state, entered in rows:
        state, title = State(state), strip_bidi(title)  # on a line of its own: nothing to spill into
        when = agendized_for or meeting
        if when and cutoff_concerns(dept_id, state):
            day = deadlines.cutoff(when, rules.calendar, rules.policy)
            out.append({"kind": "cutoff", "uid": f"cutoff-{item_id}-{when.isoformat()}@reis", "day": day,
                        "file_id": file_id, "summary": f"REIS cutoff: {file_id} must be ready to agendize",
                        "description": f"{title}\nDepartment {dept}. Meeting {when:%A, %B} {when.day}, "
                                       f"{when.year}. The statement is {state.value.replace('_', ' ')}; "
                                       "it must be approved by ODE by the end of this day."})
        if state in _STEP and sla_concerns(dept_id, state):
            entered_on = entered.astimezone(tz).date()
            day = deadlines.sla_due(state.value, entered_on, rules.calendar, rules.policy)
            if day is None:
                continue
            out.append({"kind": "sla", "uid": f"sla-{st_id}-{state.value}-{entered.isoformat()}@reis",
                        "day": day, "file_id": file_id,
                        "summary": f"REIS {_STEP[state]} due: {file_id}",
                        "description": f"{title}\nDepartment {dept}. In {_STEP[state]} since "
                                       f"{entered_on:%B} {entered_on.day}; approve it or return it "
                                       "with a comment by the end of this day."})
    return sorted(out, key=lambda d: (d["day"], d["file_id"], d["kind"]))


def ical(user: User, now: datetime | None = None) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//REIS engine//Deadlines//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"REIS deadlines — {strip_bidi(user.name)}")
    cal.add("x-wr-caldesc", "Racial equity statement cutoffs and review deadlines")
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    stamp = now or utcnow()
    for d in deadlines_for(user):
        event = Event()
        event.add("uid", d["uid"])
        event.add("dtstamp", stamp)
        event.add("dtstart", d["day"])
        event.add("dtend", d["day"] + timedelta(days=1))
        event.add("summary", d["summary"])
        event.add("description", d["description"])
        event.add("categories", ["REIS", d["kind"]])
        event.add("transp", "TRANSPARENT")
        if url := item_url(d["file_id"]):
            event.add("url", url)
        cal.add_component(event)
    return cal.to_ical()


@blueprint.get("/<token>.ics")
def feed(token):
    user = user_for_feed_token(token)
    if user is None:
        abort(404)
    response = Response(ical(user), mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="reis-deadlines.ics"'
    return response  # Cache-Control: no-store, like every authenticated response (app.web.security)


def urls(user: User) -> dict[str, str]:
    """The user's feed URL, as https and as webcal (which calendar programs open directly)."""
    url = feed_url(user)
    return {"url": url, "webcal": "webcal://" + url.split("://", 1)[1]}


@blueprint.get("/feed-url")
def my_feed_url():
    """The signed-in user's feed URL (keep it private: it is the only key to the feed).
    The same as ``GET /api/v1/me/calendar-feed``, kept at this address for existing clients."""
    user = require_user()
    assert user is not None  # (None only for a view that checks its own token)
    return jsonify(urls(user))
