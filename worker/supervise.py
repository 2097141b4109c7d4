"""``reis serve-all``: the web app, a Celery worker and beat as one unit (``make run``).

Why a small supervisor of our own rather than honcho or supervisord: it is
short, needs nothing installed, and states the one rule that matters to a
newcomer's ``make run``: the three start together and stop together.
If one of them exits, the others are stopped; on Ctrl-C (SIGINT) or SIGTERM
every child gets SIGTERM, and SIGKILL if it has not gone after ``grace``
seconds. On Linux each child also asks the kernel for SIGTERM should this
process die without cleaning up (``PR_SET_PDEATHSIG``).

The children's output passes through this process line by line, so that it
can tell when start-up is over: once the web app answers ``/healthz``, the
worker has said it is ready, and the three have been quiet for ``QUIET``
seconds (the worker's banner and the mails of its start-up relay printed),
the ``closing`` lines (``make run``: the demo accounts) are printed last,
where a newcomer sees them, not above a screenful of worker output.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from typing import IO

import config as settings

log = logging.getLogger("reis.serve_all")

GRACE = 10.0
QUIET = 2.0  # seconds without output that end start-up
SETTLE_AT_MOST = 90.0  # print the closing lines by then, whatever the children still print
_PR_SET_PDEATHSIG = 1


def commands(host: str, port: int, python: str = sys.executable) -> dict[str, list[str]]:
    reis = [python, "-c", "from app.console import main; main()"]  # exactly `reis`, whatever its path
    celery = [python, "-m", "celery", "-A", "worker"]
    return {
        "web": [*reis, "run", "--host", host, "--port", str(port)],
        "worker": [*celery, "worker", "--loglevel", "INFO", "--concurrency", "2"],
        "beat": [*celery, "beat", "--loglevel", "INFO"],
    }


def _death_signal() -> Callable[[], None] | None:
    """A pre-exec hook asking Linux to SIGTERM the child if we die; None elsewhere."""
    name = ctypes.util.find_library("c") if sys.platform.startswith("linux") else None
    if not name:
        return None
    prctl = ctypes.CDLL(name, use_errno=True).prctl  # looked up before fork, not in the child

    def hook() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    return hook


class _Stop(Exception):
    pass


def _raise_stop(signum, _frame) -> None:
    raise _Stop(signum)


class _Output:
    """Copies the children's output to ours, line by line, and knows when it last moved."""

    def __init__(self) -> None:
        self.last = time.monotonic()
        self.worker_ready = threading.Event()
        self._lock = threading.Lock()

    def follow(self, name: str, source: IO[bytes], target: IO[str]) -> None:
        threading.Thread(target=self._copy, args=(name, source, target), daemon=True).start()

    def _copy(self, name: str, source: IO[bytes], target: IO[str]) -> None:
        for raw in iter(source.readline, b""):
            line = raw.decode("utf-8", "replace")
            if name == "worker" and line.rstrip().endswith(" ready."):  # Celery's "celery@host ready."
                self.worker_ready.set()
            self.write(target, line)

    def write(self, target: IO[str], text: str) -> None:
        with self._lock:
            target.write(text)
            target.flush()
            self.last = time.monotonic()

    def quiet_for(self) -> float:
        return time.monotonic() - self.last


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def serve_all(host: str, port: int, env: Mapping[str, str] | None = None,
              grace: float = GRACE, closing: Sequence[str] = ()) -> int:
    """Run web, worker and beat until one exits or we are told to stop; the exit code."""
    children: dict[str, subprocess.Popen] = {}
    previous = {s: signal.signal(s, _raise_stop) for s in (signal.SIGINT, signal.SIGTERM)}
    code = 0
    output = _Output()
    health = f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{port}/healthz"
    child_env = {**(env or os.environ), "PYTHONUNBUFFERED": "1"}
    try:
        hook = _death_signal()
        for name, argv in commands(host, port).items():
            child = subprocess.Popen(argv, cwd=settings.ROOT, env=child_env, preexec_fn=hook,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            assert child.stdout is not None and child.stderr is not None  # (both are pipes)
            output.follow(name, child.stdout, sys.stdout)
            output.follow(name, child.stderr, sys.stderr)
            children[name] = child
            log.info("started %s (pid %d)", name, child.pid)
        started, announced = time.monotonic(), False
        while True:
            for name, child in children.items():
                if child.poll() is not None:
                    print(f"REIS: {name} exited with code {child.returncode}; stopping the others.",
                          file=sys.stderr, flush=True)
                    return child.returncode or 1
            if not announced and (time.monotonic() - started > SETTLE_AT_MOST
                                  or (output.worker_ready.is_set() and output.quiet_for() >= QUIET
                                      and _answers(health))):
                announced = True
                lines = ["", f"REIS: web on http://{host}:{port}/, worker and beat running; "
                         "Ctrl-C stops all.", *closing]
                output.write(sys.stdout, "\n".join(lines) + "\n")
            time.sleep(0.5)
    except _Stop:
        code = 0
    finally:
        for s in previous:  # a second Ctrl-C must not cut the clean stop short
            signal.signal(s, signal.SIG_IGN)
        try:
            _stop(children, grace)
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)
    return code


def _stop(children: Mapping[str, subprocess.Popen], grace: float) -> None:
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace
    for name, child in children.items():
        try:
            child.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            log.warning("%s did not stop within %.0f s; killing it", name, grace)
            child.kill()
            child.wait()
