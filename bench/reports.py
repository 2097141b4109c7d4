"""Benchmark: the metrics are SQL aggregates, so their cost is a fixed number of statements.

Issue 13's targets (PostgreSQL): ``GET /reports/metrics`` issues the same number of SQL
statements for a year of 10,000 statements and one of 100,000, and takes at most 10x as
long at 100,000 as at 10,000.

What it does (nothing else on the server is touched):

1. creates two databases ``reis_sweep_<random>`` on the server of ``--dsn``, migrates
   them (``reis db upgrade``) and loads a year (2026) of statements into each, generated
   by the server (``INSERT … SELECT … generate_series``): items spread over the year and
   20 departments, 70 % approved and agendized (one in ten returned once on the way), the
   rest in draft or a review step; forms full, short and exemption; choice answers; each
   agendized item owes two report-backs, a third of them reported. Then ``VACUUM ANALYZE``.
2. times ``GET /api/v1/reports/metrics?from=2026-01-01&to=2026-12-31`` through the app's
   test client (an ODE reviewer's token): one warm-up each, then ``--runs`` requests per
   size, the two sizes interleaved; counts the SQL statements of each request;
3. with ``--page``, times the ``/reports`` page (the charts and tables, signed in as the
   ODE reviewer) the same way; with ``--pdf``, the annual PDF of the year at each size
   (once: it lists every statement);
4. prints the medians, p90s, the ratio and the statement counts as JSON; drops both
   databases (``--keep`` keeps them).

Run:  .venv/bin/python bench/reports.py [--runs 9] [--small 10000] [--big 100000] [--page] [--pdf]
"""

from __future__ import annotations

import argparse
import html
import json
import math
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.sweep import create_database  # noqa: E402
from bench.sweep_data import DEFAULT_DSN, DEPARTMENTS, PER_DEPT, STAFF, load_people, log  # noqa: E402

YEAR = "2026"
ANSWERS = [  # the choice answers of the generated statements (the text answers do not count)
    {"score_goals": ["s", "c"], "inequity_levels": ["individual", "institutional"],
     "engagement_levels": ["consult"], "engagement_standards": ["language_access"]},
    {"score_goals": ["o"], "inequity_levels": ["structural"], "engagement_levels": ["inform", "involve"],
     "engagement_standards": ["timely_notice", "accessible_locations"]},
    {"score_goals": ["r", "e"], "inequity_levels": ["none"], "engagement_levels": ["none"],
     "engagement_standards": []},
]


