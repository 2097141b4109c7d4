"""What the public may see: approved statements of agendized items, and how they read.

Why one module: the public pages, their JSON feed and the agenda-packet PDF
must agree on what is published and on how an answer is shown. A statement
is published exactly when its item is agendized and the statement is
``ready_to_agendize``; drafts and statements in review never are, and a
statement that is reopened leaves the agenda (unagendize comes first), so it
drops out too. Everything else here is read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import format_number, gettext
from sqlalchemy import func, select

from app.errors import not_found
from app.extensions import db
from app.languages import current
from app.models import HistoryEvent, Item, ReportBack, Statement, User
from app.models.report_back import ReportBackStatus
from app.models.user import Language
from app.operations.legistar_meetings import agenda_order
from workflows import questionnaire, screening
from workflows.screening import FormName
from workflows.statement import State
from workflows.states import Event

_PUBLISHED = (Item.agendized.is_(True), Statement.state == State.READY_TO_AGENDIZE)


@dataclass(frozen=True)
class Answer:
    key: str
    title: str
    prompt: str
    text: str | None  # for text sections
    choices: tuple[str, ...]  # labels, for choice sections
    answered: bool


@dataclass(frozen=True)
class Form:
    """Which form was approved, as a reader sees it; an exemption with its category and reason."""

    name: str
    title: str
    category: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Summary:
    """The plain-language summary as one reader reads it: in their language when the department
    entered a translation, else as written, with a note saying so."""

    text: str
    language: str  # the BCP 47 tag of ``text``
    note: str | None = None  # the summary is not in the reader's language
    original_only: str | None = None  # the rest of the statement is not in the reader's language


#: The language statements are written in; the department may add translations of the summary.
ORIGINAL_LANGUAGE = Language.EN


@dataclass(frozen=True)
class Approvals:
    """When the current version was submitted and approved, and by whom (names)."""

    submitted: datetime | None
    department: datetime | None
    ode: datetime | None
    submitted_by: str | None = None
    department_by: str | None = None
    ode_by: str | None = None


def meeting_dates() -> list[tuple[date, int]]:
    """Meeting dates with published statements, newest first, and how many each has."""
    rows = db.session.execute(
        select(Item.agendized_for, func.count(Item.id)).join(Statement, Statement.item_id == Item.id)
        .where(*_PUBLISHED).group_by(Item.agendized_for).order_by(Item.agendized_for.desc()))
    return [(d, n) for d, n in rows if d is not None]  # (a published item has its meeting date)


def published_report_backs() -> list[tuple[str, str, list]]:
    """(file ID, title, report-backs) of each published item that owes any, newest meeting first:
    one query whatever the number of items."""
    from_rows = db.session.execute(
        select(Item.file_id, Item.title, Item.agendized_for, ReportBack)
        .join(Statement, Statement.item_id == Item.id)
        .join(ReportBack, ReportBack.statement_id == Statement.id)
        .where(*_PUBLISHED, ReportBack.status != ReportBackStatus.WITHDRAWN)
        .order_by(Item.agendized_for.desc(), Item.file_id, ReportBack.n)).all()
    grouped: dict[str, tuple[str, str, list]] = {}
    for file_id, title, _meeting, row in from_rows:
        grouped.setdefault(file_id, (file_id, title, []))[2].append(row)
    return list(grouped.values())


def published_items(meeting_date: date | None = None) -> list[Item]:
    """Published items, by meeting (newest first) and in agenda order within a meeting."""
    query = select(Item).join(Statement, Statement.item_id == Item.id).where(*_PUBLISHED)
    if meeting_date is not None:
        query = query.where(Item.agendized_for == meeting_date)
    found = list(db.session.scalars(query).unique())
    orders = {d: agenda_order(d) for d in {meeting_of(i) for i in found}}
    return sorted(found, key=lambda i: (-meeting_of(i).toordinal(),
                                        orders[meeting_of(i)].get(i.file_id, len(orders[meeting_of(i)])),
                                        i.file_id))


def meeting_of(item: Item) -> date:
    """The meeting of a published item (published means agendized, and an agendized item has
    its date: a CHECK constraint)."""
    assert item.agendized_for is not None
    return item.agendized_for


def published_item(file_id: str) -> Item:
    item = db.session.scalar(select(Item).join(Statement, Statement.item_id == Item.id)
                             .where(Item.file_id == file_id, *_PUBLISHED))
    if item is None:
        raise not_found(gettext("No published statement has file ID “%(file_id)s”.", file_id=file_id))
    return item


def approved_item(file_id: str) -> Item:
    """An item whose statement is approved (ready to agendize), agendized or not: the packet."""
    item = db.session.scalar(select(Item).join(Statement, Statement.item_id == Item.id)
                             .where(Item.file_id == file_id, _PUBLISHED[1]))
    if item is None:
        raise not_found(gettext("Item “%(file_id)s” has no approved statement.", file_id=file_id))
    return item


def approvals(statement: Statement) -> Approvals:
    """When the current version was submitted and approved, and by whom: the latest
    submission, department approval and ODE approval in its history."""
    rows = db.session.execute(
        select(HistoryEvent.event, HistoryEvent.to_state, HistoryEvent.at, User.name, HistoryEvent.actor)
        .outerjoin(User, User.id == HistoryEvent.actor_id)
        .where(HistoryEvent.statement_id == statement.id,
               HistoryEvent.event.in_((Event.SUBMIT, Event.APPROVE)))
        .order_by(HistoryEvent.seq)).all()
    latest: dict[tuple[Event, str], tuple[datetime | None, str | None]] = {
        (event, to): (at, name or actor) for event, to, at, name, actor in rows}
    submitted = latest.get((Event.SUBMIT, State.DEPARTMENT_REVIEW.value), (None, None))
    department = latest.get((Event.APPROVE, State.ODE_REVIEW.value), (None, None))
    ode = latest.get((Event.APPROVE, State.READY_TO_AGENDIZE.value), (None, None))
    return Approvals(submitted=statement.submitted_at or submitted[0], department=department[0],
                     ode=statement.approved_at or ode[0], submitted_by=submitted[1],
                     department_by=department[1], ode_by=ode[1])


def form(statement: Statement) -> Form:
    name = FormName(statement.form)
    if name != FormName.EXEMPTION:
        return Form(name.value, gettext(screening.FORM_TITLES[name]))
    given = statement.answers or {}
    key = given.get("exemption_category")
    category = gettext(screening.category(key).label) if key in screening.CATEGORY_KEYS else None
    return Form(name.value, gettext(screening.FORM_TITLES[name]), category, given.get("exemption_reason"))


def answers(statement: Statement) -> list[Answer]:
    """Every section of the statement's form, in the order asked, with its answer as a person
    reads it: text as written, choices by their labels, each explanation and indicator a line.
    The questions and labels are in the reader's language; the answers as the department wrote them."""
    given = statement.answers or {}
    return [_answer(section, given.get(section.key)) for section in statement.questions.sections]


