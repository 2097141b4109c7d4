"""A realistic 10,000-item database for the benchmark, loaded in seconds.

People (departments, users, the clerk's API token) are made through the
app's own operations. Items are bulk-inserted with SQLAlchemy Core, because
walking 10,000 statements through the lifecycle one request at a time would
take longer than the benchmark. The rows are still the rows the lifecycle
would have written: every statement's columns match its state (submitted
ones have a submitter and a revision, approved ones an ``approved_at``), its
history walks create → submit → approve → approve (→ agendize), and only
ready items with a meeting date are agendized, so the CHECK constraints hold.

Two meetings have a known size for the meetings check: ``SMALL_MEETING``
(``SMALL`` items) and ``LARGE_MEETING`` (``LARGE`` items); no other item
is on either. Where the history is hash-chained, the chain is computed with
the model's own ``content_hash``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import Department, HistoryEvent, Item, Statement, StatementRevision
from app.models import history as history_model
from app.models.item import LOCATIONS
from app.operations import people
from workflows import questionnaire
from workflows.statement import State

YEAR = "2026"
SMALL_MEETING, SMALL = date(2027, 1, 5), 10
LARGE_MEETING, LARGE = date(2027, 1, 12), 500
OTHER_MEETINGS = [date(2027, 2, 2) + timedelta(weeks=w) for w in range(40)]
DEPARTMENTS = [("DOU", "Department of Utilities"), ("CDD", "Community Development"),
               ("DOT", "Public Works"), ("YPCE", "Youth, Parks & Community Enrichment"),
               ("FIN", "Finance"), ("HR", "Human Resources"), ("POL", "Police"),
               ("FIR", "Fire")]
# n % 10 -> the statement's state: 30% draft, 20% in each review, 30% ready.
STATES = [State.DRAFT] * 3 + [State.DEPARTMENT_REVIEW] * 2 + [State.ODE_REVIEW] * 2 \
    + [State.READY_TO_AGENDIZE] * 3
# The events that bring a statement to each state, with who fires them.
PATHS = {
    State.DRAFT: [],
    State.DEPARTMENT_REVIEW: [("submit", State.DRAFT, State.DEPARTMENT_REVIEW, "staff")],
    State.ODE_REVIEW: [("submit", State.DRAFT, State.DEPARTMENT_REVIEW, "staff"),
                       ("approve", State.DEPARTMENT_REVIEW, State.ODE_REVIEW, "approver")],
    State.READY_TO_AGENDIZE: [
        ("submit", State.DRAFT, State.DEPARTMENT_REVIEW, "staff"),
        ("approve", State.DEPARTMENT_REVIEW, State.ODE_REVIEW, "approver"),
        ("approve", State.ODE_REVIEW, State.READY_TO_AGENDIZE, "ode")],
}
BATCH = 2000


def file_id(n: int) -> str:
    return f"{YEAR}-{n:05d}"


def meeting_date(n: int) -> date | None:
    if n <= SMALL:
        return SMALL_MEETING
    if n <= SMALL + LARGE:
        return LARGE_MEETING
    if n % 20 == 0:
        return None
    return OTHER_MEETINGS[n % len(OTHER_MEETINGS)]


def fiscal(n: int) -> str | None:
    if n % 23 == 0:
        return None
    if n % 29 == 0:
        return "   "
    return f"Funded from the {n % 7 + 1}th budget line; no new cost to the General Fund."


def people_rows() -> tuple[dict, str]:
    """Departments and users through the real operations; the clerk's token."""
    who: dict = {"staff": {}, "approver": {}}
    for code, name in DEPARTMENTS:
        people.create_department(code, name, escalation_email=f"{code.lower()}-head@bench.reis")
        who["staff"][code] = people.create_user(f"staff.{code.lower()}@bench.reis",
                                                f"{code} Staff", "staff", code)
        who["approver"][code] = people.create_user(f"approver.{code.lower()}@bench.reis",
                                                   f"{code} Approver", "department_approver", code)
    who["ode"] = people.create_user("ode@bench.reis", "ODE Reviewer", "ode_reviewer")
    clerk = people.create_user("clerk@bench.reis", "Bench Clerk", "clerk")
    who["clerk"] = clerk
    return who, people.issue_token(clerk, "bench")


