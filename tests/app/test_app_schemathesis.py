"""Property-based requests generated from the app's own OpenAPI schema, sent in-process, with every
check schemathesis has, valid and invalid data, on both profiles (PostgreSQL + Redis, and embedded).

Bounded (a few examples per operation and mode) to keep the suite fast. Hypothesis is driven directly:
schemathesis' pytest fixture loader does not support pytest 9 yet.
"""

from __future__ import annotations

import pytest
import schemathesis
from app_testing import API_KEY
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from app.main import create_app

EXAMPLES_PER_OPERATION = 10
load_all_checks()
ALL_CHECKS = CHECKS.get_all()
# Uploads are accepted by their content (PDF, DOCX or UTF-8 text), which no schema can state: schema-valid
# random bytes are rightly a 415, and a "schema-violating" number sent as the file is the valid text
# file "7". Every other check still runs on uploads.
CONTENT_CHECKED = {"POST /v1/uploads": [positive_data_acceptance, negative_data_rejection]}


@pytest.mark.parametrize("profile", ["production", "embedded"])
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_5xx_and_responses_match_the_schema(make_settings, tmp_path, profile, mode) -> None:
    embedded = {"database_url": None, "redis_url": None, "sqlite_path": str(tmp_path / "db.sqlite")}
    app_settings = make_settings(**(embedded if profile == "embedded" else {}))
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(app_settings))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 7  # health x2, decisions, jobs x4, uploads
    assert len(ALL_CHECKS) >= 10

    for operation in operations:
        # The key is part of generation, not added afterwards: overriding a header the negative mode had
        # broken would make its "invalid" request valid again.
        @given(case=operation.as_strategy(generation_mode=mode, headers={"X-API-Key": API_KEY}))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case) -> None:
            excluded = CONTENT_CHECKED.get(f"{case.method.upper()} {case.path}", [])
            case.call_and_validate(
                headers={"X-API-Key": API_KEY}, checks=ALL_CHECKS, excluded_checks=excluded
            )

        try:
            call()
        except Unsatisfiable:
            # An operation that takes no input has nothing invalid to send.
            assert mode == GenerationMode.NEGATIVE, operation.label
