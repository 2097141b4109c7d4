"""What the benchmarks share: a fresh database, gunicorn serving the app, and CPU accounting.

``Database`` makes (and drops) a PostgreSQL database from ``REIS_BENCH_PG_DSN``'s
server, or a temporary SQLite file; ``Server`` runs gunicorn on a free port
and stops it by its own pid; ``cpu`` reads the CPU time of gunicorn's workers
and of the database's backends from ``/proc``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_DSN = os.environ.get("REIS_BENCH_PG_DSN", "host=127.0.0.1 port=5432 dbname=test")


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


# -- the server ---------------------------------------------------------------

class Server:
    """gunicorn serving bench/wsgi.py; stopped (by its own pid) at the end."""

    def __init__(self, settings: dict[str, str], args) -> None:
        self.host, self.port = "127.0.0.1", free_port()
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, token: str | None) -> tuple[int, bytes]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def cpu(server: Server) -> dict[str, dict[int, float]]:
    """CPU time (microseconds) used so far by each gunicorn worker and by each
    PostgreSQL backend of the benchmark's database. Unlike requests/s, CPU
    per request barely moves when other work shares the machine."""
    return {"app": {pid: cpu_us(pid) for pid in server.worker_pids()},
            "db": {pid: cpu_us(pid) for pid in server.database_pids()}}


def cpu_us(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) * 1e6 / os.sysconf("SC_CLK_TCK")
