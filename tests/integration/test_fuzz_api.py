"""Fuzzing the API from its own ``openapi.json``: every operation, valid and
invalid inputs, as an admin and as a clerk. No input may produce a 5xx, an
undeclared status code, or a body that contradicts the declared schema.

Schemathesis calls the WSGI app directly (no server). A few items exist in
several states, so that generated file IDs are not all 404s: the examples
below name them explicitly, and random ones exercise the 404 and 422 paths.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

STATES = ("draft", "department_review", "ode_review", "ready_to_agendize")
FILE_IDS = tuple(f"2026-{n:05d}" for n in range(1, len(STATES) + 1))
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


def _operation_ids() -> list[str]:
    import app.api.notifications
    import app.api.views  # noqa: F401
    from app.api import api

    return sorted(f"{op.method.lower()}_{op.view.__name__}" for op in api.operations)


@pytest.fixture
def fuzz_world(world):
    for file_id, state in zip(FILE_IDS, STATES, strict=True):
        world.item(file_id, state=state)
    return world


@pytest.mark.parametrize("operation_id", _operation_ids())
class TestFuzz:
    def test_no_input_breaks_the_operation(self, app, fuzz_world, operation_id):
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
        operation = schema.find_operation_by_id(operation_id)
        headers = [fuzz_world[who].headers for who in ("admin", "clerk")]

        strategies = [operation.as_strategy(mode) for mode in GenerationMode]
        if "{file_id}" in operation.path:  # also aim at items that exist, in every state
            strategies += [operation.as_strategy(path_parameters={"file_id": f}) for f in FILE_IDS]

        @given(case=st.one_of(strategies))
        @settings(max_examples=30, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def fuzz(case):
            for h in headers:
                case.call_and_validate(headers=h, checks=CHECKS)

        fuzz()