def load(count: int = 10_000) -> str:
    """Fill an empty, migrated database; return the clerk's API token."""
    who, token = people_rows()
    departments = {d.code: d.id for d in db.session.scalars(select(Department))}
    codes = [code for code, _ in DEPARTMENTS]
    start = datetime(2026, 9, 1, 16, 0, tzinfo=UTC)
    answers = questionnaire.example_answers()
    partial = {k: v for i, (k, v) in enumerate(answers.items()) if i < 3}

    plan = []
    for n in range(1, count + 1):
        code = codes[n % len(codes)]
        state = STATES[n % 10]
        when = meeting_date(n)
        money = fiscal(n)
        agendize = (state is State.READY_TO_AGENDIZE and when is not None
                    and bool(money and money.strip()) and n % 3 == 0)
        plan.append((n, code, state, when, money, agendize))

    conn = db.session.connection()
    item_rows = [{
        "file_id": file_id(n), "title": f"Agenda item {n}: {code} contract amendment",
        "department_id": departments[code], "body": "City Council", "meeting_date": when,
        "location": LOCATIONS[n % len(LOCATIONS)],
        "recommendation": "Pass a Resolution authorizing the City Manager to execute the amendment.",
        "contact": f"Contact {n}, {code}", "presenter": f"Presenter {n % 50}",
        "fiscal_statement": money, "agendized": agendize,
        "agendized_for": when if agendize else None,
        "created_at": start + timedelta(minutes=n), "updated_at": start + timedelta(minutes=n),
    } for n, code, state, when, money, agendize in plan]
    if "item_type" in Item.__table__.c:
        for n, row in enumerate(item_rows, start=1):
            row["item_type"] = ("Resolution", "Ordinance", "Motion", "Report")[n % 4]
    _insert(conn, Item.__table__, item_rows)
    item_ids = dict(conn.execute(select(Item.file_id, Item.id)).all())

    statement_rows = []
    for n, code, state, _when, _money, _agendize in plan:
        steps = PATHS[state]
        at = start + timedelta(minutes=n)
        submitted = state is not State.DRAFT
        staff = who["staff"][code]
        statement_rows.append({
            "item_id": item_ids[file_id(n)], "state": state,
            "version": 2 + len(steps) if submitted else (2 if n % 2 else 1),
            "answers": answers if submitted else (partial if n % 2 else {}),
            "state_entered_at": at + timedelta(days=len(steps)),
            "submitted_by_id": staff.id if submitted else None,
            "submitted_at": at + timedelta(days=1) if submitted else None,
            "last_edited_by_id": staff.id if (submitted or n % 2) else None,
            "approved_at": at + timedelta(days=3) if state is State.READY_TO_AGENDIZE else None,
        })
    _insert(conn, Statement.__table__, statement_rows)
    statement_ids = dict(conn.execute(select(Statement.item_id, Statement.id)).all())

    history_rows, revision_rows = [], []
    chained = "hash" in HistoryEvent.__table__.c
    clerk = who["clerk"]
    for n, code, state, when, _money, agendize in plan:
        sid = statement_ids[item_ids[file_id(n)]]
        at = start + timedelta(minutes=n)
        staff = who["staff"][code]
        actors = {"staff": staff, "approver": who["approver"][code], "ode": who["ode"]}
        events = [("create", None, State.DRAFT, staff)]
        events += [(e, f, t, actors[a]) for e, f, t, a in PATHS[state]]
        if agendize:
            events.append(("agendize", state, state, clerk))
        prev_hash = getattr(history_model, "GENESIS", None)
        for seq, (event, from_state, to_state, actor) in enumerate(events, start=1):
            fields = {
                "statement_id": sid, "seq": seq, "event": event,
                "from_state": None if from_state is None else from_state.value,
                "to_state": to_state.value, "actor": actor.email,
                "comment": f"Agendized for {when.isoformat()}." if event == "agendize" else None,
                "at": at + timedelta(days=seq - 1)}
            row = {**fields, "actor_id": actor.id}
            if chained:  # the history is hash-chained: each row seals the one before
                row["prev_hash"] = prev_hash
                row["hash"] = prev_hash = history_model.content_hash(**fields, prev_hash=prev_hash)
            history_rows.append(row)
        if state is not State.DRAFT:
            revision_rows.append({"statement_id": sid, "number": 1, "answers": answers,
                                  "submitted_by_id": staff.id,
                                  "submitted_at": at + timedelta(days=1)})
    _insert(conn, HistoryEvent.__table__, history_rows)
    _insert(conn, StatementRevision.__table__, revision_rows)
    db.session.commit()
    return token


def _insert(conn, table, rows: list[dict]) -> None:
    for i in range(0, len(rows), BATCH):
        conn.execute(table.insert(), rows[i:i + BATCH])
