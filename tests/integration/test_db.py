"""How a request's transaction ends (``app/db.py``): a request that only read ends
in COMMIT, so psycopg keeps its prepared statements; anything that wrote, or
failed, ends in ROLLBACK exactly as before, so nothing new is ever committed."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select, text, update

from app.extensions import db
from app.models import User


@contextmanager
def ends(app) -> Iterator[list[str]]:
    """The COMMITs and ROLLBACKs the app's connections see meanwhile, in order."""
    seen: list[str] = []

    def commit(_conn) -> None:
        seen.append("commit")

    def rollback(_conn) -> None:
        seen.append("rollback")

    with app.app_context():
        engine = db.engine
    event.listen(engine, "commit", commit)
    event.listen(engine, "rollback", rollback)
    try:
        yield seen
    finally:
        event.remove(engine, "commit", commit)
        event.remove(engine, "rollback", rollback)


def alone(call, *args, **kwargs):
    """Run ``call`` outside the test's app context, so the request gets (and ends) its own."""
    return contextvars.Context().run(call, *args, **kwargs)


def name_of(app, user_id: int) -> str:
    with app.app_context():
        return db.session.scalar(select(User.name).where(User.id == user_id))


@pytest.fixture
def item(world):
    world.item("2026-00001", state="department_review")
    db.session.commit()
    return world



class TestReadOnlyRequests:
    @pytest.mark.parametrize("path", ["/api/v1/items/2026-00001", "/api/v1/items/2026-00001/statement",
                                      "/api/v1/notifications", "/api/v1/items/2026-99999"])
    def test_a_read_ends_in_commit(self, app, client, item, path):
        with ends(app) as seen:
            r = alone(client.get, path, headers=item["approver"].headers)
        assert r.status_code in (200, 404)
        # in review, the statement's eligible deciders are read on the same connection
        assert seen == ["commit"]

    def test_a_page_ends_in_commit(self, app, client, item):
        with ends(app) as seen:
            r = alone(client.get, "/sign-in")
        assert r.status_code == 200 and seen in ([], ["commit"])  # a page may read nothing

    def test_a_refused_write_ends_in_rollback(self, app, client, item):
        with ends(app) as seen:
            r = alone(client.post, "/api/v1/items/2026-00001/statement/events", json={"event": "approve"},
                            headers=item["staff"].headers)
        assert r.status_code == 403
        assert seen[-1] == "rollback" and seen.count("commit") <= 1  # the read before the write

    def test_a_write_commits_once(self, app, client, item):
        with ends(app) as seen:
            r = alone(client.post, "/api/v1/items/2026-00001/statement/events", json={"event": "approve"},
                            headers=item["approver"].headers)
        assert r.status_code == 200
        assert seen[-1] == "commit" and "rollback" not in seen


class TestNothingUncommittedIsCommitted:
    """What a request changed without committing is rolled back at its end, as before."""

    def test_unflushed_changes(self, app, item):
        user_id = item["staff"].user.id
        with app.app_context():
            db.session.get(User, user_id).name = "Changed"
        assert name_of(app, user_id) == "Staff"

    def test_flushed_changes(self, app, item):
        user_id = item["staff"].user.id
        with app.app_context():
            db.session.get(User, user_id).name = "Changed"
            db.session.flush()
            assert db.session.scalar(select(User.name).where(User.id == user_id)) == "Changed"
        assert name_of(app, user_id) == "Staff"

    def test_core_and_text_statements(self, app, item):
        user_id = item["staff"].user.id
        with app.app_context():
            db.session.execute(update(User).where(User.id == user_id).values(name="Core"))
        with app.app_context():
            db.session.execute(text("UPDATE users SET name = 'Text' WHERE id = :id"), {"id": user_id})
        assert name_of(app, user_id) == "Staff"

    def test_a_failed_request(self, app, item):
        user_id = item["staff"].user.id
        with pytest.raises(RuntimeError), app.app_context():
            db.session.execute(select(User)).all()
            raise RuntimeError("the view failed")
        with ends(app) as seen, app.app_context():
            db.session.get(User, user_id).name = "Changed"
        assert seen == ["rollback"] and name_of(app, user_id) == "Staff"

    def test_a_transaction_after_a_commit_starts_clean(self, app, item):
        """A write committed earlier in the context does not make a later read a write."""
        user_id = item["staff"].user.id
        with ends(app) as seen, app.app_context():
            db.session.get(User, user_id).name = "Committed"
            db.session.commit()
            db.session.execute(select(User)).all()
        assert seen == ["commit", "commit"] and name_of(app, user_id) == "Committed"