def _answer(section: questionnaire.Section, value) -> Answer:
    text = None
    if section.kind == questionnaire.KIND_TEXT:
        text = value if isinstance(value, str) and value.strip() else None
    elif section.kind == questionnaire.KIND_NUMBER:
        text = format_number(value) if isinstance(value, int) else None
    return Answer(section.key, gettext(section.title), gettext(section.prompt), text,
                  tuple(section.lines(value, gettext)), section.is_answered(value))


def summary(statement: Statement, reader: Language | None = None) -> Summary | None:
    """The summary in ``reader``'s language (default: the language of the page being written)."""
    reader = reader or current()
    original = (statement.answers or {}).get("summary")
    if not (isinstance(original, str) and original.strip()):
        return None
    original_only = None if reader is ORIGINAL_LANGUAGE else gettext(
        "The full statement is available only in its original language, %(language)s.",
        language=ORIGINAL_LANGUAGE.label)
    translated = translations(statement).get(reader.value)
    if reader is ORIGINAL_LANGUAGE or translated:
        return Summary(translated or original, reader.value, None, original_only)
    return Summary(original, ORIGINAL_LANGUAGE.value,
                   gettext("This summary has not been translated into your language yet."), original_only)


def translations(statement: Statement) -> dict[str, str]:
    """The summary's translations entered by the department, by BCP 47 tag."""
    return statement.summary_translations or {}
