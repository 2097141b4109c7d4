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
from datetime import date, timedelta

import pytest

from tests.integration.authz_driver import (
    AGENDIZED,
    DEPARTMENT_REVIEW,
    FORBIDDEN,
    MEETING,
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
    form_for,
    secret_answers,
)
from tests.integration.web_helpers import csrf_from, give_passwords, signed_in

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
    #: what a signed-in actor not in ``ok`` gets instead of ``unlisted``
    instead: Mapping[str, str] = field(default_factory=dict)

    def outcome(self, actor: str, state: str) -> str:
        if self.public:
            return OK
        if actor not in SIGNED_IN:
            return UNAUTHENTICATED
        if actor not in self.ok:
            return self.instead.get(actor, self.unlisted)
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
#: who has grants to lend: department approvers and ODE reviewers
DELEGATORS = ("approver", "other_approver", "ode")
REVIEWERS = {"approver": frozenset({DEPARTMENT_REVIEW}), "ode": frozenset({ODE_REVIEW}),
             "admin": frozenset({DEPARTMENT_REVIEW, ODE_REVIEW})}
# Reading: a statement never submitted is read by its department, ODE, clerks and admins.
READ_STATEMENT = Expect({**only(*SIGNED_IN), "other_staff": SUBMITTED_ONCE,
                         "other_approver": SUBMITTED_ONCE}, elsewhere=FORBIDDEN)

# The reports: ODE, clerks, admins, and each department's approvers (their own department).
REPORT_READERS = Expect(only("ode", "clerk", "admin", "approver", "other_approver"), item=False)

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
    "api.get_calendar_feed_get": ANY_SIGNED_IN,  # one's own feed URL
    "api.post_calendar_feed_rotate": ANY_SIGNED_IN,
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
    # -- the API: forms and screening (v1.1) ------------------------------------------------
    "api.get_screening_get": ANY_SIGNED_IN,
    "api.get_screening_rules_get": ANY_SIGNED_IN,
    "api.put_screening_rules_put": Expect(only("ode", "admin"), item=False),
    # a page of exemption requests: each item answers as its single event would (the
    # matrix's items here are exemption requests, walked like the others)
    "api.post_statements_bulk_event:submit": Expect(only(*AUTHORS, states=DRAFTS)),
    "api.post_statements_bulk_event:approve": Expect(REVIEWERS),
    # -- the API: follow-through and reports (v1.1) ---------------------------------------
    "api.get_report_backs_list": READ_STATEMENT,
    # ODE, clerks, admins; an approver of a department sees its own (asked for no department)
    "api.get_reports_metrics": REPORT_READERS,
    "api.get_reports_metrics_csv": REPORT_READERS,
    "api.get_narrative_get": REPORT_READERS,
    "api.put_narrative_put": Expect(only("ode", "admin"), item=False),
    # only an agendized item owes report-backs (elsewhere: no report-back 1, 404); only its
    # department's staff and approvers report them
    "api.post_report_backs_report": Expect(only("staff", "approver", states=frozenset({AGENDIZED})),
                                           elsewhere=NOT_FOUND),
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
    # ODE's queue (and an approver's) approves exemption requests together; someone with no
    # queue may not post; another department's approver is told, item by item, it is not theirs
    "web.approve_exemptions": Expect({**REVIEWERS, "other_approver": frozenset()}),
    "web.screening_rules": Expect(only("ode", "admin"), item=False),
    "web.agendize": Expect(only(*CLERKS, states=AGENDIZABLE)),
    "web.narrative": Expect(only("ode", "admin"), item=False),
    # as its API: only an agendized item owes report-backs; only its department reports them
    "web.report_back": Expect(only("staff", "approver", states=frozenset({AGENDIZED})), elsewhere=NOT_FOUND),
    "web.unagendize": Expect(only(*CLERKS)),
    "web.department_create": ADMINS,
    "web.user_create": ADMINS,
    "web.user_role": ADMINS,
    "web.user_deactivate": ADMINS,
    "web.user_reactivate": ADMINS,
    "web.user_password": ADMINS,  # someone else's, who forgot theirs
    "web.change_password": ANY_SIGNED_IN,  # one's own, saying the current one
    "web.rotate_feed": ANY_SIGNED_IN,  # one's own calendar-feed URL
    # -- who decides (v1.1) -------------------------------------------------------------
    # one's own delegate: approvers and ODE reviewers (each names someone they may); nobody
    # has one yet, so reading or revoking it is 404 to them and 403 to everyone else
    "api.put_delegation_put": Expect(only("approver", "other_approver", "ode"), item=False),
    "api.get_delegation_get": Expect(item=False, instead=dict.fromkeys(DELEGATORS, NOT_FOUND)),
    "api.delete_delegation_delete": Expect(item=False, instead=dict.fromkeys(DELEGATORS, NOT_FOUND)),
    # someone else's (approver@'s): administrators only
    "api.put_user_delegation_put": ADMINS,
    "api.get_user_delegation_get": Expect(item=False, instead={"admin": NOT_FOUND}),
    "api.delete_user_delegation_delete": Expect(item=False, instead={"admin": NOT_FOUND}),
    # claim or reassign: ODE reviewers and admins, in ODE review only (409 elsewhere)
    "api.post_statement_assign": Expect(only("ode", "admin", states=frozenset({ODE_REVIEW}))),
    "api.get_stalled_list": ADMINS,
    "web.delegation_set": Expect(only("approver", "other_approver", "ode"), item=False),
    "web.delegation_revoke": Expect(item=False, instead=dict.fromkeys(DELEGATORS, NOT_FOUND)),
    "web.someones_delegation_set": ADMINS,  # for approver@, who is away
    "web.someones_delegation_revoke": Expect(item=False, instead={"admin": NOT_FOUND}),
    "web.assign": Expect(only("ode", "admin", states=frozenset({ODE_REVIEW}))),
}

