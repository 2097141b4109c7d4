"""Rows for tests, made through the same operations the app uses."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.models import User
from app.operations import items, people, statements
from workflows import questionnaire, screening


def complete_answers(form: str = "full") -> dict:
    """A complete statement of that form (current version): every section's example."""
    return questionnaire.example_answers(form)


@dataclass
class Person:
    user: User
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    @property
    def email(self) -> str:
        return self.user.email


@dataclass
class World:
    people: dict[str, Person] = field(default_factory=dict)

    @classmethod
    def build(cls) -> World:
        world = cls()
        people.create_department("DOU", "Department of Utilities")
        people.create_department("CDD", "Community Development")
        for key, role, dept in [
            ("staff", "staff", "DOU"), ("staff2", "staff", "DOU"),
            ("approver", "department_approver", "DOU"), ("approver2", "department_approver", "DOU"),
            ("other_staff", "staff", "CDD"), ("other_approver", "department_approver", "CDD"),
            ("ode", "ode_reviewer", None), ("ode2", "ode_reviewer", None),
            ("clerk", "clerk", None), ("admin", "admin", None),
        ]:
            user = people.create_user(f"{key}@test.reis", key.title(), role, dept, password=None)
            world.people[key] = Person(user, people.issue_token(user))
        return world

    def __getitem__(self, key: str) -> Person:
        return self.people[key]

    def item(self, file_id: str = "2026-00001", *, state: str = "draft", department: str = "DOU",
             fiscal: str | None = "Funded.", meeting_date=None, form: str | None = None, **fields):
        """An item whose statement of ``form`` (default: the one it starts with) is in ``state``,
        walked there by real events; a short form is screened all "no"."""
        import datetime as dt

        author = self["staff"] if department == "DOU" else self["other_staff"]
        approver = self["approver"] if department == "DOU" else self["other_approver"]
        data = {"file_id": file_id, "title": f"Item {file_id}", "department": department,
                "fiscal_statement": fiscal,
                "meeting_date": meeting_date or dt.date(2027, 3, 2), **fields}
        statement = items.create_item(author.user, data).statement
        form = form or statement.form.value
        screened = dict.fromkeys(screening.QUESTION_KEYS, False) if form == "short" else None
        if state == "draft":
            if form != statement.form:
                statements.save(author.user, file_id, {}, statement.version, form, screened)
            return
        statements.save(author.user, file_id, complete_answers(form), statement.version, form, screened)
        statements.fire_event(author.user, file_id, "submit")
        if state == "department_review":
            return
        statements.fire_event(approver.user, file_id, "approve")
        if state == "ode_review":
            return
        statements.fire_event(self["ode"].user, file_id, "approve")
        assert state == "ready_to_agendize", state
