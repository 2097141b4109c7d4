"""The reminder sweep: claim today's due reminders as outbox rows, exactly once.

Why it looks like this (DESIGN.md, "Reminders are claimed, never scheduled"):
reminders are never delayed Celery tasks. Beat (or ``reis reminders sweep --now T``) calls
``run(now)``; the rules live in the pure ``workflows.reminders.due()``, and
this module only loads what it needs and writes the result:

1. ``candidates_window()`` says which statements *can* be due today: not
   ``ready_to_agendize`` and either a meeting (``agendized_for``, else
   ``meeting_date``) whose cutoff is between yesterday and the furthest
   reminder, or a review step entered before its SLA threshold. A first
   SELECT gets their ids as a UNION of index range scans (``items.meeting_date``
   OR ``items.agendized_for``, and ``ix_statements_state_entered`` once per
   review state): an OR across two tables would make PostgreSQL read every
   statement.
2. A second SELECT (per 1,000 ids) brings each candidate's item, department
   (escalation contact), author, and the number of earlier business days on
   which an action reminder for the *current* step went out (a correlated
   count over ``notifications.statement_id``). It takes the ids as a list, not
   as a sub-select, so the planner knows it joins a few hundred rows: given the
   sub-select it guessed tens of thousands and hashed the whole table.
   So the sweep's cost grows with the statements that may be due, not with
   the table (bench/sweep.py, docs/PERFORMANCE.md).
3. A third SELECT on ``users`` (a table that does not grow with statements)
   gives the directory: department approvers of the departments involved, ODE
   reviewers, clerks, and the users behind the escalation addresses.
4. ``due()`` decides; each ``Reminder`` becomes a ``Notification`` row with
   ``dedupe_key = Reminder.key`` (statement, recipient, City business day),
   inserted with ``INSERT … ON CONFLICT (dedupe_key) DO NOTHING RETURNING id``.
   Only rows actually inserted are counted, so overlapping sweeps, a retry or
   a second beat claim nothing twice; everything runs in one write
   transaction, so a crash claims nothing at all. A concurrent sweep on
   PostgreSQL waits on the first one's uncommitted keys, then skips them; on
   SQLite the write transaction (``BEGIN IMMEDIATE``) queues it. A commit that
   claimed anything kicks the relay (``notify.kick_after_commit``), so the mail
   goes right away, not at the next beat relay.

Decisions:

* The author is the submitter; a statement never submitted has as author the
  person who created the item (the ``create`` event, ``seq`` 1, of its history).
* "Reminders sent this step" counts the distinct City business days *before
  today* (``payload.day``) with an action reminder for this statement created
  at or after the statement entered its current state. The late notice
  (``cutoff_passed`` alone) is not an action reminder: it asks nobody to act
  on the step, so it does not bring the escalation closer. Reasons are stored
  sorted (action reasons first), so ``payload.reasons[0]`` tells the two apart.
* ``created_at`` is the sweep's ``now`` (what it was claimed *as of*, which is
  what the count above compares with ``state_entered_at``); ``next_attempt_at``
  is the real clock, so a sweep run "as of" a future day is delivered now.
* Clerks are users with the ``clerk`` role (admins are not told about late
  items). An escalation address that belongs to an inactive user is dropped;
  one that belongs to an active user is linked to that user (in-app list).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from flask_babel import force_locale
from sqlalchemy import (
    JSON,
    ColumnElement,
    Integer,
    Text,
    and_,
    bindparam,
    cast,
    column,
    distinct,
    func,
    literal,
    or_,
    select,
    union,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from app import deadlines as app_deadlines
from app.db import write_transaction
from app.extensions import db
from app.languages import DEFAULT, language_of
from app.models import Delegation, Department, HistoryEvent, Item, Notification, Statement, User
from app.models.base import utcnow
from app.models.notification import EmailStatus, NotificationKind
from app.operations import deciders, notify, report_back_sweep
from app.translated import translated
from workflows import reminders
from workflows.statement import Role, State

log = logging.getLogger(__name__)

READY = State.READY_TO_AGENDIZE
LATE_ONLY = "cutoff_passed"
#: the reasons of a report-back's reminder start so (workflows.report_back_reminders): they
#: are about what the department owes, not about the statement's current step
REPORT_BACK = "report_back_"
#: candidate statements per details SELECT (bounded statement size and parameters)
CHUNK = 1000


def run(now: datetime) -> int:
    """Claim the reminders due on the City business day containing ``now``; how many were new."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    dl = app_deadlines.current()
    today = now.astimezone(dl.tz).date()
    if not dl.calendar.is_business_day(today):
        return 0
    with write_transaction():  # stalled statements: the admins are told the same business day
        deciders.sweep(now)
    window = reminders.candidates_window(today, dl.calendar, dl.policy, dl.tz)
    with write_transaction():
        ids = db.session.scalars(candidate_ids(window)).all()
        rows: list[Any] = []
        for start in range(0, len(ids), CHUNK):
            rows += db.session.execute(
                candidates_query(ids[start:start + CHUNK], today.isoformat())).all()
        due: list[reminders.Reminder] = []
        claimed = 0
        if rows:
            directory, user_ids, lent = _directory(rows, dl.ode_escalation_email, today)
            statements = [_statement_due(r, lent) for r in rows]
            due = reminders.due(now, statements, directory, dl.calendar, dl.policy, dl.tz)
            claimed = _claim(due, {r.id: r.file_id for r in rows}, user_ids, now)
        owed, owed_files = report_back_sweep.due(today, dl.calendar)  # the same claim, same transaction
        claimed += _claim(owed, owed_files, {}, now)
        if claimed:
            notify.kick_after_commit()  # inserted with Core: the flush hook cannot see them
    log.info("reminder sweep for %s: %d candidates, %d due, %d report-back reminders due, %d newly claimed",
             today, len(rows), len(due), len(owed), claimed)
    return claimed


