"""Benchmark: the clerk's gate against a bare Flask endpoint, and the meetings list.

    .venv/bin/python bench/gate.py [--db postgresql|sqlite] [--duration 10]

1. makes a fresh database (PostgreSQL by default: ``reis_bench_<random>`` on
   127.0.0.1:5432, created from the ``test`` database and dropped at the end),
   migrated with the app's Alembic migrations, with 10,000 items
   (``bench/seed.py``) and one clerk with an API token;
2. serves ``bench/wsgi.py`` (``create_app()`` plus one bare baseline route)
   under gunicorn, 2 workers, the same server and settings for both endpoints;
3. checks that both answer correctly, warms up, then runs wrk against the
   baseline and the gate alternately (random file IDs, same connections,
   threads and duration) and reports requests/s, p50/p99 latency, the
   gate/baseline ratio and every non-2xx or socket error;
4. counts the SQL statements of ``GET /meetings/{date}/items`` for 10 and
   500 items and times both;
5. writes everything to ``bench/results/gate-<time>.json`` and prints a table.

Requirement (issue 2): gate >= 80% of the baseline's requests/s; meetings:
the same statement count for 10 and 500 items, and time(500) < 5 x time(10).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from bench import meetings, report, seed  # noqa: E402

RESULTS = ROOT / "bench" / "results"
LUA = ROOT / "bench" / "random_item.lua"
PG_ADMIN_DSN = os.environ.get("REIS_BENCH_PG_DSN", "host=127.0.0.1 port=5432 dbname=test")
GATE = ("/api/v1/items/", "/agendizable")
BASELINE = ("/bench/baseline/", "")
TARGET_RATIO = 0.80


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
              "machine will lower both figures and blur the ratio", flush=True)
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
        "gate": load, "meetings": meeting,
    }
    result["verdict"] = report.verdict(result, TARGET_RATIO)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"gate-{args.db}-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    report.show(result, out.relative_to(ROOT), TARGET_RATIO)
    return 0 if all(result["verdict"].values()) else 1


def _arguments(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", choices=("postgresql", "sqlite"), default="postgresql")
    p.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    p.add_argument("--rounds", type=int, default=5, help="baseline/gate pairs, taking turns")
    p.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per endpoint")
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
                   help="WSGI app to serve (bench.general_path:app: the gate without fast.py)")
    p.add_argument("--keep-db", action="store_true", help="do not drop the database at the end")
    return p.parse_args(argv)


def _safe(url: str) -> str:
    return url.split("@")[-1] if "@" in url else url


# -- the database -------------------------------------------------------------

class Database:
    """A fresh database for one run, dropped (PostgreSQL) or deleted at the end."""

    def __init__(self, kind: str, keep: bool) -> None:
        self.kind, self.keep = kind, keep
        self.name = f"reis_bench_{uuid.uuid4().hex[:10]}"
        self.tmp: tempfile.TemporaryDirectory | None = None

    def __enter__(self) -> str:
        if self.kind == "sqlite":
            self.tmp = tempfile.TemporaryDirectory(prefix="reis-bench-")
            return f"sqlite:///{self.tmp.name}/bench.sqlite3"
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'CREATE DATABASE "{self.name}"')
        parts = dict(p.split("=", 1) for p in PG_ADMIN_DSN.split())
        user = f"{parts['user']}@" if "user" in parts else ""
        return (f"postgresql://{user}{parts.get('host', '127.0.0.1')}:{parts.get('port', '5432')}"
                f"/{self.name}")

    def __exit__(self, *exc) -> None:
        if self.keep:
            print(f"kept database {self.name if self.kind == 'postgresql' else self.tmp.name}")
            return
        if self.tmp is not None:
            self.tmp.cleanup()
        if self.kind == "postgresql":
            with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def _settings(url: str) -> dict[str, str]:
    """The server's environment: production settings on PostgreSQL."""
    production = url.startswith("postgresql")
    return {"REIS_DATABASE_URL": url, "REIS_ENV": "production" if production else "development",
            "REIS_RATELIMIT_STORAGE_URL": "redis://127.0.0.1:6379/0" if production else "memory://",
            "REIS_SECRET_KEY": "bench-" + uuid.uuid4().hex + uuid.uuid4().hex}


def _app(settings: dict[str, str]):
    from app import create_app

    return create_app({k.removeprefix("REIS_"): v for k, v in settings.items()})


def _prepare(settings: dict[str, str], count: int) -> str:
    from flask_migrate import upgrade

    app = _app(settings)
    started = time.perf_counter()
    with app.app_context():
        upgrade()
        token = seed.load(count)
        from app.extensions import db
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        db.engine.dispose()
    print(f"migrated and loaded in {time.perf_counter() - started:.1f}s", flush=True)
    return token


# -- the server ---------------------------------------------------------------