def load_year(dsn: str, n: int) -> float:
    """``n`` statements of items created in 2026, with their history and report-backs."""
    t0 = time.perf_counter()
    kind = "(g % 100)"
    staff = f"((1 + g % {DEPARTMENTS}) - 1) * {PER_DEPT} + 1 + (g / {DEPARTMENTS}) % {STAFF}"
    approver = f"((1 + g % {DEPARTMENTS}) - 1) * {PER_DEPT} + {STAFF} + 1"
    ode = DEPARTMENTS * PER_DEPT + 1
    answers = ", ".join(f"'{json.dumps(a)}'" for a in ANSWERS)
    with psycopg.connect(dsn, autocommit=True) as conn, conn.cursor() as cur:
        load_people(cur)
        cur.execute(f"""
            INSERT INTO items (id, file_id, title, department_id, meeting_date, agendized, agendized_for,
                               created_at, updated_at, fiscal_statement)
            SELECT g, 'R' || lpad(g::text, 8, '0'), 'Item ' || g, 1 + g % {DEPARTMENTS}, m, {kind} < 70,
                   CASE WHEN {kind} < 70 THEN m END, ts, ts, 'Funded.'
            FROM generate_series(1, {n}) g,
                 LATERAL (SELECT timestamptz '{YEAR}-01-01 17:00+00' + ((g * 7919) % 360) * interval '1 day'
                                 AS ts) t,
                 LATERAL (SELECT (t.ts + interval '40 days')::date AS m) mm""")
        cur.execute(f"""
            INSERT INTO statements (id, item_id, state, version, answers, form, screening,
                                    questionnaire_version, state_entered_at, submitted_by_id,
                                    submitted_at, approved_at, department_approved_by_id)
            SELECT g, g, st, 1, (ARRAY[{answers}])[1 + g % 3]::json,
                   CASE WHEN g % 20 = 0 THEN 'exemption' WHEN g % 7 = 0 THEN 'short' ELSE 'full' END,
                   '{{}}', 2, i.created_at + interval '9 days',
                   CASE WHEN st <> 'draft' THEN {staff} END,
                   CASE WHEN st <> 'draft' THEN i.created_at + interval '2 days' END,
                   CASE WHEN st = 'ready_to_agendize' THEN i.created_at + interval '9 days' END,
                   CASE WHEN st IN ('ode_review', 'ready_to_agendize') THEN {approver} END
            FROM generate_series(1, {n}) g JOIN items i ON i.id = g,
                 LATERAL (SELECT CASE WHEN {kind} < 70 THEN 'ready_to_agendize'
                                      WHEN {kind} < 80 THEN 'draft'
                                      WHEN {kind} < 90 THEN 'department_review'
                                      ELSE 'ode_review' END AS st) s""")
        # The history: create; submit; (one in ten approved ones: return, submit again); approvals.
        steps = [  # (seq, event, from, to, days after creation, actor, which statements)
            (1, "create", None, "draft", 0, staff, "true"),
            (2, "submit", "draft", "department_review", 2, staff, "s.state <> 'draft'"),
            (3, "approve", "department_review", "ode_review", 5, approver,
             "s.state IN ('ode_review', 'ready_to_agendize')"),
            (4, "approve", "ode_review", "ready_to_agendize", 9, ode, "s.state = 'ready_to_agendize'"),
            (5, "agendize", "ready_to_agendize", "ready_to_agendize", 10, DEPARTMENTS * PER_DEPT + 6,
             "s.state = 'ready_to_agendize'"),
        ]
        for seq, event, source, dest, days, actor, which in steps:
            cur.execute(f"""
                INSERT INTO history_events (statement_id, seq, event, from_state, to_state, actor_id,
                                            actor, at, prev_hash, hash)
                SELECT s.id, {seq}, '{event}', {'NULL' if source is None else f"'{source}'"}, '{dest}',
                       {actor.replace('g', 's.id') if isinstance(actor, str) else actor}, 'bench',
                       i.created_at + interval '{days} days', repeat('0', 64),
                       md5('{seq}' || s.id::text) || md5('h{seq}' || s.id::text)
                FROM statements s JOIN items i ON i.id = s.item_id WHERE {which}""")
        # one approved statement in ten was returned once: its rows 3-5 move up by two
        # (in two steps: the unique (statement_id, seq) is checked row by row)
        cur.execute("UPDATE history_events SET seq = seq + 1000 WHERE seq >= 3 AND statement_id % 10 = 0")
        cur.execute("UPDATE history_events SET seq = seq - 998 WHERE seq >= 1000")
        for seq, event, source, dest, days in ((3, "return", "department_review", "draft", 3),
                                               (4, "submit", "draft", "department_review", 4)):
            cur.execute(f"""
                INSERT INTO history_events (statement_id, seq, event, from_state, to_state, actor_id,
                                            actor, at, prev_hash, hash)
                SELECT s.id, {seq}, '{event}', '{source}', '{dest}', NULL, 'bench',
                       i.created_at + interval '{days} days', repeat('0', 64),
                       md5('r{seq}' || s.id::text) || md5('x{seq}' || s.id::text)
                FROM statements s JOIN items i ON i.id = s.item_id
                WHERE s.id % 10 = 0 AND s.state IN ('ode_review', 'ready_to_agendize')""")
        for rb in (1, 2):
            cur.execute(f"""
                INSERT INTO report_backs (statement_id, n, name, baseline, target, due, status, result,
                                          reported_at, reported_by_id, created_at)
                SELECT s.id, {rb}, 'Indicator {rb}', 'Baseline', 'Target', (i.created_at + interval
                       '{200 * rb} days')::date,
                       CASE WHEN s.id % 3 = 0 THEN 'reported' ELSE 'pending' END,
                       CASE WHEN s.id % 3 = 0 THEN 'Done.' END,
                       CASE WHEN s.id % 3 = 0 THEN i.created_at + interval '100 days' END, NULL, i.created_at
                FROM statements s JOIN items i ON i.id = s.item_id WHERE s.state = 'ready_to_agendize'""")
        for table in ("items", "statements", "history_events", "departments", "users"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT coalesce(max(id), 1) FROM {table}))")
        cur.execute("VACUUM ANALYZE")
    return time.perf_counter() - t0


#: The ODE reviewer's password in the benchmark's own throw-away databases.
PAGE_PASSWORD = "bench-reports-page"

