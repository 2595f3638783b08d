"""The 02:00 maintenance job: retention purges, stale job records, abandoned RQ jobs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import boto3
import redis
from app_testing import db_rows
from moto import mock_aws
from rq.job import Job
from rq.registry import StartedJobRegistry
from rq.serializers import JSONSerializer

from app import contract, nightly
from app.core.db import Database, make_engine, utcnow
from app.core.services import Overrides
from app.decisions.models import AuditRecord
from app.jobs.models import JobRecord
from app.jobs.queue import make_rq_queue
from app.uploads.models import Upload

REPO = Path(__file__).resolve().parents[2]
BUCKET = "nightly-uploads"


def _audit(age: timedelta) -> AuditRecord:
    return AuditRecord(
        created_at=utcnow() - age,
        message_sha256="0" * 64,
        decision="ignore",
        churn_risk="low",
        confidence=0.9,
        source="rules",
        cached=False,
        latency_ms=1.0,
        tokens_in=0,
        tokens_out=0,
        cost_usd=0.0,
    )


def _upload(upload_id: str, age: timedelta) -> Upload:
    return Upload(
        id=upload_id,
        storage_key=f"uploads/{upload_id}.txt",
        filename="a.txt",
        content_type="text/plain",
        kind="txt",
        size_bytes=1,
        sha256="0" * 64,
        created_at=utcnow() - age,
    )


def test_nightly_purges_past_retention_and_fails_stale_jobs(make_settings, database_url) -> None:
    settings = make_settings(uploads_bucket=BUCKET, audit_retention_days=30, upload_retention_days=7)
    db = Database(make_engine(settings))
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        with db.session() as session:
            session.add_all([_audit(timedelta(days=31)), _audit(timedelta(days=29))])
            session.add_all([_upload("old", timedelta(days=8)), _upload("new", timedelta(days=1))])
            session.add(
                JobRecord(id="stale", name="n", status="started", started_at=utcnow() - timedelta(hours=2))
            )
            session.add(JobRecord(id="running", name="n", status="started", started_at=utcnow()))
        for key in ("uploads/old.txt", "uploads/new.txt"):
            s3.put_object(Bucket=BUCKET, Key=key, Body=b"x")

        report = nightly.run(
            settings, Overrides(boto_client_factory=lambda name: boto3.client(name, region_name="us-east-1"))
        )

        remaining = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    db.dispose()
    assert report["purged_audit_rows"] == 1
    assert report["purged_uploads"] == 1
    assert report["expired_job_records"] == 1
    assert len(db_rows(database_url, "SELECT id FROM decision_audit")) == 1
    assert [r.id for r in db_rows(database_url, "SELECT id FROM uploads")] == ["new"]
    assert remaining == ["uploads/new.txt"]
    statuses = dict(db_rows(database_url, "SELECT id, status FROM jobs"))
    assert statuses == {"stale": "failed", "running": "started"}
    assert report["holdings"] == {"audit_rows": 1, "job_records": 2, "uploads": 1}


def test_nightly_requeues_abandoned_jobs(make_settings, redis_server) -> None:
    settings = make_settings()
    queue = make_rq_queue(redis.Redis.from_url(redis_server.url), settings)
    job = queue.enqueue("app.jobs.tasks.run_analysis", "j1", "n", "a long enough text", job_id="j1")
    queue.remove(job)
    job.set_status("started")
    queue.connection.zadd(StartedJobRegistry(queue=queue).key, {"j1:gone": time.time() - 60})

    assert nightly.run(settings)["requeued_jobs"] == 1
    assert Job.fetch("j1", connection=queue.connection, serializer=JSONSerializer).get_status() == "queued"
    assert queue.job_ids == ["j1"]


def test_nightly_command_runs(database_url, redis_server, clean_state) -> None:
    env = {**os.environ, contract.ENV.DATABASE_URL: database_url, contract.ENV.REDIS_URL: redis_server.url}
    result = subprocess.run(
        [sys.executable, *contract.NIGHTLY_COMMAND[1:]],
        cwd=REPO,
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert b"nightly maintenance done" in result.stderr
