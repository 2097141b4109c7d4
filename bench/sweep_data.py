"""The rows of the sweep benchmark (bench/sweep.py): who, which statements, how fast loaded.

The fixed set is the same in every database: 2,000 statements, of which 1,000
are due on Wed 2 Dec 2026 (TODAY). The filler grows the tables to the size
measured without adding anything due or near due. Filler rows are generated
by the server (``INSERT … SELECT … generate_series``) with indexes dropped and
foreign-key triggers off, then the same indexes are rebuilt: a million
statements (with their items, history rows and notifications) load in about
two minutes on a 2-core machine.
"""

from __future__ import annotations

import json
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime
from datetime import time as dtime

import psycopg

from workflows.deadlines import BusinessCalendar, DeadlinePolicy
from workflows.reminders import CITY_TZ, candidates_window

NOW = datetime.combine(date(2026, 12, 2), dtime(9), tzinfo=CITY_TZ)
TODAY = NOW.date()
DEPARTMENTS = 20
STAFF, APPROVERS = 5, 3
PER_DEPT = STAFF + APPROVERS
ODE_IDS = range(DEPARTMENTS * PER_DEPT + 1, DEPARTMENTS * PER_DEPT + 6)
CLERK_IDS = range(ODE_IDS.stop, ODE_IDS.stop + 3)
ADMIN_ID = CLERK_IDS.stop
FIXED = 2000
DEFAULT_DSN = "host=127.0.0.1 port=5432 dbname=test"
FAR_MEETING = date(2027, 3, 2)


def utc(d: date, hour: int = 17) -> datetime:
    return datetime.combine(d, dtime(hour), tzinfo=UTC)


def staff_id(dept: int, n: int) -> int:
    return (dept - 1) * PER_DEPT + 1 + n % STAFF


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# -- the fixed set -------------------------------------------------------------------


def fixed_statements(cal: BusinessCalendar, policy: DeadlinePolicy):
    """(id, dept, state, meeting, entered, agendized, prior reminder days) of the fixed 2,000."""
    def meeting_for_cutoff_in(n: int) -> date:
        return cal.add_business_days(cal.add_business_days(TODAY, n), policy.cutoff_business_days)

    window = candidates_window(TODAY, cal, policy, CITY_TZ)
    in5, in2, passed = meeting_for_cutoff_in(5), meeting_for_cutoff_in(2), meeting_for_cutoff_in(-1)
    quiet = [meeting_for_cutoff_in(n) for n in (0, 1, 3, 4)]  # in the window, nothing due
    for m in (in5, in2, passed, *quiet):
        assert window.meeting_from <= m <= window.meeting_to, (m, window)
    before = [d for d in (date(2026, 11, 25), date(2026, 11, 30), date(2026, 12, 1))]
    rows = []
    for i in range(FIXED):
        sid, dept = i + 1, 1 + i % DEPARTMENTS
        prior: list[date] = []
        agendized = False
        if i < 300:  # department review overdue; 100 with 3 earlier reminders -> escalation
            state, meeting, entered = "department_review", FAR_MEETING, utc(date(2026, 11, 16))
            prior = before if i >= 200 else before[1:]
        elif i < 500:  # ODE review overdue (due Tue Dec 1 across Thanksgiving)
            state, meeting, entered = "ode_review", FAR_MEETING, utc(date(2026, 11, 20))
        elif i < 700:  # draft, cutoff 5 business days away (author from the history)
            state, meeting, entered = "draft", in5, utc(date(2026, 11, 2))
        elif i < 800:  # department review within its SLA, cutoff 2 business days away
            state, meeting, entered = "department_review", in2, utc(date(2026, 12, 1))
        elif i < 1000:  # draft whose cutoff passed yesterday: late notice
            state, meeting, entered = "draft", passed, utc(date(2026, 11, 2))
        elif i < 1500:  # near the cutoff but nothing due today
            state = ("draft", "department_review")[i % 2]
            meeting, entered = quiet[i % 4], utc(date(2026, 12, 1))
        else:  # agendized for a meeting in the window
            state, meeting, entered = "ready_to_agendize", quiet[i % 4], utc(date(2026, 11, 2))
            agendized = True
        rows.append((sid, dept, state, meeting, entered, agendized, prior))
    return rows


