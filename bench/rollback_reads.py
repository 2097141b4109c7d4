"""For comparison only: the app as it ended read-only requests before ``app/db.py``'s
``end_read_only_requests``, with a ROLLBACK (which makes psycopg 3 forget every
statement it prepared). Run ``bench/gate.py --app bench.rollback_reads:app`` or
``bench/soak.py --app bench.rollback_reads:app`` for the "before" figures; the
same benchmark without ``--app`` gives the "after" ones, on the same code.
"""

from __future__ import annotations

from flask import Flask

from app import create_app as make_app
from bench import wsgi


def without_commit_of_reads(app: Flask) -> Flask:
    app.teardown_appcontext_funcs[:] = [f for f in app.teardown_appcontext_funcs
                                        if f.__name__ != "_commit_reads"]
    return app


app = without_commit_of_reads(wsgi.app)


def create_app() -> Flask:
    """``create_app()`` as the soak serves it, without the COMMIT of reads."""
    return without_commit_of_reads(make_app())
