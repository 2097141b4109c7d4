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
``department_review``, ODE reviewers for ``ode_review`` (its assignee, when it
has one, with their delegates), the author for ``draft``. The sweep lists
each approver's delegate of the day among the approvers. The escalation
contact: ``escalation["ode"]`` for ``ode_review``, ``escalation[department]``
otherwise. Inactive people never receive anything
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
from datetime import UTC, date, datetime, tzinfo
from types import MappingProxyType

from workflows.deadlines import BusinessCalendar, DeadlinePolicy, cutoff, sla_due
from workflows.i18n import N_, Text, joined
from workflows.reminder_window import (
    CITY_TZ,
    CandidateWindow,
    candidates_window,
    earliest_meeting_date_to_consider,
    latest_meeting_date_to_consider,
    sla_entered_before,
)

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

READY = "ready_to_agendize"
ODE_KEY = "ode"
_STEP_LABEL = {
    "draft": N_("draft"),
    "department_review": N_("department review"),
    "ode_review": N_("ODE review"),
}
SLA_OVERDUE, CUTOFF_PASSED, ESCALATION = "sla_overdue", "cutoff_passed", "escalation"
_CUTOFF_IN = "cutoff_in_"


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
    #: in ODE review: its assignee and their delegates of the day, who are then the step's actors
    #: instead of every ODE reviewer (empty: unassigned, or nobody of them active)
    assignees: Sequence[Person] = ()


@dataclass(frozen=True)
class Reminder:
    key: str
    statement_id: int
    recipient_id: int | None
    recipient_email: str
    reasons: tuple[str, ...]
    day: date
    text: Text  # what it says, translated by the app in the recipient's language

    @property
    def message(self) -> str:
        """What it says, in English."""
        return self.text.english()


# -- what is due ---------------------------------------------------------------


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


def _problem(reason: str, s: StatementDue, step: Text, sla: date | None,
             cut: date | None) -> tuple[Text | None, Text | None]:
    """What one reason says about the statement, and by when it asks (None: nothing to say)."""
    if reason == SLA_OVERDUE and sla is not None:
        return (Text(N_("is past its %(step)s deadline of %(date)s"), {"step": step, "date": sla}),
                Text(N_("today")))
    if cut is None or not s.meeting_date:
        return None, None
    if reason.startswith(_CUTOFF_IN):
        n = int(reason.removeprefix(_CUTOFF_IN))
        return (Text(N_("must be ready to agendize by %(cutoff)s (%(days)s business days away) "
                        "for the %(meeting)s meeting"),
                     {"cutoff": cut, "days": n, "meeting": s.meeting_date}),
                Text(N_("by %(date)s"), {"date": cut}))
    if reason == CUTOFF_PASSED:
        return (Text(N_("was not ready to agendize by the %(cutoff)s cutoff, so the item is late "
                        "for the %(meeting)s meeting"), {"cutoff": cut, "meeting": s.meeting_date}),
                None)
    return None, None


def _ask(s: StatementDue, d: _Draft, step: Text) -> Text | None:
    """What the recipient is asked to do, by their part in the step (None: a clerk's own words)."""
    if "escalation" in d.roles:
        return Text(N_("make sure it is acted on"))
    if "actor" in d.roles:
        return Text(N_("complete and submit it") if s.state == "draft"
                    else N_("approve it or return it with a comment"))
    if "author" in d.roles and d.reasons == [CUTOFF_PASSED]:
        return Text(N_("complete and submit it, and ask the clerk to move the item to a later meeting")
                    if s.state == "draft" else N_("ask the clerk to move the item to a later meeting"))
    if "author" in d.roles:
        return Text(N_("make sure its %(step)s is completed"), {"step": step})
    return None