def load_people(cur) -> None:
    with cur.copy("COPY departments (id, code, name, escalation_email) FROM STDIN") as cp:
        for d in range(1, DEPARTMENTS + 1):
            cp.write_row((d, f"D{d:02d}", f"Department {d}", f"director{d}@bench.reis"))
    people = [((d - 1) * PER_DEPT + 1 + n, "u", "staff" if n < STAFF else "department_approver", d)
              for d in range(1, DEPARTMENTS + 1) for n in range(PER_DEPT)]
    people += [(uid, "ode", "ode_reviewer", None) for uid in ODE_IDS]
    people += [(uid, "clerk", "clerk", None) for uid in CLERK_IDS]
    people += [(ADMIN_ID, "admin", "admin", None)]
    created = utc(date(2020, 1, 2))
    with cur.copy("COPY users (id, email, name, role, department_id, active, language, "
                  "notify_mode, created_at) FROM STDIN") as cp:
        for uid, prefix, role, dept in people:
            cp.write_row((uid, f"{prefix}{uid}@bench.reis", f"User {uid}", role, dept, True, "en",
                          "each", created))


def history_extra(cur) -> tuple[str, str]:
    """Columns of history_events added by other work (the hash chain) and SQL to fill them."""
    cur.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'history_events'")
    cols = {r[0] for r in cur.fetchall()}
    if {"hash", "prev_hash"} <= cols:
        return ", prev_hash, hash", ", repeat('0', 64), md5(g::text) || md5('h' || g::text)"
    return "", ""


def load_fixed(cur, rows) -> None:
    with cur.copy("COPY items (id, file_id, title, department_id, meeting_date, agendized, "
                  "agendized_for, created_at, updated_at) FROM STDIN") as cp:
        for sid, dept, _state, meeting, entered, agendized, _ in rows:
            cp.write_row((sid, f"2026-{sid:05d}", f"Due item {sid}", dept, meeting, agendized,
                          meeting if agendized else None, entered, entered))
    with cur.copy("COPY statements (id, item_id, state, version, answers, state_entered_at, "
                  "submitted_by_id, submitted_at, approved_at) FROM STDIN") as cp:
        for sid, dept, state, _meeting, entered, _, _ in rows:
            submitted = None if state == "draft" else staff_id(dept, sid)
            cp.write_row((sid, sid, state, 1, "{}", entered, submitted,
                          entered if submitted else None,
                          entered if state == "ready_to_agendize" else None))
    cols, vals = history_extra(cur)
    cur.execute(f"""
        INSERT INTO history_events (statement_id, seq, event, from_state, to_state, actor_id, actor, at{cols})
        SELECT g, 1, 'create', NULL, 'draft', (i.department_id - 1) * {PER_DEPT} + 1 + g % {STAFF},
               'bench', i.created_at{vals}
        FROM generate_series(1, {FIXED}) g JOIN items i ON i.id = g""")
    with cur.copy("COPY notifications (user_id, email, kind, statement_id, dedupe_key, subject, payload, "
                  "created_at, email_status, attempts, next_attempt_at, delivered_at) FROM STDIN") as cp:
        for sid, dept, _s, _m, _e, _a, prior in rows:
            for d in prior:
                uid = (dept - 1) * PER_DEPT + STAFF + 1
                payload = json.dumps({"file_id": f"2026-{sid:05d}", "reasons": ["sla_overdue"],
                                      "message": "earlier reminder", "day": d.isoformat()})
                at = datetime.combine(d, dtime(9), tzinfo=CITY_TZ)
                cp.write_row((uid, f"u{uid}@bench.reis", "reminder", sid, f"{sid}:u{uid}@bench.reis:{d}",
                              "Reminder", payload, at, "sent", 1, at, at))


# -- the filler ----------------------------------------------------------------------


