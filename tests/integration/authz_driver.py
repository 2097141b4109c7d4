"""Driving the authorization matrix (``test_authz_matrix.py``): the people, the items in
each state, one request per cell, and the outcome class of its answer.

Nothing here knows who may do what: the expectations are the test module's own table.
Items are walked to their states by the same operations the app runs, as
``tests/factories.py`` does; the requests go through the test client as an API
client or a browser would send them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, timedelta

from flask import Response
from sqlalchemy import select

from app.extensions import db
from app.models import Item, Statement
from app.operations import accounts, gate, items, people, statements
from tests.factories import Person, World, complete_answers
from tests.integration.web_helpers import PASSWORD, WebUser, give_passwords, signed_in, statement_fields
from workflows import questionnaire

API = "/api/v1"
#: Far enough ahead that agendizing for it is never "a meeting date before today".
MEETING = date.today() + timedelta(days=120)

# Outcome classes.
OK, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, REFUSED = "ok", "401", "403", "404", "409/422"

# The actors. "staff" and "approver" belong to DOU, the department of every matrix item;
# "other_staff" and "other_approver" to CDD. "deactivated" was a DOU staff member with a
# token and a signed-in browser, deactivated by an admin before the first request.
SIGNED_IN = ("staff", "other_staff", "approver", "other_approver", "ode", "clerk", "admin")
ACTORS = (*SIGNED_IN, "deactivated", "anonymous")

# The states of an item's statement.
NEW_DRAFT = "draft_never_submitted"
RETURNED_DRAFT = "draft_after_return"
DEPARTMENT_REVIEW = "department_review"
ODE_REVIEW = "ode_review"
READY = "ready_to_agendize"
AGENDIZED = "ready_and_agendized"
STATES = (NEW_DRAFT, RETURNED_DRAFT, DEPARTMENT_REVIEW, ODE_REVIEW, READY, AGENDIZED)
NO_ITEM = "-"  # the cell of a route that names no item

#: How each state is reached from a draft whose answers staff completed: (who, what).
#: So in every state the submitter and last editor is "staff", and the department
#: approval (when there is one) is "approver"'s: "admin" and "ode" are independent.
WALKS: dict[str, tuple[tuple[str, str], ...]] = {
    NEW_DRAFT: (),
    RETURNED_DRAFT: (("staff", "submit"), ("approver", "return")),
    DEPARTMENT_REVIEW: (("staff", "submit"),),
    ODE_REVIEW: (("staff", "submit"), ("approver", "approve")),
    READY: (("staff", "submit"), ("approver", "approve"), ("ode", "approve")),
    AGENDIZED: (("staff", "submit"), ("approver", "approve"), ("ode", "approve"), ("clerk", "agendize")),
}

#: Written into every matrix statement: a page that shows the answers shows this.
SECRET = "Only the readers of this statement see this sentence."


def secret_answers(form: str = "full") -> dict:
    """Complete answers of that form, the first free-text one being ``SECRET``."""
    answers = complete_answers(form)
    first_text = next(s for s in questionnaire.form(form).sections if s.kind == questionnaire.KIND_TEXT)
    answers[first_text.key] = SECRET
    return answers


#: whom each delegator names in the matrix (someone they may name)
DELEGATE_FOR = {"approver": "staff2@test.reis", "other_approver": "other_staff@test.reis",
                "ode": "ode2@test.reis"}

#: Routes that act only on exemption requests: their items are exemption requests.
EXEMPTION_ROUTES = frozenset({"api.post_statements_bulk_event", "web.approve_exemptions"})


def form_for(key: str) -> str:
    return "exemption" if key.partition(":")[0] in EXEMPTION_ROUTES else "full"


class Driver:
    """One test's people, browsers and items, and one request per matrix cell."""

    def __init__(self, world: World, app) -> None:
        self.world, self.app = world, app
        self.numbers = itertools.count(1)
        self.shared: dict[tuple[str, str], str] = {}
        user = people.create_user("gone@test.reis", "Gone", "staff", "DOU", password=None)
        self.gone = Person(user, people.issue_token(user))
        self.client = app.test_client()
        give_passwords()
        gone_browser = signed_in(app, self.gone)
        gone_browser.get("/")  # its session's CSRF token, as the page gave it
        self.browsers: dict[str, WebUser] = {"deactivated": gone_browser}
        accounts.set_active(world["admin"].user, user.id, False)

    # -- items ------------------------------------------------------------------------

    def walk(self, state: str, form: str = "full") -> str:
        """A new DOU item whose statement of ``form`` is in ``state``; its file ID."""
        file_id = f"2026-{next(self.numbers):05d}"
        staff = self.world["staff"].user
        items.create_item(staff, {"file_id": file_id, "title": f"Item {file_id}", "department": "DOU",
                                  "fiscal_statement": "Funded.", "meeting_date": MEETING})
        statements.save(staff, file_id, secret_answers(form), 1, form)
        for who, what in WALKS[state]:
            actor = self.world[who].user
            if what == "agendize":
                gate.agendize(actor, file_id)
            else:
                statements.fire_event(actor, file_id, what, "Say more about the data."
                                      if what == "return" else None)
        return file_id

    def item_for(self, state: str, *, fresh: bool, form: str = "full") -> str:
        """A fresh item for a request that should change it, else this state's shared one."""
        if fresh:
            return self.walk(state, form)
        if (state, form) not in self.shared:
            self.shared[(state, form)] = self.walk(state, form)
        return self.shared[(state, form)]

    def changed(self, file_id: str | None) -> None:
        """A request got through and may have changed the item: never share it again."""
        self.shared = {s: f for s, f in self.shared.items() if f != file_id}

    @staticmethod
    def version(file_id: str) -> int:
        db.session.rollback()
        return db.session.scalar(select(Statement.version).join(Item, Statement.item_id == Item.id)
                                 .where(Item.file_id == file_id))

    # -- the API ----------------------------------------------------------------------

    def api_request(self, key: str, file_id: str | None, actor: str = "") -> tuple[str, str, dict | None]:
        endpoint, _, event = key.partition(":")
        item = f"{API}/items/{file_id}"
        n = next(self.numbers)
        # a delegate each delegator may name (from their department; another ODE reviewer)
        span = {"delegate": DELEGATE_FOR.get(actor, "staff2@test.reis"),
                "starts": date.today().isoformat(), "ends": (date.today() + timedelta(days=5)).isoformat()}
        someone = f"{API}/users/approver@test.reis/delegation"
        requests: dict[str, Callable[[], tuple[str, str, dict | None]]] = {
            "api.get_openapi": lambda: ("GET", f"{API}/openapi.json", None),
            "api.get_sections": lambda: ("GET", f"{API}/sections", None),
            "api.get_items_list": lambda: ("GET", f"{API}/items", None),
            "api.get_meeting_items": lambda: ("GET", f"{API}/meetings/{MEETING.isoformat()}/items", None),
            "api.get_notifications_list": lambda: ("GET", f"{API}/notifications", None),
            "api.get_preferences_get": lambda: ("GET", f"{API}/me/preferences", None),
            "api.put_preferences_put": lambda: ("PUT", f"{API}/me/preferences", {"notify_mode": "digest"}),
            "api.post_notifications_read": lambda: ("POST", f"{API}/notifications/999999/read", None),
            "api.get_calendar_feed_get": lambda: ("GET", f"{API}/me/calendar-feed", None),
            "api.post_calendar_feed_rotate": lambda: ("POST", f"{API}/me/calendar-feed", None),
            "api.post_items_create": lambda: ("POST", f"{API}/items", {
                "file_id": f"2099-{n:05d}", "title": "New", "department": "DOU",
                "fiscal_statement": "Funded."}),
            "api.get_items_get": lambda: ("GET", item, None),
            "api.get_gate_check": lambda: ("GET", f"{item}/agendizable", None),
            "api.get_statement_get": lambda: ("GET", f"{item}/statement", None),
            "api.get_statement_history": lambda: ("GET", f"{item}/statement/history", None),
            "api.patch_items_patch": lambda: ("PATCH", item, {"title": "Retitled"}),  # material
            "api.put_statement_put": lambda: ("PUT", f"{item}/statement", {
                "answers": secret_answers(), "version": self.version(file_id)}),
            "api.post_statement_event": lambda: ("POST", f"{item}/statement/events", {
                "event": event, "comment": "Because."}),
            "api.post_gate_agendize": lambda: ("POST", f"{item}/agendize", None),
            "api.post_gate_unagendize": lambda: ("POST", f"{item}/unagendize", None),
            "api.get_screening_get": lambda: ("GET", f"{API}/screening", None),
            "api.get_screening_rules_get": lambda: ("GET", f"{API}/screening/rules", None),
            "api.put_screening_rules_put": lambda: ("PUT", f"{API}/screening/rules", {
                "item_types": {f"Type {n}": "ceremonial"}}),
            "api.get_reports_metrics": lambda: ("GET", f"{API}/reports/metrics", None),
            "api.get_reports_metrics_csv": lambda: ("GET", f"{API}/reports/metrics.csv", None),
            "api.get_narrative_get": lambda: ("GET", f"{API}/reports/annual/2026/narrative", None),
            # a year of its own each time: version 0 is never stale
            "api.put_narrative_put": lambda: ("PUT", f"{API}/reports/annual/{2000 + n % 1000}/narrative",
                                              {"ode": "Ours.", "community": "Theirs.", "version": 0}),
            "api.get_report_backs_list": lambda: ("GET", f"{item}/report-backs", None),
            "api.post_report_backs_report": lambda: ("POST", f"{item}/report-backs/1", {"result": "Done."}),
            "api.post_statements_bulk_event": lambda: ("POST", f"{API}/statements/events", {
                "event": event, "file_ids": [file_id], "comment": "Because."}),
            "api.get_delegation_get": lambda: ("GET", f"{API}/me/delegation", None),
            "api.put_delegation_put": lambda: ("PUT", f"{API}/me/delegation", span),
            "api.delete_delegation_delete": lambda: ("DELETE", f"{API}/me/delegation", None),
            "api.get_user_delegation_get": lambda: ("GET", someone, None),
            "api.put_user_delegation_put": lambda: ("PUT", someone, {**span, "delegate": "staff2@test.reis"}),
            "api.delete_user_delegation_delete": lambda: ("DELETE", someone, None),
            "api.post_statement_assign": lambda: ("POST", f"{item}/statement/assign",
                                                  {"assignee": "ode2@test.reis"}),
            "api.get_stalled_list": lambda: ("GET", f"{API}/stalled", None),
        }
        return requests[endpoint]()

    def api(self, key: str, actor: str, file_id: str | None) -> tuple[str, str]:
        method, path, body = self.api_request(key, file_id, actor)
        headers = ({} if actor == "anonymous" else {"Authorization": f"Bearer {self.gone.token}"}
                   if actor == "deactivated" else self.world[actor].headers)
        # Each request from an address of its own: a refused token counts against its
        # address (the limit is tested elsewhere) and must never turn a 401 into a 429.
        n = next(self.numbers)
        address = f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"
        with self.app.app_context():
            response = self.client.open(path, method=method, json=body,
                                        headers=headers,
                                        environ_base={"REMOTE_ADDR": address})
            detail = f"{response.status_code} {response.get_data(as_text=True)[:200]}"
            outcome = api_outcome(response.status_code)
            if key.startswith("api.post_statements_bulk_event") and outcome == OK:
                outcome = bulk_outcome(response.get_json()["results"][0])  # the item's own answer
        db.session.rollback()
        return outcome, detail

    # -- the web pages ----------------------------------------------------------------

    def browser(self, actor: str) -> WebUser:
        """The actor's browser, signed in (the deactivated one was, before the deactivation)
        and holding its session's CSRF token."""
        if actor not in self.browsers:
            browser = signed_in(self.app, self.world[actor]) if actor in SIGNED_IN else WebUser(self.app)
            browser.get("/" if actor in SIGNED_IN else "/sign-in")
            self.browsers[actor] = browser
        return self.browsers[actor]

    def web_request(self, key: str, actor: str, file_id: str | None) -> tuple[str, str, dict]:
        endpoint, _, event = key.partition(":")
        n = next(self.numbers)
        own = self.world[actor].user.department if actor in SIGNED_IN else None
        other = self.world["staff2"].user.id  # the admin pages' target: no actor of the matrix
        version = self.version(file_id) if file_id else None
        span = {"delegation-starts": date.today().isoformat(),
                "delegation-ends": (date.today() + timedelta(days=5)).isoformat()}
        decision = ({"approve": "Approve", "comment": ""} if event == "approve"
                    else {"send_back": "Return", "comment": "Because."})
        requests: dict[str, Callable[[], tuple[str, str, dict]]] = {
            # no password: the form is refused before any (deliberately slow) hashing
            "web.login": lambda: ("POST", "/sign-in", {"email": f"nobody{n}@test.reis"}),
            "web.logout": lambda: ("POST", "/sign-out", {}),
            "web.set_language": lambda: ("POST", "/language", {"language": "en", "next": "/"}),
            "web.mark_read": lambda: ("POST", "/notifications/read", {}),
            "web.preferences": lambda: ("POST", "/notifications/settings",
                                        {"notify_mode": "digest", "language": "en"}),
            "web.item_new": lambda: ("POST", "/items/new", {
                "file_id": f"2099-{n:05d}", "department": own.code if own else "DOU", "title": "New",
                "meeting_date": MEETING.isoformat(), "fiscal_statement": "Funded."}),
            "web.item": lambda: ("GET", f"/items/{file_id}", {}),
            "web.item_edit": lambda: ("POST", f"/items/{file_id}/edit", {  # a new title: material
                "title": "Retitled", "meeting_date": MEETING.isoformat(), "fiscal_statement": "Funded."}),
            "web.statement": lambda: ("POST", f"/items/{file_id}/statement", {
                **statement_fields(secret_answers()), "version": version, "save": "Save draft"}),
            "web.approve_exemptions": lambda: ("POST", "/review/exemptions", {"file_ids": file_id}),
            "web.screening_rules": lambda: ("POST", "/screening-rules", {
                "new_item_type": f"Type {n}", "new_category": "ceremonial"}),
            "web.review": lambda: ("POST", f"/items/{file_id}/review", {**decision, "version": version}),
            "web.narrative": lambda: ("POST", f"/reports/annual/{2000 + n % 1000}",
                                      {"ode": "Ours.", "community": "Theirs.", "version": "0"}),
            "web.report_back": lambda: ("POST", f"/items/{file_id}/report-backs/1",
                                        {"result": "Done.", "reason": ""}),
            "web.agendize": lambda: ("POST", f"/board/{file_id}/agendize",
                                     {"meeting_date": MEETING.isoformat()}),
            "web.unagendize": lambda: ("POST", f"/board/{file_id}/unagendize",
                                       {"meeting_date": MEETING.isoformat()}),
            "web.department_create": lambda: ("POST", "/admin/departments", {
                "department-code": f"X{n}", "department-name": f"Department {n}"}),
            "web.user_create": lambda: ("POST", "/admin/users", {
                "user-email": f"new{n}@test.reis", "user-name": "New", "user-role": "staff",
                "user-department": "DOU", "user-password": "a long enough password"}),
            "web.user_role": lambda: ("POST", f"/admin/users/{other}/role", {
                f"u{other}-role": "staff", f"u{other}-department": "DOU"}),
            "web.user_deactivate": lambda: ("POST", f"/admin/users/{other}/deactivate", {}),
            "web.user_reactivate": lambda: ("POST", f"/admin/users/{other}/reactivate", {}),
            "web.user_password": lambda: ("POST", f"/admin/users/{other}/password",
                                          {"password": "a new password for someone"}),
            "web.change_password": lambda: ("POST", "/account/password", {
                "current_password": PASSWORD, "password": "another long password",
                "confirm": "another long password"}),
            "web.rotate_feed": lambda: ("POST", "/account/calendar-feed", {}),
            "web.delegation_set": lambda: ("POST", "/account/delegation", {
                "delegation-delegate": DELEGATE_FOR.get(actor, "staff2@test.reis"), **span}),
            "web.delegation_revoke": lambda: ("POST", "/account/delegation/revoke", {}),
            "web.someones_delegation_set": lambda: ("POST", "/admin/delegations", {
                "delegation-delegator": str(self.world["approver"].user.id),
                "delegation-delegate": "staff2@test.reis", **span}),
            "web.someones_delegation_revoke": lambda: (
                "POST", f"/admin/users/{self.world['approver'].user.id}/delegation/revoke", {}),
            "web.assign": lambda: ("POST", f"/items/{file_id}/assign", {"assignee": "ode2@test.reis"}),
        }
        return requests[endpoint]()

    def web(self, key: str, actor: str, file_id: str | None) -> tuple[str, str]:
        browser = self.browser(actor)
        method, path, form = self.web_request(key, actor, file_id)
        response = browser.open(path) if method == "GET" else browser.post(path, form)
        flashes = pop_flashes(browser)
        detail = f"{response.status_code} {response.headers.get('Location', '')} {flashes}"
        return web_outcome(key, response, flashes), detail