#: Pages that read a statement (GET), restricted by the reading rule.
READING_PAGES = {"web.item"}


def route_keys(app) -> set[str]:
    """Every API route, every POST outside the API, the reading pages; one key per event."""
    events = {"api.post_statement_event": ("submit", "approve", "return"),
              "api.post_statements_bulk_event": ("submit", "approve"),
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
            file_id = (driver.item_for(state, fresh=want == OK and not reads, form=form_for(key))
                       if expect.item else None)
            got, detail = ask(key, actor, file_id)
            if got == OK and not reads:
                driver.changed(file_id)
            if got != want:
                wrong.append(f"{key} as {actor} in {state}: expected {want}, got {got} ({detail})")
    return wrong


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_every_actor_in_every_state_gets_what_the_contract_says(app, world, key):
    assert run(Driver(world, app), key) == []


# -- focused cases ----------------------------------------------------------------------

class Api:
    """The API as each person of the world calls it."""

    def __init__(self, world, client) -> None:
        self.world, self.client = world, client

    def draft(self, writer: str = "staff", file_id: str = "2026-00001") -> str:
        """A DOU item whose statement ``writer`` completed; never submitted."""
        assert self.send("staff", "POST", "/items", {
            "file_id": file_id, "title": "Item", "department": "DOU", "fiscal_statement": "Funded.",
            "meeting_date": MEETING.isoformat()}).status_code == 201
        assert self.save(writer, file_id).status_code == 200
        return file_id

    def send(self, who: str, method: str, path: str, body: dict | None = None):
        return self.client.open(f"/api/v1{path}", method=method, json=body,
                                headers=self.world[who].headers)

    def save(self, who: str, file_id: str):
        version = self.send("admin", "GET", f"/items/{file_id}/statement").get_json()["version"]
        return self.send(who, "PUT", f"/items/{file_id}/statement",
                         {"answers": secret_answers(), "version": version})

    def event(self, who: str, file_id: str, event: str) -> tuple[int, str | None]:
        response = self.send(who, "POST", f"/items/{file_id}/statement/events",
                             {"event": event, "comment": "Because."})
        return response.status_code, (response.get_json() or {}).get("error")

    def state(self, file_id: str) -> str:
        return self.send("admin", "GET", f"/items/{file_id}/statement").get_json()["state"]


@pytest.fixture
def api(world, client) -> Api:
    return Api(world, client)


REFUSED_SOD = (403, "forbidden")


class TestSeparationOfDuties:
    def test_the_submitter_may_not_approve(self, api):
        file_id = api.draft("staff")
        assert api.event("approver", file_id, "submit") == (200, None)
        assert api.event("approver", file_id, "approve") == REFUSED_SOD
        assert api.event("approver2", file_id, "approve") == (200, None)

    def test_the_last_editor_may_not_approve(self, api):
        file_id = api.draft("approver")
        assert api.event("staff", file_id, "submit") == (200, None)
        assert api.event("approver", file_id, "approve") == REFUSED_SOD
        assert api.event("approver2", file_id, "approve") == (200, None)

    def test_a_save_that_changes_nothing_leaves_the_last_editor_as_it_was(self, api):
        file_id = api.draft("approver")
        assert api.save("staff", file_id).status_code == 200  # the same answers again
        assert api.event("staff", file_id, "submit") == (200, None)
        assert api.event("approver", file_id, "approve") == REFUSED_SOD
        assert api.event("approver2", file_id, "approve") == (200, None)

    def test_a_material_change_to_the_item_in_draft_is_an_edit(self, api):
        file_id = api.draft("staff")
        assert api.send("approver", "PATCH", f"/items/{file_id}", {"title": "Better"}).status_code == 200
        assert api.event("staff", file_id, "submit") == (200, None)
        assert api.event("approver", file_id, "approve") == REFUSED_SOD
        assert api.event("approver2", file_id, "approve") == (200, None)

    def test_a_change_to_a_field_that_is_not_material_is_not(self, api):
        file_id = api.draft("staff")
        assert api.send("approver", "PATCH", f"/items/{file_id}", {"contact": "Jo"}).status_code == 200
        assert api.event("staff", file_id, "submit") == (200, None)
        assert api.event("approver", file_id, "approve") == (200, None)

    def test_the_ode_approval_needs_another_person_than_the_department_approval(self, api):
        file_id = api.draft("staff")
        assert api.event("staff", file_id, "submit") == (200, None)
        assert api.event("admin", file_id, "approve") == (200, None)
        assert api.event("admin", file_id, "approve") == REFUSED_SOD  # admins included
        assert api.state(file_id) == "ode_review"
        assert api.event("ode", file_id, "approve") == (200, None)

    def test_the_pair_is_per_round(self, api):
        file_id = api.draft("staff")
        assert api.event("staff", file_id, "submit") == (200, None)
        assert api.event("admin", file_id, "approve") == (200, None)
        assert api.event("ode", file_id, "return") == (200, None)
        assert api.event("staff", file_id, "submit") == (200, None)
        assert api.event("approver", file_id, "approve") == (200, None)
        assert api.event("admin", file_id, "approve") == (200, None)  # not this round's approver

    def test_the_review_page_refuses_the_submitter_too(self, app, api, world):
        file_id = api.draft("staff")
        assert api.event("approver", file_id, "submit") == (200, None)
        give_passwords()
        browser = signed_in(app, world["approver"])
        page = browser.get(f"/items/{file_id}/review")
        assert page.status_code == 200
        response = browser.post(f"/items/{file_id}/review", {
            "csrf_token": csrf_from(page.text), "approve": "Approve", "comment": "",
            "version": str(api.send("admin", "GET", f"/items/{file_id}/statement").get_json()["version"])})
        assert response.status_code == 403
        assert api.state(file_id) == "department_review"


class TestGate:
    def _ready(self, api, **fields) -> str:
        file_id = api.draft("staff")
        if fields:
            assert api.send("staff", "PATCH", f"/items/{file_id}", fields).status_code == 200
        for who, event in (("staff", "submit"), ("approver", "approve"), ("ode", "approve")):
            assert api.event(who, file_id, event) == (200, None)
        return file_id

    def _agendize(self, api, file_id: str, body: dict | None = None):
        return api.send("clerk", "POST", f"/items/{file_id}/agendize", body)

    def test_agendize_needs_a_fiscal_statement(self, api):
        file_id = self._ready(api, fiscal_statement=None)
        response = self._agendize(api, file_id)
        assert response.status_code == 409
        assert response.get_json()["error"] == "not_agendizable"
        assert [r["code"] for r in response.get_json()["reasons"]] == ["fiscal_statement_missing"]
        assert api.send("clerk", "GET", f"/items/{file_id}").get_json()["agendized"] is False

    def test_agendize_needs_a_statement_ready_to_agendize(self, api):
        file_id = api.draft("staff")
        response = self._agendize(api, file_id)
        assert response.status_code == 409
        assert [r["code"] for r in response.get_json()["reasons"]] == ["statement_not_approved"]

    def test_a_meeting_date_before_today_is_refused(self, api):
        file_id = self._ready(api)
        last_week = date.today() - timedelta(days=7)
        response = self._agendize(api, file_id, {"meeting_date": last_week.isoformat()})
        assert (response.status_code, response.get_json().get("error")) == (422, "invalid")
        assert api.send("clerk", "GET", f"/items/{file_id}").get_json()["agendized"] is False

    def test_an_agendized_items_material_fields_wait_for_unagendize(self, api):
        file_id = self._ready(api)
        assert self._agendize(api, file_id).status_code == 200
        refused = api.send("staff", "PATCH", f"/items/{file_id}", {"title": "Changed"})
        assert (refused.status_code, refused.get_json().get("error")) == (409, "agendized")
        assert api.send("staff", "PATCH", f"/items/{file_id}", {"contact": "Jo"}).status_code == 200
        assert api.state(file_id) == "ready_to_agendize"
        assert api.send("clerk", "POST", f"/items/{file_id}/unagendize").status_code == 200
        assert api.send("staff", "PATCH", f"/items/{file_id}", {"title": "Changed"}).status_code == 200
        assert api.state(file_id) == "draft"  # reopened by the system
