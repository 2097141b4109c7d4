"""Which reminders are due now, to whom and why.

Why this module exists: DESIGN.md forbids scheduling reminders as delayed
Celery tasks. Beat runs a sweep every few minutes; the sweep loads the
statements that may be due (see ``candidates_window``), asks ``due()`` what is
due *now*, and claims each ``Reminder.key`` with a unique row before writing
the outbox. So this function must be pure and deterministic: the same inputs
on the same City business day give the same reminders with the same keys, and
a second sweep, a retry or a second beat claims nothing new.

Why it looks like this: the rules (DESIGN.md, "Deadlines") are written once
here, on plain dataclasses, so they are unit-tested without a database and the
sweep stays a thin loader. It is linear in the statements given; per-call work
that does not depend on a statement (today's targets, each meeting's cutoff)
is computed once.

The rules, for a statement not yet ``ready_to_agendize``, on a business day:

* ``sla_overdue``: the review step is past its SLA; to the step's actors.
* ``cutoff_in_{n}``: exactly ``n`` business days from today to the cutoff
  (``n`` in ``policy.reminder_days_before_cutoff``); to the author and the
  step's actors (in ``draft`` the author is the actor).
* ``cutoff_passed``: today is the first business day after the cutoff; to the
  author and the clerks, once (the item is late for that meeting).
* ``escalation``: when an action reminder (the two above, not the late notice)
  goes out and ``reminders_sent_this_step >= policy.escalate_after_reminders``,
  the step's escalation contact is copied. When nobody active can act on the
  step, the escalation contact receives the action reminder instead.

The step's actors: department approvers of the statement's department for
``department_review``, ODE reviewers for ``ode_review``, the author for
``draft``. The escalation contact: ``escalation["ode"]`` for ``ode_review``,
``escalation[department]`` otherwise. Inactive people never receive anything
(an escalation address that belongs only to inactive people included). One
reminder per recipient (by e-mail, case-insensitive), statement and day.

``reminders_sent_this_step`` must count the business days *before today* on
which a reminder for the current step was sent, not today's: otherwise a
second sweep on the same day would see a different count and copy the
escalation contact on a day the first sweep did not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from types import MappingProxyType
from zoneinfo import ZoneInfo

from workflows.deadlines import BusinessCalendar, DeadlinePolicy, cutoff, sla_due

__all__ = [
    "CITY_TZ",
    "CandidateWindow",
    "Directory",
    "Person",
    "Reminder",
    "StatementDue",
    "candidates_window",
    "due",
    "earliest_meeting_date_to_consider",
    "latest_meeting_date_to_consider",
    "sla_entered_before",
]

CITY_TZ = ZoneInfo("America/Los_Angeles")
READY = "ready_to_agendize"
ODE_KEY = "ode"
_ONE_DAY = timedelta(days=1)
_STEP_LABEL = {
    "draft": "draft",
    "department_review": "department review",
    "ode_review": "ODE review",
}


@dataclass(frozen=True)
class Person:
    id: int
    email: str
    active: bool = True


@dataclass(frozen=True)
class Directory:
    """The people a reminder can go to; authors come with each statement."""

    department_approvers: Mapping[str, Sequence[Person]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    ode_reviewers: Sequence[Person] = ()
    clerks: Sequence[Person] = ()
    escalation: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class StatementDue:
    """What the sweep knows of one statement (a naive ``state_entered_at`` is taken as UTC)."""

    statement_id: int
    file_id: str
    department: str
    state: str
    meeting_date: date | None
    state_entered_at: datetime
    author: Person | None
    reminders_sent_this_step: int = 0


@dataclass(frozen=True)
class Reminder:
    key: str
    statement_id: int
    recipient_id: int | None
    recipient_email: str
    reasons: tuple[str, ...]
    day: date
    message: str


@dataclass(frozen=True)
class CandidateWindow:
    """What the sweep must load: state != ready_to_agendize and (meeting_date in
    [meeting_from, meeting_to] or state_entered_at < sla_entered_before[state])."""

    meeting_from: date
    meeting_to: date
    sla_entered_before: Mapping[str, datetime]


# -- the sweep's pre-filter ------------------------------------------------


def _cutoff_range(
    today: date, calendar: BusinessCalendar, policy: DeadlinePolicy
) -> tuple[date, date]:
    """Cutoffs that can produce a reminder today: previous business day to the furthest reminder."""
    furthest = max(policy.reminder_days_before_cutoff, default=0)
    return calendar.add_business_days(today, -1), calendar.add_business_days(today, furthest)


def _meeting_cutoff(m: date, calendar: BusinessCalendar, policy: DeadlinePolicy) -> date:
    c = cutoff(m, calendar, policy)
    assert c is not None
    return c


def earliest_meeting_date_to_consider(
    today: date, calendar: BusinessCalendar, policy: DeadlinePolicy
) -> date:
    """The earliest meeting date whose cutoff can produce a reminder (``cutoff_passed``) today."""
    low, _ = _cutoff_range(today, calendar, policy)
    m = calendar.add_business_days(low, policy.cutoff_business_days)
    while _meeting_cutoff(m, calendar, policy) < low:
        m += _ONE_DAY
    while _meeting_cutoff(m - _ONE_DAY, calendar, policy) >= low:
        m -= _ONE_DAY
    return m


def latest_meeting_date_to_consider(
    today: date, calendar: BusinessCalendar, policy: DeadlinePolicy
) -> date:
    """The latest meeting date whose cutoff can produce a reminder (``cutoff_in_{max n}``) today."""
    _, high = _cutoff_range(today, calendar, policy)
    m = calendar.add_business_days(high, policy.cutoff_business_days)
    while _meeting_cutoff(m, calendar, policy) > high:
        m -= _ONE_DAY
    while _meeting_cutoff(m + _ONE_DAY, calendar, policy) <= high:
        m += _ONE_DAY
    return m


def sla_entered_before(
    today: date,
    state: str,
    calendar: BusinessCalendar,
    policy: DeadlinePolicy,
    tz: tzinfo = CITY_TZ,
) -> datetime | None:
    """The UTC instant before which entering ``state`` makes the step overdue today.

    None when ``state`` has no SLA. Overdue means ``today > sla_due(entered_on)``.
    """
    if str(state) not in policy.sla_business_days:
        return None

    def overdue(entered_on: date) -> bool:
        due_on = sla_due(state, entered_on, calendar, policy)
        return due_on is not None and due_on < today

    e = today - _ONE_DAY
    while not overdue(e):
        e -= _ONE_DAY
    while overdue(e + _ONE_DAY):
        e += _ONE_DAY
    return datetime.combine(e + _ONE_DAY, time(0), tzinfo=tz).astimezone(UTC)


def candidates_window(
    today: date, calendar: BusinessCalendar, policy: DeadlinePolicy, tz: tzinfo = CITY_TZ
) -> CandidateWindow:
    """Everything the sweep needs to pre-filter statements for ``due()`` on ``today``."""
    before = {
        s: instant
        for s in policy.sla_business_days
        if (instant := sla_entered_before(today, s, calendar, policy, tz)) is not None
    }
    return CandidateWindow(
        meeting_from=earliest_meeting_date_to_consider(today, calendar, policy),
        meeting_to=latest_meeting_date_to_consider(today, calendar, policy),
        sla_entered_before=MappingProxyType(before),
    )


# -- what is due ---------------------------------------------------------------


def _fmt(d: date) -> str:
    return f"{d:%a %b} {d.day}, {d.year}"


class _Draft:
    """The reasons and roles collected for one recipient of one statement."""

    __slots__ = ("email", "id", "reasons", "roles")

    def __init__(self, email: str) -> None:
        self.email = email
        self.id: int | None = None
        self.reasons: list[str] = []
        self.roles: set[str] = set()


def _add(
    drafts: dict[str, _Draft], email: str | None, pid: int | None, reasons: Iterable[str], role: str
) -> None:
    """Merge ``reasons`` into the one draft per (case-insensitive) address."""
    if not email:
        return
    d = drafts.get(email.casefold())
    if d is None:
        d = drafts[email.casefold()] = _Draft(email)
    if pid is not None and d.id is None:
        d.id = pid
    d.reasons.extend(r for r in reasons if r not in d.reasons)
    d.roles.add(role)


def _reason_order(reason: str) -> tuple[int, int]:
    if reason == "sla_overdue":
        return (0, 0)
    if reason.startswith("cutoff_in_"):
        return (1, -int(reason.removeprefix("cutoff_in_")))
    return (2, 0) if reason == "cutoff_passed" else (3, 0)


def _message(s: StatementDue, d: _Draft, sla: date | None, cut: date | None) -> str:
    step = _STEP_LABEL.get(s.state, s.state.replace("_", " "))
    problems: list[str] = []
    when = "as soon as possible"
    for reason in sorted(d.reasons, key=_reason_order):
        if reason == "sla_overdue" and sla is not None:
            problems.append(f"is past its {step} deadline of {_fmt(sla)}")
            when = "today"
        elif reason.startswith("cutoff_in_") and cut is not None and s.meeting_date:
            n = reason.removeprefix("cutoff_in_")
            problems.append(
                f"must be ready to agendize by {_fmt(cut)} ({n} business days away) "
                f"for the {_fmt(s.meeting_date)} meeting"
            )
            if when != "today":
                when = f"by {_fmt(cut)}"
        elif reason == "cutoff_passed" and cut is not None and s.meeting_date:
            problems.append(
                f"was not ready to agendize by the {_fmt(cut)} cutoff, so the item is late "
                f"for the {_fmt(s.meeting_date)} meeting"
            )
    if "no_actor" in d.roles:
        problems.append(f"has nobody active able to act on its {step}")
    if "escalation" in d.roles:
        action = "make sure it is acted on"
    elif "actor" in d.roles:
        action = (
            "complete and submit it"
            if s.state == "draft"
            else "approve it or return it with a comment"
        )
    elif "author" in d.roles and d.reasons == ["cutoff_passed"]:
        action = "ask the clerk to move the item to a later meeting"
        if s.state == "draft":
            action = "complete and submit it, and " + action
    elif "author" in d.roles:
        action = f"make sure its {step} is completed"
    else:  # clerk
        action, when = "keep the item off that agenda or move it to a later meeting", ""
    text = f"please {action} {when}".rstrip()
    return f"The racial equity statement for file {s.file_id} {' and '.join(problems)}: {text}."


def due(
    now: datetime,
    statements: Iterable[StatementDue],
    directory: Directory,
    calendar: BusinessCalendar,
    policy: DeadlinePolicy,
    tz: tzinfo = CITY_TZ,
) -> list[Reminder]:
    """The reminders due on the City business day containing ``now`` (aware), sorted.

    Returns [] on a weekend or holiday. See the module docstring for the rules.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    today = now.astimezone(tz).date()
    if not calendar.is_business_day(today):
        return []

    reminder_in = {
        calendar.add_business_days(today, n): n for n in policy.reminder_days_before_cutoff
    }
    passed_cutoff = calendar.add_business_days(today, -1)
    cutoffs: dict[date | None, date | None] = {}

    active_emails: set[str] = set()
    inactive_emails: set[str] = set()

    def note(people: Iterable[Person]) -> list[Person]:
        out = []
        for p in people:
            if p.email:
                (active_emails if p.active else inactive_emails).add(p.email.casefold())
                if p.active:
                    out.append(p)
        return out

    clerks = note(directory.clerks)
    ode = note(directory.ode_reviewers)
    approvers = {dept: note(people) for dept, people in directory.department_approvers.items()}

    reminders: list[Reminder] = []
    for s in statements:
        state = str(s.state)
        if state == READY or state not in _STEP_LABEL:
            continue
        a = s.author
        author = [a] if a is not None and a.active and a.email else []
        inactive_author = a.email.casefold() if a is not None and not a.active and a.email else None
        if state == "draft":
            actors = author
        elif state == "ode_review":
            actors = ode
        else:
            actors = approvers.get(s.department, [])
        contact = directory.escalation.get(ODE_KEY if state == "ode_review" else s.department)

        if s.meeting_date not in cutoffs:
            cutoffs[s.meeting_date] = cutoff(s.meeting_date, calendar, policy)
        cut = cutoffs[s.meeting_date]
        entered = s.state_entered_at
        if entered.tzinfo is None:
            entered = entered.replace(tzinfo=UTC)
        sla = sla_due(state, entered.astimezone(tz).date(), calendar, policy)

        action: list[str] = []
        if sla is not None and today > sla:
            action.append("sla_overdue")
        if cut is not None and cut in reminder_in:
            action.append(f"cutoff_in_{reminder_in[cut]}")
        late = cut is not None and cut == passed_cutoff

        drafts: dict[str, _Draft] = {}
        if action:
            cutoff_reasons = [r for r in action if r.startswith("cutoff_in_")]
            if state != "draft" and cutoff_reasons:
                for p in author:
                    _add(drafts, p.email, p.id, cutoff_reasons, "author")
            for p in actors:
                _add(drafts, p.email, p.id, action, "actor")
            if not actors:
                _add(drafts, contact, None, [*action, "escalation"], "escalation")
                _add(drafts, contact, None, (), "no_actor")
            elif s.reminders_sent_this_step >= policy.escalate_after_reminders:
                _add(drafts, contact, None, [*action, "escalation"], "escalation")
        if late:
            for p in author:
                _add(drafts, p.email, p.id, ["cutoff_passed"], "author")
            for p in clerks:
                _add(drafts, p.email, p.id, ["cutoff_passed"], "clerk")
            if not author and not clerks:
                _add(drafts, contact, None, ["cutoff_passed", "escalation"], "escalation")

        for k in sorted(drafts):
            d = drafts[k]
            if (
                (k in inactive_emails or k == inactive_author)
                and k not in active_emails
                and not (author and author[0].email.casefold() == k)
            ):
                continue  # an address that belongs only to inactive people
            reasons = tuple(sorted(d.reasons, key=_reason_order))
            if not reasons:
                continue
            reminders.append(
                Reminder(
                    key=f"{s.statement_id}:{k}:{today.isoformat()}",
                    statement_id=s.statement_id,
                    recipient_id=d.id,
                    recipient_email=d.email,
                    reasons=reasons,
                    day=today,
                    message=_message(s, d, sla, cut),
                )
            )
    reminders.sort(key=lambda r: (r.statement_id, r.recipient_email.casefold()))
    return reminders
