"""The Celery side of the REIS engine.

``celery -A worker worker`` and ``celery -A worker beat`` find ``worker.celery``:
the Celery app bound to ``app.create_app()`` with the same ``REIS_*``
environment as the web app. It is built on first use (PEP 562 module
``__getattr__``), so the web app can import ``worker.celery_app`` to enqueue
tasks without building a second Flask app.
"""

from __future__ import annotations

from typing import Any

from worker.celery_app import celery_init_app

__all__ = ["celery", "celery_init_app"]


def __getattr__(name: str) -> Any:
    if name != "celery":
        raise AttributeError(f"module 'worker' has no attribute {name!r}")
    from app import create_app

    flask_app = create_app()
    celery = flask_app.extensions.get("celery") or celery_init_app(flask_app)
    globals()["celery"] = celery
    return celery