# -- the queries -----------------------------------------------------------------


def candidate_ids(window: reminders.CandidateWindow):
    """Ids of the statements that may be due: a UNION of index range scans, sorted."""
    low, high = window.meeting_from, window.meeting_to
    parts = [
        # The item's meeting is agendized_for, else meeting_date. The OR of the two
        # ranges is what the indexes can read (a BitmapOr of two short range scans);
        # the COALESCE keeps only the rows whose *effective* meeting is in range.
        select(Statement.id).join(Item, Item.id == Statement.item_id)
        .where(or_(Item.meeting_date.between(low, high), Item.agendized_for.between(low, high)),
               func.coalesce(Item.agendized_for, Item.meeting_date).between(low, high),
               Statement.state != READY),
    ]
    for state, before in sorted(window.sla_entered_before.items()):
        parts.append(select(Statement.id)
                     .where(Statement.state == State(state), Statement.state_entered_at < before))
    u = union(*parts).subquery("candidates")
    return select(u.c.id).order_by(u.c.id)


def candidates_query(ids: Sequence[int], today_iso: str):
    """The candidates ``ids`` with what ``due()`` needs, in one SELECT.

    Given as a list of ids (not as a sub-select of ``candidate_ids``) so the
    planner knows how many rows it joins: with the sub-select it guessed
    thousands and hashed the whole statements table.
    """
    creator = aliased(HistoryEvent, name="creator")
    author = aliased(User, name="author")
    day = Notification.payload["day"].as_string()
    first_reason = Notification.payload[("reasons", 0)].as_string()
    sent = (select(func.count(distinct(day)))
            .where(Notification.statement_id == Statement.id, Notification.kind == NotificationKind.REMINDER,
                   Notification.created_at >= Statement.state_entered_at,
                   day < today_iso, first_reason != LATE_ONLY,
                   first_reason.notlike(f"{REPORT_BACK}%"))
            .correlate(Statement).scalar_subquery())
    return (
        select(Statement.id, Statement.state, Statement.state_entered_at, Item.file_id,
               func.coalesce(Item.agendized_for, Item.meeting_date).label("meeting_date"),
               Department.id.label("department_id"), Department.code.label("department"),
               Department.escalation_email,
               author.id.label("author_id"), author.email.label("author_email"),
               author.active.label("author_active"), sent.label("sent"), Statement.assignee_id)
        .join(Item, Item.id == Statement.item_id)
        .join(Department, Department.id == Item.department_id)
        .outerjoin(creator, and_(Statement.submitted_by_id.is_(None),
                                 creator.statement_id == Statement.id, creator.seq == 1))
        .outerjoin(author, author.id == func.coalesce(Statement.submitted_by_id, creator.actor_id))
        .where(Statement.id.in_(ids), Statement.state != READY)
        .order_by(Statement.id)
    )


