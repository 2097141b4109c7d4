"""Benchmark: the Legistar import takes time and memory in proportion to what it reads.

Issue 15's targets, for N = 2,000 and 20,000 matters, on SQLite and PostgreSQL:

* importing N matters that already exist, every title changed (a backfill, a
  resumed run, a nightly run after many changes), takes at most **1.5x** the
  time of importing the same N fresh, at both sizes;
* the time per matter at 20,000 is at most **1.5x** the time per matter at
  2,000 (linear);
* the peak memory of an import of a 50 MB file is at most **1.5x** that of a
  5 MB one (the file is streamed, not loaded).

What it does:

1. writes its own Legistar-shaped files (``MatterId``... with the fields,
   nulls and lengths of a real New York City matter, about 2.6 KB each, so
   2,000 matters are 5 MB and 20,000 are 50 MB): one with every matter as
   first seen, one with every ``MatterTitle`` changed and a later
   ``MatterLastModifiedUtc``;
2. for each database and size, makes a new database (a SQLite file, or
   ``reis_bench_<random>`` on the server of ``REIS_BENCH_PG_DSN``, default
   db ``test`` on 127.0.0.1:5432, as ``bench/gate.py`` does),
   migrates it with Alembic and adds the department the matters go to;
3. runs ``reis legistar import --file`` in a fresh process on the first file
   (fresh: N created), then on the second (update: N updated), each timed
   inside the process around ``import_files`` with the process's peak
   resident memory (``ru_maxrss``) before and after, and the time of the
   last tenth of its item writes against the first tenth (the same run, so
   the same machine: a cost that grows with what is stored shows there);
4. prints the table and the ratios, writes them to ``bench/results/``, and
   drops the databases.

Run:  .venv/bin/python bench/legistar.py [--sizes 2000 20000] [--databases sqlite postgresql]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.operations import legistar, people  # noqa: E402
from bench.gate import Database  # noqa: E402  (a new SQLite file or PostgreSQL database, dropped after)

DEPARTMENT = "CLK"
BODIES = ("City Council", "Committee on Finance", "Committee on Land Use", "Committee on Public Safety",
          "Committee on Transportation and Infrastructure")
TYPES = ("Resolution", "Introduction", "Ordinance", "Land Use Application", "Communication")
WORDS = ("amend", "administrative", "code", "city", "relation", "requiring", "department", "report",
         "annual", "housing", "street", "public", "safety", "budget", "contract", "renewal", "zoning",
         "district", "transportation", "equity", "climate", "parks", "water", "permit")


def matter(n: int, version: int) -> dict:
    """One matter, shaped like a real one (tests/data/legistar/.../enacted_matters.json)."""
    words = [WORDS[(n * 7 + i * 3) % len(WORDS)] for i in range(22)]
    modified = datetime(2026, 1, 5, 9) + timedelta(seconds=n) + timedelta(days=30 * (version - 1))
    title = ("A Local Law to " + " ".join(words) + f", number {n}"
             + (f" (as amended, version {version})" if version > 1 else ""))
    return {
        "MatterId": 100_000 + n, "MatterGuid": str(uuid.UUID(int=n)).upper(),
        "MatterLastModifiedUtc": modified.isoformat(timespec="milliseconds"),
        "MatterRowVersion": "AAAAAOepirY=", "MatterFile": f"2026-{n:05d}",
        "MatterName": " ".join(words[:9]).capitalize() + ".", "MatterTitle": title,
        "MatterTypeId": 2 + n % 5, "MatterTypeName": TYPES[n % 5], "MatterStatusId": 35,
        "MatterStatusName": "Committee", "MatterBodyId": 5000 + n % 5, "MatterBodyName": BODIES[n % 5],
        "MatterIntroDate": "2026-01-05T00:00:00", "MatterAgendaDate": f"2026-{1 + n % 12:02d}-15T00:00:00",
        "MatterPassedDate": None, "MatterEnactmentDate": None, "MatterEnactmentNumber": None,
        "MatterRequester": None,
        "MatterNotes": "{\\rtf1\\ansi\\ansicpg1252\\deff0\\deflang1033"
                       "{\\fonttbl{\\f0\\fnil\\fcharset0 Arial;}}"
                       f"\r\n\\viewkind4\\uc1\\pard\\fs20 Local Law {n} of 2026\\par\r\n}}",
        "MatterVersion": "A", "MatterCost": None, "MatterText1": str(n), "MatterText2": "13",
        **{f"MatterText{i}": None for i in range(3, 6)}, "MatterDate1": None, "MatterDate2": None,
        "MatterEXText1": f"Int {n:04d}-2025", **{f"MatterEXText{i}": None for i in range(2, 5)},
        "MatterEXText5": "This bill would require the " + " ".join(words * 4)[:560] + ".",
        **{f"MatterEXText{i}": None for i in range(6, 12)},
        **{f"MatterEXDate{i}": None for i in range(1, 11)},
        "MatterAgiloftId": 0, "MatterReference": None, "MatterRestrictViewViaWeb": False, "MatterReports": [],
    }


def write_file(path: Path, n: int, version: int) -> int:
    with open(path, "w", encoding="utf-8") as out:
        out.write("[")
        for i in range(n):
            out.write(("," if i else "") + json.dumps(matter(i, version)))
        out.write("]")
    return path.stat().st_size


# -- the worker: one import in a process of its own ------------------------------------------

WRITES: list[float] = []  # when each item write of this run ended


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _timed(write):
    def timed(*args, **kwargs):
        result = write(*args, **kwargs)
        WRITES.append(time.perf_counter())
        return result
    return timed


def worker(url: str, command: str, path: str | None) -> None:
    app = create_app({"DATABASE_URL": url, "ENV": "testing"})
    for name in ("create_item", "update_item"):  # the import calls them through this module
        setattr(legistar.item_ops, name, _timed(getattr(legistar.item_ops, name)))
    with app.app_context():
        if command == "setup":
            upgrade()
            people.create_department(DEPARTMENT, "Office of the City Clerk")
            return
        db.session.execute(db.select(db.func.count()).select_from(db.metadata.tables["items"]))
        db.session.rollback()
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        cpu, started = _cpu(), time.perf_counter()
        report = legistar.import_files([path], default_department=DEPARTMENT)
        elapsed, cpu = time.perf_counter() - started, _cpu() - cpu
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tenth = max(1, len(WRITES) // 10)  # the first and the last tenth of the item writes of this run
        first, last = WRITES[tenth] - WRITES[0], WRITES[-1] - WRITES[-1 - tenth]
        print(json.dumps({"seconds": elapsed, "cpu_seconds": cpu, "base_rss_kib": base, "peak_rss_kib": peak,
                          "first_tenth_seconds": first, "last_tenth_seconds": last,
                          "created": len(report.created), "updated": len(report.updated),
                          "unchanged": report.unchanged, "skipped": len(report.skips),
                          "unreadable": len(report.unreadable)}))


def run_worker(url: str, command: str, path: Path | None = None) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, __file__, "--worker", url, command, str(path or "")],
                          cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"worker {command} failed:\n{done.stderr[-3000:]}")
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    return json.loads(lines[-1]) if lines else {}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"],
                        choices=["sqlite", "postgresql"])
    args = parser.parse_args()

    results = []
    with tempfile.TemporaryDirectory(prefix="reis-bench-legistar-") as tmp:
        folder = Path(tmp)
        files = {}
        for n in args.sizes:
            first, second = folder / f"matters-{n}.json", folder / f"matters-{n}-titles-changed.json"
            files[n] = (first, second, write_file(first, n, 1), write_file(second, n, 2))
            log(f"wrote {n:,} matters: {files[n][2] / 1e6:.1f} MB")
        for kind in args.databases:
            # the small size again after the big one: the machine's load drifts over a long run,
            # so the big run is compared with the mean of the small runs on either side of it
            for n in [*args.sizes, *args.sizes[-2::-1]]:
                first, second, size, _ = files[n]
                with Database(kind, keep=False) as url:
                    run_worker(url, "setup")
                    fresh = run_worker(url, "import", first)
                    update = run_worker(url, "import", second)
                assert (fresh["created"], update["updated"]) == (n, n), (fresh, update)
                results.append({"database": kind, "matters": n, "file_mb": size / 1e6, "fresh": fresh,
                                "update": update})
                log(f"{kind} {n:,}: fresh {fresh['seconds']:.1f} s, update {update['seconds']:.1f} s, "
                    f"peak {fresh['peak_rss_kib'] / 1024:.0f} MiB")
    print(report(results, args.sizes))
    out = ROOT / "bench" / "results" / f"legistar-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    log(f"written to {out.relative_to(ROOT)}")


def tenths(run: dict) -> float:
    """Time of the last tenth of a run's item writes over the first: 1 when each write costs the same."""
    return run["last_tenth_seconds"] / run["first_tenth_seconds"]


