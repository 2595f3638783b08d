"""The lifespan's services as a request reaches them: small `Depends` getters over app state (POST
/v1/decisions reads app state itself: it runs through JsonBodyRoute, which has no dependencies).

They are `async def` and flat (each reads app state itself) on purpose: FastAPI runs plain `def`
dependencies in the thread pool, and every nested dependency node costs measurable time per request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.core.services import Services
from app.jobs.queue import JobQueue
from app.uploads.service import UploadService


async def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def get_job_queue(request: Request) -> JobQueue:
    return (await get_services(request)).jobs


async def get_upload_service(request: Request) -> UploadService:
    return (await get_services(request)).uploads


ServicesDep = Annotated[Services, Depends(get_services)]
JobQueueDep = Annotated[JobQueue, Depends(get_job_queue)]
UploadServiceDep = Annotated[UploadService, Depends(get_upload_service)]
