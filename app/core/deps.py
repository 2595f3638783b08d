"""Small `Depends` getters over the lifespan's clients; tests override them with `dependency_overrides`.

They are `async def` on purpose: FastAPI runs plain `def` dependencies in the thread pool, per request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.core.config import Settings
from app.core.services import Services
from app.decisions.service import DecisionService
from app.jobs.queue import JobQueue
from app.uploads.service import UploadService


async def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_settings_dep(services: ServicesDep) -> Settings:
    return services.settings


async def get_decision_service(services: ServicesDep) -> DecisionService:
    return services.decisions


async def get_job_queue(services: ServicesDep) -> JobQueue:
    return services.jobs


async def get_upload_service(services: ServicesDep) -> UploadService:
    return services.uploads


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
DecisionServiceDep = Annotated[DecisionService, Depends(get_decision_service)]
JobQueueDep = Annotated[JobQueue, Depends(get_job_queue)]
UploadServiceDep = Annotated[UploadService, Depends(get_upload_service)]
