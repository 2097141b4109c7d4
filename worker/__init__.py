"""The Celery side of the REIS engine (Flask's ``make_celery`` pattern).

``celery -A worker worker`` and ``celery -A worker beat`` find ``worker.celery``:
the Celery app that ``app.create_app()`` built (``app.extensions["celery"]``),
with the same ``REIS_*`` environment as the web app, plus the tasks and the
beat schedule (``worker.setup``). It is built on first use (PEP 562 module
``__getattr__``), so importing ``worker.tasks`` or ``worker.beat`` (the tests
do) builds no Flask app from the environment.
"""

from __future__ import annotations

from typing import Any

from app import create_app
from worker import setup

__all__ = ["celery"]


def __getattr__(name: str) -> Any:
    if name != "celery":
        raise AttributeError(f"module 'worker' has no attribute {name!r}")
    celery = setup.configure(create_app())
    globals()["celery"] = celery
    return celery
