from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy import text

from app import __version__, contract
from app.core.request_services import ServicesDep
from app.core.services import Services
from app.jobs.depth import sample_queue_depth

logger = logging.getLogger(__name__)
router = APIRouter(tags=["health"])
CHECK_TIMEOUT_SECONDS = 2.0


_LIVE_BODY = b'{"status":"ok"}'


class Check(BaseModel):
    ok: bool
    required: bool
    error: str | None = None


class ProviderInfo(BaseModel):
    name: str
    configured: bool


class Health(BaseModel):
    status: str
    version: str
    environment: str
    failing: list[str]
    checks: dict[str, Check]
    queue_depth: int | None
    providers: list[ProviderInfo]


async def live(_: Request) -> Response:
    """Cheap: the process answers. For container health checks, so it is a plain Starlette route
    (no dependency resolution or response validation) registered by `create_app`."""
    return Response(_LIVE_BODY, media_type="application/json")


async def _check(name: str, probe: Awaitable[object]) -> Check:
    try:
        await probe
    except Exception as exc:
        logger.warning("health check failed", extra={"check": name, "error_type": type(exc).__name__})
        return Check(ok=False, required=True, error=type(exc).__name__)
    return Check(ok=True, required=True)


def _select_one(services: Services) -> None:
    with services.db.engine.connect() as connection:
        connection.execute(text("SELECT 1"))


@router.get(
    contract.HEALTH_PATH,
    response_model=Health,
    responses={503: {"model": Health, "description": "A dependency is down"}},
)
async def health(services: ServicesDep) -> JSONResponse:
    """Deep: database, Redis (when configured), queue depth, providers, version. 503 names what is down.
    The checks run side by side, each through its dependency's breaker and within the request's budget."""
    probes: dict[str, Awaitable[object]] = {
        "database": services.database_breaker.call_sync(_select_one, services, timeout=CHECK_TIMEOUT_SECONDS)
    }
    if services.async_redis is not None and services.redis_breaker is not None:
        probes["redis"] = services.redis_breaker.call(
            services.async_redis.ping, timeout=CHECK_TIMEOUT_SECONDS
        )
    results = await asyncio.gather(
        *(_check(name, probe) for name, probe in probes.items()),
        sample_queue_depth(services.jobs, services.metrics),
    )
    checks: dict[str, Check] = dict(zip(probes, results[:-1], strict=True))  # type: ignore[arg-type]
    failing = sorted(name for name, check in checks.items() if check.required and not check.ok)
    body = Health(
        status="ok" if not failing else "unavailable",
        version=__version__,
        environment=services.settings.deployment_env,
        failing=failing,
        checks=checks,
        queue_depth=results[-1],  # type: ignore[arg-type]
        providers=[ProviderInfo(name=p.name, configured=p.configured()) for p in services.chain.providers],
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=503 if failing else 200)
