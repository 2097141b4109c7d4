"""The reminder sweep against a real database (SQLite and PostgreSQL).

Time is moved with time-machine, never slept on. The scenario runs around
Thanksgiving 2026 (Thu Nov 26 and Fri Nov 27 are California holidays):

* item 2026-00100 of DOU, meeting Fri Dec 18 -> cutoff Fri Dec 4: ``cutoff_in_5``
  on Wed Nov 25 (the holidays are skipped), ``cutoff_in_2`` on Wed Dec 2,
  ``cutoff_passed`` on Mon Dec 7;
* submitted Mon Nov 16 -> department review due Thu Nov 19, overdue from Fri Nov 20;
* approved by the department Mon Nov 30 -> ODE review due Mon Dec 7, overdue Tue Dec 8.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import delete, select, update

from app.db import write_transaction
from app.extensions import db
from app.models import Department, Notification, User
from app.operations import statements, sweep
from workflows.reminders import CITY_TZ

D = date
DOU_HEAD = "dou-director@test.reis"
CDD_HEAD = "cdd-director@test.reis"
ODE_HEAD = "ode-manager@test.reis"
MEETING = D(2026, 12, 18)
LONG_AGO = D(2026, 11, 2)
REMINDER = Notification.kind == "reminder"  # events notify too (app/operations/notify.py)


def at(d: date, hour: int = 9) -> datetime:
    """An aware instant on City-local day ``d``."""
    return datetime.combine(d, time(hour), tzinfo=CITY_TZ)


def sweep_at(d: date, hour: int = 9) -> int:
    with time_machine.travel(at(d, hour), tick=False):
        return sweep.run(datetime.now(UTC))


def claimed(day: date | None = None) -> list[tuple[str, tuple[str, ...]]]:
    """(recipient, reasons) of the reminder rows, of one City day if given, sorted."""
    db.session.expire_all()
    rows = db.session.scalars(select(Notification).where(REMINDER)).all()
    return sorted((n.email, tuple(n.payload["reasons"])) for n in rows
                  if day is None or n.payload["day"] == day.isoformat())


def set_escalation(code: str, email: str | None) -> None:
    with write_transaction():
        db.session.execute(update(Department).where(Department.code == code)
                           .values(escalation_email=email))


def deactivate(*people) -> None:
    with write_transaction():
        db.session.execute(update(User).where(User.id.in_([p.user.id for p in people]))
                           .values(active=False))


def business_days(start: date, end: date):
    d = start
    while d <= end:
        yield d
        d += timedelta(days=1)


def overdue_review(world, file_id: str, department: str = "DOU", state: str = "department_review",
                   entered: date = LONG_AGO) -> None:
    """An item in a review step entered long ago, meeting far away: only its SLA is due."""
    with time_machine.travel(at(entered, 8), tick=False):
        world.item(file_id, state=state, department=department, meeting_date=D(2027, 6, 1))


class TestTwoWeeksAcrossThanksgiving:
    def test_which_reminders_go_out_on_which_day(self, world):
        set_escalation("DOU", DOU_HEAD)
        with time_machine.travel(at(D(2026, 11, 16), 8), tick=False):
            world.item("2026-00100", state="department_review", meeting_date=MEETING)

        approvers = [("approver@test.reis", ("sla_overdue",)), ("approver2@test.reis", ("sla_overdue",))]
        expected = {
            D(2026, 11, 20): approvers,
            D(2026, 11, 23): approvers,
            D(2026, 11, 24): approvers,
            # the 4th reminder of the step: 3 went unanswered, so the director is copied;
            # the cutoff (Fri Dec 4) is 5 business days away across the two holidays
            D(2026, 11, 25): [
                ("approver@test.reis", ("sla_overdue", "cutoff_in_5")),
                ("approver2@test.reis", ("sla_overdue", "cutoff_in_5")),
                (DOU_HEAD, ("sla_overdue", "cutoff_in_5", "escalation")),
                ("staff@test.reis", ("cutoff_in_5",)),
            ],
            # ODE review entered Mon Nov 30: a new step, its count starts again; it is
            # assigned to ode@ (nobody has an assignment yet: the lowest id), who alone is reminded
            D(2026, 12, 2): [
                ("ode@test.reis", ("cutoff_in_2",)),
                ("staff@test.reis", ("cutoff_in_2",)),
            ],
            D(2026, 12, 7): [
                ("clerk@test.reis", ("cutoff_passed",)),
                ("staff@test.reis", ("cutoff_passed",)),
            ],
            # one earlier action reminder in this step (the late notice does not count)
            D(2026, 12, 8): [("ode@test.reis", ("sla_overdue",))],
        }

        seen = {}
        for day in business_days(D(2026, 11, 16), D(2026, 12, 8)):
            if day == D(2026, 11, 30):
                with time_machine.travel(at(day, 8), tick=False):
                    statements.fire_event(world["approver"].user, "2026-00100", "approve")
            n = sweep_at(day)
            got = claimed(day)
            assert n == len(got), day
            seen[day] = got

        assert {d: v for d, v in seen.items() if v} == {d: sorted(v) for d, v in expected.items()}
        assert seen[D(2026, 11, 26)] == seen[D(2026, 11, 27)] == []  # Thanksgiving closures
        assert len(claimed()) == sum(len(v) for v in expected.values())

    def test_rows_are_pending_outbox_entries_with_the_payload(self, world):
        overdue_review(world, "2026-00101")
        assert sweep_at(D(2026, 11, 20)) == 2
        row = db.session.scalars(select(Notification).where(
            REMINDER, Notification.email == "approver@test.reis")).one()
        assert row.kind == "reminder" and row.email_status == "pending"
        assert row.user_id == world["approver"].user.id
        assert row.dedupe_key == f"{row.statement_id}:approver@test.reis:2026-11-20"
        assert row.payload["file_id"] == "2026-00101"
        assert row.payload["reasons"] == ["sla_overdue"] and row.payload["day"] == "2026-11-20"
        assert "2026-00101" in row.payload["message"] and "2026-00101" in row.subject

    def test_a_weekend_sends_nothing(self, world):
        overdue_review(world, "2026-00102")
        assert sweep_at(D(2026, 11, 21)) == 0
        assert claimed() == []


class TestClaimedOnce:
    def test_sweeping_twice_for_the_same_instant_sends_nothing_new(self, world):
        overdue_review(world, "2026-00110")
        overdue_review(world, "2026-00111", state="ode_review")
        first = sweep_at(D(2026, 11, 20))
        rows = claimed()
        assert first == len(rows) == 3  # two approvers; the ODE review's assignee
        assert sweep_at(D(2026, 11, 20)) == 0
        assert sweep_at(D(2026, 11, 20), hour=16) == 0  # later the same City day
        assert claimed() == rows

    def test_two_concurrent_sweeps_claim_each_reminder_once(self, app_ctx, world):
        for i in range(12):
            overdue_review(world, f"2026-{200 + i:05d}", state=("department_review", "ode_review")[i % 2])
        now = at(D(2026, 11, 20))
        barrier = threading.Barrier(2)
        results, errors = [], []

        def worker():
            with app_ctx.app_context():
                try:
                    barrier.wait(timeout=10)
                    results.append(sweep.run(now))
                except Exception as exc:
                    errors.append(exc)
                finally:
                    db.session.remove()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert errors == []
        assert len(results) == 2
        db.session.expire_all()
        rows = db.session.execute(
            select(Notification.statement_id, Notification.email).where(REMINDER)).all()
        assert max(Counter(rows).values()) == 1  # no duplicate (statement, recipient)
        concurrent = sum(results)

        with write_transaction():
            db.session.execute(delete(Notification).where(REMINDER))
        single = sweep.run(now)
        assert single == 18  # 6 department reviews x 2 approvers + 6 ODE reviews x their assignee
        assert concurrent == single == len(rows)


class TestWhoIsReminded:
    def test_a_deactivated_user_gets_nothing(self, world):
        with time_machine.travel(at(D(2026, 11, 16), 8), tick=False):
            world.item("2026-00120", state="department_review", meeting_date=MEETING)
        deactivate(world["approver2"], world["staff"])
        sweep_at(D(2026, 11, 25))
        assert claimed() == [("approver@test.reis", ("sla_overdue", "cutoff_in_5"))]

    def test_a_step_nobody_can_act_on_reminds_the_department_contact(self, world):
        set_escalation("CDD", CDD_HEAD)
        overdue_review(world, "2026-00121", department="CDD")
        deactivate(world["other_approver"])
        assert sweep_at(D(2026, 11, 20)) == 1
        assert claimed() == [(CDD_HEAD, ("sla_overdue", "escalation"))]
        row = db.session.scalars(select(Notification).where(REMINDER)).one()
        assert row.user_id is None  # an address, not a user of the system
        assert "nobody active" in row.payload["message"]

    def test_an_ode_step_nobody_can_act_on_reminds_the_configured_ode_contact(
            self, app_ctx, world, monkeypatch):
        monkeypatch.setattr(app_ctx.extensions["reis.deadlines"], "ode_escalation_email", ODE_HEAD)
        overdue_review(world, "2026-00122", state="ode_review")
        deactivate(world["ode"], world["ode2"])
        assert sweep_at(D(2026, 11, 20)) == 1
        assert claimed() == [(ODE_HEAD, ("sla_overdue", "escalation"))]

    def test_an_escalation_address_of_a_deactivated_user_gets_nothing(self, world):
        set_escalation("CDD", world["other_staff"].email)
        overdue_review(world, "2026-00123", department="CDD")
        deactivate(world["other_approver"], world["other_staff"])
        assert sweep_at(D(2026, 11, 20)) == 0
        assert claimed() == []

    def test_an_escalation_address_of_an_active_user_is_linked_to_that_user(self, world):
        set_escalation("CDD", world["admin"].email.upper())
        overdue_review(world, "2026-00124", department="CDD")
        deactivate(world["other_approver"])
        assert sweep_at(D(2026, 11, 20)) == 1
        row = db.session.scalars(select(Notification).where(REMINDER)).one()
        assert row.user_id == world["admin"].user.id

    def test_the_author_of_a_draft_is_the_person_who_created_it(self, world):
        with time_machine.travel(at(D(2026, 11, 16), 8), tick=False):
            world.item("2026-00125", state="draft", meeting_date=MEETING)
        assert sweep_at(D(2026, 11, 25)) == 1
        assert claimed() == [("staff@test.reis", ("cutoff_in_5",))]


class TestEscalation:
    def test_copied_after_three_unanswered_reminders_and_reset_by_a_new_step(self, world):
        set_escalation("DOU", DOU_HEAD)
        overdue_review(world, "2026-00130")
        days = [D(2026, 11, 16), D(2026, 11, 17), D(2026, 11, 18), D(2026, 11, 19)]
        for day in days:
            sweep_at(day)
        assert [e for e, _ in claimed(days[2])] == ["approver2@test.reis", "approver@test.reis"]
        assert (DOU_HEAD, ("sla_overdue", "escalation")) in claimed(days[3])
        # a second sweep on the escalation day sees the same count: same rows, nothing new
        assert sweep_at(days[3], hour=15) == 0

        # returned and resubmitted: a new department review, its count starts at zero
        with time_machine.travel(at(D(2026, 11, 19), 11), tick=False):
            statements.fire_event(world["approver"].user, "2026-00130", "return", comment="Redo")
            statements.fire_event(world["staff"].user, "2026-00130", "submit")
        for day in [D(2026, 11, 30), D(2026, 12, 1), D(2026, 12, 2)]:
            sweep_at(day)
            assert DOU_HEAD not in [e for e, _ in claimed(day)], day
        sweep_at(D(2026, 12, 3))
        assert (DOU_HEAD, ("sla_overdue", "escalation")) in claimed(D(2026, 12, 3))


class TestCommandLine:
    def test_reis_reminders_sweep_prints_the_count(self, app_ctx, world):
        overdue_review(world, "2026-00140")
        reis = Path(sys.executable).with_name("reis")
        env = {**os.environ, "REIS_DATABASE_URL": app_ctx.config["REIS_DATABASE_URL"],
               "REIS_ENV": "testing"}
        cmd = [str(reis), "reminders", "sweep", "--now", "2026-11-20T09:00:00-08:00"]
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip().splitlines()[-1] == "2 reminders sent"
        assert [e for e, _ in claimed(D(2026, 11, 20))] == ["approver2@test.reis", "approver@test.reis"]
        again = app_ctx.test_cli_runner().invoke(args=cmd[1:])
        assert again.exit_code == 0 and again.output == "0 reminders sent\n"

    @pytest.mark.parametrize("now", ["yesterday", "2026-11-20T09:00:00"])
    def test_a_bad_instant_is_refused(self, app_ctx, now):
        result = app_ctx.test_cli_runner().invoke(args=["reminders", "sweep", "--now", now])
        assert result.exit_code == 2
        assert "--now" in result.output


class TestDeadlineSettings:
    """app/deadlines.py: the calendar, policy and ODE contact the sweep uses come from config."""

    def make(self, tmp_path, **settings):
        from app import create_app

        return create_app({"ENV": "testing", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
                           **settings})

    def test_city_closures_open_days_and_reminder_days(self, tmp_path):
        app = self.make(tmp_path, CITY_CLOSURES="2026-12-24, 2026-12-31",
                        CITY_OPEN_DAYS="2026-11-27", REMINDER_DAYS_BEFORE_CUTOFF="7,3,1",
                        ESCALATE_AFTER_REMINDERS=2, ODE_ESCALATION_EMAIL=ODE_HEAD)
        dl = app.extensions["reis.deadlines"]
        assert not dl.calendar.is_business_day(D(2026, 12, 24))
        assert dl.calendar.is_business_day(D(2026, 11, 27))  # the day after Thanksgiving, kept open
        assert dl.policy.reminder_days_before_cutoff == (7, 3, 1)
        assert dl.policy.escalate_after_reminders == 2
        assert dl.ode_escalation_email == ODE_HEAD
        assert str(dl.tz) == "America/Los_Angeles"

    @pytest.mark.parametrize("settings", [{"CITY_CLOSURES": "24/12/2026"},
                                          {"REMINDER_DAYS_BEFORE_CUTOFF": "five"},
                                          {"ESCALATE_AFTER_REMINDERS": 0},
                                          {"TIMEZONE": "Mars/Olympus_Mons"}])
    def test_a_bad_setting_stops_the_app_at_start(self, tmp_path, settings):
        from config import ConfigError

        with pytest.raises(ConfigError):
            self.make(tmp_path, **settings)
