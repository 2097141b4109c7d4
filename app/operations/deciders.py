"""Who may take a statement's next decision now, and what happens when nobody can.

``eligible`` builds the people whose job the decision is (the department's
approvers in department review, the ODE reviewers in ODE review) and everyone
who holds one of their grants today through a delegation, as ``Actor``s, and
asks the pure rule (``workflows.delegation.eligible``), separation of duties
included. Admins can always step in and are not listed.

A statement in a review state with nobody eligible is **stalled**. ``refresh``
runs in the transaction of every lifecycle event and in the daily sweep: it
stamps ``stalled_since`` and tells every active admin at once (one
notification per admin, statement and round, or per City day from the sweep,
claimed by ``dedupe_key``), or clears the stamp when someone can decide again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime

from flask_babel import gettext
from sqlalchemy import Connection, and_, bindparam, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased, joinedload

from app import dates
from app.extensions import db
from app.models import Delegation, Department, Item, Notification, Statement, User
from app.models.base import utcnow
from app.models.notification import EmailStatus, NotificationKind
from app.models.user import actor_of_row
from app.operations import notify
from workflows import delegation as rules
from workflows.permissions import Actor, Facts, Role
from workflows.statement import STATE_WORDS
from workflows.states import REVIEW_STATES, State

_LENDER, _OWN, _LENT = aliased(User, name="lender"), aliased(Department), aliased(Department)
#: Each candidate (an ODE reviewer, an approver of the departments ``ids`` or of the department
#: coded ``code``, or anyone holding a delegation on ``day``) with their department's code and,
#: per row, one active delegator of theirs with that delegator's. Built once: the statement's
#: read path asks it on every GET in review, and building the select cost more than running it.
_CANDIDATES = (
    select(User.id, User.email, User.role, _OWN.code, _LENDER.id, _LENDER.role, _LENT.code)
    .outerjoin(_OWN, _OWN.id == User.department_id)
    .outerjoin(Delegation, and_(Delegation.delegate_id == User.id, Delegation.revoked_at.is_(None),
                                Delegation.starts <= bindparam("day"), Delegation.ends >= bindparam("day")))
    .outerjoin(_LENDER, (_LENDER.id == Delegation.delegator_id) & _LENDER.active.is_(True))
    .outerjoin(_LENT, _LENT.id == _LENDER.department_id)
    .where(User.active.is_(True),
           or_(User.role == Role.ODE_REVIEWER, _LENDER.id.is_not(None),
               (User.role == Role.DEPARTMENT_APPROVER)
               & or_(User.department_id.in_(bindparam("ids", expanding=True)),
                     _OWN.code == bindparam("code"))))
    .order_by(User.id, Delegation.id))


class Pool:
    """Everyone who might decide today, as actors with today's delegators, loaded once."""

    def __init__(self, department_ids: Iterable[int], day: date, department: str | None = None,
                 conn: Connection | None = None) -> None:
        """``department``: a department's code, besides (or instead of) ``department_ids``;
        ``conn``: a read path's own connection (else the session's)."""
        rows = (conn or db.session).execute(_CANDIDATES, {"day": day, "ids": sorted(set(department_ids)),
                                                "code": department}).all()
        self.emails: dict[int, str] = {}
        own_actor: dict[int, Actor] = {}
        lent_by: dict[int, list[Actor]] = {}
        for user_id, email, role, code, lender_id, lender_role, lender_code in rows:
            self.emails[user_id] = email
            own_actor[user_id] = actor_of_row(user_id, role, code)
            if lender_id is not None:
                lent_by.setdefault(user_id, []).append(actor_of_row(lender_id, lender_role, lender_code))
        self.actors: list[Actor] = [rules.with_delegators(actor, lent_by.get(user_id, []))
                                    for user_id, actor in own_actor.items()]

    def eligible_ids(self, facts: Facts) -> list[int]:
        """The eligible candidates' ids, by email."""
        return sorted(rules.eligible(facts, self.actors), key=lambda i: self.emails[i].lower())

    def eligible(self, statement: Statement, facts: Facts | None = None) -> list[User]:
        ids = self.eligible_ids(facts or statement.facts())
        if not ids:
            return []
        found = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
        return [found[i] for i in ids]


def eligible_for(facts: Facts, day: date | None = None, conn: Connection | None = None) -> list[str]:
    """The emails of those eligible, from a statement's facts (a read path that loaded no
    ``Statement``)."""
    if facts.state not in REVIEW_STATES:
        return []
    pool = Pool([], day or dates.today(), department=facts.department, conn=conn)
    return [pool.emails[i] for i in pool.eligible_ids(facts)]