class Target:
    """The app on one database, with an ODE reviewer's token and a statement counter."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import event, select

        from app import create_app
        from app.extensions import db
        from app.models import User
        from app.operations import people

        self.app = create_app({"DATABASE_URL": url, "ENV": "testing"})
        self.client = self.app.test_client()
        self.seen = 0
        with self.app.app_context():
            ode = db.session.scalars(select(User).where(User.role == "ode_reviewer").limit(1)).one()
            self.token = people.issue_token(ode)
            ode.password_hash = people.hash_password(PAGE_PASSWORD)
            self.email = ode.email
            db.session.commit()
            event.listen(db.engine, "before_cursor_execute", self._count)
        self.browser = self.app.test_client()  # a signed-in session for the page, on first use
        self.signed_in = False

    def page(self, path: str) -> tuple[float, int]:
        """Time a page as the ODE reviewer sees it (signed in through the sign-in form)."""
        if not self.signed_in:
            form = self.browser.get("/sign-in").get_data(as_text=True)
            csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
            assert csrf, "the sign-in page has no CSRF token"
            r = self.browser.post("/sign-in", data={"csrf_token": html.unescape(csrf.group(1)),
                                                    "email": self.email, "password": PAGE_PASSWORD})
            assert r.status_code == 303, r.status_code
            self.signed_in = True
        self.seen = 0
        t0 = time.perf_counter()
        r = self.browser.get(path)
        body = r.get_data(as_text=True)
        elapsed = time.perf_counter() - t0
        assert r.status_code == 200 and "<svg" in body, (path, r.status_code)
        return elapsed, self.seen

    def _count(self, *args) -> None:
        self.seen += 1

    def get(self, path: str) -> tuple[float, int]:
        self.seen = 0
        t0 = time.perf_counter()
        with self.app.app_context():
            r = self.client.get(path, headers={"Authorization": f"Bearer {self.token}"})
        elapsed = time.perf_counter() - t0
        assert r.status_code == 200, (path, r.status_code, r.get_data(as_text=True)[:300])
        return elapsed, self.seen

    def pdf(self) -> float:
        from app import annual_report

        t0 = time.perf_counter()
        with self.app.app_context():
            annual_report.render(int(YEAR))
        return time.perf_counter() - t0


def summary(times: list[float]) -> dict:
    ordered = sorted(times)
    return {"p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p90_ms": round(ordered[math.ceil(0.9 * len(ordered)) - 1] * 1000, 1), "runs": len(ordered)}



def interleaved(requests: dict[int, Callable[[], tuple[float, int]]], runs: int) -> tuple[dict, dict]:
    """Time each size's request ``runs`` times after one warm-up, the sizes taking turns in
    alternating order: (the SQL statement counts seen, the p50/p90 summary), by size."""
    for request in requests.values():
        request()  # warm-up
    times: dict[int, list[float]] = {size: [] for size in requests}
    counts: dict[int, set[int]] = {size: set() for size in requests}
    for run in range(runs):
        for size in (sorted(requests) if run % 2 else sorted(requests, reverse=True)):
            elapsed, statements = requests[size]()
            times[size].append(elapsed)
            counts[size].add(statements)
    return {s: sorted(c) for s, c in counts.items()}, {s: summary(t) for s, t in times.items()}

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dsn", default=os.environ.get("REIS_BENCH_PG_DSN", DEFAULT_DSN))
    ap.add_argument("--small", type=int, default=10_000)
    ap.add_argument("--big", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--page", action="store_true", help="time the /reports page too")
    ap.add_argument("--pdf", action="store_true", help="time the annual PDF too (once per size)")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    dbs = {}
    try:
        for size in (args.small, args.big):
            dbs[size] = create_database(args.dsn)
            log(f"{size:,} statements loaded in {load_year(dbs[size][1], size):.1f}s")
        targets = {size: Target(url) for size, (_n, _dsn, url) in dbs.items()}
        results: dict = {}
        metrics = f"/api/v1/reports/metrics?from={YEAR}-01-01&to={YEAR}-12-31"
        results["sql_statements"], results["metrics"] = interleaved(
            {size: partial(t.get, metrics) for size, t in targets.items()}, args.runs)
        results["ratio_p50"] = round(results["metrics"][args.big]["p50_ms"]
                                     / results["metrics"][args.small]["p50_ms"], 2)
        if args.page:
            page = f"/reports?from={YEAR}-01-01&to={YEAR}-12-31"
            results["page_sql_statements"], results["page"] = interleaved(
                {size: partial(t.page, page) for size, t in targets.items()}, args.runs)
        print(json.dumps(results, indent=2), flush=True)
        if args.pdf:
            for size, target in targets.items():
                log(f"annual PDF of {size:,} statements: {target.pdf():.1f}s")
    finally:
        if not args.keep:
            for name, _dsn, _url in dbs.values():
                with psycopg.connect(args.dsn, autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                log(f"dropped {name}")


if __name__ == "__main__":
    main()
