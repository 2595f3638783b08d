"""Property-based requests generated from the app's own OpenAPI schema, sent in-process.

Bounded (a few examples per operation) to keep the suite fast; the app runs on the real Postgres and Redis.
Hypothesis is driven directly: schemathesis' pytest fixture loader does not support pytest 9 yet.
"""

from __future__ import annotations

import schemathesis
from app_testing import API_KEY
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.main import create_app

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance, status_code_conformance]
EXAMPLES_PER_OPERATION = 12


def test_no_5xx_and_responses_match_the_schema(make_settings) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(make_settings()))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 7  # health x2, decisions, jobs x4, uploads

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case) -> None:
            case.call_and_validate(headers={"X-API-Key": API_KEY}, checks=CHECKS)

        call()
