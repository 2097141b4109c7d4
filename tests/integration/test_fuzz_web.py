"""Fuzzing the web forms: every state-changing form route, signed in, with a valid CSRF
token, and random field values (NUL, numbers past every integer type, digits of other
scripts, direction marks, very long text). No input may produce a 5xx.

Hypothesis drives Flask's test client, as ``test_fuzz_api.py`` drives the API with
schemathesis; the web pages have no OpenAPI document, so each route's fields are
listed here, and a POST route missing from the list fails the test.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from argon2 import PasswordHasher
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import limiter
from app.numbers import DB_INT_MAX
from app.operations import people
from app.web.routes import ROUTES
from tests.integration.web_helpers import give_passwords, signed_in

STATES = ("draft", "department_review", "ode_review", "ready_to_agendize")
FILE_IDS = tuple(f"2026-{n:05d}" for n in range(1, len(STATES) + 1))
SECTION_FIELDS = ("proposal", "score_goals", "community_engagement", "data")
# Each POST route's form fields ({user_id} is filled in per example).
FIELDS: dict[str, tuple[str, ...]] = {
    "login": ("email", "password"),
    "logout": (),
    "set_language": ("language", "next"),
    "change_password": ("current_password", "password", "confirm"),
    "rotate_feed": (),
    "item_new": ("file_id", "department", "title", "meeting_date", "location", "body", "recommendation",
                 "contact", "presenter", "fiscal_statement"),
    "item_edit": ("title", "meeting_date", "location", "body", "recommendation", "contact", "presenter",
                  "fiscal_statement"),
    "statement": ("version", "save", "submit", *SECTION_FIELDS),
    "review": ("version", "comment", "approve", "send_back"),
    "agendize": ("meeting_date",),
    "unagendize": ("meeting_date",),
    "mark_read": ("id",),
    "preferences": ("notify_mode", "language"),
    "department_create": ("department-code", "department-name", "department-escalation_email"),
    "user_create": ("user-email", "user-name", "user-role", "user-department", "user-password"),
    "user_role": ("u{user_id}-role", "u{user_id}-department"),
    "user_deactivate": (),
    "user_reactivate": (),
    "user_password": ("password",),
    "approve_exemptions": ("file_ids", "comment"),
    "report_back": ("result", "reason"),
    "narrative": ("ode", "community", "version"),
    "screening_rules": ("rows-0-item_type", "rows-0-category", "new_item_type", "new_category", "save"),
    "delegation_set": ("delegation-delegate", "delegation-starts", "delegation-ends"),
    "delegation_revoke": (),
    "someones_delegation_set": ("delegation-delegator", "delegation-delegate", "delegation-starts",
                                "delegation-ends"),
    "someones_delegation_revoke": (),
    "assign": ("assignee",),
}
POST_ROUTES = {endpoint: rule for rule, endpoint, _view, methods in ROUTES if "POST" in methods}

NASTY = st.sampled_from([
    "\x00", "a\x00b", "²", "\u0661\u0662", "\uff11", "9" * 30, str(DB_INT_MAX + 1), "1" * 5000, "-1",
    "", " ", "\u202egnp.exe", "\u2066x\u2069", "2027-03-02", "2020-01-01", "2027-02-30", "0", "1", "2",
    "DOU", "clerk", "staff", "en", "es", "digest", "District 3", "y" * 21_000, "<script>", "%00", "/",
])
VALUE = st.one_of(NASTY, st.text(max_size=40), st.integers().map(str))
# A value each field would accept, so that a form with one bad field gets past the others.
VALID = {"email": "staff@test.reis", "password": "a long enough password", "language": "es", "next": "/",
         "current_password": "correct horse battery staple", "confirm": "a long enough password",
         "file_id": "2026-00099", "department": "DOU", "title": "A title", "meeting_date": "2027-03-02",
         "location": "District 3", "version": "1", "save": "1", "comment": "Why.", "approve": "1",
         "id": "1", "notify_mode": "digest", "code": "NEW", "name": "A name", "role": "clerk",
         "escalation_email": "boss@test.reis", "proposal": "Text.", "delegate": "staff2@test.reis",
         "starts": "2027-03-02", "ends": "2027-03-05", "delegator": "3", "assignee": "me"}


def field_value(name: str):
    valid = VALID.get(name.rpartition("-")[2])
    return st.one_of(st.just(valid), VALUE) if valid is not None else VALUE


def test_every_post_route_is_fuzzed():
    assert set(POST_ROUTES) == set(FIELDS), "list the new route's form fields in FIELDS"


@pytest.fixture
def fuzz_world(world, monkeypatch):
    # The cheapest argon2 for passwords set while fuzzing: the production cost is no part of the test.
    monkeypatch.setattr(people, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    for file_id, state in zip(FILE_IDS, STATES, strict=True):
        world.item(file_id, state=state)
    give_passwords()
    return world


@pytest.mark.parametrize("who", ["admin", "staff"])
def test_no_form_input_is_a_server_error(app_ctx, fuzz_world, who):
    """One world per person; every route in turn, from a fresh sign-in (the fuzzing of one
    route may sign out, change the password, or use up the sign-in limit)."""
    user_ids = [p.user.id for p in fuzz_world.people.values()]
    for endpoint in sorted(FIELDS):
        give_passwords()
        limiter.reset()
        user = signed_in(app_ctx, fuzz_world[who])
        user.get("/")
        fuzz_route(user, endpoint, POST_ROUTES[endpoint], FIELDS[endpoint], user_ids)


def fuzz_route(user, endpoint: str, rule: str, fields: tuple[str, ...], user_ids: list[int]) -> None:
    @given(file_id=st.one_of(st.sampled_from(FILE_IDS), st.sampled_from(FILE_IDS),
                             st.text(min_size=1, max_size=20)),
           user_id=st.one_of(st.sampled_from(user_ids), st.integers(min_value=0, max_value=2**70)),
           values=st.tuples(*(field_value(name) for name in fields)),
           keep=st.lists(st.booleans(), min_size=len(fields), max_size=len(fields)))
    @settings(max_examples=25, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def fuzz(file_id, user_id, values, keep):
        path = (rule.replace("<file_id>", quote(file_id, safe="")).replace("<int:user_id>", str(user_id))
                .replace("<int:n>", str(user_id % 4)).replace("<int:year>", str(2000 + user_id % 1000)))
        data = {name.format(user_id=user_id): value
                for name, value, kept in zip(fields, values, keep, strict=True) if kept}
        response = user.post(path, data)
        assert response.status_code < 500, (endpoint, path, data, response.status_code,
                                            response.text[:500])

    fuzz()
