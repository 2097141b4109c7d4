"""Which reminders are due, to whom and why (DESIGN.md, "Deadlines").

The scenario dates are around Thanksgiving 2026 (Thu Nov 26 and Fri Nov 27 are
California holidays):

* meeting Tue Dec 15 2026 -> cutoff Tue Dec 1: cutoff_in_5 on Fri Nov 20,
  cutoff_in_2 on Wed Nov 25, cutoff_passed on Wed Dec 2;
* meeting Tue Dec 8 2026 -> cutoff Fri Nov 20: cutoff_in_5 on Fri Nov 13,
  cutoff_in_2 on Wed Nov 18, cutoff_passed on Mon Nov 23;
* department review entered Thu Nov 19 -> due Tue Nov 24, overdue from Wed Nov 25.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from workflows.deadlines import BusinessCalendar, DeadlinePolicy, cutoff
from workflows.reminders import (
    CITY_TZ,
    Directory,
    Person,
    StatementDue,
    candidates_window,
    due,
    earliest_meeting_date_to_consider,
    latest_meeting_date_to_consider,
    sla_entered_before,
)

D = date
CAL = BusinessCalendar()
POLICY = DeadlinePolicy()

AUTHOR = Person(1, "author@cityofsacramento.org")
ANN = Person(10, "ann@cityofsacramento.org")
BOB = Person(11, "bob@cityofsacramento.org")
GONE = Person(12, "gone@cityofsacramento.org", active=False)
ODE1 = Person(20, "ode1@cityofsacramento.org")
ODE2 = Person(21, "ode2@cityofsacramento.org")
CLERK = Person(30, "clerk@cityofsacramento.org")
DOT_HEAD = "dot-director@cityofsacramento.org"
ODE_HEAD = "ode-manager@cityofsacramento.org"
PW_HEAD = "pw-director@cityofsacramento.org"

DIRECTORY = Directory(
    department_approvers={"DOT": [ANN, BOB, GONE], "PW": [GONE]},
    ode_reviewers=[ODE1, ODE2],
    clerks=[CLERK],
    escalation={"DOT": DOT_HEAD, "PW": PW_HEAD, "ode": ODE_HEAD},
)


DEC_15 = D(2026, 12, 15)
NOV_19 = D(2026, 11, 19)


def at(d: date, hour: int = 9) -> datetime:
    """An aware instant on City-local day ``d``."""
    return datetime.combine(d, time(hour), tzinfo=CITY_TZ)


def stmt(
    sid: int = 1,
    state: str = "department_review",
    meeting: date | None = DEC_15,
    entered: date = NOV_19,
    department: str = "DOT",
    author: Person | None = AUTHOR,
    sent: int = 0,
) -> StatementDue:
    return StatementDue(
        statement_id=sid,
        file_id=f"2026-{sid:05d}",
        department=department,
        state=state,
        meeting_date=meeting,
        state_entered_at=at(entered, 10).astimezone(UTC),
        author=author,
        reminders_sent_this_step=sent,
    )


def summary(reminders) -> list[tuple[int, str, tuple[str, ...]]]:
    return [(r.statement_id, r.recipient_email.split("@")[0], r.reasons) for r in reminders]


class TestSlaOverdue:
    def test_to_the_department_approvers_only(self):
        s = stmt(meeting=None)
        assert due(at(D(2026, 11, 24)), [s], DIRECTORY, CAL, POLICY) == []  # due today
        got = due(at(D(2026, 11, 25)), [s], DIRECTORY, CAL, POLICY)
        assert summary(got) == [(1, "ann", ("sla_overdue",)), (1, "bob", ("sla_overdue",))]
        assert [r.recipient_id for r in got] == [10, 11]
        assert all(r.day == D(2026, 11, 25) for r in got)

    def test_to_the_ode_reviewers(self):
        s = stmt(state="ode_review", meeting=None, entered=D(2026, 11, 25))  # due Fri Dec 4
        assert due(at(D(2026, 12, 4)), [s], DIRECTORY, CAL, POLICY) == []
        got = due(at(D(2026, 12, 7)), [s], DIRECTORY, CAL, POLICY)
        assert summary(got) == [(1, "ode1", ("sla_overdue",)), (1, "ode2", ("sla_overdue",))]

    def test_message_names_the_file_and_what_to_do(self):
        (r, _) = due(at(D(2026, 11, 25)), [stmt(sid=838, meeting=None)], DIRECTORY, CAL, POLICY)
        assert r.message == (
            "The racial equity statement for file 2026-00838 is past its department review "
            "deadline of Tue Nov 24, 2026: please approve it or return it with a comment today."
        )

    def test_draft_has_no_sla(self):
        s = stmt(state="draft", meeting=None, entered=D(2026, 1, 5))
        assert due(at(D(2026, 11, 25)), [s], DIRECTORY, CAL, POLICY) == []


class TestCutoffReminders:
    def test_cutoff_in_5_to_author_and_approvers(self):
        got = due(at(D(2026, 11, 20)), [stmt()], DIRECTORY, CAL, POLICY)
        assert summary(got) == [
            (1, "ann", ("cutoff_in_5",)),
            (1, "author", ("cutoff_in_5",)),
            (1, "bob", ("cutoff_in_5",)),
        ]
        author = next(r for r in got if r.recipient_id == 1)
        assert "2026-00001" in author.message and "Tue Dec 1, 2026" in author.message

    def test_cutoff_in_2_for_a_draft_goes_to_the_author_only(self):
        s = stmt(state="draft", meeting=D(2026, 12, 8), entered=D(2026, 11, 2))
        assert summary(due(at(D(2026, 11, 18)), [s], DIRECTORY, CAL, POLICY)) == [
            (1, "author", ("cutoff_in_2",))
        ]
        assert summary(due(at(D(2026, 11, 13)), [s], DIRECTORY, CAL, POLICY)) == [
            (1, "author", ("cutoff_in_5",))
        ]
        for quiet in (D(2026, 11, 12), D(2026, 11, 16), D(2026, 11, 17), D(2026, 11, 19)):
            assert due(at(quiet), [s], DIRECTORY, CAL, POLICY) == [], quiet

    def test_ode_review_cutoff_goes_to_author_and_ode(self):
        s = stmt(state="ode_review", entered=D(2026, 11, 18))
        assert summary(due(at(D(2026, 11, 20)), [s], DIRECTORY, CAL, POLICY)) == [
            (1, "author", ("cutoff_in_5",)),
            (1, "ode1", ("cutoff_in_5",)),
            (1, "ode2", ("cutoff_in_5",)),
        ]

    def test_reasons_are_merged_into_one_reminder_per_person(self):
        got = due(at(D(2026, 11, 25)), [stmt()], DIRECTORY, CAL, POLICY)
        assert summary(got) == [
            (1, "ann", ("sla_overdue", "cutoff_in_2")),
            (1, "author", ("cutoff_in_2",)),
            (1, "bob", ("sla_overdue", "cutoff_in_2")),
        ]
        assert len({r.key for r in got}) == 3
        assert "deadline of Tue Nov 24, 2026 and must be ready" in got[0].message

    def test_author_who_is_also_an_approver_gets_one(self):
        directory = replace(DIRECTORY, department_approvers={"DOT": [ANN, AUTHOR]})
        got = due(at(D(2026, 11, 25)), [stmt()], directory, CAL, POLICY)
        assert summary(got) == [
            (1, "ann", ("sla_overdue", "cutoff_in_2")),
            (1, "author", ("sla_overdue", "cutoff_in_2")),
        ]

    def test_ready_to_agendize_gets_nothing(self):
        s = stmt(state="ready_to_agendize", sent=5)
        for d in (D(2026, 11, 20), D(2026, 11, 25), D(2026, 12, 2)):
            assert due(at(d), [s], DIRECTORY, CAL, POLICY) == []


class TestCutoffPassed:
    def test_sent_once_on_the_first_business_day_after(self):
        s = stmt(state="draft", meeting=D(2026, 12, 8), entered=D(2026, 11, 2))
        # cutoff Fri Nov 20; the weekend sends nothing; Mon Nov 23 is the day
        assert due(at(D(2026, 11, 20)), [s], DIRECTORY, CAL, POLICY) == []
        assert due(at(D(2026, 11, 21)), [s], DIRECTORY, CAL, POLICY) == []
        got = due(at(D(2026, 11, 23)), [s], DIRECTORY, CAL, POLICY)
        assert summary(got) == [(1, "author", ("cutoff_passed",)), (1, "clerk", ("cutoff_passed",))]
        assert "late for the Tue Dec 8, 2026 meeting" in got[1].message
        for later in (D(2026, 11, 24), D(2026, 11, 25), D(2026, 11, 30)):
            assert due(at(later), [s], DIRECTORY, CAL, POLICY) == [], later

    def test_after_a_holiday_cutoff_passed_waits_for_the_next_business_day(self):
        # meeting Fri Dec 11 2026 -> cutoff Wed Nov 25; Thu/Fri holidays, weekend
        s = stmt(state="draft", meeting=D(2026, 12, 11), entered=D(2026, 11, 2))
        assert cutoff(D(2026, 12, 11), CAL, POLICY) == D(2026, 11, 25)
        assert due(at(D(2026, 11, 27)), [s], DIRECTORY, CAL, POLICY) == []
        assert summary(due(at(D(2026, 11, 30)), [s], DIRECTORY, CAL, POLICY)) == [
            (1, "author", ("cutoff_passed",)),
            (1, "clerk", ("cutoff_passed",)),
        ]


class TestEscalation:
    def test_copied_after_three_unanswered_reminders(self):
        two = due(at(D(2026, 11, 30)), [stmt(sent=2, meeting=None)], DIRECTORY, CAL, POLICY)
        assert summary(two) == [(1, "ann", ("sla_overdue",)), (1, "bob", ("sla_overdue",))]
        three = due(at(D(2026, 11, 30)), [stmt(sent=3, meeting=None)], DIRECTORY, CAL, POLICY)
        assert summary(three) == [
            (1, "ann", ("sla_overdue",)),
            (1, "bob", ("sla_overdue",)),
            (1, "dot-director", ("sla_overdue", "escalation")),
        ]
        head = three[2]
        assert head.recipient_id is None
        assert head.key == f"1:{DOT_HEAD}:2026-11-30"

    def test_ode_step_escalates_to_the_ode_contact(self):
        s = stmt(state="ode_review", meeting=None, entered=D(2026, 11, 25), sent=4)
        got = due(at(D(2026, 12, 7)), [s], DIRECTORY, CAL, POLICY)
        assert summary(got) == [
            (1, "ode-manager", ("sla_overdue", "escalation")),
            (1, "ode1", ("sla_overdue",)),
            (1, "ode2", ("sla_overdue",)),
        ]

    def test_no_escalation_on_a_day_without_a_reminder(self):
        assert due(at(D(2026, 11, 24)), [stmt(sent=9, meeting=None)], DIRECTORY, CAL, POLICY) == []

    def test_no_active_approver_reminds_the_escalation_contact_instead(self):
        s = stmt(department="PW", meeting=None)
        got = due(at(D(2026, 11, 25)), [s], DIRECTORY, CAL, POLICY)
        assert summary(got) == [(1, "pw-director", ("sla_overdue", "escalation"))]
        assert "nobody active able to act" in got[0].message

    def test_department_unknown_to_the_directory_escalates_too(self):
        s = stmt(department="FIN", meeting=None)
        assert due(at(D(2026, 11, 25)), [s], DIRECTORY, CAL, POLICY) == []  # no contact known
        directory = replace(DIRECTORY, escalation={**DIRECTORY.escalation, "FIN": "cfo@x.org"})
        assert summary(due(at(D(2026, 11, 25)), [s], directory, CAL, POLICY)) == [
            (1, "cfo", ("sla_overdue", "escalation"))
        ]

    def test_draft_with_inactive_author_reminds_the_escalation_contact(self):
        s = stmt(state="draft", meeting=D(2026, 12, 8), author=replace(AUTHOR, active=False))
        assert summary(due(at(D(2026, 11, 18)), [s], DIRECTORY, CAL, POLICY)) == [
            (1, "dot-director", ("cutoff_in_2", "escalation"))
        ]
        # the late notice still reaches the clerks, never the inactive author
        assert summary(due(at(D(2026, 11, 23)), [s], DIRECTORY, CAL, POLICY)) == [
            (1, "clerk", ("cutoff_passed",))
        ]


class TestInactiveAndCalendar:
    def test_inactive_people_never_receive_anything(self):
        directory = replace(
            DIRECTORY,
            clerks=[CLERK, replace(CLERK, id=31, email="old-clerk@x.org", active=False)],
            escalation={"DOT": GONE.email},
        )
        days = [D(2026, 11, 20) + timedelta(days=i) for i in range(20)]
        for d in days:
            for r in due(at(d), [stmt(sent=5), stmt(sid=2, author=None)], directory, CAL, POLICY):
                assert r.recipient_email not in (GONE.email, "old-clerk@x.org")

    def test_nothing_on_weekends_or_holidays(self):
        s = stmt()  # overdue and near its cutoff all week
        for d in (D(2026, 11, 21), D(2026, 11, 22), D(2026, 11, 26), D(2026, 11, 27)):
            assert due(at(d), [s], DIRECTORY, CAL, POLICY) == [], d

    def test_today_is_the_city_local_day(self):
        s = stmt()
        # 03:00 UTC on Sat Nov 21 is still Friday evening in Sacramento
        friday_evening = datetime(2026, 11, 21, 3, 0, tzinfo=UTC)
        assert [r.day for r in due(friday_evening, [s], DIRECTORY, CAL, POLICY)] == [
            D(2026, 11, 20)
        ] * 3
        # 06:00 UTC on Sat Nov 28 is Friday Nov 27 (day after Thanksgiving) in Sacramento
        assert due(datetime(2026, 11, 28, 6, tzinfo=UTC), [s], DIRECTORY, CAL, POLICY) == []

    def test_naive_now_is_refused(self):
        with pytest.raises(ValueError):
            due(datetime(2026, 11, 25, 9), [stmt()], DIRECTORY, CAL, POLICY)

    def test_keys_are_idempotent_within_a_day(self):
        statements = [stmt(sent=3), stmt(sid=2, state="draft", meeting=D(2026, 12, 8))]
        morning = due(at(D(2026, 11, 25), 7), statements, DIRECTORY, CAL, POLICY)
        evening = due(at(D(2026, 11, 25), 22), list(reversed(statements)), DIRECTORY, CAL, POLICY)
        assert morning == evening
        assert [r.key for r in morning] == [r.key for r in evening]
        assert len({r.key for r in morning}) == len(morning)
        assert morning[0].key == "1:ann@cityofsacramento.org:2026-11-25"
        next_day = due(at(D(2026, 11, 30)), statements, DIRECTORY, CAL, POLICY)
        assert not {r.key for r in morning} & {r.key for r in next_day}

    def test_output_sorted_by_statement_then_email(self):
        statements = [stmt(sid=3), stmt(sid=1), stmt(sid=2, state="ode_review")]
        got = due(at(D(2026, 11, 20)), statements, DIRECTORY, CAL, POLICY)
        assert [(r.statement_id, r.recipient_email) for r in got] == sorted(
            (r.statement_id, r.recipient_email) for r in got
        )
        assert got[0].statement_id == 1


class TestTwoWeekWalk:
    """Every calendar day from Thu Nov 19 to Fri Dec 4 2026, Thanksgiving inside."""

    STATEMENTS = [
        stmt(sid=1),  # department review, meeting Dec 15 (cutoff Dec 1)
        stmt(sid=2, state="draft", meeting=D(2026, 12, 8), entered=D(2026, 11, 2)),  # cutoff Nov 20
        stmt(sid=3, state="ode_review", meeting=None, entered=D(2026, 11, 30)),  # due Dec 7
        stmt(sid=4, state="ready_to_agendize", meeting=D(2026, 12, 15)),
    ]
    OVERDUE = [(1, "ann", ("sla_overdue",)), (1, "bob", ("sla_overdue",))]
    EXPECTED = {
        D(2026, 11, 19): [],
        D(2026, 11, 20): [
            (1, "ann", ("cutoff_in_5",)),
            (1, "author", ("cutoff_in_5",)),
            (1, "bob", ("cutoff_in_5",)),
        ],
        D(2026, 11, 21): [],
        D(2026, 11, 22): [],
        D(2026, 11, 23): [(2, "author", ("cutoff_passed",)), (2, "clerk", ("cutoff_passed",))],
        D(2026, 11, 24): [],
        D(2026, 11, 25): [
            (1, "ann", ("sla_overdue", "cutoff_in_2")),
            (1, "author", ("cutoff_in_2",)),
            (1, "bob", ("sla_overdue", "cutoff_in_2")),
        ],
        D(2026, 11, 26): [],  # Thanksgiving
        D(2026, 11, 27): [],  # day after Thanksgiving
        D(2026, 11, 28): [],
        D(2026, 11, 29): [],
        D(2026, 11, 30): OVERDUE,
        D(2026, 12, 1): OVERDUE,
        D(2026, 12, 2): [
            (1, "ann", ("sla_overdue",)),
            (1, "author", ("cutoff_passed",)),
            (1, "bob", ("sla_overdue",)),
            (1, "clerk", ("cutoff_passed",)),
        ],
        D(2026, 12, 3): OVERDUE,
        D(2026, 12, 4): OVERDUE,
    }

    @pytest.mark.parametrize("day", sorted(EXPECTED))
    def test_day(self, day):
        for hour in (0, 9, 23):
            got = due(at(day, hour), self.STATEMENTS, DIRECTORY, CAL, POLICY)
            assert summary(got) == self.EXPECTED[day]
            assert all(r.day == day and r.key.endswith(day.isoformat()) for r in got)


class TestCandidatesWindow:
    """The sweep's pre-filter must never leave out a statement that ``due()`` would remind."""

    DAYS = [D(2026, 11, 16) + timedelta(days=i) for i in range(28)] + [
        D(2026, 3, 30),
        D(2026, 4, 1),
        D(2026, 7, 2),
        D(2026, 7, 6),
        D(2026, 12, 31),
    ]

    @pytest.mark.parametrize("today", [d for d in DAYS if CAL.is_business_day(d)])
    def test_meeting_range_is_exact(self, today):
        lo = earliest_meeting_date_to_consider(today, CAL, POLICY)
        hi = latest_meeting_date_to_consider(today, CAL, POLICY)
        reminded = {
            m
            for m in (today + timedelta(days=i) for i in range(-5, 60))
            if due(at(today), [stmt(state="draft", meeting=m)], DIRECTORY, CAL, POLICY)
        }
        assert reminded, today
        assert min(reminded) == lo and max(reminded) == hi

    @pytest.mark.parametrize("today", [d for d in DAYS if CAL.is_business_day(d)])
    def test_sla_entered_before_is_exact(self, today):
        for state in ("department_review", "ode_review"):
            limit = sla_entered_before(today, state, CAL, POLICY)
            assert limit is not None and limit.tzinfo is not None
            for delta in (timedelta(microseconds=-1), timedelta(0)):
                s = replace(stmt(state=state, meeting=None), state_entered_at=limit + delta)
                reminded = bool(due(at(today), [s], DIRECTORY, CAL, POLICY))
                assert reminded == (delta < timedelta(0)), (today, state, delta)

    def test_states_without_sla(self):
        assert sla_entered_before(D(2026, 11, 25), "draft", CAL, POLICY) is None

    def test_window_bundles_it_all(self):
        w = candidates_window(D(2026, 11, 25), CAL, POLICY)
        assert (w.meeting_from, w.meeting_to) == (D(2026, 12, 10), D(2026, 12, 18))
        assert dict(w.sla_entered_before) == {
            "department_review": datetime(2026, 11, 20, 8, tzinfo=UTC),  # midnight PST
            "ode_review": datetime(2026, 11, 18, 8, tzinfo=UTC),
        }


class TestScale:
    def test_every_due_statement_is_answered(self):
        # Speed is measured in bench/, never asserted here; this checks nothing is dropped.
        statements = [
            stmt(sid=i, meeting=D(2026, 12, 8) + timedelta(days=i % 30), sent=i % 5)
            for i in range(2_000)
        ]
        got = due(at(D(2026, 11, 25)), statements, DIRECTORY, CAL, POLICY)
        assert len(got) >= 4_000
