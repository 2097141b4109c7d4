"""Bad input never hurts: every body-taking endpoint refuses malformed, mistyped,
unknown, oversize and undated input with the JSON envelope of API.md, and the
database is exactly as it was afterwards. Nothing under /api/ is ever a 5xx or
an HTML page.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect, text

from app.extensions import db
from tests.factories import complete_answers
from workflows import questionnaire

FILE_ID = "2026-00001"
MIB = 1024 * 1024
FINGERPRINTED = ("departments", "users", "delegations", "items", "statements", "statement_revisions",
                 "history_events", "notifications")


def fingerprint() -> dict[str, list[tuple]]:
    """Every row of the domain's tables, as committed now."""
    db.session.rollback()
    existing = set(inspect(db.engine).get_table_names())
    out = {}
    with db.engine.connect() as conn:
        for table in FINGERPRINTED:
            if table in existing:
                out[table] = [tuple(r) for r in conn.execute(text(f"SELECT * FROM {table} ORDER BY id"))]
    return out


def assert_error(r, status: int, code: str) -> dict:
    """The API's error envelope, with this status and code; never HTML."""
    assert r.status_code == status, (r.status_code, r.data[:300])
    assert r.mimetype == "application/json", r.data[:300]
    assert b"<html" not in r.data.lower()
    body = r.get_json()
    assert body["error"] == code, body
    assert isinstance(body["message"], str) and body["message"].strip()
    return body


def assert_invalid(r, *fields: str) -> dict:
    body = assert_error(r, 422, "invalid")
    assert isinstance(body["fields"], dict) and body["fields"], body
    assert all(isinstance(k, str) and isinstance(v, str) and v for k, v in body["fields"].items())
    for name in fields:
        assert name in body["fields"], body["fields"]
    return body


def each(cases, check) -> None:
    """Run ``check`` on every case and report every failure at once.

    Several bad requests share one set-up: none of them may change anything, so
    they cannot disturb each other, and the database is built once, not per case.
    """
    failures = []
    for case in cases:
        try:
            check(case)
        except AssertionError as exc:
            failures.append(f"{case!r}: {exc}")
    assert not failures, "\n".join(failures)


# Each endpoint with a body: (method, path, who, a valid body). The item exists
# (a complete draft of DOU) so that only the body can be wrong.
ENDPOINTS = {
    "create": ("POST", "/api/v1/items", "staff",
               {"file_id": "2026-00002", "title": "New", "department": "DOU"}),
    "patch": ("PATCH", f"/api/v1/items/{FILE_ID}", "staff", {"contact": "Jo"}),
    "put": ("PUT", f"/api/v1/items/{FILE_ID}/statement", "staff",
            {"answers": {"proposal": "A"}, "version": 2}),
    "event": ("POST", f"/api/v1/items/{FILE_ID}/statement/events", "staff", {"event": "submit"}),
    "agendize": ("POST", f"/api/v1/items/{FILE_ID}/agendize", "clerk",
                 {"meeting_date": "2027-03-02"}),
}
ENDPOINT_IDS = list(ENDPOINTS)


@pytest.fixture
def ready(world):
    """A complete draft item (version 2) and the database's fingerprint before the request."""
    from app.operations import statements

    world.item(FILE_ID)
    statements.save_answers(world["staff"].user, FILE_ID, complete_answers(), version=1)
    return world


def send(client, world, endpoint: str, *, data=None, json_body=None, content_type="application/json",
         headers=None):
    method, path, who, _valid = ENDPOINTS[endpoint]
    kwargs = {"headers": {**world[who].headers, **(headers or {})}}
    if json_body is not None:
        kwargs["data"] = json.dumps(json_body)
    elif data is not None:
        kwargs["data"] = data
    if content_type is not None:
        kwargs["content_type"] = content_type
    return client.open(path, method=method, **kwargs)


class TestTheValidBodiesWork:
    """The baseline each bad case departs from is itself accepted."""

    @pytest.mark.parametrize("endpoint", ENDPOINT_IDS)
    def test_valid(self, client, ready, endpoint):
        r = send(client, ready, endpoint, json_body=ENDPOINTS[endpoint][3])
        if endpoint == "agendize":  # read and understood; the gate says no to a draft
            assert_error(r, 409, "not_agendizable")
        else:
            assert r.status_code in (200, 201), r.json


MALFORMED = [b'{"file_id": ', b"{", b"}", b"{'a': 1}", b'{"a": 1,}', b"nul", b'{"a": tru}',
             b"\xff\xfe{}", b'{"a": "\xff"}', b'{"a": "\\ud800"}', b"[" * 5000 + b"]" * 5000]