def directory_query(department_ids, contacts):
    conds: list[ColumnElement[bool]] = [User.role.in_([Role.ODE_REVIEWER, Role.CLERK])]
    if department_ids:
        conds.append(and_(User.role == Role.DEPARTMENT_APPROVER,
                          User.department_id.in_(sorted(department_ids))))
    if contacts:
        conds.append(func.lower(User.email).in_(sorted(contacts)))
    return (select(User.id, User.email, User.active, User.role, User.department_id)
            .where(or_(*conds)).order_by(User.id))


def _delegates(day) -> dict[int, list[reminders.Person]]:
    """Each delegator's active delegates on ``day`` (they receive the delegator's reminders)."""
    delegate = aliased(User, name="delegate")
    delegator = aliased(User, name="delegator")
    rows = db.session.execute(
        select(Delegation.delegator_id, delegate.id, delegate.email)
        .join(delegate, delegate.id == Delegation.delegate_id)
        .join(delegator, delegator.id == Delegation.delegator_id)
        .where(Delegation.revoked_at.is_(None), Delegation.starts <= day, Delegation.ends >= day,
               delegate.active.is_(True), delegator.active.is_(True))
        .order_by(Delegation.id)).all()
    lent: dict[int, list[reminders.Person]] = {}
    for delegator_id, delegate_id, email in rows:
        lent.setdefault(delegator_id, []).append(reminders.Person(delegate_id, email, True))
    return lent


def _directory(rows, ode_contact: str | None, day=None
               ) -> tuple[reminders.Directory, dict[str, int], dict[int, list[reminders.Person]]]:
    """The people reminders can go to, the active user behind each known address, and each
    person's delegates of the day (who are listed with the approvers they stand in for)."""
    codes = {r.department_id: r.department for r in rows}
    contacts = {r.department: r.escalation_email for r in rows if r.escalation_email}
    if ode_contact:
        contacts[reminders.ODE_KEY] = ode_contact
    users = db.session.execute(
        directory_query(set(codes), {c.lower() for c in contacts.values()})).all()
    lent = _delegates(day) if day is not None else {}
    approvers: dict[str, list[reminders.Person]] = {}
    ode, clerks, user_ids, inactive = [], [], {}, set()
    for u in users:
        person = reminders.Person(u.id, u.email, bool(u.active))
        if u.active:
            user_ids[u.email.lower()] = u.id
        else:
            inactive.add(u.email.lower())
        if u.role == Role.DEPARTMENT_APPROVER and u.department_id in codes:
            approvers.setdefault(codes[u.department_id], []).append(person)
            if u.active:
                approvers[codes[u.department_id]] += lent.get(u.id, [])
        elif u.role == Role.ODE_REVIEWER:
            ode.append(person)
            lent.setdefault(u.id, []).insert(0, person)  # an assignee heads their own list
        elif u.role == Role.CLERK:
            clerks.append(person)
    for people in lent.values():
        for p in people:
            if p.active:
                user_ids.setdefault(p.email.lower(), p.id)
    escalation = {k: v for k, v in contacts.items() if v.lower() not in inactive}
    return reminders.Directory(department_approvers=approvers, ode_reviewers=ode, clerks=clerks,
                               escalation=escalation), user_ids, lent


