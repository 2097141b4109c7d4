"""The benchmark's verdict, the machine it ran on, and the printed table."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib.metadata import version
from pathlib import Path

import psycopg


def verdict(result: dict, targets: dict[str, float]) -> dict[str, bool]:
    load, meet = result["load"], result["meetings"]
    return {
        **{f"{name}_at_least_{round(target * 100)}_percent": load["ratio"][name] >= target
           for name, target in targets.items()},
        "no_errors": all(load[name]["errors"] == 0 for name in ("baseline", *targets)),
        "meetings_constant_statements": meet["small"]["statements"] == meet["large"]["statements"]
        and meet["small"]["items_list_statements"] == meet["large"]["items_list_statements"],
        "meetings_time_under_5x": meet["time_ratio"] < 5,
    }


def machine(pg_dsn: str) -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text()
                .splitlines() if line.startswith("model name")), platform.processor())
    versions = {}
    text = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    versions["wrk"] = text.split(" Copyright")[0] if text else "?"
    try:
        with psycopg.connect(pg_dsn, connect_timeout=3) as admin:
            versions["postgresql"] = admin.execute("SHOW server_version").fetchone()[0]
    except psycopg.OperationalError:
        versions["postgresql"] = "?"
    return {"cpu": cpu, "cores": os.cpu_count(), "system": platform.platform(),
            "python": platform.python_version(),
            **{name: version(name) for name in ("flask", "sqlalchemy", "psycopg", "gunicorn")},
            **versions}


LABELS = {"baseline": "baseline (bare Flask, 1 SQL)", "gate": "gate /agendizable",
          "item": "GET /items/{id}", "statement": "GET /items/{id}/statement"}


def show(result: dict, out: Path, targets: dict[str, float]) -> None:
    load, meet, s = result["load"], result["meetings"], result["settings"]
    print()
    print(f"{s['app']}: gunicorn {s['workers']} x {s['worker_class']}"
          + (f" ({s['threads']} threads)" if s["worker_class"] == "gthread" else "")
          + f"; wrk -t{s['wrk_threads']} -c{s['connections']} -d{s['duration']}s x "
          f"{s['rounds']} rounds; {s['db']}; {s['items']} items")
    print(f"{'endpoint':<30}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'max ms':>9}{'errors':>7}"
          f"{'app CPU':>9}{'db CPU':>8}  (CPU: us per request)")
    for name in ("baseline", *s["endpoints"]):
        row, label = load[name], LABELS[name]
        print(f"{label:<30}{row['rps']:>8.0f}{row['p50_ms']:>8.2f}{row['p99_ms']:>8.2f}"
              f"{row['max_ms']:>9.1f}{row['errors']:>7}{row['app_cpu_us_per_request']:>9.0f}"
              f"{row['db_cpu_us_per_request']:>8.0f}")
    print("p50, p99: median over the rounds; max: the slowest response of all rounds")
    for name in s["endpoints"]:
        print(f"ratio {name}/baseline: {load['ratio'][name]:.3f} (need >= {targets[name]}); "
              f"median of the rounds' ratios {load['median_round_ratio'][name]:.3f}; "
              f"by CPU per request {load['cpu_ratio'][name]}")
    print()
    print(f"{'meetings/{date}/items':<28}{'items':>10}{'SQL':>10}{'median ms':>12}{'p90 ms':>10}"
          f"{'SQL /items?':>12}")
    for name in ("small", "large"):
        row = meet[name]
        print(f"{row['meeting_date']:<28}{row['items']:>10}{row['statements']:>10}"
              f"{row['median_ms']:>12.2f}{row['p90_ms']:>10.2f}{row['items_list_statements']:>12}")
    print(f"time ratio {meet['large']['items']}/{meet['small']['items']} items: "
          f"{meet['time_ratio']:.2f} (need < 5)")
    print()
    for name, ok in result["verdict"].items():
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")
    before, after = result["machine"]["load_average_before"], result["machine"]["load_average_after"]
    print(f"load average (1 min) before {before[0]:.2f}, after {after[0]:.2f}")
    print(f"results: {out}")