class TestMalformedJson:
    @pytest.mark.parametrize("endpoint", ENDPOINT_IDS)
    def test_is_400_bad_request(self, client, ready, endpoint):
        before = fingerprint()
        bodies = MALFORMED + ([b""] if endpoint != "agendize" else [])  # agendize: no body is fine
        each(bodies, lambda raw: assert_error(send(client, ready, endpoint, data=raw),
                                              400, "bad_request"))
        assert fingerprint() == before


class TestNotAnObject:
    """The whole body is wrong: its field name is "$" (not "body", an item field's name)."""

    @pytest.mark.parametrize("endpoint", ENDPOINT_IDS)
    def test_is_422_invalid(self, client, ready, endpoint):
        before = fingerprint()
        each([[], [{}], "text", 1, 1.5, None, True],
             lambda value: assert_invalid(send(client, ready, endpoint, data=json.dumps(value)), "$"))
        assert fingerprint() == before


WRONG_TYPES = {
    "create": [({"title": 5}, "title"), ({"file_id": 202600002}, "file_id"),
               ({"department": ["DOU"]}, "department"), ({"body": False}, "body"),
               ({"location": 1}, "location"), ({"location": "District 9"}, "location"),
               ({"location": "district 1"}, "location"), ({"location": ""}, "location"),
               ({"title": ""}, "title"), ({"title": None}, "title"),
               ({"contact": {"name": "x"}}, "contact"), ({"fiscal_statement": 0}, "fiscal_statement"),
               ({"body": "x" * 201}, "body"), ({"file_id": ""}, "file_id")],
    "patch": [({"title": 1}, "title"), ({"title": None}, "title"), ({"title": ""}, "title"),
              ({"contact": []}, "contact"), ({"meeting_date": True}, "meeting_date"),
              ({"location": "Downtown"}, "location")],
    "put": [({"answers": []}, "answers"), ({"answers": "x"}, "answers"), ({"answers": None}, "answers"),
            ({"version": "2"}, "version"), ({"version": 2.0}, "version"),
            ({"version": True}, "version"), ({"version": None}, "version")],
    "event": [({"event": 1}, "event"), ({"event": "SUBMIT"}, "event"), ({"event": "agendize"}, "event"),
              ({"event": None}, "event"), ({"comment": 5}, "comment"), ({"version": "2"}, "version"),
              ({"comment": "x" * 20_001}, "comment")],
    "agendize": [({"meeting_date": 20270302}, "meeting_date"),
                 ({"meeting_date": ["2027-03-02"]}, "meeting_date")],
}
REQUIRED = {"create": ["file_id", "title", "department"], "put": ["answers", "version"],
            "event": ["event"]}


class TestWrongTypes:
    @pytest.mark.parametrize("endpoint", ENDPOINT_IDS)
    def test_is_422_invalid_naming_the_field(self, client, ready, endpoint):
        before = fingerprint()
        each(WRONG_TYPES[endpoint], lambda case: assert_invalid(
            send(client, ready, endpoint, json_body={**ENDPOINTS[endpoint][3], **case[0]}), case[1]))
        assert fingerprint() == before

    @pytest.mark.parametrize("endpoint", list(REQUIRED))
    def test_a_missing_required_field_is_named(self, client, ready, endpoint):
        before = fingerprint()

        def check(field):
            body = {k: v for k, v in ENDPOINTS[endpoint][3].items() if k != field}
            fields = assert_invalid(send(client, ready, endpoint, json_body=body), field)["fields"]
            assert fields[field] == "is required"

        each(REQUIRED[endpoint], check)
        assert fingerprint() == before


class TestUnknownFields:
    @pytest.mark.parametrize("endpoint", ENDPOINT_IDS)
    def test_is_422_invalid_naming_the_field(self, client, ready, endpoint):
        before = fingerprint()

        def check(extra):
            body = {**ENDPOINTS[endpoint][3], extra: 1}
            fields = assert_invalid(send(client, ready, endpoint, json_body=body), extra)["fields"]
            assert fields[extra] == "unknown field"

        each(["extra", "File_id", "statement_state", "agendized", ""], check)
        assert fingerprint() == before

    def test_patch_may_not_change_the_key_or_department(self, client, ready):
        before = fingerprint()

        def check(change):
            (field, _value), = change.items()
            fields = assert_invalid(send(client, ready, "patch", json_body=change), field)["fields"]
            assert fields[field] == "unknown field"

        each([{"file_id": "2026-00009"}, {"department": "CDD"}], check)
        assert fingerprint() == before


