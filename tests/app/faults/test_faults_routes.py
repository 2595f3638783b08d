"""Every route with PostgreSQL, then Redis, hung (accepts, never answers) and stopped (refuses).

A route that needs the dependency answers 503 with Retry-After; one that does not answers as usual,
degraded. Every answer leaves within seed 001's 2 s alarm (the request budget is 1.5 s), and nothing is
lost: a refused job leaves no record, a refused upload no object, and the decision's audit row goes to
the log when it cannot reach the database.
"""

from __future__ import annotations

import logging
import time

import pytest
from app_testing import db_rows
from conftest import ALARM_SECONDS

JOB = {"name": "Acme renewal", "description": "The app is terrible lately. We are switching to a competitor."}
MESSAGE = {"message": "How do I export my data to CSV?"}  # the rules are unsure: the cache keeps it
UPLOAD = {"files": {"file": ("notes.txt", b"plain text notes\n", "text/plain")}}


def call(client, method: str, path: str, **kwargs):
    started = time.monotonic()
    response = client.request(method, path, **kwargs)
    return response, time.monotonic() - started


def check(client, expectations) -> None:
    for method, path, kwargs, status in expectations:
        response, elapsed = call(client, method, path, **kwargs)
        assert response.status_code == status, (method, path, response.text)
        assert elapsed < ALARM_SECONDS, (method, path, elapsed)
        if status == 503 and path != "/health":
            assert response.json()["error"]["code"] == "service_unavailable"
            assert response.headers["Retry-After"]
            assert response.headers["X-Request-ID"] == response.json()["error"]["request_id"]


def wait_for_log(caplog, prefix: str, seconds: float = 8.0) -> list[logging.LogRecord]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = [r for r in caplog.records if r.getMessage().startswith(prefix)]
        if found:
            return found
        time.sleep(0.1)
    return []


@pytest.mark.parametrize("fault", ["hang", "stop"])
def test_postgres_fault_on_every_route(fault_client, pg_proxy, database_url, tmp_path, caplog, fault) -> None:
    client = fault_client(local_uploads_dir=str(tmp_path))
    job_id = client.post("/v1/jobs", json=JOB).json()["job_id"]
    getattr(pg_proxy, fault)()

    with caplog.at_level(logging.WARNING):
        check(
            client,
            [
                ("POST", "/v1/decisions", {"json": MESSAGE}, 200),  # configured key: no database needed
                ("POST", "/v1/jobs", {"json": JOB}, 503),  # no durable record, no job
                ("GET", "/v1/jobs", {}, 503),
                ("GET", "/health", {}, 503),
                ("POST", "/v1/uploads", UPLOAD, 503),
                ("GET", f"/v1/jobs/{job_id}", {}, 200),  # Redis still has it
                ("DELETE", f"/v1/jobs/{job_id}", {}, 503),  # the record must say canceled first
                ("GET", "/health/live", {}, 200),
            ],
        )
        health = client.get("/health").json()
        assert health["failing"] == ["database"]
        [audit] = wait_for_log(caplog, "audit record not stored")
        assert audit.__dict__["audit"]["source"] == "rules"

    pg_proxy.forward()
    assert [row.id for row in db_rows(database_url, "SELECT id FROM jobs")] == [job_id]
    assert db_rows(database_url, "SELECT id FROM uploads") == []
    assert not any(tmp_path.rglob("*.txt"))  # the refused upload left no object behind


@pytest.mark.parametrize("fault", ["hang", "stop"])
def test_redis_fault_on_every_route(fault_client, redis_proxy, database_url, tmp_path, fault) -> None:
    client = fault_client(local_uploads_dir=str(tmp_path))
    job_id = client.post("/v1/jobs", json=JOB).json()["job_id"]
    getattr(redis_proxy, fault)()

    check(
        client,
        [
            ("POST", "/v1/decisions", {"json": MESSAGE}, 200),  # uncached, limited in process
            ("POST", "/v1/jobs", {"json": JOB}, 503),  # could not be queued: its record is taken back
            ("GET", "/v1/jobs", {}, 200),
            ("GET", f"/v1/jobs/{job_id}", {}, 200),  # the database copy
            ("DELETE", f"/v1/jobs/{job_id}", {}, 503),
            ("POST", "/v1/uploads", UPLOAD, 201),
            ("GET", "/health", {}, 503),
            ("GET", "/health/live", {}, 200),
        ],
    )
    assert client.get("/health").json()["failing"] == ["redis"]
    fresh = [client.post("/v1/decisions", json={"message": f"{MESSAGE['message']} {i}"}) for i in range(3)]
    assert [(r.status_code, r.json()["cached"]) for r in fresh] == [(200, False)] * 3
    # A question this task answered a moment ago comes from its near cache, with Redis or without.
    again = [client.post("/v1/decisions", json=MESSAGE) for _ in range(2)]
    assert [(r.status_code, r.json()["cached"]) for r in again] == [(200, True)] * 2

    redis_proxy.forward()
    assert [row.id for row in db_rows(database_url, "SELECT id FROM jobs")] == [job_id]