def pop_flashes(browser: WebUser) -> list[str]:
    """The categories of the messages the request left for the next page (and forget them)."""
    with browser.app.app_context(), browser.client.session_transaction() as session:
        return [category for category, _message in session.pop("_flashes", [])]


def bulk_outcome(result: dict) -> str:
    """One item's result in a bulk event, as the outcome class its error code stands for."""
    if result["ok"]:
        return OK
    return {"forbidden": FORBIDDEN, "not_found": NOT_FOUND}.get(result["error"]["error"], REFUSED)


def api_outcome(status: int) -> str:
    if status < 400:
        return OK
    return {401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND, 409: REFUSED,
            422: REFUSED}.get(status, f"unexpected {status}")


def web_outcome(key: str, response: Response, flashes: list[str]) -> str:
    """A page's answer as an outcome class.

    A missing sign-in is a redirect to the sign-in page; a refusal by role is 403; "not
    now" is a page re-rendered with 409/422, or a redirect with an error or info message.
    The item page is read when it shows the statement's answers, withheld when it does not.
    """
    status, location = response.status_code, response.headers.get("Location", "")
    to_sign_in = status in (302, 303) and location.split("?")[0].endswith("/sign-in")
    if key == "web.logout":  # signed in or not, sign-out ends on the sign-in page
        return OK if to_sign_in else f"unexpected {status}"
    if to_sign_in:
        return UNAUTHENTICATED
    if status in (403, 404):
        return {403: FORBIDDEN, 404: NOT_FOUND}[status]
    if status in (409, 422):
        return REFUSED
    if status >= 400:  # 400 would be a refused CSRF token: the matrix sent a bad form
        return f"unexpected {status}"
    if key == "web.item":
        return OK if status == 200 and SECRET in response.text else FORBIDDEN
    if any(category != "success" for category in flashes):
        return REFUSED
    return OK