class TestContentType:
    @pytest.mark.parametrize("endpoint", ENDPOINT_IDS)
    def test_a_body_that_is_not_declared_json_is_400(self, client, ready, endpoint):
        before = fingerprint()
        each([None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data"],
             lambda content_type: assert_error(send(
                 client, ready, endpoint, data=json.dumps(ENDPOINTS[endpoint][3]),
                 content_type=content_type), 400, "bad_request"))
        assert fingerprint() == before

    def test_a_charset_parameter_is_fine(self, client, ready):
        r = send(client, ready, "patch", data=json.dumps({"contact": "Jo"}),
                 content_type="application/json; charset=utf-8")
        assert r.status_code == 200, r.json


class TestOversize:
    def test_over_one_mib_is_413_too_large(self, client, ready):
        before = fingerprint()

        def check(endpoint):
            body = json.dumps({**ENDPOINTS[endpoint][3], "padding": "x" * MIB}).encode()
            assert len(body) > MIB
            assert_error(send(client, ready, endpoint, data=body), 413, "too_large")

        each(ENDPOINT_IDS, check)
        assert fingerprint() == before

    def test_one_byte_over_is_too_large_and_exactly_one_mib_is_not(self, client, ready):
        def body_of(size: int) -> bytes:
            head = b'{"contact": "'
            return head + b"x" * (size - len(head) - 2) + b'"}'

        assert_error(send(client, ready, "patch", data=body_of(MIB + 1)), 413, "too_large")
        exact = send(client, ready, "patch", data=body_of(MIB))
        assert exact.status_code != 413
        assert_invalid(exact, "contact")  # too long for the field, but read and judged

    @pytest.mark.parametrize("size", [2 * MIB, MIB + 1])
    def test_the_limit_holds_without_a_content_length(self, app, ready, size):
        """gunicorn passes a chunked upload on with no Content-Length and
        ``wsgi.input_terminated`` set; Werkzeug then cuts the stream at the limit
        instead of refusing it, and a cut body must be 413, not "bad JSON"."""
        before = fingerprint()
        body = b'{"event": "submit", "comment": "' + b"x" * size + b'"}'
        status, data = chunked(app, ready, body)
        assert status.startswith("413"), (status, data[:200])
        assert json.loads(data)["error"] == "too_large"
        assert fingerprint() == before

    def test_a_small_chunked_body_is_read_in_full(self, app, ready):
        status, data = chunked(app, ready, json.dumps({"event": "submit"}).encode())
        assert status.startswith("200"), (status, data[:200])
        assert json.loads(data)["state"] == "department_review"


def chunked(app, world, body: bytes) -> tuple[str, bytes]:
    """POST a statement event the way gunicorn hands a chunked request to the app."""
    import io

    from flask.testing import EnvironBuilder
    from werkzeug.test import run_wsgi_app

    environ = EnvironBuilder(app, path=f"/api/v1/items/{FILE_ID}/statement/events", method="POST",
                             headers={**world["staff"].headers, "Transfer-Encoding": "chunked"},
                             content_type="application/json").get_environ()
    environ.pop("CONTENT_LENGTH", None)
    environ.update({"wsgi.input": io.BytesIO(body), "wsgi.input_terminated": True})
    app_iter, status, _headers = run_wsgi_app(app, environ)
    try:
        return status, b"".join(app_iter)
    finally:
        getattr(app_iter, "close", lambda: None)()


BAD_DATES = ["2026-02-30", "tomorrow", 20260101, "20260101", "2026-13-01", "2026-1-1", "",
             "2026-01-01T00:00:00", "2026-W01-1", "02/03/2027"]


class TestBadDates:
    @pytest.mark.parametrize("endpoint", ["create", "patch", "agendize"])
    def test_in_a_body_is_422(self, client, ready, endpoint):
        before = fingerprint()
        each(BAD_DATES, lambda value: assert_invalid(send(
            client, ready, endpoint, json_body={**ENDPOINTS[endpoint][3], "meeting_date": value}),
            "meeting_date"))
        assert fingerprint() == before

    def test_in_a_path_is_422(self, client, world):
        each([v for v in BAD_DATES if v != "" and "/" not in str(v)], lambda value: assert_invalid(
            client.get(f"/api/v1/meetings/{value}/items", headers=world["clerk"].headers),
            "meeting_date"))

    def test_in_a_filter_is_422(self, client, world):
        each(BAD_DATES, lambda value: assert_invalid(
            client.get("/api/v1/items", headers=world["clerk"].headers,
                       query_string={"meeting_date": str(value)}), "meeting_date"))


class TestNulCharacters:
    """PostgreSQL text cannot hold U+0000; it must be a 4xx, never a 500, on both databases."""

    def test_in_a_body_is_422(self, client, ready):
        before = fingerprint()
        each([("create", {"title": "a\x00b"}, "title"), ("create", {"department": "D\x00"}, "department"),
              ("create", {"file_id": "2026-0000\x00"}, "file_id"),
              ("create", {"fiscal_statement": "\x00"}, "fiscal_statement"),
              ("patch", {"contact": "\x00"}, "contact"), ("patch", {"title": "\x00"}, "title"),
              ("event", {"event": "return", "comment": "why\x00"}, "comment")],
             lambda case: assert_invalid(send(client, ready, case[0], json_body={
                 **ENDPOINTS[case[0]][3], **case[1]}), case[2]))
        assert fingerprint() == before

    def test_in_a_path_is_404(self, client, world):
        each(["/api/v1/items/2026-0000%00", "/api/v1/items/%00/statement",
              "/api/v1/items/%00/agendizable", "/api/v1/items/%00/statement/history",
              "/api/v1/meetings/%00/items"],
             lambda path: assert_error(client.get(path, headers=world["clerk"].headers),
                                       404, "not_found"))

    def test_in_a_filter_is_422(self, client, world):
        each(["department", "state", "meeting_date"], lambda name: assert_invalid(
            client.get(f"/api/v1/items?{name}=x%00", headers=world["clerk"].headers), name))


UNKNOWN = "2026-99999"
ITEM_ENDPOINTS = [
    ("GET", "", None), ("PATCH", "", {"contact": "x"}),
    ("GET", "/statement", None), ("PUT", "/statement", {"answers": {}, "version": 1}),
    ("POST", "/statement/events", {"event": "submit"}), ("GET", "/statement/history", None),
    ("GET", "/agendizable", None), ("POST", "/agendize", None), ("POST", "/unagendize", None),
]


class TestUnknownItems:
    @pytest.mark.parametrize("who", ["admin", "clerk", "staff"])
    def test_is_404_not_found(self, client, world, who):
        """Whoever asks, an item that does not exist is 404, never a 403 that leaks nothing
        either way, and never a 5xx."""
        before = fingerprint()

        def check(case):
            method, suffix, body = case
            r = client.open(f"/api/v1/items/{UNKNOWN}{suffix}", method=method,
                            headers=world[who].headers, json=body)
            if r.status_code == 403:  # a role check before the lookup is allowed too
                assert_error(r, 403, "forbidden")
            else:
                assert_error(r, 404, "not_found")

        each(ITEM_ENDPOINTS, check)
        assert fingerprint() == before

    def test_a_malformed_file_id_is_simply_not_found(self, client, world):
        each(["x", "2026-1", "2026-00001-extra", "%20", "a" * 500, "%E2%80%8B", "..", "%2E%2E"],
             lambda file_id: assert_error(client.get(f"/api/v1/items/{file_id}",
                                                     headers=world["clerk"].headers),
                                          404, "not_found"))


class TestUnknownRoutesAndMethods:
    def test_is_a_json_404(self, client, world):
        paths = ["/api/v1/nope", "/api/v2/items", "/api/", "/api", "/api/v1/", "/api/v1/items/",
                 f"/api/v1/items/{FILE_ID}/nope", f"/api/v1/items/{FILE_ID}/statement/events/1",
                 "/api/v1/meetings/2027-03-02", "/api/v1/meetings/2027-03-02/items/extra",
                 "/api/v1/openapi.yaml", "/api/v1/items//statement",
                 f"/api/v1/items/{FILE_ID}//statement"]

        def check(case):
            path, authenticated = case
            r = client.get(path, headers=world["clerk"].headers if authenticated else {})
            if r.status_code == 401:  # a real route may ask who you are first
                assert not authenticated
                assert_error(r, 401, "unauthorized")
            else:
                assert_error(r, 404, "not_found")

        each([(p, a) for p in paths for a in (True, False)], check)

    def test_doubled_slashes_are_no_redirect(self, client, world):
        """Not a 308 to another address (an HTML page): a JSON 404 or 405."""
        def check(path):
            r = client.get(path, headers=world["clerk"].headers)
            assert r.status_code in (404, 405), r.status_code
            assert_error(r, r.status_code, {404: "not_found", 405: "method_not_allowed"}[r.status_code])

        each(["/api/v1/items//statement", "/api/v1//items", "/api//v1/sections",
              f"/api/v1/items/{FILE_ID}//statement", "/api/v1/items/2026-00001//"], check)

    def test_is_a_json_405(self, client, ready):
        before = fingerprint()

        def check(case):
            method, path = case
            r = client.open(path, method=method, headers=ready["admin"].headers, json={})
            assert_error(r, 405, "method_not_allowed")
            assert r.headers.get("Allow")

        each([
            ("DELETE", "/api/v1/items"), ("PUT", "/api/v1/items"), ("POST", f"/api/v1/items/{FILE_ID}"),
            ("DELETE", f"/api/v1/items/{FILE_ID}"), ("PUT", f"/api/v1/items/{FILE_ID}"),
            ("GET", f"/api/v1/items/{FILE_ID}/agendize"), ("DELETE", f"/api/v1/items/{FILE_ID}/statement"),
            ("POST", f"/api/v1/items/{FILE_ID}/statement"),
            ("GET", f"/api/v1/items/{FILE_ID}/statement/events"),
            ("DELETE", f"/api/v1/items/{FILE_ID}/statement/history"), ("PATCH", "/api/v1/sections"),
            ("POST", "/api/v1/openapi.json"), ("POST", "/api/v1/meetings/2027-03-02/items"),
        ], check)
        assert fingerprint() == before


class TestAuthenticationComesFirst:
    @pytest.mark.parametrize("endpoint", ENDPOINT_IDS)
    def test_no_token_and_a_bad_body_is_401(self, client, ready, endpoint):
        method, path, _who, _valid = ENDPOINTS[endpoint]
        before = fingerprint()
        r = client.open(path, method=method, data=b"{", content_type="application/json")
        assert_error(r, 401, "unauthorized")
        assert fingerprint() == before


# -- random input ---------------------------------------------------------------

JSON_SCALARS = (st.none() | st.booleans() | st.integers() | st.text(max_size=30)
                | st.floats(allow_nan=False, allow_infinity=False))


def _containers(inner):
    return st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)


