"""Benchmark: the reminder sweep's cost grows with what is due, not with the table.

Issue 3's target: with the same 1,000 statements due, a sweep over 1,000,000
statements in total takes no more than 1.5x a sweep over 10,000.

What it does (PostgreSQL only; nothing else on the server is touched):

1. creates two databases ``reis_sweep_<random>`` on the server of ``--dsn``
   (default: db ``test`` on 127.0.0.1:5432), migrates them with Alembic
   (``reis db upgrade``) and loads them (bench/sweep_data.py): the same 2,000
   statements in both, 1,000 of them due on Wed 2 Dec 2026, then filler up to
   10,000 statements in one and 1,000,000 in the other;
2. starts one "worker" process per database (the real app, as the Celery
   worker runs it) and times ``sweep.run(Wed 2 Dec 2026 09:00 PT)``: one
   warm-up sweep each, then ``--runs`` sweeps each, the two databases
   interleaved in alternating order so both see the same machine. Between
   runs the claimed rows are deleted and the table vacuumed (not timed), so
   every run claims the same reminders from the same state;
3. reports the median of each, their ratio, each worker's peak RSS
   (``ru_maxrss``) and, with ``--plans DIR``, writes the EXPLAIN (ANALYZE,
   BUFFERS) of every SELECT the sweep issues;
4. drops both databases (``--keep`` keeps them).

Run:  .venv/bin/python bench/sweep.py [--runs 9] [--plans DIR] [--small 10000] [--big 1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.sweep_data import DEFAULT_DSN, NOW, log, populate  # noqa: E402

# -- the worker side -------------------------------------------------------------------


def worker(url: str) -> None:
    """The "worker" process: one per database, driven line by line over stdin.

    ``run`` sweeps once as of NOW (timed), then deletes what it claimed so the
    next run claims the same again; ``plans FILE`` writes the EXPLAIN (ANALYZE,
    BUFFERS) of the sweep's SELECTs; ``quit`` reports the peak RSS.
    """
    # Imported here, not at the top: only the worker process loads the app, so
    # the peak memory it reports is the app's, not the driver's.
    from sqlalchemy import delete, event, text

    from app import create_app
    from app.extensions import db
    from app.models import Notification
    from app.operations import sweep

    app = create_app({"DATABASE_URL": url, "ENV": "testing"})

    def reply(obj) -> None:
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()

    def forget() -> None:
        db.session.execute(delete(Notification).where(
            Notification.kind == "reminder", Notification.created_at == NOW))
        db.session.commit()

    with app.app_context():
        db.session.execute(text("SELECT 1"))
        db.session.commit()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        reply({"ready": True})
        for line in sys.stdin:
            command, _, arg = line.strip().partition(" ")
            if command == "run":
                t0 = time.perf_counter()
                n = sweep.run(NOW)
                elapsed = time.perf_counter() - t0
                forget()
                reply({"t": elapsed, "n": n})
            elif command == "plans":
                captured: list[tuple[str, object]] = []

                def capture(conn, cursor, statement, parameters, context, executemany,
                            captured=captured):
                    if statement.lstrip().upper().startswith("SELECT") and not executemany:
                        captured.append((statement, parameters))

                event.listen(db.engine, "before_cursor_execute", capture)
                sweep.run(NOW)
                event.remove(db.engine, "before_cursor_execute", capture)
                with db.engine.connect() as conn, open(arg, "w") as out:
                    for statement, params in captured:
                        plan = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
                        out.write(statement + "\n\n" + "\n".join(r[0] for r in plan) + "\n\n"
                                  + "-" * 78 + "\n")
                    conn.rollback()
                forget()
                reply({"plans": arg, "queries": len(captured)})
            elif command == "quit":
                reply({"rss_before_kb": before,
                       "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss})
                return


class Worker:
    def __init__(self, url: str, dsn: str):
        self.proc = subprocess.Popen([sys.executable, __file__, "--worker", url], cwd=ROOT,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.vacuum = psycopg.connect(dsn, autocommit=True)
        self.ask(None)

    def ask(self, command: str | None) -> dict:
        if command is not None:
            self.proc.stdin.write(command + "\n")
            self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit(f"worker stopped (exit {self.proc.wait()})")
        return json.loads(line)

    def run(self) -> dict:
        result = self.ask("run")
        # Not timed: the run's rows were deleted; vacuum so the next run does not
        # wade through them (a real sweep never deletes, so it never sees any).
        self.vacuum.execute("VACUUM notifications")
        return result

    def quit(self) -> dict:
        result = self.ask("quit")
        self.proc.wait()
        self.vacuum.close()
        return result


# -- the driver ------------------------------------------------------------------------------


def create_database(admin_dsn: str) -> tuple[str, str, str]:
    parts = dict(p.split("=", 1) for p in admin_dsn.split())
    name = f"reis_sweep_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    dsn = " ".join(f"{k}={v}" for k, v in {**parts, "dbname": name}.items())
    user = f"{parts['user']}@" if "user" in parts else ""
    url = f"postgresql+psycopg://{user}{parts.get('host', '127.0.0.1')}:{parts.get('port', '5432')}/{name}"
    env = {**os.environ, "REIS_DATABASE_URL": url, "REIS_ENV": "testing"}
    subprocess.run([str(Path(sys.executable).with_name("reis")), "db", "upgrade"], env=env,
                   cwd=ROOT, check=True, capture_output=True)
    return name, dsn, url


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dsn", default=os.environ.get("REIS_BENCH_PG_DSN", DEFAULT_DSN))
    ap.add_argument("--small", type=int, default=10_000)
    ap.add_argument("--big", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=9, help="timed sweeps per size (after one warm-up)")
    ap.add_argument("--plans", default=None, help="directory for the full EXPLAIN output")
    ap.add_argument("--keep", action="store_true", help="keep the databases")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args.worker)
        return

    sizes = (args.small, args.big)
    dbs: dict[int, tuple[str, str, str]] = {}
    workers: dict[int, Worker] = {}
    results: dict[int, dict] = {}
    try:
        for size in sizes:
            dbs[size] = create_database(args.dsn)
            log(f"{size:,}: database {dbs[size][0]}")
            log(f"{size:,} statements loaded in {populate(dbs[size][1], size):.1f}s (+ vacuum analyze)")
        for size in sizes:
            workers[size] = Worker(dbs[size][2], dbs[size][1])
            results[size] = {"first": workers[size].run(), "times": [], "claimed": set()}
        # Interleaved, in alternating order, so both sizes see the same machine
        # (other work on it slows whichever runs at the time).
        for i in range(args.runs):
            for size in (sizes if i % 2 == 0 else sizes[::-1]):
                r = workers[size].run()
                results[size]["times"].append(r["t"])
                results[size]["claimed"].add(r["n"])
        if args.plans:
            Path(args.plans).mkdir(parents=True, exist_ok=True)
            for size in sizes:
                workers[size].ask(f"plans {Path(args.plans).resolve() / f'sweep_plans_{size}.txt'}")
        for size in sizes:
            results[size] |= workers.pop(size).quit()
    finally:
        for w in workers.values():
            w.proc.kill()
        if not args.keep:
            with psycopg.connect(args.dsn, autocommit=True) as admin:
                for name, _, _ in dbs.values():
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                    log(f"dropped {name}")

    print()
    for size in sizes:
        r = results[size]
        r["median"] = statistics.median(r["times"])
        print(f"{size:>9,} statements: median {r['median'] * 1000:7.1f} ms  "
              f"(first run {r['first']['t'] * 1000:.1f} ms; all: "
              + ", ".join(f"{t * 1000:.0f}" for t in r["times"]) + ")")
        print(f"{'':>21}reminders claimed per run {sorted(r['claimed'])}, worker peak RSS "
              f"{r['peak_rss_kb'] / 1024:.1f} MiB "
              f"({r['rss_before_kb'] / 1024:.1f} MiB before the first sweep)")
    ratio = results[args.big]["median"] / results[args.small]["median"]
    print(f"ratio {args.big:,} / {args.small:,}: {ratio:.2f} "
          f"({'meets' if ratio <= 1.5 else 'MISSES'} the 1.5x target)")
    if args.plans:
        print(f"query plans: {args.plans}/sweep_plans_{{{args.small},{args.big}}}.txt")


if __name__ == "__main__":
    main()
