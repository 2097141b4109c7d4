"""Demonstration data: a few Sacramento departments, one user of each role,
and items in every state, including the real SCORE item 2026-00838.

Idempotent: what already exists is left as it is. The demo passwords are
printed on purpose: they only ever exist in a development database.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Department, Item, User
from app.operations import gate, items, people, statements
from workflows import questionnaire
from workflows.questionnaire import KIND_TEXT

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

SCORE_ITEM = {
    "file_id": "2026-00838",
    "title": "Sacramento Centered on Racial Equity (SCORE) Work Plan",
    "department": "HR",
    "location": "Citywide",
    "body": "City Council",
    "recommendation": "Pass a Motion approving the SCORE Work Plan as the start to operationalize "
                      "racial equity in the City, with the goal of producing material outcomes for "
                      "all residents to thrive and foster a culture of shared partnership between "
                      "community and government.",
    "contact": "Aimée Zenzele Barnes, Diversity & Equity Manager, Office of Diversity & Equity, "
               "Human Resources Department",
    "presenter": "Aimée Zenzele Barnes, Diversity & Equity Manager",
    "fiscal_statement": "Approval of the SCORE Work Plan continues to build upon existing efforts "
                        "to establish shared definitions and metrics in conjunction with evaluation "
                        "of program outcomes and provide potential frameworks to understand the "
                        "impact of decisions on City policy and funding.",
}

SCORE_ANSWERS_TEXT = {
    "proposal": "Approve the SCORE Work Plan as the City's internal roadmap to operationalize "
                "racial equity, aligning resources and priorities with Resolution 2024-0354.",
    "communities_affected": "Black, Indigenous and other communities of color across the City, "
                            "as identified in community listening sessions with the Racial "
                            "Equity Alliance.",
    "disparities_data": "The Citywide Racial Equity Study (funded in 2023) will set a benchmark "
                        "for equity performance measures; the Budget Equity Tool is already "
                        "applied to SURA and SacPD budgets.",
    "community_engagement": "REA and REC listening sessions (2024), the February 24, 2026 "
                            "Community Leader Forum, and written responses to the March 3, 2026 "
                            "Racial Equity Committee questions.",
}


def _answers(overrides: dict | None = None) -> dict:
    """A complete set of answers: plain text for text sections, the first choice otherwise."""
    answers = {}
    for section in questionnaire.SECTIONS:
        if section.kind == KIND_TEXT:
            answers[section.key] = f"Demo answer for {section.title.lower()}."
        elif section.kind == questionnaire.KIND_CHOICES:
            answers[section.key] = [section.choices[0].value]
        else:
            answers[section.key] = section.choices[0].value
    answers.update(overrides or {})
    return answers


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def _item(file_id: str, title: str, department: str, meeting: date | None, state: str,
          fiscal: str | None = "Funded from the adopted budget; no new General Fund cost.") -> None:
    staff = _user("staff@demo.reis" if department == "DOU" else "hr.staff@demo.reis")
    approver = _user("approver@demo.reis" if department == "DOU" else "hr.approver@demo.reis")
    ode, clerk = _user("ode@demo.reis"), _user("clerk@demo.reis")
    data = {"file_id": file_id, "title": title, "department": department, "meeting_date": meeting,
            "location": "Citywide", "fiscal_statement": fiscal}
    items.create_item(staff, data)
    if state == "draft":
        return
    statement = statements.save_answers(staff, file_id, _answers(), version=1)
    statements.fire_event(staff, file_id, "submit", version=statement.version)
    if state == "department_review":
        return
    statements.fire_event(approver, file_id, "approve")
    if state == "ode_review":
        return
    statements.fire_event(ode, file_id, "approve")
    if state == "agendized":
        gate.agendize(clerk, file_id, meeting)


def load() -> Iterator[str]:
    if current_app.config["REIS_ENV"] == "production":
        raise RuntimeError("refusing to load demo data into a production database")
    for code, name, escalation in DEPARTMENTS:
        if db.session.scalar(select(Department.id).where(Department.code == code)) is None:
            people.create_department(code, name, escalation)
    for email, name, role, department, password in USERS:
        if _user(email) is None:
            people.create_user(email, name, role, department, password)
    today = date.today()
    soon = today + timedelta(days=21)
    later = today + timedelta(days=35)
    demo_items = [
        ("2026-01101", "Utility rate assistance (SURA) expansion", "DOU", soon, "draft"),
        ("2026-01102", "Lead service line replacement, Phase 2", "DOU", soon, "department_review"),
        ("2026-01103", "Stormwater fee study contract", "DOU", later, "ode_review"),
        ("2026-01104", "Water meter retrofit contract amendment", "DOU", soon, "ready_to_agendize"),
        ("2026-01105", "Drinking fountains in Oak Park parks", "DOU", soon, "agendized"),
        ("2026-01106", "Utility billing language access", "DOU", later, "draft", None),
    ]
    for file_id, title, department, meeting, state, *fiscal in demo_items:
        if db.session.scalar(select(Item.id).where(Item.file_id == file_id)) is None:
            _item(file_id, title, department, meeting, state, *fiscal)
    if db.session.scalar(select(Item.id).where(Item.file_id == SCORE_ITEM["file_id"])) is None:
        _score_item()
    yield "Demo data loaded."
    yield from accounts()


def accounts() -> Iterator[str]:
    """How to sign in: ``reis demo`` prints it, and ``make run`` again once all is up."""
    yield "Sign in with one of these demo accounts:"
    for email, _name, role, department, password in USERS:
        yield f"  {role:<20} {email:<24} password: {password}" + (
            f"  ({department})" if department else "")


def _score_item() -> None:
    hr_staff, hr_approver = _user("hr.staff@demo.reis"), _user("hr.approver@demo.reis")
    meeting = date.today() + timedelta(days=28)  # agendizing is for meetings to come
    items.create_item(hr_staff, {**SCORE_ITEM, "meeting_date": meeting})
    answers = _answers(SCORE_ANSWERS_TEXT)
    answers["score_goals"] = [c.value for c in questionnaire.get_section("score_goals").choices]
    answers["inequity_levels"] = ["structural", "institutional"]
    file_id = SCORE_ITEM["file_id"]
    statements.save_answers(hr_staff, file_id, answers, version=1)
    statements.fire_event(hr_staff, file_id, "submit")
    statements.fire_event(hr_approver, file_id, "approve")
    statements.fire_event(_user("ode@demo.reis"), file_id, "approve")
    gate.agendize(_user("clerk@demo.reis"), file_id, meeting)
