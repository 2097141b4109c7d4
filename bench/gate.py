"""Benchmark: the clerk's gate and the general path against a bare Flask endpoint, and the meetings list.

    .venv/bin/python bench/gate.py [--db postgresql|sqlite] [--duration 10]

1. makes a fresh database (PostgreSQL by default: ``reis_bench_<random>`` on
   127.0.0.1:5432, created from the ``test`` database and dropped at the end),
   migrated with the app's Alembic migrations, with 10,000 items
   (``bench/seed.py``) and one clerk with an API token;
2. serves ``bench/wsgi.py`` (``create_app()`` plus one bare baseline route)
   under gunicorn, 2 workers, the same server and settings for every endpoint;
3. checks that they answer correctly, warms up, then runs wrk against the
   baseline, the gate (``/items/{id}/agendizable``, its one-statement fast
   path) and two reads of the general path (``/items/{id}`` and
   ``/items/{id}/statement``: authentication, ORM loads, a session) in turn
   (random file IDs, same connections, threads and duration) and reports
   requests/s, p50/p99 latency, each endpoint's ratio to the baseline and
   every non-2xx or socket error;
4. counts the SQL statements of ``GET /meetings/{date}/items`` for 10 and
   500 items and times both;
5. writes everything to ``bench/results/gate-<time>.json`` and prints a table.

Requirements: gate >= 80% of the baseline's requests/s (issue 2); the general
path's two reads >= 60% (issue 10); meetings: the same statement count for 10
and 500 items, and time(500) < 5 x time(10).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app import create_app  # noqa: E402
from app.api import serialize  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Item  # noqa: E402
from app.operations.gate import reasons_for  # noqa: E402
from bench import meetings, report, seed  # noqa: E402
from bench.harness import PG_ADMIN_DSN, Database, Server, cpu, get  # noqa: E402

RESULTS = ROOT / "bench" / "results"
LUA = ROOT / "bench" / "random_item.lua"
#: (path prefix, path suffix) around a random file ID
ENDPOINTS = {
    "baseline": ("/bench/baseline/", ""),
    "gate": ("/api/v1/items/", "/agendizable"),
    "item": ("/api/v1/items/", ""),
    "statement": ("/api/v1/items/", "/statement"),
}
#: each endpoint's requests/s, at least this share of the baseline's
TARGETS = {"gate": 0.80, "item": 0.60, "statement": 0.60}


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    if shutil.which("wrk") is None:
        print("bench/gate.py needs wrk (HTTP load generator) on PATH.\n"
              "  Debian/Ubuntu: sudo apt-get install -y wrk\n"
              "  macOS:         brew install wrk", file=sys.stderr)
        return 2
    load_before = os.getloadavg()
    if load_before[0] > 1.0:
        print(f"warning: load average {load_before[0]:.1f} before starting; other work on this "
              "machine will lower every figure and blur the ratios", flush=True)
    with Database(args.db, args.keep_db) as url:
        settings = _settings(url)
        print(f"database: {_safe(url)}; loading {args.items} items ...", flush=True)
        token = _prepare(settings, args.items)
        with Server(settings, args) as server:
            checks = _preflight(server, token, settings, args.items)
            print("preflight:", "ok" if not checks["failures"] else checks["failures"], flush=True)
            load = _load(server, token, args)
            meeting = _meetings(server, token, settings, args)
    result = {
        "when": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {**report.machine(PG_ADMIN_DSN), "load_average_before": load_before,
                    "load_average_after": os.getloadavg()},
        "settings": vars(args), "preflight": checks,
        "load": load, "meetings": meeting,
    }
    result["verdict"] = report.verdict(result, {k: v for k, v in TARGETS.items() if k in load})
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"gate-{args.db}-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    report.show(result, out.relative_to(ROOT), TARGETS)
    return 0 if all(result["verdict"].values()) else 1


def _arguments(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", choices=("postgresql", "sqlite"), default="postgresql")
    p.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    p.add_argument("--rounds", type=int, default=5, help="rounds of every endpoint, taking turns")
    p.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per endpoint")
    p.add_argument("--endpoints", default="gate,item,statement",
                   help="measured against the baseline, comma-separated: gate, item, statement")
    p.add_argument("--connections", type=int, default=8, help="wrk connections")
    p.add_argument("--timeout", type=int, default=10,
                   help="seconds before wrk counts a response as a timeout error (wrk's own "
                        "default, 2 s, turns a stall on a shared machine into an error)")
    p.add_argument("--wrk-threads", type=int, default=1,
                   help="wrk threads (1 leaves the most CPU to the server on 2 cores)")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    p.add_argument("--worker-class", default="gthread", choices=("gthread", "sync"))
    p.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    p.add_argument("--items", type=int, default=10_000)
    p.add_argument("--meeting-repeat", type=int, default=50)
    p.add_argument("--app", default="bench.wsgi:app",
                   help="WSGI app to serve (bench.general_path:app: the gate and the item reads "
                        "served the general way, without fast.py and reads.py; "
                        "bench.rollback_reads:app: reads end in ROLLBACK, as before)")
    p.add_argument("--keep-db", action="store_true", help="do not drop the database at the end")
    args = p.parse_args(argv)
    args.endpoints = [e for e in args.endpoints.split(",") if e]
    if not args.endpoints or set(args.endpoints) - set(TARGETS):
        p.error(f"--endpoints: a comma-separated choice of {', '.join(TARGETS)}")
    return args


def _safe(url: str) -> str:
    return url.split("@")[-1] if "@" in url else url


def _settings(url: str) -> dict[str, str]:
    """The server's environment: production settings on PostgreSQL."""
    production = url.startswith("postgresql")
    return {"REIS_DATABASE_URL": url, "REIS_ENV": "production" if production else "development",
            "REIS_RATELIMIT_STORAGE_URL": "redis://127.0.0.1:6379/0" if production else "memory://",
            "REIS_SECRET_KEY": "bench-" + os.urandom(32).hex()}


