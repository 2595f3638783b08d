"""What a job runs. In the RQ worker this executes in the forked work horse, so the engine is built
there (lazily, per process id), never inherited across a fork."""

from __future__ import annotations

import logging
import os
import time
from typing import Any

from app import contract
from app.core.config import get_settings
from app.core.db import Database, make_engine, utcnow
from app.core.metrics import Metrics
from app.jobs import analysis, store
from app.jobs.schemas import JobStatus

logger = logging.getLogger(__name__)
_process_db: tuple[int, Database] | None = None


def process_database() -> Database:
    global _process_db  # noqa: PLW0603 - one engine per process, rebuilt after fork
    if _process_db is None or _process_db[0] != os.getpid():
        _process_db = (os.getpid(), Database(make_engine(get_settings())))
    return _process_db[1]


def _safe_update(db: Database, job_id: str, status: JobStatus, **fields: Any) -> None:
    try:
        store.update(db, job_id, status, **fields)
    except Exception as exc:  # Redis still holds the result; the row is a copy
        logger.warning("job record not updated", extra={"job_id": job_id, "error_type": type(exc).__name__})


def execute_analysis(
    db: Database, metrics: Metrics, job_id: str, name: str, description: str
) -> dict[str, Any]:
    started = time.monotonic()
    _safe_update(db, job_id, JobStatus.STARTED, started_at=utcnow())
    try:
        result = analysis.analyse(name, description)
    except BaseException as exc:  # BaseException: RQ's timeout arrives as an exception raised by a signal
        _safe_update(db, job_id, JobStatus.FAILED, error=type(exc).__name__)
        raise
    duration = time.monotonic() - started
    _safe_update(db, job_id, JobStatus.FINISHED, result=result, duration_seconds=duration)
    metrics.emit_sync({contract.JOB_DURATION: duration})
    return result


def run_analysis(job_id: str, name: str, description: str) -> dict[str, Any]:
    """RQ entry point (referenced by import path; arguments travel as JSON)."""
    settings = get_settings()
    metrics = Metrics(settings.deployment_env, settings.aws_emf_environment, settings.metrics_enabled)
    return execute_analysis(process_database(), metrics, job_id, name, description)