def load_filler(cur, lo: int, hi: int) -> None:
    """Statements lo..hi, generated by the server: none of them is due on TODAY."""
    if hi < lo:
        return
    kind = "(g % 100)"
    meeting = (f"CASE WHEN {kind} < 96 THEN date '2006-01-02' + (g::bigint * 7919 % 7600)::int "
               f"ELSE date '2027-01-04' + (g % 700) END")
    cur.execute(f"""
        INSERT INTO items (id, file_id, title, department_id, meeting_date, agendized, agendized_for,
                           created_at, updated_at, fiscal_statement)
        SELECT g, 'B' || lpad(g::text, 8, '0'), 'Filler item ' || g, 1 + g % {DEPARTMENTS}, m,
               {kind} < 92, CASE WHEN {kind} < 92 THEN m END, ts, ts, 'Funded.'
        FROM generate_series({lo}, {hi}) g,
             LATERAL (SELECT {meeting} AS m) mm,
             LATERAL (SELECT (mm.m - 30)::timestamp AT TIME ZONE 'UTC' AS ts) t""")
    staff = f"((1 + g % {DEPARTMENTS}) - 1) * {PER_DEPT} + 1 + (g / {DEPARTMENTS}) % {STAFF}"
    cur.execute(f"""
        INSERT INTO statements (id, item_id, state, version, answers, state_entered_at,
                                submitted_by_id, submitted_at, approved_at)
        SELECT g, g, st, 1, '{{}}', entered,
               CASE WHEN st <> 'draft' THEN {staff} END,
               CASE WHEN st <> 'draft' THEN entered END,
               CASE WHEN st = 'ready_to_agendize' THEN entered END
        FROM generate_series({lo}, {hi}) g
        JOIN items i ON i.id = g,
             LATERAL (SELECT CASE WHEN {kind} < 92 THEN 'ready_to_agendize'
                                  WHEN {kind} < 98 THEN 'draft'
                                  WHEN {kind} < 99 THEN 'department_review'
                                  ELSE 'ode_review' END AS st) s,
             LATERAL (SELECT CASE WHEN s.st IN ('department_review', 'ode_review')
                                  THEN timestamptz '2026-12-01 18:00+00' + (g % 3600) * interval '1 s'
                                  ELSE (i.meeting_date - 20)::timestamp AT TIME ZONE 'UTC'
                             END AS entered) e""")
    cols, vals = history_extra(cur)
    cur.execute(f"""
        INSERT INTO history_events (statement_id, seq, event, from_state, to_state, actor_id, actor, at{cols})
        SELECT g, 1, 'create', NULL, 'draft', {staff}, 'bench', i.created_at{vals}
        FROM generate_series({lo}, {hi}) g JOIN items i ON i.id = g""")
    cur.execute(f"""
        INSERT INTO notifications (user_id, email, kind, statement_id, dedupe_key, subject, payload,
                                   created_at, email_status, attempts, next_attempt_at, delivered_at)
        SELECT {staff}, 'u' || ({staff}) || '@bench.reis', k.kind, g,
               CASE WHEN k.kind = 'reminder' THEN 'B:' || g END, 'Filler',
               json_build_object('file_id', 'B' || g, 'reasons', json_build_array('cutoff_in_5'),
                                 'message', 'old', 'day', (i.meeting_date - 20)::text),
               i.created_at, 'sent', 1, i.created_at, i.created_at
        FROM generate_series({lo}, {hi}) g JOIN items i ON i.id = g
        CROSS JOIN LATERAL (VALUES ('ready'), ('reminder')) k(kind)
        WHERE ({kind} < 92 AND k.kind = 'ready') OR (g % 10 = 0 AND k.kind = 'reminder')""")


BULK_TABLES = ["items", "statements", "history_events", "notifications"]


@contextmanager
def bulk_load(cur):
    """Load without per-row index and foreign-key upkeep; rebuild the same indexes after.

    The definitions are read back from the catalog (what the migrations made),
    dropped, and re-created once the rows are in: building an index over a
    million rows is several times cheaper than maintaining it row by row.
    Foreign keys are not checked while loading (``session_replication_role``):
    the generated rows are consistent by construction.
    """
    cur.execute("""SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
                   FROM pg_constraint WHERE contype = 'u' AND conrelid::regclass::text = ANY(%s)""",
                (BULK_TABLES,))
    uniques = cur.fetchall()
    cur.execute("""SELECT tablename, indexname, indexdef FROM pg_indexes
                   WHERE tablename = ANY(%s) AND indexname NOT IN
                         (SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))""",
                (BULK_TABLES,))
    indexes = cur.fetchall()
    for table, name, _ in uniques:
        cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for _, name, _ in indexes:
        cur.execute(f'DROP INDEX "{name}"')
    cur.execute("SET session_replication_role = replica")
    yield
    cur.execute("SET session_replication_role = DEFAULT")
    cur.execute("SET maintenance_work_mem = '256MB'")
    for table, name, definition in uniques:
        cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for _, _, definition in indexes:
        cur.execute(definition)


def fix_sequences(cur) -> None:
    for table in ("departments", "users", "items", "statements", "history_events", "notifications"):
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {table}))")


def populate(dsn: str, size: int) -> float:
    cal, policy = BusinessCalendar(), DeadlinePolicy()
    t0 = time.perf_counter()
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("SET synchronous_commit = off")
        load_people(cur)
        load_fixed(cur, fixed_statements(cal, policy))
        with bulk_load(cur):
            load_filler(cur, FIXED + 1, size)
        fix_sequences(cur)
        conn.commit()
    loaded = time.perf_counter() - t0
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return loaded
