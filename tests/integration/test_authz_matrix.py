"""The authorization matrix: every route, as every kind of person, in every state of an
item, against expectations written here by hand from the contract (API.md: "Roles",
"Separation of duties", "Reading", the events table, the gate).

The table below is this test's own: it imports no permission table or function of the
product, so a wrong grant in the product fails it. The routes come from ``app.url_map``:
a route without a row here (every API route, every state-changing page, and the pages
the reading rule restricts) fails ``TestEveryRouteHasAnExpectation``.

How a cell runs (``authz_driver.py``): a request that should change the item gets a
fresh one walked to its state by real operations; every other request shares one item
per state, which is replaced if a request unexpectedly got through. Both databases.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pytest

from tests.integration.authz_driver import (
    AGENDIZED,
    DEPARTMENT_REVIEW,
    FORBIDDEN,
    NEW_DRAFT,
    NO_ITEM,
    NOT_FOUND,
    ODE_REVIEW,
    OK,
    READY,
    REFUSED,
    RETURNED_DRAFT,
    SIGNED_IN,
    STATES,
    UNAUTHENTICATED,
    Driver,
)

EVERY_STATE = frozenset(STATES)
DRAFTS = frozenset({NEW_DRAFT, RETURNED_DRAFT})
SUBMITTED_ONCE = EVERY_STATE - {NEW_DRAFT}
NOT_AGENDIZED = EVERY_STATE - {AGENDIZED}
# Agendizing an agendized item again, for its own date, changes nothing and is no error.
AGENDIZABLE = frozenset({READY, AGENDIZED})


@dataclass(frozen=True)
class Expect:
    """Where each signed-in actor succeeds on one route.

    An actor listed in ``ok`` gets ``elsewhere`` in the states not listed for it (the
    role may, but not now); a signed-in actor not listed gets ``unlisted``; a
    deactivated or anonymous one gets 401 unless the route is ``public``. A route that
    names no item (``item=False``) is asked once per actor: the state does not matter.
    """

    ok: Mapping[str, frozenset[str]] = field(default_factory=dict)
    elsewhere: str = REFUSED
    unlisted: str = FORBIDDEN
    public: bool = False
    item: bool = True

    def outcome(self, actor: str, state: str) -> str:
        if self.public:
            return OK
        if actor not in SIGNED_IN:
            return UNAUTHENTICATED
        if actor not in self.ok:
            return self.unlisted
        return OK if state in self.ok[actor] or not self.item else self.elsewhere


def only(*actors: str, states: frozenset[str] = EVERY_STATE) -> dict[str, frozenset[str]]:
    return {actor: states for actor in actors}


PUBLIC = Expect(public=True, item=False)
ANY_SIGNED_IN = Expect(only(*SIGNED_IN), item=False)
ADMINS = Expect(only("admin"), item=False)
# Every item is DOU's: its department's staff and approver may write it, as may admins.
AUTHORS = ("staff", "approver", "admin")
CLERKS = ("clerk", "admin")
# approve / return: the department's approver in department review, any ODE reviewer in
# ODE review, an admin in either (independent in every matrix state: see WALKS).
REVIEWERS = {"approver": frozenset({DEPARTMENT_REVIEW}), "ode": frozenset({ODE_REVIEW}),
             "admin": frozenset({DEPARTMENT_REVIEW, ODE_REVIEW})}
# Reading: a statement never submitted is read by its department, ODE, clerks and admins.
READ_STATEMENT = Expect({**only(*SIGNED_IN), "other_staff": SUBMITTED_ONCE,
                         "other_approver": SUBMITTED_ONCE}, elsewhere=FORBIDDEN)

#: Route (``endpoint``, or ``endpoint:event``) -> what each actor gets in each state.
EXPECTED: dict[str, Expect] = {
    # -- the API: reading -------------------------------------------------------------
    "api.get_openapi": PUBLIC,
    "api.get_sections": ANY_SIGNED_IN,
    "api.get_items_list": ANY_SIGNED_IN,
    "api.get_meeting_items": ANY_SIGNED_IN,
    "api.get_notifications_list": ANY_SIGNED_IN,
    "api.get_preferences_get": ANY_SIGNED_IN,
    "api.put_preferences_put": ANY_SIGNED_IN,
    # someone else's notification, or none, is 404 to everyone: nothing to probe
    "api.post_notifications_read": Expect(unlisted=NOT_FOUND, item=False),
    "api.get_items_get": Expect(only(*SIGNED_IN)),
    "api.get_gate_check": Expect(only(*SIGNED_IN)),
    "api.get_statement_get": READ_STATEMENT,
    "api.get_statement_history": READ_STATEMENT,
    # -- the API: writing -------------------------------------------------------------
    "api.post_items_create": Expect(only(*AUTHORS), item=False),  # for DOU
    "api.patch_items_patch": Expect(only(*AUTHORS, states=NOT_AGENDIZED)),  # a material change
    "api.put_statement_put": Expect(only(*AUTHORS, states=DRAFTS)),
    "api.post_statement_event:submit": Expect(only(*AUTHORS, states=DRAFTS)),
    "api.post_statement_event:approve": Expect(REVIEWERS),
    "api.post_statement_event:return": Expect(REVIEWERS),
    "api.post_gate_agendize": Expect(only(*CLERKS, states=AGENDIZABLE)),
    "api.post_gate_unagendize": Expect(only(*CLERKS)),
    # -- the pages: reading -----------------------------------------------------------
    "web.item": READ_STATEMENT,  # the item is everyone's; the statement's answers are not
    # -- the pages: every state-changing one ------------------------------------------
    "web.login": PUBLIC,
    "web.logout": PUBLIC,
    "web.set_language": PUBLIC,
    "web.mark_read": ANY_SIGNED_IN,
    "web.preferences": ANY_SIGNED_IN,
    # each creates in their own department (the form offers no other; admins: DOU)
    "web.item_new": Expect(only("staff", "other_staff", "approver", "other_approver", "admin"),
                           item=False),
    "web.item_edit": Expect(only(*AUTHORS, states=NOT_AGENDIZED)),
    "web.statement": Expect(only(*AUTHORS, states=DRAFTS)),
    # The review page answers anyone it is not waiting for with "not waiting for your
    # review" and a way back to the item, whatever their role.
    "web.review:approve": Expect(REVIEWERS, unlisted=REFUSED),
    "web.review:return": Expect(REVIEWERS, unlisted=REFUSED),
    "web.agendize": Expect(only(*CLERKS, states=AGENDIZABLE)),
    "web.unagendize": Expect(only(*CLERKS)),
    "web.department_create": ADMINS,
    "web.user_create": ADMINS,
    "web.user_role": ADMINS,
    "web.user_deactivate": ADMINS,
    "web.user_reactivate": ADMINS,
}

#: Pages that read a statement (GET), restricted by the reading rule.
READING_PAGES = {"web.item"}


def route_keys(app) -> set[str]:
    """Every API route, every POST outside the API, the reading pages; one key per event."""
    events = {"api.post_statement_event": ("submit", "approve", "return"),
              "web.review": ("approve", "return")}
    keys = set(READING_PAGES)
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") or "POST" in rule.methods:
            keys |= {f"{rule.endpoint}:{e}" for e in events.get(rule.endpoint, ())} or {rule.endpoint}
    return keys


class TestEveryRouteHasAnExpectation:
    def test_the_table_names_exactly_the_routes_the_app_has(self, app):
        assert route_keys(app) == set(EXPECTED)


def run(driver: Driver, key: str) -> list[str]:
    expect, wrong = EXPECTED[key], []
    reads = key in READING_PAGES or key.startswith("api.get_")
    ask = driver.api if key.startswith("api.") else driver.web
    for state in STATES if expect.item else (NO_ITEM,):
        for actor in (*SIGNED_IN, "deactivated", "anonymous"):
            want = expect.outcome(actor, state)
            file_id = driver.item_for(state, fresh=want == OK and not reads) if expect.item else None
            got, detail = ask(key, actor, file_id)
            if got == OK and not reads:
                driver.changed(file_id)
            if got != want:
                wrong.append(f"{key} as {actor} in {state}: expected {want}, got {got} ({detail})")
    return wrong


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_every_actor_in_every_state_gets_what_the_contract_says(app, world, key):
    assert run(Driver(world, app), key) == []