def report(results: list[dict], sizes: list[int]) -> str:
    lines = ["| database | matters | file | fresh | per matter | update | per matter | update / fresh "
             "| last / first tenth (fresh, update) | CPU per matter (fresh, update) | peak RSS (fresh) "
             "| RSS before import |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        f, u, n = r["fresh"], r["update"], r["matters"]
        lines.append(f"| {r['database']} | {n:,} | {r['file_mb']:.1f} MB | {f['seconds']:.1f} s | "
                     f"{f['seconds'] / n * 1000:.2f} ms | {u['seconds']:.1f} s | "
                     f"{u['seconds'] / n * 1000:.2f} ms | "
                     f"{u['seconds'] / f['seconds']:.2f} | {tenths(f):.2f}, {tenths(u):.2f} | "
                     f"{f['cpu_seconds'] / n * 1000:.2f}, {u['cpu_seconds'] / n * 1000:.2f} ms | "
                     f"{f['peak_rss_kib'] / 1024:.0f} MiB | "
                     f"{f['base_rss_kib'] / 1024:.0f} MiB |")
    small, big = min(sizes), max(sizes)
    for kind in dict.fromkeys(r["database"] for r in results):
        runs = {n: [r for r in results if r["database"] == kind and r["matters"] == n] for n in (small, big)}
        if not (runs[small] and runs[big]) or small == big:
            continue
        for run in ("fresh", "update"):
            for what in ("seconds", "cpu_seconds"):
                per = {n: statistics.mean(r[run][what] for r in runs[n]) / n for n in (small, big)}
                label = "time" if what == "seconds" else "CPU time"
                lines.append(f"{kind}: {run} {label} per matter, {big:,} / {small:,} "
                             f"(mean of {len(runs[small])}) = {per[big] / per[small]:.2f}")
        for r in runs[small] + runs[big]:
            lines.append(f"{kind}: update / fresh at {r['matters']:,} = "
                         f"{r['update']['seconds'] / r['fresh']['seconds']:.2f}")
        peak = max(r["fresh"]["peak_rss_kib"] for r in runs[big]) / max(
            r["fresh"]["peak_rss_kib"] for r in runs[small])
        lines.append(f"{kind}: peak memory, {runs[big][0]['file_mb']:.0f} MB file / "
                     f"{runs[small][0]['file_mb']:.0f} MB file = {peak:.2f}")
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3], sys.argv[4] or None)
    else:
        main()
