"""`python -m app.nightly`: the 02:00 maintenance run (contract.NIGHTLY_SCHEDULE_CRON).

Requeues abandoned RQ jobs, marks jobs whose record says "started" for longer than the job timeout as
failed, and deletes audit rows and upload metadata (and objects) past their retention. Its report of what
the database holds is read through the read-only role (seed 004), which cannot change anything. It also
publishes the synced token's age, so that token's alarm has a datapoint every day even when nobody runs
`launchpad token-sync`.
"""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError
from sqlalchemy import delete, func, select, update

from app import contract
from app.core.config import Settings, get_settings
from app.core.db import Database, make_engine, make_readonly_engine, utcnow
from app.core.logging import configure_logging
from app.core.metrics import Metrics
from app.core.redis import make_sync_redis
from app.core.services import Overrides, make_upload_storage, secrets_client
from app.core.synced_token import age_seconds, parse_record
from app.decisions.models import AuditRecord
from app.jobs.models import JobRecord
from app.jobs.queue import make_rq_queue, requeue_abandoned
from app.jobs.schemas import JobStatus
from app.uploads.models import Upload

logger = logging.getLogger(__name__)


def expire_stale_job_records(db: Database, settings: Settings) -> int:
    # Twice the timeout: RQ would have killed such a job; a record still "started" lost its worker.
    cutoff = utcnow() - timedelta(seconds=2 * settings.job_timeout_seconds)
    with db.session() as session:
        result = session.execute(
            update(JobRecord)
            .where(JobRecord.status == JobStatus.STARTED.value, JobRecord.started_at < cutoff)
            .values(status=JobStatus.FAILED.value, error="abandoned", ended_at=utcnow())
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def purge_audit(db: Database, settings: Settings) -> int:
    cutoff = utcnow() - timedelta(days=settings.audit_retention_days)
    with db.session() as session:
        result = session.execute(delete(AuditRecord).where(AuditRecord.created_at < cutoff))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def purge_uploads(db: Database, settings: Settings, overrides: Overrides | None = None) -> int:
    cutoff = utcnow() - timedelta(days=settings.upload_retention_days)
    storage = make_upload_storage(settings, overrides or Overrides())
    with db.session() as session:
        expired = list(session.scalars(select(Upload).where(Upload.created_at < cutoff)))
        for upload in expired:
            storage.delete(upload.storage_key)
            session.delete(upload)
        return len(expired)


def holdings(reader: Database) -> dict[str, int]:
    """Rows per table after maintenance, for the run's log line."""
    with reader.session() as session:
        return {
            "audit_rows": int(session.scalar(select(func.count()).select_from(AuditRecord)) or 0),
            "job_records": int(session.scalar(select(func.count()).select_from(JobRecord)) or 0),
            "uploads": int(session.scalar(select(func.count()).select_from(Upload)) or 0),
        }


def synced_token_age(
    settings: Settings, metrics: Metrics, overrides: Overrides | None = None, now: datetime | None = None
) -> float | None:
    """Publishes `synced_token_age` from the synced-token secret's record; None (nothing published) when
    the stack has no synced token or its secret holds no value yet. The value is read, never logged."""
    if not settings.synced_token_secret_arn:
        return None
    client = secrets_client(overrides or Overrides())
    try:
        stored = client.get_secret_value(SecretId=settings.synced_token_secret_arn)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code")
        if code == "ResourceNotFoundException":  # the container exists, no value was ever pushed
            return None
        raise
    record = parse_record(stored.get("SecretString") or "", stored["CreatedDate"])
    age = age_seconds(record.minted_at, record.expires_at, now or datetime.now(UTC))
    metrics.emit_sync({contract.SYNCED_TOKEN_AGE: age})
    return age


def _publish_token_age(settings: Settings, overrides: Overrides | None) -> float | None:
    metrics = Metrics(settings.deployment_env, settings.aws_emf_environment, settings.metrics_enabled)
    try:
        return synced_token_age(settings, metrics, overrides)
    except Exception as exc:  # maintenance is done by then; the alarm shows the missing datapoint
        logger.error("synced token age unavailable", extra={"error_type": type(exc).__name__})
        return None


def run(settings: Settings, overrides: Overrides | None = None) -> dict[str, Any]:
    db = Database(make_engine(settings))
    reader = Database(make_readonly_engine(settings))
    report: dict[str, Any] = {}
    try:
        connection = make_sync_redis(settings)
        if connection is not None:
            queue = make_rq_queue(connection, settings)
            report["requeued_jobs"] = len(requeue_abandoned(queue, settings.job_max_reruns, db))
        report["expired_job_records"] = expire_stale_job_records(db, settings)
        report["purged_audit_rows"] = purge_audit(db, settings)
        report["purged_uploads"] = purge_uploads(db, settings, overrides)
        report["holdings"] = holdings(reader)
        report["synced_token_age_seconds"] = _publish_token_age(settings, overrides)
    finally:
        db.dispose()
        reader.dispose()
    logger.info("nightly maintenance done", extra=report)
    return report


def main() -> int:
    settings = get_settings()
    configure_logging(settings.log_level)
    run(settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
