from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from app.core.errors import V1_ERRORS, error_responses
from app.core.request_services import JobQueueDep
from app.jobs.schemas import JobAccepted, JobList, JobRequest, JobView

ROUTE_ERRORS = {**V1_ERRORS, **error_responses(404, 409, 503)}
router = APIRouter(prefix="/v1/jobs", tags=["jobs"], responses=ROUTE_ERRORS)
JobId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]


@router.post("", status_code=202, response_model=JobAccepted)
async def create_job(body: JobRequest, queue: JobQueueDep) -> JobAccepted:
    return JobAccepted(job_id=await queue.enqueue(body))


class ListParameters(BaseModel):
    # An unknown parameter is a typo the client should hear about, not something silently ignored.
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(20, ge=1, le=100)


@router.get("", response_model=JobList)
async def list_jobs(queue: JobQueueDep, query: Annotated[ListParameters, Query()]) -> JobList:
    return JobList(jobs=await queue.recent(query.limit))


@router.get("/{job_id}", response_model=JobView)
async def get_job(job_id: JobId, queue: JobQueueDep) -> JobView:
    return await queue.get(job_id)


@router.delete("/{job_id}", response_model=JobView)
async def cancel_job(job_id: JobId, queue: JobQueueDep) -> JobView:
    return await queue.cancel(job_id)
