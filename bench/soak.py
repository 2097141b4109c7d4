"""Soak run: gunicorn (2 workers) on PostgreSQL and Redis under N clients for D seconds.

    .venv/bin/python bench/soak.py                 # 50 clients, 300 s (the full run)
    .venv/bin/python bench/soak.py --duration 60   # a shorter run

What it does, on the machine's own services only (loopback):

* creates a fresh database ``reis_soak_<random>`` next to ``test`` on
  127.0.0.1:5432 (dropped at the end), migrates and seeds it through the
  application's own operations: one department, its staff, approver, an ODE
  reviewer and a clerk, and two items per client;
* uses one empty Redis database number on 127.0.0.1:6379 as both the broker
  (notifications are kicked there after every transition; no worker consumes
  them here) and the rate-limit storage, and empties it at the end;
* starts gunicorn in production settings, 2 workers (gthread, 8 threads each);
* runs N client threads for D seconds, each a bounded loop over its own items:
  reads (gate, item, a meeting's list), edits (GET the statement, PUT answers
  with its version) and transitions (submit, approve, return);
* reports throughput, p50/p99 latency, the error count (any 5xx or connection
  error; a 409 conflict is an expected answer, and any other 4xx is counted
  apart as "unexpected"), and the workers' RSS after boot, after a warm-up and
  at the end (growth measured from the warm-up, when caches are filled).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import psycopg
import redis
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.operations import items, people  # noqa: E402
from bench.harness import PG_ADMIN_DSN, free_port  # noqa: E402
from workflows.questionnaire import example_answers  # noqa: E402

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
MEETINGS = [date(2027, 3, 2) + timedelta(weeks=w) for w in range(5)]
ROLES = {"staff": ("staff", "SOAK"), "approver": ("department_approver", "SOAK"),
         "ode": ("ode_reviewer", None), "clerk": ("clerk", None)}


def arguments(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--duration", type=int, default=300, help="seconds of load (default 300)")
    p.add_argument("--warmup", type=int, default=10, help="seconds before the 'start' RSS is read")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--threads", type=int, default=8, help="gthread threads per worker")
    p.add_argument("--out", type=Path, default=None, help="also write the result as JSON here")
    p.add_argument("--app", default="app:create_app()",
                   help="what gunicorn serves (bench.rollback_reads:create_app(): reads end in "
                        "ROLLBACK, as before app/db.py's end_read_only_requests)")
    return p.parse_args(argv)


def empty_redis_db() -> int:
    """The first empty Redis database number from 15 down: ours for the run."""
    for number in range(15, 7, -1):
        if redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=number).dbsize() == 0:
            return number
    raise SystemExit("no empty Redis database number (8-15) on 127.0.0.1:6379")


def seed(settings: dict[str, str], clients: int) -> tuple[dict[str, str], list[str]]:
    app = create_app({k.removeprefix("REIS_"): v for k, v in settings.items()})
    with app.app_context():
        upgrade()
        people.create_department("SOAK", "Department of Soak Testing")
        tokens, users = {}, {}
        for key, (role, dept) in ROLES.items():
            users[key] = people.create_user(f"{key}@soak.reis", key.title(), role, dept)
            tokens[key] = people.issue_token(users[key])
        file_ids = []
        for n in range(1, 2 * clients + 1):
            file_id = f"2027-{n:05d}"
            items.create_item(users["staff"], {
                "file_id": file_id, "title": f"Soak item {n}", "department": "SOAK",
                "fiscal_statement": "Funded.", "meeting_date": MEETINGS[n % len(MEETINGS)]})
            file_ids.append(file_id)
        db.session.remove()
        db.engine.dispose()
    return tokens, file_ids


class Client(threading.Thread):
    """One simulated user agent: a bounded loop over its own two items."""

    NEXT = {"draft": ("submit", "staff"), "department_review": ("approve", "approver"),
            "ode_review": ("return", "ode")}

    def __init__(self, base: str, tokens: dict[str, str], mine: list[str], deadline: float,
                 seed_: int) -> None:
        super().__init__(daemon=True)
        self.base, self.mine, self.deadline = base, mine, deadline
        self.headers = {k: {"Authorization": f"Bearer {t}"} for k, t in tokens.items()}
        self.rng = random.Random(seed_)
        self.latencies: list[float] = []
        self.statuses: Counter = Counter()
        self.kinds: Counter = Counter()
        self.errors: list[str] = []
        self.session = requests.Session()
        self.answers = example_answers()

    def call(self, kind: str, method: str, path: str, who: str, body: dict | None = None):
        started = time.perf_counter()
        try:
            r = self.session.request(method, self.base + path, headers=self.headers[who],
                                     json=body, timeout=30)
        except requests.RequestException as exc:
            self.errors.append(f"{method} {path}: {type(exc).__name__}")
            self.statuses["connection error"] += 1
            return None
        self.latencies.append(time.perf_counter() - started)
        self.statuses[r.status_code] += 1
        self.kinds[kind] += 1
        if r.status_code >= 500:
            self.errors.append(f"{method} {path}: {r.status_code} {r.text[:120]}")
        return r.json() if r.status_code == 200 else None

    def run(self) -> None:
        for _ in range(10_000_000):  # bounded; the deadline ends it
            if time.monotonic() >= self.deadline:
                return
            file_id = self.rng.choice(self.mine)
            roll = self.rng.random()
            if roll < 0.6:
                which = self.rng.random()
                if which < 0.5:
                    self.call("read", "GET", f"/api/v1/items/{file_id}/agendizable", "clerk")
                elif which < 0.85:
                    self.call("read", "GET", f"/api/v1/items/{file_id}", "clerk")
                else:
                    when = self.rng.choice(MEETINGS).isoformat()
                    self.call("read", "GET", f"/api/v1/meetings/{when}/items", "clerk")
                continue
            statement = self.call("read", "GET", f"/api/v1/items/{file_id}/statement", "staff")
            if statement is None:
                continue
            if roll < 0.85:
                if statement["state"] == "draft":
                    self.call("edit", "PUT", f"/api/v1/items/{file_id}/statement", "staff",
                              {"answers": self.answers, "version": statement["version"]})
                continue
            event, who = self.NEXT[statement["state"]]
            if event == "submit":  # a draft is submitted with complete answers, saved first
                statement = self.call("edit", "PUT", f"/api/v1/items/{file_id}/statement", "staff",
                                      {"answers": self.answers, "version": statement["version"]})
                if statement is None:
                    continue
            body = {"event": event, "version": statement["version"]}
            if event == "return":
                body["comment"] = "Please revise (soak)."
            self.call("transition", "POST", f"/api/v1/items/{file_id}/statement/events", who, body)


def rss_mib(pids: list[int]) -> dict[int, float]:
    out = {}
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    out[pid] = int(line.split()[1]) / 1024
        except OSError:
            pass
    return out


def worker_pids(master: subprocess.Popen) -> list[int]:
    try:
        path = Path(f"/proc/{master.pid}/task/{master.pid}/children")
        return sorted(int(p) for p in path.read_text().split())
    except OSError:
        return []


def wait_healthy(base: str, master: subprocess.Popen) -> None:
    for _ in range(300):
        if master.poll() is not None:
            raise SystemExit(f"gunicorn exited with {master.returncode}")
        try:
            if requests.get(base + "/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise SystemExit("gunicorn did not become healthy in 30 s")


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=1000)[int(q * 1000) - 1] if len(values) > 1 else 0.0


def run(args) -> dict:
    load_before = os.getloadavg()
    name = f"reis_soak_{uuid.uuid4().hex[:10]}"
    redis_db = empty_redis_db()
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql://root@127.0.0.1:5432/{name}"
    redis_url = f"redis://{REDIS_HOST}:{REDIS_PORT}/{redis_db}"
    settings = {"REIS_ENV": "production", "REIS_DATABASE_URL": url,
                "REIS_SECRET_KEY": "soak-" + uuid.uuid4().hex + uuid.uuid4().hex,
                "REIS_BROKER_URL": redis_url, "REIS_RATELIMIT_STORAGE_URL": redis_url}
    master = None
    try:
        tokens, file_ids = seed(settings, args.clients)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        command = [str(Path(sys.executable).parent / "gunicorn"), "--chdir", str(ROOT),
                   "--workers", str(args.workers), "--worker-class", "gthread",
                   "--threads", str(args.threads), "--bind", f"127.0.0.1:{port}",
                   "--log-level", "warning", args.app]
        master = subprocess.Popen(command, env={**os.environ, **settings}, cwd=ROOT)
        wait_healthy(base, master)
        pids = worker_pids(master)
        boot = rss_mib(pids)
        started = time.monotonic()
        deadline = started + args.duration
        clients = [Client(base, tokens, file_ids[2 * i: 2 * i + 2], deadline, i)
                   for i in range(args.clients)]
        for client in clients:
            client.start()
        time.sleep(min(args.warmup, args.duration))
        warm = rss_mib(pids)
        for client in clients:
            client.join(args.duration + 120)
        elapsed = time.monotonic() - started
        end = rss_mib(pids)
        restarted = worker_pids(master) != pids
    finally:
        if master is not None and master.poll() is None:
            master.terminate()
            master.wait(30)
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=redis_db).flushdb()

    latencies = [x for c in clients for x in c.latencies]
    statuses = sum((c.statuses for c in clients), Counter())
    kinds = sum((c.kinds for c in clients), Counter())
    errors = [e for c in clients for e in c.errors]
    unexpected = sum(n for s, n in statuses.items() if isinstance(s, int) and 400 <= s < 500 and s != 409)
    growth = {pid: 100 * (end[pid] - warm[pid]) / warm[pid] for pid in pids if pid in end and pid in warm}
    return {
        "app": args.app, "load_average_before": load_before, "load_average_after": os.getloadavg(),
        "clients": args.clients, "duration_s": round(elapsed, 1), "workers": args.workers,
        "threads_per_worker": args.threads, "requests": len(latencies),
        "throughput_rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(1000 * percentile(latencies, 0.50), 1),
        "p99_ms": round(1000 * percentile(latencies, 0.99), 1),
        "by_kind": dict(kinds), "statuses": {str(k): v for k, v in sorted(statuses.items(), key=str)},
        "errors": len(errors), "error_samples": errors[:5], "unexpected_4xx": unexpected,
        "conflicts_409": statuses.get(409, 0), "workers_restarted": restarted,
        "rss_mib": {"boot": boot, "after_warmup": warm, "end": end},
        "rss_growth_pct_from_warmup": {pid: round(g, 1) for pid, g in growth.items()},
    }


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    result = run(args)
    text = json.dumps(result, indent=2, default=str)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    growth_ok = all(g <= 10 for g in result["rss_growth_pct_from_warmup"].values())
    ok = result["errors"] == 0 and result["unexpected_4xx"] == 0 and growth_ok
    print("PASS" if ok else "FAIL", "(errors 0, no unexpected 4xx, RSS growth <= 10%)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
