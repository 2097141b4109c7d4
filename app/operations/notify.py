"""Who is told about a statement's event, and each person's in-app list.

Why it looks like this (DESIGN.md, "Rules that keep it honest"): a
notification is an outbox row written in the *same transaction* as the state
change that caused it. ``on_event`` is called by ``statements.apply_event``
after the history row and only adds rows to the session; the operation's
``write_transaction`` commits them together with the new state or not at all.

Who hears about what (issue 3):

* ``submit``: the department's approvers;
* ``approve`` into ODE review: its assignee, else every ODE reviewer;
* an assignment: the new assignee;
* (department approvers and the assignee are joined by their delegates of the day);
* ``return``: the author (the submitter) and everyone who acted on this round
  (since the last ``submit``), with the comment;
* ``approve`` into ready to agendize: the author and the clerks;
* ``reopen``: everyone who ever acted on the statement;
* ``agendize`` and ``unagendize`` (``on_agenda_change``): the item's staff,
  its author and the staff of its department.

Never the actor themself, never an inactive user. A commit that added
notification rows through the session kicks the relay right after it
(``after_commit`` below; the reminder sweep, which inserts with Core, says so
with ``kick_after_commit``); the beat relay every minute is the safety net if
a kick is lost. A ``reopen`` is the system's event: the person whose item change caused
it is told too if they acted on the statement before.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date
from typing import overload

from flask_babel import force_locale, gettext
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from app import celery_app, delegates
from app.dates import long_date
from app.db import write_transaction
from app.errors import not_found
from app.extensions import db
from app.languages import DEFAULT, language_of
from app.models import HistoryEvent, Notification, Statement, User
from app.models.base import utcnow
from app.models.notification import EmailStatus, NotificationKind
from workflows.i18n import N_
from workflows.statement import SYSTEM_ACTOR, Role, State
from workflows.states import Event

Kind = NotificationKind
#: Each notification's title (the mail's subject), written in its recipient's language.
SUBJECTS = {
    Kind.SUBMITTED: N_("[REIS] %(file_id)s submitted for department review: %(title)s"),
    Kind.APPROVED: N_("[REIS] %(file_id)s is ready for ODE review: %(title)s"),
    Kind.RETURNED: N_("[REIS] %(file_id)s was returned to draft: %(title)s"),
    Kind.READY: N_("[REIS] %(file_id)s is ready to agendize: %(title)s"),
    Kind.REOPENED: N_("[REIS] %(file_id)s was reopened: %(title)s"),
    Kind.AGENDIZED: N_("[REIS] %(file_id)s is on the agenda of %(meeting)s: %(title)s"),
    Kind.UNAGENDIZED: N_("[REIS] %(file_id)s was taken off the agenda of %(meeting)s: %(title)s"),
    Kind.ASSIGNED: N_("[REIS] %(file_id)s was assigned to you for ODE review: %(title)s"),
}
_KICK = "reis.kick_outbox"


def kind_of(event_name: Event, new_state: State) -> NotificationKind | None:
    if event_name == Event.SUBMIT:
        return Kind.SUBMITTED
    if event_name == Event.APPROVE:
        return Kind.APPROVED if new_state == State.ODE_REVIEW else Kind.READY
    return {Event.RETURN: Kind.RETURNED, Event.REOPEN: Kind.REOPENED}.get(event_name)


def on_event(statement: Statement, event_name: Event, actor: User | None,
             comment: str | None, on_behalf_of: User | None = None) -> list[Notification]:
    """Add the event's notifications to the session (the caller's transaction commits them).

    ``on_behalf_of``: the delegator whose grant the actor (their delegate) used."""
    kind = kind_of(event_name, State(statement.state))
    if kind is None:
        return []
    details = {"event": event_name, "comment": comment}
    if on_behalf_of is not None:
        details |= {"on_behalf_of": on_behalf_of.email, "on_behalf_of_name": on_behalf_of.name}
    return _notify(kind, statement, _recipients(kind, statement), actor, details)


def on_assignment(statement: Statement, assignee: User, actor: User | None) -> list[Notification]:
    """Tell an ODE reviewer (and their delegates today) a statement was given to them."""
    return _notify(Kind.ASSIGNED, statement, delegates.with_delegates([assignee]), actor,
                   {"event": "assign", "comment": None, "assignee": assignee.email})


def on_agenda_change(statement: Statement, agendized: bool, actor: User,
                     meeting: date) -> list[Notification]:
    """Tell the item's staff it went on (or came off) the agenda of ``meeting``."""
    kind = Kind.AGENDIZED if agendized else Kind.UNAGENDIZED
    staff = _author(statement) + _users(role=Role.STAFF, department_id=statement.item.department_id)
    return _notify(kind, statement, staff, actor,
                   {"event": Event.AGENDIZE if agendized else Event.UNAGENDIZE, "comment": None,
                    "meeting_date": meeting.isoformat()})


