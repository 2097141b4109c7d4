"""Who reads a statement on the item page (API.md, "Reading"): a statement that has never
left draft shows its answers and history only to its department, ODE, clerks and admins."""

from __future__ import annotations

import pytest

from app.operations import statements
from tests.factories import complete_answers
from tests.integration.web_helpers import give_passwords, signed_in, text

ANSWER = complete_answers()["proposal"]


@pytest.fixture
def web(app_ctx, world):
    give_passwords()
    world.item("2026-00001")
    statements.save_answers(world["staff"].user, "2026-00001", complete_answers(), version=1)
    return world


@pytest.mark.parametrize("who", ["staff", "approver", "ode", "clerk", "admin"])
def test_the_department_ode_clerks_and_admins_read_the_draft(app_ctx, web, who):
    page = signed_in(app_ctx, web[who]).get("/items/2026-00001")
    assert page.status_code == 200
    words = text(page.text)
    assert ANSWER in words
    assert "History" in words


@pytest.mark.parametrize("who", ["other_staff", "other_approver"])
def test_other_departments_see_the_item_but_not_the_draft(app_ctx, web, who):
    page = signed_in(app_ctx, web[who]).get("/items/2026-00001")
    assert page.status_code == 200
    words = text(page.text)
    assert "Item 2026-00001" in words  # the item itself is anyone's to read
    assert ANSWER not in words
    assert "has not been submitted yet" in words


def test_once_submitted_everyone_reads_it(app_ctx, web):
    statements.fire_event(web["staff"].user, "2026-00001", "submit")
    words = text(signed_in(app_ctx, web["other_staff"]).get("/items/2026-00001").text)
    assert ANSWER in words