JSON_VALUES = st.recursive(JSON_SCALARS, _containers, max_leaves=12)
ITEM_KEYS = ("file_id", "title", "department", "body", "meeting_date", "location",
             "recommendation", "contact", "presenter", "fiscal_statement")
ITEM_BODIES = st.one_of(
    JSON_VALUES,
    st.fixed_dictionaries({}, optional={
        **{k: JSON_VALUES for k in ITEM_KEYS},
        "file_id": st.from_regex(r"\A\d{4}-\d{5}\Z") | JSON_VALUES,
        "department": st.sampled_from(["DOU", "CDD", "XYZ", ""]) | JSON_VALUES,
        "meeting_date": st.dates().map(str) | JSON_VALUES,
        "location": st.sampled_from(["Citywide", "District 3", "District 0"]) | JSON_VALUES,
    }),
)
ANSWER_KEYS = st.sampled_from(sorted(questionnaire.SECTION_KEYS)) | st.text(max_size=10)
STATEMENT_BODIES = st.one_of(
    JSON_VALUES,
    st.fixed_dictionaries({}, optional={
        "answers": st.dictionaries(ANSWER_KEYS, JSON_VALUES | st.lists(
            st.sampled_from(["structural", "inform", "housing", "x"]), max_size=3), max_size=5)
        | JSON_VALUES,
        "version": st.integers(min_value=-2, max_value=5) | JSON_VALUES,
    }),
)
FUZZ = settings(max_examples=60, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def assert_sane(r) -> None:
    assert r.status_code < 500, r.data[:300]
    assert r.mimetype == "application/json"
    body = r.get_json()
    assert isinstance(body, dict)
    if r.status_code >= 400:
        assert set(body) >= {"error", "message"}
        if body["error"] == "invalid":
            assert isinstance(body["fields"], dict) and body["fields"]


class TestRandomJson:
    @FUZZ
    @given(body=ITEM_BODIES)
    def test_create_item(self, client, world, body):
        r = client.post("/api/v1/items", headers=world["staff"].headers, data=json.dumps(body),
                        content_type="application/json")
        assert_sane(r)
        if r.status_code == 201:
            assert r.json["file_id"] == body["file_id"]
            assert r.json["title"] == body["title"]

    @FUZZ
    @given(body=STATEMENT_BODIES)
    def test_put_statement(self, client, world, body):
        if not getattr(world, "_fuzz_item", False):
            world.item(FILE_ID)
            world._fuzz_item = True
        r = client.put(f"/api/v1/items/{FILE_ID}/statement", headers=world["staff"].headers,
                       data=json.dumps(body), content_type="application/json")
        assert_sane(r)
        if r.status_code == 200:
            assert r.json["answers"] == body["answers"]