def _message(s: StatementDue, d: _Draft, sla: date | None, cut: date | None) -> Text:
    step = Text(_STEP_LABEL.get(s.state, s.state.replace("_", " ")))
    problems: list[Text] = []
    whens: list[Text] = []
    for reason in sorted(d.reasons, key=_reason_order):
        problem, when = _problem(reason, s, step, sla, cut)
        problems += [problem] if problem else []
        whens += [when] if when else []
    if "no_actor" in d.roles:
        problems.append(Text(N_("has nobody active able to act on its %(step)s"), {"step": step}))
    action = _ask(s, d, step)
    if action is None:  # a clerk
        request = Text(N_("please keep the item off that agenda or move it to a later meeting"))
    else:  # the most urgent "when" first: today, then the nearest cutoff
        request = Text(N_("please %(action)s %(when)s"),
                       {"action": action, "when": whens[0] if whens else Text(N_("as soon as possible"))})
    return Text(N_("The racial equity statement for file %(file_id)s %(problems)s: %(request)s."),
                {"file_id": s.file_id, "problems": joined(problems), "request": request})


def subject(file_id: str, reasons: Sequence[str]) -> Text:
    """The reminder's title (mail subject and in-app list)."""
    if reasons[0].startswith("report_back_"):
        return Text(N_("Report-back reminder: file %(file_id)s owes a result"), {"file_id": file_id})
    if ESCALATION in reasons:
        return Text(N_("Escalation: the racial equity statement for file %(file_id)s needs attention"),
                    {"file_id": file_id})
    if tuple(reasons) == (CUTOFF_PASSED,):
        return Text(N_("File %(file_id)s is late for its meeting"), {"file_id": file_id})
    return Text(N_("Reminder: the racial equity statement for file %(file_id)s"), {"file_id": file_id})


class _Today:
    """What a sweep's day means for every statement: worked out once per ``due()`` call."""

    def __init__(self, today: date, directory: Directory, calendar: BusinessCalendar,
                 policy: DeadlinePolicy, tz: tzinfo) -> None:
        self.day, self.calendar, self.policy, self.tz = today, calendar, policy, tz
        #: a cutoff on one of these days is ``n`` business days away today
        self.reminder_in = {calendar.add_business_days(today, n): n
                            for n in policy.reminder_days_before_cutoff}
        self.passed_cutoff = calendar.add_business_days(today, -1)
        self.escalation = directory.escalation
        self.active: set[str] = set()  # addresses of active people in the directory
        self.inactive: set[str] = set()  # ... and of inactive ones
        self.clerks = self._note(directory.clerks)
        self.ode = self._note(directory.ode_reviewers)
        self.approvers = {dept: self._note(people)
                          for dept, people in directory.department_approvers.items()}
        self._cutoffs: dict[date | None, date | None] = {}

    def _note(self, people: Iterable[Person]) -> list[Person]:
        """The active people among ``people``, noting every address as active or not."""
        for p in people:
            if p.email:
                (self.active if p.active else self.inactive).add(p.email.casefold())
        return [p for p in people if p.email and p.active]

    def cutoff(self, meeting: date | None) -> date | None:
        if meeting not in self._cutoffs:
            self._cutoffs[meeting] = cutoff(meeting, self.calendar, self.policy)
        return self._cutoffs[meeting]

    def sla(self, s: StatementDue) -> date | None:
        entered = s.state_entered_at
        if entered.tzinfo is None:
            entered = entered.replace(tzinfo=UTC)
        return sla_due(str(s.state), entered.astimezone(self.tz).date(), self.calendar, self.policy)


@dataclass(frozen=True)
class _Step:
    """Who is concerned with one statement's current step."""

    author: list[Person]  # the active author, or nobody
    inactive_author: str | None  # the author's address when the author is inactive
    actors: list[Person]  # who must act on the step (active)
    contact: str | None  # the step's escalation contact


