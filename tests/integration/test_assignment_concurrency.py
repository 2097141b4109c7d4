"""Automatic ODE assignment under concurrent entries into ODE review (both databases; the
point is PostgreSQL, where without the advisory lock every racer would read the same
counts and pick the same least-busy reviewer)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from app.extensions import db
from app.models import Statement
from app.operations import people
from tests.integration.test_concurrency import race

ITEMS = 9


def test_concurrent_entries_spread_evenly(app_ctx, world):
    people.create_user("ode3@test.reis", "Ode3", "ode_reviewer", None, password=None)
    file_ids = [f"2026-{n:05d}" for n in range(1, ITEMS + 1)]
    for file_id in file_ids:
        world.item(file_id, state="department_review")
    headers = [world["approver" if i % 2 else "approver2"].headers for i in range(ITEMS)]

    def approve(file_id, h):
        return lambda client: client.post(f"/api/v1/items/{file_id}/statement/events", headers=h,
                                          json={"event": "approve"})

    responses = race(app_ctx, [approve(f, h) for f, h in zip(file_ids, headers, strict=True)])
    assert [r.status_code for r in responses] == [200] * ITEMS
    db.session.expire_all()
    assignees = db.session.scalars(select(Statement.assignee_id).where(Statement.state == "ode_review")).all()
    assert len(assignees) == ITEMS and None not in assignees
    assert sorted(Counter(assignees).values()) == [3, 3, 3]  # no two picks from the same stale count
