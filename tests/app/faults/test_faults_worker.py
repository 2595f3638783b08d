"""A real `python -m app.worker` SIGKILLed mid-job and started again within the heartbeat TTL: the job
runs again and finishes. A job that keeps losing its worker ends failed, with the reason the client sees.
Told to stop (SIGTERM: a Fargate Spot interruption, a scale-in, a deploy), a worker finishes its job first."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from app_testing import db_rows
from rq.job import Job
from rq.registry import StartedJobRegistry
from rq.serializers import JSONSerializer

from app import contract
from app.jobs.queue import make_rq_queue, requeue_abandoned

REPO = Path(__file__).resolve().parents[3]
JOB = {"name": "Acme renewal", "description": "The app is terrible lately. We are switching to a competitor."}
# The worker exactly as deployed, except that its first job takes long enough to be killed in the middle.
SLOW_FIRST_JOB = """
import os, sys, time
from app.jobs import analysis
real = analysis.analyse
def slow_once(*args):
    marker = os.environ["SLOW_MARKER"]
    if not os.path.exists(marker):
        open(marker, "w").close()
        time.sleep(60)
    return real(*args)
analysis.analyse = slow_once
from app.worker import main
sys.exit(main())
"""


# Every job takes JOB_SECONDS: long enough to be mid-job when the stop signal comes.
SLOW_JOBS = """
import os, sys, time
from app.jobs import analysis
real = analysis.analyse
def slow(*args):
    time.sleep(float(os.environ["JOB_SECONDS"]))
    return real(*args)
analysis.analyse = slow
from app.worker import main
sys.exit(main())
"""


def start_worker(env: dict[str, str], script: str = SLOW_FIRST_JOB) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the worker and its work horse die together
    )


def wait_for_status(client, job_id: str, status: str, seconds: float) -> dict:
    deadline = time.monotonic() + seconds
    while (view := client.get(f"/v1/jobs/{job_id}").json())["status"] != status:
        assert time.monotonic() < deadline, view
        time.sleep(0.2)
    return view


@pytest.fixture
def worker_env(database_url, redis_server, tmp_path) -> dict[str, str]:
    return {
        **os.environ,
        contract.ENV.DATABASE_URL: database_url,
        contract.ENV.REDIS_URL: redis_server.url,
        "WORKER_HEARTBEAT_SECONDS": "1",
        "WORKER_HEARTBEAT_GRACE_SECONDS": "3",
        "WORKER_MAINTENANCE_SECONDS": "1",
        "SLOW_MARKER": str(tmp_path / "slowed"),
    }


def test_a_job_whose_worker_is_killed_runs_again_when_a_worker_returns(client, database_url, worker_env):
    job_id = client.post("/v1/jobs", json=JOB).json()["job_id"]
    first = start_worker(worker_env)
    try:
        wait_for_status(client, job_id, "started", 20)
    finally:
        os.killpg(first.pid, signal.SIGKILL)  # the worker and its work horse, mid-job
        first.wait(5)
    second = start_worker(worker_env)  # back within the heartbeat TTL: the entry is not expired yet
    try:
        view = wait_for_status(client, job_id, "finished", 30)
    finally:
        second.terminate()
        second.wait(10)
    assert view["result"]["overall_churn_risk"] == "high"
    [row] = db_rows(database_url, "SELECT status FROM jobs")
    assert row.status == "finished"


def test_a_job_out_of_reruns_is_failed_with_the_reason(client, database_url, redis_server) -> None:
    job_id = client.post("/v1/jobs", json=JOB).json()["job_id"]
    queue = make_rq_queue(redis.Redis.from_url(redis_server.url), client.app.state.services.settings)
    # What a worker killed mid-job leaves behind: the job "started", its heartbeat long expired.
    job = Job.fetch(job_id, connection=queue.connection, serializer=JSONSerializer)
    queue.remove(job)
    job.set_status("started")
    queue.connection.zadd(StartedJobRegistry(queue=queue).key, {f"{job_id}:dead-execution": time.time() - 60})

    assert requeue_abandoned(queue, max_reruns=0, db=client.app.state.services.db) == []
    view = client.get(f"/v1/jobs/{job_id}").json()
    assert (view["status"], view["error"]) == ("failed", "abandoned: the worker running it died")
    [row] = db_rows(database_url, "SELECT status, error FROM jobs")
    assert (row.status, row.error) == ("failed", "abandoned: the worker running it died")


def test_a_worker_told_to_stop_mid_job_finishes_it_and_starts_no_other(client, worker_env) -> None:
    first = client.post("/v1/jobs", json=JOB).json()["job_id"]
    worker = start_worker({**worker_env, "JOB_SECONDS": "4"}, SLOW_JOBS)
    try:
        wait_for_status(client, first, "started", 20)
        second = client.post("/v1/jobs", json=JOB).json()["job_id"]
        # ECS stops a task (a Spot interruption too) with SIGTERM to the container's process, through the
        # task's init; the work horse does not get it. SIGKILL follows at the stop timeout (120 s).
        os.kill(worker.pid, signal.SIGTERM)
        assert worker.wait(30) == 0
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(5)
    assert client.get(f"/v1/jobs/{first}").json()["status"] == "finished"
    assert client.get(f"/v1/jobs/{second}").json()["status"] == "queued"  # left for the next worker
