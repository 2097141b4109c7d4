"""Demonstration data: a few Sacramento departments, one user of each role,
items in every state and every form: the real SCORE item 2026-00838 with a
complete model statement, a short-form item, exemption requests waiting for
ODE (two of them started by ODE's screening rules), and an approved exemption
on the public pages.

Idempotent: what already exists is left as it is. The demo passwords are
printed on purpose: they only ever exist in a development database.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select

from app import dates
from app.demo_score import SCORE_ANSWERS, SCORE_ITEM
from app.extensions import db
from app.models import Department, Item, User
from app.operations import gate, items, people, screening, statements
from workflows import questionnaire
from workflows.screening import QUESTION_KEYS, FormName
from workflows.states import Event

DEPARTMENTS = [
    ("HR", "Human Resources (Office of Diversity & Equity)", "ode-escalation@demo.reis"),
    ("DOU", "Department of Utilities", "dou-director@demo.reis"),
    ("YPCE", "Youth, Parks & Community Enrichment", "ypce-director@demo.reis"),
    ("CDD", "Community Development", "cdd-director@demo.reis"),
]

USERS = [  # email, name, role, department, password
    ("staff@demo.reis", "Dana Staff", "staff", "DOU", "demo-staff"),
    ("approver@demo.reis", "Ari Approver", "department_approver", "DOU", "demo-approver"),
    ("hr.staff@demo.reis", "Hana HR Staff", "staff", "HR", "demo-hr-staff"),
    ("hr.approver@demo.reis", "Harper HR Approver", "department_approver", "HR", "demo-hr-approver"),
    ("ode@demo.reis", "Olu ODE Reviewer", "ode_reviewer", None, "demo-ode"),
    ("clerk@demo.reis", "Casey Clerk", "clerk", None, "demo-clerk"),
    ("admin@demo.reis", "Alex Admin", "admin", None, "demo-admin"),
]

#: ODE's screening rules of the demo: these item types start as exemption requests
RULES = {"Ceremonial Item": "ceremonial", "Minutes": "minutes_procedural"}

SHORT_ITEM = {
    "file_id": "2026-01107", "department": "DOU", "item_type": "Resolution", "location": "Citywide",
    "title": "Join a no-cost regional network that shares anonymized water-quality test results",
    "fiscal_statement": "No cost: membership is free and the results are already collected.",
}
SHORT_ANSWERS = {
    "summary": "The City will share its drinking-water test results, with no personal information, with a "
               "free network of water utilities in the region. Nothing changes for customers.",
    "proposal": "Authorize the Department of Utilities to join the regional water-quality data network and "
                "share the anonymized results of tests it already runs. Desired result: earlier warning of "
                "contamination trends, which reach older neighborhoods first.",
    "communities_affected": "Every water customer, indirectly. No group or place is affected more than "
                            "others: the results are already public in the annual water quality report.",
    "community_engagement": "The Utilities Rate Advisory Commission was told at its October meeting, in "
                            "English with Spanish interpretation; no member asked for changes.",
    "engagement_levels": ["inform"],
    "engagement_levels_how": {"inform": "A report to the Utilities Rate Advisory Commission, whose meetings "
                                        "are public and interpreted into Spanish."},
    "benefits_and_burdens": "Benefit: shared early warning for all customers. Burden: none on residents; "
                            "a few hours a year of laboratory staff time.",
    "short_form_reason": "Every screening answer is no: the item changes no service, spending, rule, place "
                         "or staffing, and shares data that is already public.",
}

#: Exemption requests waiting for ODE: (file ID, title, item type, category, reason); those whose type
#: a rule names start as exemption requests on their own.
EXEMPTIONS = [
    ("2026-01108", "Approve the minutes of the Utilities Rate Advisory Commission meeting of November 12, "
                   "2026", "Minutes", None, None),
    ("2026-01109", "Proclamation: Water Professionals Week, May 2027", "Ceremonial Item", None, None),
    ("2026-01110", "Reappointment of a member of the Utilities Rate Advisory Commission", "Appointment",
     "appointments", "A reappointment to an advisory commission: it changes no service, spending, rule or "
                     "place."),
    ("2026-01111", "Receive and file the quarterly report on utility rate assistance enrollment",
     "Informational Report", "receipt_of_reports",
     "The Council receives a report and makes no decision; the program itself had a full statement."),
]
#: An exemption ODE approved, on an agenda: the public page shows its category and reason.
AGENDIZED_EXEMPTION = ("2026-01112", "Proclamation: Disability Pride Month, July 2027", "Ceremonial Item")
NO_COST = "No fiscal impact."


def _user(email: str) -> User:
    """A demo account (``seed`` makes them first)."""
    user = _account(email)
    assert user is not None, f"{email} is made first"
    return user


def _account(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _exists(file_id: str) -> bool:
    return db.session.scalar(select(Item.id).where(Item.file_id == file_id)) is not None


def _walk(data: dict, state: str, answers: dict | None = None, form: str | None = None,
          screened: dict | None = None) -> None:
    """Create the item as its department's staff, then walk its statement to ``state`` with the
    real operations (answers saved first when given; a rule may have filled them already)."""
    own = data["department"] == "DOU"
    staff = _user("staff@demo.reis" if own else "hr.staff@demo.reis")
    approver = _user("approver@demo.reis" if own else "hr.approver@demo.reis")
    file_id = data["file_id"]
    statement = items.create_item(staff, data).statement
    if answers is not None:
        statement = statements.save(staff, file_id, answers, statement.version, form, screened)
    if state == "draft":
        return
    statements.fire_event(staff, file_id, Event.SUBMIT, version=statement.version)
    if state == "department_review":
        return
    statements.fire_event(approver, file_id, Event.APPROVE)
    if state == "ode_review":
        return
    statements.fire_event(_user("ode@demo.reis"), file_id, Event.APPROVE)
    if state == "agendized":
        gate.agendize(_user("clerk@demo.reis"), file_id, data["meeting_date"])


def load() -> Iterator[str]:
    if current_app.config["REIS_ENV"] == "production":
        raise RuntimeError("refusing to load demo data into a production database")
    for code, name, escalation in DEPARTMENTS:
        if db.session.scalar(select(Department.id).where(Department.code == code)) is None:
            people.create_department(code, name, escalation)
    for email, name, role, department, password in USERS:
        if _account(email) is None:
            people.create_user(email, name, role, department, password)
    ode = _user("ode@demo.reis")
    for rule_type, rule_category in RULES.items():
        if screening.as_map().get(rule_type) != rule_category:
            screening.set_rule(ode, rule_type, rule_category)
    today = dates.today()  # the City's
    soon = today + timedelta(days=21)
    later = today + timedelta(days=35)
    demo_items: list[tuple[Any, ...]] = [
        ("2026-01101", "Utility rate assistance (SURA) expansion", soon, "draft"),
        ("2026-01102", "Lead service line replacement, Phase 2", soon, "department_review"),
        ("2026-01103", "Stormwater fee study contract", later, "ode_review"),
        ("2026-01104", "Water meter retrofit contract amendment", soon, "ready_to_agendize"),
        ("2026-01105", "Drinking fountains in Oak Park parks", soon, "agendized"),
        ("2026-01106", "Utility billing language access", later, "draft", None),
    ]
    example = questionnaire.example_answers()  # the sample answers every question shows
    for file_id, title, meeting, state, *fiscal in demo_items:
        if not _exists(file_id):
            data = {"file_id": file_id, "title": title, "department": "DOU", "meeting_date": meeting,
                    "location": "Citywide",
                    "fiscal_statement": fiscal[0] if fiscal else
                    "Funded from the adopted budget; no new General Fund cost."}
            _walk(data, state, None if state == "draft" else example)
    if not _exists(SCORE_ITEM["file_id"]):
        # on the agenda of a meeting to come (agendizing is for meetings to come)
        _walk({**SCORE_ITEM, "meeting_date": today + timedelta(days=28)}, "agendized", SCORE_ANSWERS)
    if not _exists(SHORT_ITEM["file_id"]):
        _walk({**SHORT_ITEM, "meeting_date": later}, "ode_review", SHORT_ANSWERS, FormName.SHORT,
              dict.fromkeys(QUESTION_KEYS, False))
    for file_id, title, item_type, category, reason in EXEMPTIONS:
        if not _exists(file_id):
            answers = None if category is None else {
                "summary": title, "exemption_category": category, "exemption_reason": reason}
            _walk({"file_id": file_id, "title": title, "department": "DOU", "item_type": item_type,
                   "meeting_date": soon, "fiscal_statement": NO_COST}, "ode_review", answers,
                  FormName.EXEMPTION)
    file_id, title, item_type = AGENDIZED_EXEMPTION
    if not _exists(file_id):
        _walk({"file_id": file_id, "title": title, "department": "DOU", "item_type": item_type,
               "meeting_date": soon, "fiscal_statement": NO_COST}, "agendized")
    yield "Demo data loaded."
    yield from accounts()


def accounts() -> Iterator[str]:
    """How to sign in: ``reis demo`` prints it, and ``make run`` again once all is up."""
    yield "Sign in with one of these demo accounts:"
    for email, _name, role, department, password in USERS:
        yield f"  {role:<20} {email:<24} password: {password}" + (
            f"  ({department})" if department else "")