class Server:
    """gunicorn serving bench/wsgi.py; stopped (by its own pid) at the end."""

    def __init__(self, settings: dict[str, str], args) -> None:
        self.host, self.port = "127.0.0.1", _free_port()
        self.command = [str(Path(sys.executable).parent / "gunicorn"), "--chdir", str(ROOT),
                        "--workers", str(args.workers), "--worker-class", args.worker_class,
                        "--bind", f"{self.host}:{self.port}", "--log-level", "warning"]
        if args.worker_class == "gthread":
            self.command += ["--threads", str(args.threads)]
        self.command.append(args.app)
        self.env = {**os.environ, **settings}
        url = settings["REIS_DATABASE_URL"]
        self.dbname = url.rsplit("/", 1)[1] if url.startswith("postgresql") else None
        self.process: subprocess.Popen | None = None

    def worker_pids(self) -> list[int]:
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            return [int(p) for p in children.read_text().split()]
        except OSError:
            return []

    def database_pids(self) -> list[int]:
        if self.dbname is None:
            return []
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
            return [r[0] for r in admin.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", (self.dbname,))]

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(self.command, env=self.env, cwd=ROOT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not become healthy in 30s")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, token: str | None) -> tuple[int, bytes]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _preflight(server: Server, token: str, settings: dict[str, str], count: int) -> dict:
    """Before measuring: both endpoints answer, and the gate answers *right*."""
    from sqlalchemy import select

    from app.api import serialize
    from app.extensions import db
    from app.models import Item
    from app.operations.gate import reasons_for

    failures: list[str] = []
    sample = random.Random(7).sample(range(1, count + 1), 40)
    app = _app(settings)
    with app.app_context():
        for n in sample:
            fid = seed.file_id(n)
            item = db.session.scalar(select(Item).where(Item.file_id == fid))
            expected = serialize.gate(fid, reasons_for(item))
            status, body = _get(f"{server.base}{GATE[0]}{fid}{GATE[1]}", token)
            if status != 200 or json.loads(body) != expected:
                failures.append(f"gate {fid}: {status} {body[:200]!r}, expected {expected}")
            status, body = _get(f"{server.base}{BASELINE[0]}{fid}", None)
            if status != 200 or json.loads(body)["title"] != item.title:
                failures.append(f"baseline {fid}: {status}")
        db.engine.dispose()
    for label, url, tok, want in [
        ("no token", f"{server.base}{GATE[0]}{seed.file_id(1)}{GATE[1]}", None, 401),
        ("bad token", f"{server.base}{GATE[0]}{seed.file_id(1)}{GATE[1]}", "x" + token, 401),
        ("unknown item", f"{server.base}{GATE[0]}1999-99999{GATE[1]}", token, 404),
    ]:
        status, _ = _get(url, tok)
        if status != want:
            failures.append(f"{label}: {status}, expected {want}")
    if failures:
        raise SystemExit("preflight failed:\n  " + "\n  ".join(failures))
    return {"sampled_items": len(sample), "failures": failures}


# -- load ---------------------------------------------------------------------

def _wrk(server: Server, token: str, endpoint: tuple[str, str], seconds: int, args) -> dict:
    env = {**os.environ, "BENCH_PREFIX": endpoint[0], "BENCH_SUFFIX": endpoint[1],
           "BENCH_TOKEN": token, "BENCH_ITEMS": str(args.items), "BENCH_YEAR": seed.YEAR}
    command = ["wrk", "-t", str(args.wrk_threads), "-c", str(args.connections), "-d",
               f"{seconds}s", "--timeout", f"{args.timeout}s", "-s", str(LUA), server.base]
    before = _cpu(server)
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    after = _cpu(server)
    line = next(x for x in out.splitlines() if x.startswith("BENCH_JSON "))
    run = json.loads(line.removeprefix("BENCH_JSON "))
    run["rps"] = round(run["requests"] / (run["duration_us"] / 1e6), 1)
    run["errors"] = run["non_2xx"] + sum(run["socket_errors"].values())
    for side in ("app", "db"):
        spent = sum(t - before[side].get(pid, 0) for pid, t in after[side].items())
        run[f"{side}_cpu_us_per_request"] = round(spent / max(run["requests"], 1), 1)
    return run


def _cpu(server: Server) -> dict[str, dict[int, float]]:
    """CPU time (microseconds) used so far by each gunicorn worker and by each
    PostgreSQL backend of the benchmark's database. Unlike requests/s, CPU
    per request barely moves when other work shares the machine."""
    return {"app": {pid: _cpu_us(pid) for pid in server.worker_pids()},
            "db": {pid: _cpu_us(pid) for pid in server.database_pids()}}


def _cpu_us(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) * 1e6 / os.sysconf("SC_CLK_TCK")


def _load(server: Server, token: str, args) -> dict:
    for endpoint in (BASELINE, GATE):
        _wrk(server, token, endpoint, args.warmup, args)
    rounds = []
    for i in range(args.rounds):
        base = _wrk(server, token, BASELINE, args.duration, args)
        gate = _wrk(server, token, GATE, args.duration, args)
        rounds.append({"baseline": base, "gate": gate,
                       "ratio": round(gate["rps"] / base["rps"], 3)})
        print(f"round {i + 1}: baseline {base['rps']:.0f} rps, gate {gate['rps']:.0f} rps, "
              f"ratio {gate['rps'] / base['rps']:.3f}", flush=True)

    def total(which: str) -> dict:
        runs = [r[which] for r in rounds]
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

    baseline, gate = total("baseline"), total("gate")

    def cpu(row: dict) -> float:
        return row["app_cpu_us_per_request"] + row["db_cpu_us_per_request"]

    return {"baseline": baseline, "gate": gate, "ratio": round(gate["rps"] / baseline["rps"], 3),
            "median_round_ratio": statistics.median(r["ratio"] for r in rounds),
            # what the ratio would be if CPU alone set the pace (it does, on 2 busy cores)
            "cpu_ratio": round(cpu(baseline) / cpu(gate), 3) if cpu(gate) else None,
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
        from app.extensions import db
        db.engine.dispose()
    out["time_ratio"] = round(out["large"]["median_ms"] / out["small"]["median_ms"], 2)
    return out


if __name__ == "__main__":
    sys.exit(main())
