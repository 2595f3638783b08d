"""Dependencies failing: decisions keep being served, /health says what is down with a 503."""

from __future__ import annotations

import logging

import pytest
from app_servers import free_port, start_redis
from app_testing import flush_audit

from app import contract

MESSAGE = {"message": "I want a refund, this is the worst service"}


@pytest.fixture
def doomed_redis():
    server = start_redis()
    yield server
    server.stop()


def test_redis_dying_at_runtime_leaves_decisions_served_and_health_503(make_client, doomed_redis) -> None:
    client = make_client(redis_url=doomed_redis.url)
    assert client.post("/v1/decisions", json=MESSAGE).status_code == 200
    assert client.get(contract.HEALTH_PATH).status_code == 200

    doomed_redis.stop()

    for i in range(3):
        response = client.post("/v1/decisions", json={"message": f"{MESSAGE['message']} {i}"})
        assert response.status_code == 200
        assert response.json()["cached"] is False  # no shared cache without Redis, but still an answer
    health = client.get(contract.HEALTH_PATH)
    assert health.status_code == 503
    assert health.json()["failing"] == ["redis"]
    jobs = client.post("/v1/jobs", json={"name": "n", "description": "a long enough description"})
    assert jobs.status_code == 503
    assert jobs.json()["error"]["code"] == "service_unavailable"


def test_postgres_down_serves_decisions_and_logs_the_audit_record(make_client, caplog) -> None:
    unreachable = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/launchpad"
    client = make_client(database_url=unreachable)
    with caplog.at_level(logging.WARNING):
        response = client.post("/v1/decisions", json=MESSAGE)
        assert response.status_code == 200
        assert flush_audit(client) == 0
    [record] = [r for r in caplog.records if r.getMessage().startswith("audit record not stored")]
    audit = record.__dict__["audit"]
    assert (audit["decision"], audit["source"]) == (response.json()["decision"], "rules")
    assert MESSAGE["message"] not in str(audit)
    health = client.get(contract.HEALTH_PATH)
    assert health.status_code == 503
    assert health.json()["failing"] == ["database"]


def test_health_reports_dependencies_providers_and_version(make_client) -> None:
    from app import __version__

    client = make_client(ai_providers="gemini,claude", gemini_api_key="k")
    body = client.get(contract.HEALTH_PATH).json()
    assert body["status"] == "ok"
    assert body["version"] == __version__
    assert set(body["checks"]) == {"database", "redis"}
    assert body["queue_depth"] == 0
    assert body["providers"] == [
        {"name": "gemini", "configured": True},
        {"name": "claude", "configured": False},
    ]


def test_embedded_profile_needs_no_database_redis_or_aws(make_client, tmp_path) -> None:
    client = make_client(
        database_url=None, redis_url=None, sqlite_path=str(tmp_path / "db.sqlite"), deployment_env="local"
    )
    assert client.post("/v1/decisions", json=MESSAGE).status_code == 200
    health = client.get(contract.HEALTH_PATH).json()
    assert health["status"] == "ok"
    assert set(health["checks"]) == {"database"}
    assert flush_audit(client) == 1