def _step(s: StatementDue, today: _Today) -> _Step:
    state, a = str(s.state), s.author
    author = [a] if a is not None and a.active and a.email else []
    if state == "draft":
        actors = author
    elif state == "ode_review":
        actors = [p for p in s.assignees if p.active and p.email] or today.ode
    else:
        actors = today.approvers.get(s.department, [])
    return _Step(author=author,
                 inactive_author=a.email.casefold() if a is not None and not a.active and a.email
                 else None,
                 actors=actors,
                 contact=today.escalation.get(ODE_KEY if state == "ode_review" else s.department))


def _action_reasons(today: _Today, sla: date | None, cut: date | None) -> list[str]:
    """``sla_overdue`` and ``cutoff_in_{n}``: the reasons that ask someone to act on the step."""
    reasons = []
    if sla is not None and today.day > sla:
        reasons.append(SLA_OVERDUE)
    if cut is not None and cut in today.reminder_in:
        reasons.append(f"{_CUTOFF_IN}{today.reminder_in[cut]}")
    return reasons


def _remind_to_act(drafts: dict[str, _Draft], s: StatementDue, step: _Step, action: list[str],
                   policy: DeadlinePolicy) -> None:
    """The step's actors (and the author of a statement past draft, of a near cutoff);
    the escalation contact when nobody can act or the reminders went unanswered."""
    cutoff_reasons = [r for r in action if r.startswith(_CUTOFF_IN)]
    if str(s.state) != "draft" and cutoff_reasons:
        for p in step.author:
            _add(drafts, p.email, p.id, cutoff_reasons, "author")
    for p in step.actors:
        _add(drafts, p.email, p.id, action, "actor")
    if not step.actors:
        _add(drafts, step.contact, None, [*action, ESCALATION], "escalation")
        _add(drafts, step.contact, None, (), "no_actor")
    elif s.reminders_sent_this_step >= policy.escalate_after_reminders:
        _add(drafts, step.contact, None, [*action, ESCALATION], "escalation")


def _announce_late(drafts: dict[str, _Draft], step: _Step, clerks: list[Person]) -> None:
    """``cutoff_passed``: the author and the clerks; the contact if there is neither."""
    for p in step.author:
        _add(drafts, p.email, p.id, [CUTOFF_PASSED], "author")
    for p in clerks:
        _add(drafts, p.email, p.id, [CUTOFF_PASSED], "clerk")
    if not step.author and not clerks:
        _add(drafts, step.contact, None, [CUTOFF_PASSED, ESCALATION], "escalation")


def _reaches(address: str, step: _Step, today: _Today) -> bool:
    """False for an address that belongs only to inactive people."""
    if address not in today.inactive and address != step.inactive_author:
        return True
    return address in today.active or bool(step.author and step.author[0].email.casefold() == address)


def _for_statement(s: StatementDue, today: _Today) -> list[Reminder]:
    state = str(s.state)
    if state == READY or state not in _STEP_LABEL:
        return []
    step = _step(s, today)
    cut, sla = today.cutoff(s.meeting_date), today.sla(s)
    drafts: dict[str, _Draft] = {}
    action = _action_reasons(today, sla, cut)
    if action:
        _remind_to_act(drafts, s, step, action, today.policy)
    if cut is not None and cut == today.passed_cutoff:
        _announce_late(drafts, step, today.clerks)
    return [
        Reminder(key=f"{s.statement_id}:{k}:{today.day.isoformat()}", statement_id=s.statement_id,
                 recipient_id=d.id, recipient_email=d.email,
                 reasons=tuple(sorted(d.reasons, key=_reason_order)), day=today.day,
                 text=_message(s, d, sla, cut))
        for k, d in sorted(drafts.items()) if d.reasons and _reaches(k, step, today)
    ]


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
    day = now.astimezone(tz).date()
    if not calendar.is_business_day(day):
        return []
    today = _Today(day, directory, calendar, policy, tz)
    reminders = [r for s in statements for r in _for_statement(s, today)]
    reminders.sort(key=lambda r: (r.statement_id, r.recipient_email.casefold()))
    return reminders