def _statement_due(r, lent: dict[int, list[reminders.Person]] | None = None) -> reminders.StatementDue:
    (sid, state, entered, file_id, meeting, _dept_id, dept, _contact,
     author_id, author_email, author_active, sent, assignee_id) = r
    author = None
    if author_id is not None:
        author = reminders.Person(author_id, author_email, bool(author_active))
    assignees = (lent or {}).get(assignee_id, []) if assignee_id is not None else []
    return reminders.StatementDue(
        statement_id=sid, file_id=file_id, department=dept, state=str(state),
        meeting_date=meeting, state_entered_at=entered, author=author,
        reminders_sent_this_step=sent or 0, assignees=tuple(assignees))


# -- the claim --------------------------------------------------------------------


def _in_languages(due: list[reminders.Reminder], file_ids: dict[int, str],
                  user_ids: list[int | None]) -> list[tuple[str, str]]:
    """Each reminder's (subject, message) in its recipient's language (English for an
    address that is nobody's), written as the event notifications' titles are (notify.subject)."""
    known = {u for u in user_ids if u is not None}
    spoken: dict[int, str | None] = {u: lang for u, lang in db.session.execute(
        select(User.id, User.language).where(User.id.in_(sorted(known))))} if known else {}
    out: list[tuple[str, str]] = []
    for r, uid in zip(due, user_ids, strict=True):
        language = language_of(spoken.get(uid) if uid is not None else None) or DEFAULT
        with force_locale(language.locale):
            out.append((translated(reminders.subject(file_ids[r.statement_id], r.reasons)),
                        translated(r.text)))
    return out


def _claim(due: list[reminders.Reminder], file_ids: dict[int, str], user_ids: dict[str, int],
           now: datetime) -> int:
    """Insert one outbox row per reminder unless its key is already claimed; count the new ones."""
    if not due:
        return 0
    recipients = [r.recipient_id or user_ids.get(r.recipient_email.lower()) for r in due]
    words = _in_languages(due, file_ids, recipients)
    rows = [
        {"user_id": uid,
         "email": r.recipient_email, "statement_id": r.statement_id, "dedupe_key": r.key,
         "subject": subject,
         "payload": {"file_id": file_ids[r.statement_id], "reasons": list(r.reasons),
                     "message": message, "day": r.day.isoformat()}}
        for r, uid, (subject, message) in zip(due, recipients, words, strict=True)
    ]
    fixed = {"kind": NotificationKind.REMINDER, "created_at": now,
             "email_status": EmailStatus.PENDING, "attempts": 0, "next_attempt_at": utcnow()}
    table = db.metadata.tables[Notification.__tablename__]
    if db.session.get_bind().dialect.name == "postgresql":
        # One statement, one parameter: the rows travel as a JSON array and the
        # server unpacks them. A multi-row VALUES list would carry 11 parameters
        # a row, and building and parsing that statement costs more than the insert.
        r = (func.json_to_recordset(cast(bindparam("rows", rows, type_=JSON), JSON))
             .table_valued(column("user_id", Integer), column("email", Text),
                           column("statement_id", Integer), column("dedupe_key", Text),
                           column("subject", Text), column("payload", JSON))
             .render_derived("r", with_types=True))
        names = [*rows[0], *fixed]
        source = select(*(r.c[n] for n in rows[0]),
                        *(literal(v, table.c[k].type) for k, v in fixed.items()))
        stmt = (postgresql.insert(table).from_select(names, source)
                .on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(table.c.id))
        return len(db.session.execute(stmt).all())
    stmt = (sqlite.insert(table).on_conflict_do_nothing(index_elements=["dedupe_key"])
            .returning(table.c.id))
    return len(db.session.execute(stmt, [row | fixed for row in rows]).all())
