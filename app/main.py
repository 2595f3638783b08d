"""`app.main:app`: the ASGI application, built by `create_app()`."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app import __version__, contract
from app.auth.guard import ApiKeyMiddleware, document_api_key
from app.core.config import Settings, get_settings
from app.core.errors import install_error_handlers
from app.core.logging import configure_logging
from app.core.metrics import Metrics
from app.core.middleware import BodyLimitMiddleware, RequestContextMiddleware, TrustedHostMiddleware
from app.core.services import Overrides, start_services
from app.core.writable import check_writable, write_dirs
from app.decisions.router import router as decisions_router
from app.health.router import live
from app.health.router import router as health_router
from app.jobs.router import router as jobs_router
from app.uploads.router import router as uploads_router

UPLOAD_ENVELOPE_BYTES = 64 * 1024  # multipart boundaries and part headers around the file


def create_app(settings: Settings | None = None, overrides: Overrides | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    metrics = Metrics(
        settings.deployment_env,
        settings.aws_emf_environment,
        settings.metrics_enabled,
        flush_interval_seconds=settings.metrics_flush_seconds,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        check_writable(write_dirs(settings))
        # One stack owns start-up and shutdown: whatever started is stopped in reverse order, after the
        # app has served or as soon as a later part fails to start.
        async with AsyncExitStack() as stack:
            app.state.services = await start_services(stack, settings, metrics, overrides)
            # Startup leaves a large heap of long-lived objects (SDK type modules, ORM, pydantic schemas);
            # frozen, the collector stops rescanning them and its pauses stop showing up as p99 latency.
            gc.freeze()
            yield

    production = settings.deployment_env == "production"
    app = FastAPI(
        title="Launchpad decision service",
        version=__version__,
        lifespan=lifespan,
        debug=settings.debug,
        docs_url=None if production else "/docs",
        openapi_url=None if production else "/openapi.json",
        redoc_url=None,
        # FastAPI's native OpenTelemetry probes the global providers on every request; the service
        # reports through its own EMF metrics and configures no OTel providers.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    install_error_handlers(app)
    app.add_route(contract.LIVE_PATH, live, methods=["GET"], include_in_schema=False)
    # Busiest first: FastAPI tries routers in order (no two share a path).
    for router in (decisions_router, health_router, jobs_router, uploads_router):
        app.include_router(router)
    document_api_key(app)
    # Added innermost first: the request context wraps everything, so even a 400/413 has an id and headers.
    app.add_middleware(ApiKeyMiddleware)
    app.add_middleware(
        BodyLimitMiddleware,
        default_limit=settings.max_body_bytes,
        path_limits={uploads_router.prefix: settings.max_upload_bytes + UPLOAD_ENVELOPE_BYTES},
    )
    if settings.cors_origin_list:  # with no origin allowed, the browsers' same-origin default is the policy
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["X-API-Key", "Content-Type", "X-Request-ID"],
            expose_headers=["X-Request-ID", "Retry-After"],
            max_age=600,
        )
    if "*" not in settings.allowed_host_list:  # no layer when every host is allowed
        app.add_middleware(
            TrustedHostMiddleware,
            allowed_hosts=settings.allowed_host_list,
            exempt_paths=(contract.HEALTH_PATH, contract.LIVE_PATH),
        )
    app.add_middleware(
        RequestContextMiddleware, metrics=metrics, budget_seconds=settings.request_budget_seconds
    )
    return app


def __getattr__(name: str) -> FastAPI:
    # Built on first access so that importing app.main (tests, the worker) does not read the environment.
    if name == "app":
        application = create_app()
        globals()["app"] = application
        return application
    raise AttributeError(name)
