"""The contract with the infrastructure: what contract.py promises is what the app does."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from app_servers import free_port
from app_testing import emitted_records
from fake_ai import FakeAI

from app import contract
from app.core.config import Settings
from app.core.services import Overrides

REPO = Path(__file__).resolve().parents[2]
ENV_NAMES = [field.default for field in dataclasses.fields(contract.EnvNames)]


def test_contract_imports_nothing_but_the_standard_library() -> None:
    code = (
        "import sys, app.contract; "
        "heavy = {'fastapi', 'pydantic', 'starlette', 'sqlalchemy'}; "
        "bad = [m for m in sys.modules if m.split('.')[0] in heavy]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_health_paths_in_the_contract_are_served_without_a_key(client) -> None:
    assert contract.HEALTH_PATH in client.get("/openapi.json").json()["paths"]
    for path in (contract.HEALTH_PATH, contract.LIVE_PATH):
        assert client.get(path, headers={"X-API-Key": ""}).status_code == 200


@pytest.mark.parametrize("name", [n for n in ENV_NAMES if n not in {"AWS_EMF_ENVIRONMENT", "PORT"}])
def test_every_contract_env_name_is_read_by_the_settings(monkeypatch, name) -> None:
    before = Settings().model_dump()
    special = {
        "DEPLOYMENT_ENV": "development",
        "AI_DISABLED": "true",
        "REDIS_TLS": "true",
        "TRUSTED_PROXY_HOPS": "2",
        "SYNCED_TOKEN_PROVIDER": "huggingface",
    }
    value = special.get(name, "4242")
    monkeypatch.setenv(name, value)
    after = Settings().model_dump()
    assert before != after, f"{name} changes no setting"


def test_port_and_emf_environment_are_read_from_their_contract_names(monkeypatch) -> None:
    monkeypatch.setenv(contract.ENV.PORT, "9123")
    monkeypatch.setenv(contract.ENV.AWS_EMF_ENVIRONMENT, "ECS")
    settings = Settings()
    assert (settings.port, settings.aws_emf_environment) == (9123, "ECS")


def test_secret_env_vars_are_contract_names_and_cover_every_provider_key() -> None:
    assert set(contract.SECRET_ENV_VARS) <= set(ENV_NAMES)
    for key_env in contract.PROVIDER_KEY_ENV_VARS.values():
        assert key_env in contract.SECRET_ENV_VARS
        assert contract.secret_arn_env(key_env) in ENV_NAMES


def _doc_rows() -> dict[str, tuple[str, str, str]]:
    text = (REPO / "docs" / "metrics.md").read_text()
    rows = re.findall(r"^\| `([a-z0-9_]+)` \| (\w+) \| (\w+) \| ([^|]+) \|", text, flags=re.M)
    return {name: (unit, statistic, dims.strip()) for name, unit, statistic, dims in rows}


def test_metrics_doc_lists_exactly_the_catalogue() -> None:
    expected = {
        spec.name: (spec.unit, spec.statistic, "; ".join(", ".join(dims) for dims in spec.dimensions))
        for spec in contract.METRICS
    }
    assert _doc_rows() == expected
    assert f"Namespace: `{contract.METRICS_NAMESPACE}`" in (REPO / "docs" / "metrics.md").read_text()


def test_every_emitted_metric_is_in_the_catalogue_with_its_unit_and_dimensions(make_client, capsys) -> None:
    fake = FakeAI(behaviour={"claude": "500"})
    client = make_client(
        overrides=Overrides(ai_transport=fake.transport), anthropic_api_key="k", gemini_api_key="g"
    )
    client.post("/v1/decisions", json={"message": "How do I add a teammate?"})
    client.post("/v1/decisions", json={"message": "How do I add a teammate?"})
    client.get(contract.HEALTH_PATH)
    records = emitted_records(client, capsys)
    catalogue = {spec.name: spec for spec in contract.METRICS}
    emitted = set()
    for record in records:
        [directive] = record["_aws"]["CloudWatchMetrics"]
        assert directive["Namespace"] == contract.METRICS_NAMESPACE
        for metric in directive["Metrics"]:
            spec = catalogue[metric["Name"]]
            assert metric["Unit"] == spec.unit
            assert [tuple(dims) for dims in directive["Dimensions"]] == list(spec.dimensions)
            emitted.add(spec.name)
    assert emitted >= {
        "requests",
        "ai_calls",
        "ai_failures",
        "ai_cost_usd",
        "cache_hits",
        "queue_depth",
        "queue_oldest_job_age",
        "queue_workers",
    }


def test_dockerfile_passes_hadolint() -> None:
    hadolint = Path(sys.executable).parent / "hadolint"
    result = subprocess.run(
        [str(hadolint), "--no-color", str(REPO / "app" / "Dockerfile")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""


def test_dockerfile_runs_the_contract_entrypoint_as_non_root() -> None:
    text = (REPO / "app" / "Dockerfile").read_text()
    final_stage = text.split("\nFROM ")[-1]
    assert re.search(r"^USER (?!0|root)\S+", final_stage, flags=re.M)
    assert 'CMD ["python", "-m", "app.serve"]' in final_stage
    assert f"CMD {json.dumps(contract.PROBE_COMMAND)}" in final_stage  # the HEALTHCHECK ECS also runs
    assert "curl" not in text and "wget" not in text
    assert "--only-group app" in text


def test_serve_honours_port_answers_the_probe_and_stops_within_the_grace(tmp_path) -> None:
    port = free_port()
    env = {**os.environ, contract.ENV.PORT: str(port), "SQLITE_PATH": str(tmp_path / "db.sqlite")}
    env.pop(contract.ENV.DATABASE_URL, None)
    env.pop(contract.ENV.REDIS_URL, None)
    server = subprocess.Popen(
        [sys.executable, "-m", "app.serve"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    probe = [sys.executable, *contract.PROBE_COMMAND[1:]]
    try:
        deadline = time.monotonic() + 45  # startup imports every SDK: 8 s and more on a loaded machine
        while subprocess.run(probe, cwd=REPO, env=env, check=False, capture_output=True).returncode != 0:
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            assert time.monotonic() < deadline
            time.sleep(0.2)
        server.send_signal(signal.SIGTERM)
        # uvicorn re-raises SIGTERM after a clean shutdown, so "killed by SIGTERM" is the normal exit.
        assert server.wait(timeout=contract.SHUTDOWN_GRACE_SECONDS + 2) in {0, -signal.SIGTERM}
        assert server.stderr is not None
        assert "Application shutdown complete" in server.stderr.read().decode()
        assert subprocess.run(probe, cwd=REPO, env=env, check=False, capture_output=True).returncode != 0
    finally:
        if server.poll() is None:
            server.kill()
    assert contract.SHUTDOWN_GRACE_SECONDS < 10


def test_migrate_command_builds_the_schema(postgres) -> None:
    url = postgres.create_database("migrate_check")
    env = {**os.environ, contract.ENV.DATABASE_URL: url}
    command = [sys.executable, *contract.MIGRATE_COMMAND[1:]]
    subprocess.run(command, cwd=REPO, env=env, check=True, capture_output=True, timeout=60)
    from sqlalchemy import create_engine, inspect

    engine = create_engine(url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"api_keys", "decision_audit", "jobs", "uploads", "alembic_version"} <= tables


def test_migrations_match_the_models(database_url) -> None:
    """A model changed without a migration shows up here as a schema difference."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from app.models import Base

    engine = create_engine(database_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_production_hides_the_api_docs(make_client) -> None:
    client = make_client(deployment_env="production", cors_origins="https://app.example.com")
    assert client.get("/openapi.json").status_code == 404
    assert client.get("/docs").status_code == 404


def test_the_readmes_document_one_way_to_serve() -> None:
    """Plain uvicorn (uvloop, no header bound) timed out requests at 1,000 connections: no README may
    offer it as a way to run the service."""
    for path in (REPO / "README.md", REPO / "app" / "README.md"):
        text = path.read_text()
        assert "python -m app.serve" in text, path
        assert not re.search(r"^(\.venv/bin/)?uvicorn app\.main:app", text, flags=re.M), path
        assert "`.venv/bin/uvicorn app.main:app`" not in text, path