def _app(settings: dict[str, str]):
    return create_app({k.removeprefix("REIS_"): v for k, v in settings.items()})


def _prepare(settings: dict[str, str], count: int) -> str:
    app = _app(settings)
    started = time.perf_counter()
    with app.app_context():
        upgrade()
        token = seed.load(count)
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        db.engine.dispose()
    print(f"migrated and loaded in {time.perf_counter() - started:.1f}s", flush=True)
    return token


def _url(server: Server, endpoint: str, file_id: str) -> str:
    prefix, suffix = ENDPOINTS[endpoint]
    return f"{server.base}{prefix}{file_id}{suffix}"


def _preflight(server: Server, token: str, settings: dict[str, str], count: int) -> dict:
    """Before measuring: every endpoint answers, and the gate answers *right*."""
    failures: list[str] = []
    sample = random.Random(7).sample(range(1, count + 1), 40)
    app = _app(settings)
    with app.app_context():
        for n in sample:
            fid = seed.file_id(n)
            item = db.session.scalar(select(Item).where(Item.file_id == fid))
            expected = serialize.gate(fid, reasons_for(item))
            status, body = get(_url(server, "gate", fid), token)
            if status != 200 or json.loads(body) != expected:
                failures.append(f"gate {fid}: {status} {body[:200]!r}, expected {expected}")
            status, body = get(_url(server, "baseline", fid), None)
            if status != 200 or json.loads(body)["title"] != item.title:
                failures.append(f"baseline {fid}: {status}")
            status, body = get(_url(server, "item", fid), token)
            if status != 200 or json.loads(body)["title"] != item.title:
                failures.append(f"item {fid}: {status}")
            status, body = get(_url(server, "statement", fid), token)
            if status != 200 or json.loads(body)["state"] != item.statement.state:
                failures.append(f"statement {fid}: {status}")
        db.engine.dispose()
    for label, url, tok, want in [
        ("no token", _url(server, "gate", seed.file_id(1)), None, 401),
        ("bad token", _url(server, "gate", seed.file_id(1)), "x" + token, 401),
        ("unknown item", _url(server, "gate", "1999-99999"), token, 404),
        ("no token, general path", _url(server, "item", seed.file_id(1)), None, 401),
    ]:
        status, _ = get(url, tok)
        if status != want:
            failures.append(f"{label}: {status}, expected {want}")
    if failures:
        raise SystemExit("preflight failed:\n  " + "\n  ".join(failures))
    return {"sampled_items": len(sample), "failures": failures}


# -- load ---------------------------------------------------------------------