def eligible(statement: Statement, day: date | None = None) -> list[User]:
    """The people whose job the next decision is and who may take it now (none outside review)."""
    if statement.state not in REVIEW_STATES:
        return []
    return Pool([statement.item.department_id], day or dates.today()).eligible(statement)


def after_submit(statement: Statement, submitter: User) -> list[User]:
    """Who could approve the statement if ``submitter`` submitted it now (the submit page warns
    when nobody could: the statement would stall at once)."""
    facts = replace(statement.facts(), state=State.DEPARTMENT_REVIEW, submitted_by=submitter.id,
                    department_approved_by=None)
    return Pool([statement.item.department_id], dates.today()).eligible(statement, facts)


def _in_review() -> list[Statement]:
    return list(db.session.scalars(
        select(Statement).join(Statement.item).options(joinedload(Statement.item))
        .where(Statement.state.in_(REVIEW_STATES)).order_by(Item.file_id)))


def stalled(day: date | None = None) -> list[tuple[Statement, datetime]]:
    """Every statement in a review state that nobody can decide now, with since when."""
    found = _in_review()
    pool = Pool({s.item.department_id for s in found}, day or dates.today())
    return [(s, s.stalled_since or s.state_entered_at) for s in found if not pool.eligible(s)]


def refresh(statement: Statement, *, key: str | None = None) -> bool:
    """Stamp or clear ``stalled_since``; on a new stall tell the admins. Is it stalled?

    ``key`` names the occasion the admins are told for (default: this round of the
    current state), so one occasion tells each admin once.
    """
    is_stalled = statement.state in REVIEW_STATES and not eligible(statement)
    if not is_stalled:
        if statement.stalled_since is not None:
            statement.stalled_since = None
        return False
    if statement.stalled_since is None:
        statement.stalled_since = utcnow()
        key = key or _round(statement)
    if key is not None:
        tell_admins(statement, key)
    return True


def _round(statement: Statement) -> str:
    """The occasion of a stall found by an event: this round of the current state."""
    return f"{statement.state.value}:{statement.state_entered_at.isoformat()}"


def tell_admins(statement: Statement, key: str) -> int:
    """One STALLED notification per active admin for ``key``; how many were new."""
    admins = list(db.session.scalars(select(User).where(User.role == Role.ADMIN, User.active.is_(True))
                                     .order_by(User.id)))
    if not admins:
        return 0
    item = statement.item
    rows = []
    for a in admins:
        with notify.in_language(a.language):
            message = gettext(
                "Nobody can take the next decision on the racial equity statement for %(file_id)s "
                "(%(title)s) in %(state)s: an administrator can decide it, name a delegate, or give "
                "the department another approver.",
                file_id=item.file_id, title=item.title, state=gettext(STATE_WORDS[statement.state]))
            subject = gettext("[REIS] %(file_id)s is stalled: nobody can decide it", file_id=item.file_id)
        rows.append(
            {"user_id": a.id, "email": a.email, "kind": NotificationKind.STALLED,
             "statement_id": statement.id, "dedupe_key": f"stalled:{statement.id}:{a.id}:{key}",
             "subject": subject,
             "payload": {"file_id": item.file_id, "title": item.title, "state": statement.state.value,
                         "message": message},
             "created_at": utcnow(), "email_status": EmailStatus.PENDING, "attempts": 0,
             "next_attempt_at": utcnow()})
    return insert_once(rows)


def insert_once(rows: list[dict]) -> int:
    """Insert notification rows whose ``dedupe_key`` is not yet claimed; count the new ones."""
    if not rows:
        return 0
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    table = Notification.__table__
    stmt = (dialect.insert(table).on_conflict_do_nothing(index_elements=["dedupe_key"])
            .returning(table.c.id))
    claimed = len(db.session.execute(stmt, rows).all())
    if claimed:
        notify.kick_after_commit()
    return claimed


def sweep(now: datetime) -> int:
    """The daily look (on a business day): stamp or clear every review's stall, and tell
    the admins of each stalled statement today; how many notifications were new."""
    return recheck(now, daily=True)


def recheck(now: datetime, *, daily: bool = False) -> int:
    """Stamp or clear the stall of every statement in review (after a change of people or
    delegations); the admins are told of each new stall, or (``daily``) of each stall today."""
    day = now.astimezone(dates.zone()).date()
    found = _in_review()
    pool = Pool({s.item.department_id for s in found}, day)
    told = 0
    for statement in found:
        if pool.eligible(statement):
            if statement.stalled_since is not None:
                statement.stalled_since = None
            continue
        new = statement.stalled_since is None
        if new:
            statement.stalled_since = now
        if daily or new:
            told += tell_admins(statement, day.isoformat() if daily else _round(statement))
    return told
