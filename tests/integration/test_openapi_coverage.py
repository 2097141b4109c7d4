"""Every endpoint that takes an API token is in ``openapi.json``, inside ``/api/v1`` or not.

Found by behaviour, not by a list: every route of the app is asked without a
token, and whatever answers 401 (it wants a token) must be documented with
that method and a bearer security requirement. A new token-authenticated
route that the document forgets fails here.
"""

from __future__ import annotations

import pytest

from app.api.spec import _openapi_path

SAMPLES = {"file_id": "2026-00001", "meeting_date": "2027-03-02", "token": "x", "filename": "x"}
IGNORED_METHODS = {"HEAD", "OPTIONS"}


def _url(rule) -> str:
    values = {name: SAMPLES.get(name, "1") for name in rule.arguments}
    return rule.build(values, append_unknown=False)[1]


def _token_routes(app, client) -> set[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.endswith(".static"):
            continue
        for method in sorted(rule.methods - IGNORED_METHODS):
            response = client.open(_url(rule), method=method)
            if response.status_code == 401:
                found.add((_openapi_path(rule.rule), method.lower()))
    return found


class TestEveryTokenEndpointIsDocumented:
    @pytest.fixture
    def document(self, client):
        return client.get("/api/v1/openapi.json").json

    def test_each_route_that_wants_a_token_is_in_the_document(self, app_ctx, client, document):
        wanted = _token_routes(app_ctx, client)
        assert ("/packets/{file_id}.pdf", "get") in wanted  # outside /api/v1, and found
        assert ("/calendar/feed-url", "get") in wanted
        missing = {(path, method) for path, method in wanted
                   if method not in document["paths"].get(path, {})}
        assert not missing, f"token-authenticated but not in openapi.json: {sorted(missing)}"
        unsecured = {(path, method) for path, method in wanted
                     if not document["paths"][path][method].get("security")}
        assert not unsecured, f"documented without a bearer requirement: {sorted(unsecured)}"

    def test_the_document_is_still_valid_openapi(self, document):
        from openapi_spec_validator import validate

        validate(document)
