"""``reis serve-all``: the web app, a Celery worker and beat as one unit (``make run``).

Why a small supervisor of our own rather than honcho or supervisord: it is
thirty lines, needs nothing installed, and states the one rule that matters
to a newcomer's ``make run``: the three start together and stop together.
If one of them exits, the others are stopped; on Ctrl-C (SIGINT) or SIGTERM
every child gets SIGTERM, and SIGKILL if it has not gone after ``grace``
seconds. On Linux each child also asks the kernel for SIGTERM should this
process die without cleaning up (``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping

import config as settings

log = logging.getLogger("reis.serve_all")

GRACE = 10.0
_PR_SET_PDEATHSIG = 1


def commands(host: str, port: int, python: str = sys.executable) -> dict[str, list[str]]:
    reis = [python, "-c", "from app.cli import main; main()"]  # exactly `reis`, whatever its path
    celery = [python, "-m", "celery", "-A", "worker"]
    return {
        "web": [*reis, "run", "--host", host, "--port", str(port)],
        "worker": [*celery, "worker", "--loglevel", "INFO", "--concurrency", "2"],
        "beat": [*celery, "beat", "--loglevel", "INFO"],
    }


def _death_signal():
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


def serve_all(host: str, port: int, env: Mapping[str, str] | None = None,
              grace: float = GRACE) -> int:
    """Run web, worker and beat until one exits or we are told to stop; the exit code."""
    children: dict[str, subprocess.Popen] = {}
    previous = {s: signal.signal(s, _raise_stop) for s in (signal.SIGINT, signal.SIGTERM)}
    code = 0
    try:
        hook = _death_signal()
        for name, argv in commands(host, port).items():
            children[name] = subprocess.Popen(argv, cwd=settings.ROOT, env=dict(env or os.environ),
                                              preexec_fn=hook)
            log.info("started %s (pid %d)", name, children[name].pid)
        print(f"REIS: web on http://{host}:{port}/, worker and beat started; Ctrl-C stops all.",
              flush=True)
        while True:
            for name, child in children.items():
                if child.poll() is not None:
                    print(f"REIS: {name} exited with code {child.returncode}; stopping the others.",
                          file=sys.stderr, flush=True)
                    return child.returncode or 1
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
