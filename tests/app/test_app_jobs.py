"""Jobs on a real Redis with RQ workers (a real `python -m app.worker --burst` process, and in-process
SimpleWorkers where a test needs to slow the task down)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import redis
from app_testing import db_rows
from rq import SimpleWorker, Worker
from rq.job import Job
from rq.registry import StartedJobRegistry
from rq.serializers import JSONSerializer

from app import contract
from app.core.config import get_settings
from app.jobs import analysis
from app.jobs.queue import make_rq_queue, requeue_abandoned, waiting_count

REPO = Path(__file__).resolve().parents[2]
JOB = {"name": "Acme renewal", "description": "The app is terrible lately. We are switching to a competitor."}


def run_worker_process(database_url: str, redis_url: str) -> None:
    env = {**os.environ, contract.ENV.DATABASE_URL: database_url, contract.ENV.REDIS_URL: redis_url}
    command = [sys.executable, *contract.WORKER_COMMAND[1:], "--burst"]
    subprocess.run(command, cwd=REPO, env=env, check=True, timeout=60, capture_output=True)


@pytest.fixture
def worker_env(monkeypatch, database_url, redis_server):
    """In-process workers read settings from the environment, like the real worker does."""
    monkeypatch.setenv(contract.ENV.DATABASE_URL, database_url)
    monkeypatch.setenv(contract.ENV.REDIS_URL, redis_server.url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def run_simple_worker(client) -> None:
    queue = client.app.state.services.jobs.queue
    SimpleWorker([queue], connection=queue.connection, serializer=JSONSerializer).work(burst=True)


def test_job_runs_in_the_worker_and_its_result_is_in_redis_and_postgres(client, database_url, redis_server):
    accepted = client.post("/v1/jobs", json=JOB)
    assert accepted.status_code == 202
    job_id = accepted.json()["job_id"]
    assert client.get(f"/v1/jobs/{job_id}").json()["status"] == "queued"

    run_worker_process(database_url, redis_server.url)

    view = client.get(f"/v1/jobs/{job_id}").json()
    assert view["status"] == "finished"
    assert view["result"]["overall_churn_risk"] == "high"
    connection = redis.Redis.from_url(redis_server.url)
    job = Job.fetch(job_id, connection=connection, serializer=JSONSerializer)
    assert job.return_value() == view["result"]
    result_ttl = client.app.state.services.settings.job_result_ttl_seconds
    assert result_ttl - 60 < connection.ttl(job.key) <= result_ttl
    [row] = db_rows(database_url, "SELECT status, result, duration_seconds FROM jobs")
    assert (row.status, row.result) == ("finished", view["result"])
    assert row.duration_seconds >= 0


def test_the_database_copy_answers_after_redis_forgot_the_job(client, database_url, redis_server):
    job_id = client.post("/v1/jobs", json=JOB).json()["job_id"]
    run_worker_process(database_url, redis_server.url)
    redis.Redis.from_url(redis_server.url).delete(f"rq:job:{job_id}")
    view = client.get(f"/v1/jobs/{job_id}").json()
    assert view["status"] == "finished"
    assert view["result"]["name"] == JOB["name"]
    assert [job["job_id"] for job in client.get("/v1/jobs").json()["jobs"]] == [job_id]


def test_a_canceled_job_never_runs(client, database_url, redis_server):
    job_id = client.post("/v1/jobs", json=JOB).json()["job_id"]
    assert client.delete(f"/v1/jobs/{job_id}").json()["status"] == "canceled"
    run_worker_process(database_url, redis_server.url)
    assert client.get(f"/v1/jobs/{job_id}").json()["status"] == "canceled"
    [row] = db_rows(database_url, "SELECT status, result FROM jobs")
    assert (row.status, row.result) == ("canceled", None)
    assert client.delete(f"/v1/jobs/{job_id}").status_code == 409


def test_canceling_a_running_job_stops_its_work_horse(client, database_url, worker_env, monkeypatch):
    monkeypatch.setattr(analysis, "analyse", lambda *_: time.sleep(30))
    job_id = client.post("/v1/jobs", json=JOB).json()["job_id"]
    answers: list = []

    def cancel_once_started() -> None:
        deadline = time.monotonic() + 20
        while client.get(f"/v1/jobs/{job_id}").json()["status"] != "started" and time.monotonic() < deadline:
            time.sleep(0.1)
        answers.append(client.delete(f"/v1/jobs/{job_id}"))

    canceller = threading.Thread(target=cancel_once_started)
    canceller.start()
    started = time.monotonic()
    queue = client.app.state.services.jobs.queue
    # A forking Worker, as in production: stopping a job kills its work horse, not the worker.
    Worker([queue], connection=queue.connection, serializer=JSONSerializer).work(burst=True)
    canceller.join(10)
    assert time.monotonic() - started < 20  # not the 30 s the job would have run
    [answer] = answers
    assert (answer.status_code, answer.json()["status"]) == (200, "canceled")
    assert client.get(f"/v1/jobs/{job_id}").json()["status"] == "canceled"
    [row] = db_rows(database_url, "SELECT status FROM jobs")
    assert row.status == "canceled"


def test_a_job_over_its_timeout_fails_and_is_recorded(make_client, database_url, worker_env, monkeypatch):
    client = make_client(job_timeout_seconds=1)
    monkeypatch.setattr(analysis, "analyse", lambda *_: time.sleep(10))
    job_id = client.post("/v1/jobs", json=JOB).json()["job_id"]
    started = time.monotonic()
    run_simple_worker(client)
    assert time.monotonic() - started < 8
    view = client.get(f"/v1/jobs/{job_id}").json()
    assert view["status"] == "failed"
    assert "JobTimeoutException" in view["error"]
    [row] = db_rows(database_url, "SELECT status, error FROM jobs")
    assert (row.status, row.error) == ("failed", "JobTimeoutException")


def test_an_abandoned_started_job_is_requeued_and_then_completes(client, redis_server, worker_env):
    job_id = client.post("/v1/jobs", json=JOB).json()["job_id"]
    queue = make_rq_queue(redis.Redis.from_url(redis_server.url), client.app.state.services.settings)
    # What a worker killed mid-job leaves behind: the job "started", its heartbeat long expired.
    job = Job.fetch(job_id, connection=queue.connection, serializer=JSONSerializer)
    queue.remove(job)
    job.set_status("started")
    registry = StartedJobRegistry(queue=queue)
    queue.connection.zadd(registry.key, {f"{job_id}:dead-execution": time.time() - 60})

    assert requeue_abandoned(queue, max_reruns=2) == [job_id]
    assert client.get(f"/v1/jobs/{job_id}").json()["status"] == "queued"
    run_simple_worker(client)
    assert client.get(f"/v1/jobs/{job_id}").json()["status"] == "finished"


def test_embedded_profile_runs_jobs_in_process(make_client):
    client = make_client(redis_url=None)
    job_id = client.post("/v1/jobs", json=JOB).json()["job_id"]
    deadline = time.monotonic() + 10
    while (view := client.get(f"/v1/jobs/{job_id}").json())["status"] != "finished":
        assert time.monotonic() < deadline, view
        time.sleep(0.05)
    assert view["result"]["sentences"] == 2


@pytest.mark.parametrize(
    "payload",
    [
        {"name": "", "description": "long enough text"},
        {"name": "x", "description": "short"},
        {"name": "x" * 201},
    ],
)
def test_invalid_job_requests_are_422(client, payload):
    response = client.post("/v1/jobs", json=payload)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


def test_unknown_job_is_404(client):
    assert client.get(f"/v1/jobs/{'0' * 32}").status_code == 404


def test_queue_depth_is_published_without_anyone_calling_health(make_client, capsys):
    from app_testing import emitted_records

    client = make_client(queue_depth_interval_seconds=0.1)
    for _ in range(2):
        client.post("/v1/jobs", json=JOB)
    time.sleep(0.5)
    depths = [
        r[contract.QUEUE_DEPTH.name]
        for r in emitted_records(client, capsys)
        if contract.QUEUE_DEPTH.name in r
    ]
    flat = [value for d in depths for value in (d if isinstance(d, list) else [d])]
    assert flat
    assert flat[-1] == 2


def test_a_job_whose_worker_died_counts_as_waiting_until_a_worker_reruns_it(make_client, make_settings):
    client = make_client()
    job_id = client.post("/v1/jobs", json=JOB).json()["job_id"]
    settings = make_settings()
    connection = redis.Redis.from_url(settings.redis_url)
    queue = make_rq_queue(connection, settings)
    assert waiting_count(queue) == 1

    # A worker took the job: it left the queue, and the worker's heartbeat holds its started entry.
    queue.remove(job_id)
    started = StartedJobRegistry(queue=queue)
    connection.zadd(started.key, {f"{job_id}:execution-1": time.time() + 60})
    assert waiting_count(queue) == 0
    # The worker died and its heartbeat expired: with the worker service at zero, only this count (the
    # queue_depth metric the scale-out alarm reads) can bring a worker back to rerun it.
    connection.zadd(started.key, {f"{job_id}:execution-1": time.time() - 1})
    assert waiting_count(queue) == 1
    assert client.portal.call(client.app.state.services.jobs.depth) == 1  # what the sampler publishes
    assert requeue_abandoned(queue, max_reruns=2) == [job_id]
    assert waiting_count(queue) == 1 and queue.job_ids == [job_id]
    connection.close()


def test_listening_workers_count_only_the_living(make_client, make_settings):
    # The worker service at zero is started when queue_workers is 0 and jobs wait: a worker that was
    # killed (no warm shutdown) stays registered, and must not count once its key has expired.
    from rq import Worker

    from app.jobs.queue import listening_workers, make_rq_queue

    client = make_client()
    settings = make_settings()
    connection = redis.Redis.from_url(settings.redis_url)
    queue = make_rq_queue(connection, settings)
    assert listening_workers(queue) == 0
    alive, killed = (Worker([queue], connection=connection, name=n) for n in ("alive", "killed"))
    alive.register_birth()
    killed.register_birth()
    assert listening_workers(queue) == 2
    assert client.portal.call(client.app.state.services.jobs.workers) == 2  # what the sampler publishes
    connection.delete(killed.key)  # its worker_ttl ran out with no heartbeat
    assert listening_workers(queue) == 1
    alive.register_death()
    assert listening_workers(queue) == 0
    connection.close()


def test_the_oldest_waiting_jobs_age_is_published_beside_the_depth(make_client, capsys):
    from app_testing import emitted_records

    client = make_client(queue_depth_interval_seconds=0.2)
    client.post("/v1/jobs", json=JOB)  # no worker runs here: the job waits
    time.sleep(1.5)
    records = [r for r in emitted_records(client, capsys) if contract.QUEUE_OLDEST_JOB_AGE.name in r]
    # One record: depth, age and workers share their timestamps (the scale-from-zero alarm needs that).
    assert records and all(
        contract.QUEUE_DEPTH.name in r and contract.QUEUE_WORKERS.name in r for r in records
    )
    values = [r[contract.QUEUE_OLDEST_JOB_AGE.name] for r in records]
    ages = [a for v in values for a in (v if isinstance(v, list) else [v])]
    assert 1.0 <= ages[-1] < 10


def test_an_empty_queue_reports_age_zero_and_in_process_jobs_count_while_waiting(tmp_path):
    import asyncio
    from concurrent.futures import Future

    from app.core.breaker import Breaker
    from app.core.config import Settings
    from app.core.db import Database, make_engine
    from app.core.metrics import Metrics
    from app.jobs.queue import InProcessJobQueue

    db = Database(make_engine(Settings(sqlite_path=str(tmp_path / "q.db"))))
    queue = InProcessJobQueue(
        db, Metrics("local", enabled=False), Breaker("database", timeout=1.0, is_outage=lambda _: True)
    )
    assert asyncio.run(queue.oldest_age()) == 0.0
    waiting: Future[None] = Future()  # submitted, not yet picked up by the job thread
    queue._submitted["j1"] = (waiting, time.monotonic() - 42)
    assert 42 <= asyncio.run(queue.oldest_age()) < 43
    waiting.set_running_or_notify_cancel()  # running: no longer waiting
    assert asyncio.run(queue.oldest_age()) == 0.0
    queue.shutdown()
