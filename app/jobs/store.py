"""The Postgres side of jobs: the durable record RQ's 24 h result TTL does not keep."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.core.db import Database, utcnow
from app.jobs.models import JobRecord
from app.jobs.schemas import JobStatus, JobView


def create(db: Database, job_id: str, name: str) -> None:
    with db.session() as session:
        session.add(JobRecord(id=job_id, name=name, status=JobStatus.QUEUED.value))


def delete(db: Database, job_id: str) -> None:
    with db.session() as session:
        record = session.get(JobRecord, job_id)
        if record is not None:
            session.delete(record)


def update(db: Database, job_id: str, status: JobStatus, **fields: Any) -> None:
    with db.session() as session:
        record = session.get(JobRecord, job_id)
        if record is None:
            return
        record.status = status.value
        if status in (JobStatus.FINISHED, JobStatus.FAILED, JobStatus.CANCELED):
            record.ended_at = utcnow()
        for name, value in fields.items():
            setattr(record, name, value)


def view(record: JobRecord) -> JobView:
    return JobView(
        job_id=record.id,
        name=record.name,
        status=JobStatus(record.status),
        created_at=record.created_at,
        ended_at=record.ended_at,
        result=record.result,
        error=record.error,
    )


def get(db: Database, job_id: str) -> JobView | None:
    with db.session() as session:
        record = session.get(JobRecord, job_id)
        return view(record) if record else None


def recent(db: Database, limit: int) -> list[JobView]:
    with db.session() as session:
        rows = session.scalars(select(JobRecord).order_by(JobRecord.created_at.desc()).limit(limit))
        return [view(row) for row in rows]