def _wrk(server: Server, token: str, endpoint: str, seconds: int, args) -> dict:
    prefix, suffix = ENDPOINTS[endpoint]
    env = {**os.environ, "BENCH_PREFIX": prefix, "BENCH_SUFFIX": suffix,
           "BENCH_TOKEN": token, "BENCH_ITEMS": str(args.items), "BENCH_YEAR": seed.YEAR}
    command = ["wrk", "-t", str(args.wrk_threads), "-c", str(args.connections), "-d",
               f"{seconds}s", "--timeout", f"{args.timeout}s", "-s", str(LUA), server.base]
    before = cpu(server)
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    after = cpu(server)
    line = next(x for x in out.splitlines() if x.startswith("BENCH_JSON "))
    run = json.loads(line.removeprefix("BENCH_JSON "))
    run["rps"] = round(run["requests"] / (run["duration_us"] / 1e6), 1)
    run["errors"] = run["non_2xx"] + sum(run["socket_errors"].values())
    for side in ("app", "db"):
        spent = sum(t - before[side].get(pid, 0) for pid, t in after[side].items())
        run[f"{side}_cpu_us_per_request"] = round(spent / max(run["requests"], 1), 1)
    return run


def _total(runs: list[dict]) -> dict:
    """One endpoint's rounds together: requests/s over all of them, medians of the rest."""
    seconds = sum(r["duration_us"] for r in runs) / 1e6
    requests = sum(r["requests"] for r in runs)

    def per_request(key: str) -> float:
        return round(sum(r[key] * r["requests"] for r in runs) / max(requests, 1), 1)

    return {"rps": round(requests / seconds, 1),
            "p50_ms": round(statistics.median(r["latency_us"]["p50"] for r in runs) / 1000, 2),
            "p99_ms": round(statistics.median(r["latency_us"]["p99"] for r in runs) / 1000, 2),
            "p99_worst_round_ms": round(max(r["latency_us"]["p99"] for r in runs) / 1000, 2),
            "max_ms": round(max(r["latency_us"]["max"] for r in runs) / 1000, 2),
            "app_cpu_us_per_request": per_request("app_cpu_us_per_request"),
            "db_cpu_us_per_request": per_request("db_cpu_us_per_request"),
            "requests": requests, "errors": sum(r["errors"] for r in runs)}


def _load(server: Server, token: str, args) -> dict:
    names = ["baseline", *args.endpoints]
    for name in names:
        _wrk(server, token, name, args.warmup, args)
    rounds = []
    for i in range(args.rounds):
        runs = {name: _wrk(server, token, name, args.duration, args) for name in names}
        rounds.append({**runs, "ratio": {n: round(runs[n]["rps"] / runs["baseline"]["rps"], 3)
                                         for n in args.endpoints}})
        print(f"round {i + 1}: " + ", ".join(f"{n} {runs[n]['rps']:.0f} rps" for n in names),
              flush=True)
    totals = {name: _total([r[name] for r in rounds]) for name in names}

    def cpu_of(row: dict) -> float:
        return row["app_cpu_us_per_request"] + row["db_cpu_us_per_request"]

    base = totals["baseline"]
    return {**totals,
            "ratio": {n: round(totals[n]["rps"] / base["rps"], 3) for n in args.endpoints},
            "median_round_ratio": {n: statistics.median(r["ratio"][n] for r in rounds)
                                   for n in args.endpoints},
            # what the ratio would be if CPU alone set the pace (it does, on 2 busy cores)
            "cpu_ratio": {n: round(cpu_of(base) / cpu_of(totals[n]), 3) if cpu_of(totals[n]) else None
                          for n in args.endpoints},
            "rounds": rounds}


def _meetings(server: Server, token: str, settings: dict[str, str], args) -> dict:
    headers = {"Authorization": f"Bearer {token}"}
    app = _app(settings)
    days = {"small": seed.SMALL_MEETING, "large": seed.LARGE_MEETING}
    paths = {label: f"/api/v1/meetings/{day.isoformat()}/items" for label, day in days.items()}
    timed = meetings.time_requests(server.host, server.port, list(paths.values()), headers,
                                   repeat=args.meeting_repeat)
    out = {}
    for label, day in days.items():
        counted = meetings.count_statements(app, paths[label], headers)
        listed = meetings.count_statements(app, f"/api/v1/items?meeting_date={day.isoformat()}",
                                           headers)
        out[label] = {"meeting_date": day.isoformat(), "items": counted["items"],
                      "statements": counted["statements"], "sql": counted["sql"],
                      "items_list_statements": listed["statements"], **timed[paths[label]]}
    with app.app_context():
        db.engine.dispose()
    out["time_ratio"] = round(out["large"]["median_ms"] / out["small"]["median_ms"], 2)
    return out


if __name__ == "__main__":
    sys.exit(main())