def _notify(kind: NotificationKind, statement: Statement, recipients: list[User],
            actor: User | None, details: dict) -> list[Notification]:
    item = statement.item
    payload = {
        "file_id": item.file_id, "title": item.title, "department": item.department.code,
        "state": State(statement.state).value,
        "actor": actor.email if actor else SYSTEM_ACTOR,
        "actor_name": actor.name if actor else None, **details,
    }
    rows = [
        Notification(user_id=user.id, email=user.email, kind=kind, statement_id=statement.id,
                     subject=subject(kind, user.language, item.file_id, item.title,
                                     payload.get("meeting_date")),
                     payload=payload, email_status=EmailStatus.PENDING, attempts=0,
                     next_attempt_at=utcnow())
        for user in _unique(recipients) if user.active and (actor is None or user.id != actor.id)
    ]
    db.session.add_all(rows)
    return rows


def in_language(language: str | None) -> AbstractContextManager[None]:
    """Write what follows in ``language`` (a tag; English when it is not one we ship)."""
    return force_locale((language_of(language) or DEFAULT).locale)


def subject(kind: NotificationKind, language: str | None, file_id: str, title: str,
            meeting: str | None = None) -> str:
    """The title in ``language`` (a tag; English when it is not one we ship)."""
    short = " ".join(title.split())
    if len(short) > 120:
        short = short[:119] + "…"
    with in_language(language):
        when = long_date(date.fromisoformat(meeting)) if meeting else ""
        return gettext(SUBJECTS[kind], file_id=file_id, title=short, meeting=when)


def _recipients(kind: NotificationKind, statement: Statement) -> list[User]:
    if kind == Kind.SUBMITTED:  # the approvers, and whoever stands in for one of them today
        return delegates.with_delegates(
            _users(role=Role.DEPARTMENT_APPROVER, department_id=statement.item.department_id))
    if kind == Kind.APPROVED:  # the assignee (and their delegates), else every ODE reviewer
        assignee = db.session.get(User, statement.assignee_id) if statement.assignee_id else None
        return delegates.with_delegates([assignee] if assignee else _users(role=Role.ODE_REVIEWER))
    if kind == Kind.READY:
        return _author(statement) + _users(role=Role.CLERK)
    if kind == Kind.RETURNED:
        return _author(statement) + _actors(statement, this_round=True)
    return _actors(statement, this_round=False)  # REOPENED


def _users(role: Role, department_id: int | None = None) -> list[User]:
    query = select(User).where(User.role == role, User.active.is_(True))
    if department_id is not None:
        query = query.where(User.department_id == department_id)
    return list(db.session.scalars(query.order_by(User.id)))


def _author(statement: Statement) -> list[User]:
    author = db.session.get(User, statement.submitted_by_id) if statement.submitted_by_id else None
    return [author] if author is not None else []


def _actors(statement: Statement, *, this_round: bool) -> list[User]:
    """People named in the history: all of it, or since the last ``submit``."""
    events = select(HistoryEvent.actor_id, HistoryEvent.seq).where(
        HistoryEvent.statement_id == statement.id, HistoryEvent.actor_id.is_not(None))
    if this_round:
        last_submit = (select(HistoryEvent.seq)
                       .where(HistoryEvent.statement_id == statement.id,
                              HistoryEvent.event == Event.SUBMIT)
                       .order_by(HistoryEvent.seq.desc()).limit(1).scalar_subquery())
        events = events.where(HistoryEvent.seq >= last_submit)
    ids = list(dict.fromkeys(r.actor_id for r in db.session.execute(events.order_by(HistoryEvent.seq))))
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    return [users[i] for i in ids if i in users]


def _unique(users: list[User]) -> list[User]:
    return list({u.id: u for u in users}.values())


# -- kick the relay right after a commit that wrote notifications --------------------


def kick_after_commit() -> None:
    """Kick the relay when the current transaction commits (for rows inserted with Core)."""
    db.session.info[_KICK] = True


@event.listens_for(db.session, "before_flush")
def _note_new_notifications(session: Session, _flush_context, _instances) -> None:
    if any(isinstance(obj, Notification) for obj in session.new):
        session.info[_KICK] = True


@event.listens_for(db.session, "after_commit")
def _kick_after_commit(session: Session) -> None:
    if session.info.pop(_KICK, False):
        celery_app.kick()


@event.listens_for(db.session, "after_rollback")
def _forget_kick(session: Session) -> None:
    session.info.pop(_KICK, None)


# -- the in-app list (the API's and the pages') --------------------------------------


def inbox(user: User, *, unread_only: bool = False, limit: int = 50) -> list[Notification]:
    """The user's notifications, newest first (digest mails are not list entries)."""
    query = (select(Notification)
             .where(Notification.user_id == user.id, Notification.kind != Kind.DIGEST)
             .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit))
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return list(db.session.scalars(query))


@overload
def mark_read(user: User, notification_id: int) -> Notification: ...
@overload
def mark_read(user: User, notification_id: None = None) -> None: ...
def mark_read(user: User, notification_id: int | None = None) -> Notification | None:
    """Mark one of the user's notifications read (and return it), or all unread ones (None)."""
    with write_transaction():
        if notification_id is None:
            db.session.execute(update(Notification)
                               .where(Notification.user_id == user.id, Notification.read_at.is_(None),
                                      Notification.kind != Kind.DIGEST)
                               .values(read_at=utcnow()))
            return None
        row = db.session.get(Notification, notification_id)
        # Someone else's notification is "not found": its existence is not ours to reveal.
        if row is None or row.user_id != user.id or row.kind == Kind.DIGEST:
            raise not_found(gettext("You have no notification %(id)s.", id=notification_id))
        if row.read_at is None:
            row.read_at = utcnow()
    return row
