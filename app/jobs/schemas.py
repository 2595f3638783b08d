from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from app.core.db import has_control_characters


def _printable(value: str) -> str:
    # The name is stored in PostgreSQL, which refuses NUL; no name needs a control character either.
    if has_control_characters(value):
        raise ValueError("must not contain NUL or other control characters: remove them")
    return value


def as_utc(value: datetime) -> datetime:
    """`value`, read as UTC when naive. SQLite (the embedded profile) hands back naive datetimes, and so
    may RQ for a job's enqueued_at; every one the service stores is UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else as_utc(value)


# Documents _printable in the schema (the validator gives the clearer message).
NO_CONTROL_CHARACTERS = r"^[^\u0000-\u001F\u007F]*$"
UtcDateTime = Annotated[datetime | None, AfterValidator(_utc)]


class JobStatus(StrEnum):
    QUEUED = "queued"
    STARTED = "started"
    FINISHED = "finished"
    FAILED = "failed"
    CANCELED = "canceled"


class JobRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[
        str,
        StringConstraints(min_length=1, max_length=200),
        AfterValidator(_printable),
        Field(json_schema_extra={"pattern": NO_CONTROL_CHARACTERS}),
    ]
    description: Annotated[str, StringConstraints(min_length=10, max_length=5000)]


class JobAccepted(BaseModel):
    job_id: str


class JobView(BaseModel):
    job_id: str
    name: str
    status: JobStatus
    created_at: UtcDateTime = None
    ended_at: UtcDateTime = None
    result: dict[str, Any] | None = None
    error: str | None = None


class JobList(BaseModel):
    jobs: list[JobView]
