"""Builds every client once per process (in the lifespan) and closes them on shutdown."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import httpx2
import redis
import redis.asyncio as aioredis

from app.auth.service import ApiKeyStore, parse_key_list
from app.contract import ENV
from app.core.cache import Cache, MemoryCache, RedisCache
from app.core.config import Settings
from app.core.db import Database, is_sqlite, make_engine
from app.core.metrics import Metrics
from app.core.ratelimit import RateLimiter, make_storage
from app.core.redis import make_async_redis, make_sync_redis
from app.core.secrets import SecretReader
from app.decisions.audit import AuditWriter
from app.decisions.chain import ProviderChain
from app.decisions.providers import build_providers
from app.decisions.service import DecisionService
from app.jobs.depth import QueueDepthSampler
from app.jobs.queue import InProcessJobQueue, JobQueue, RqJobQueue
from app.uploads.service import UploadService
from app.uploads.storage import LocalStorage, S3Storage, UploadStorage

logger = logging.getLogger(__name__)


@dataclass
class Overrides:
    """Seams for tests and the benchmark: an httpx2 transport for the AI SDKs, boto3 client factories."""

    ai_transport: httpx2.AsyncBaseTransport | None = None
    boto_client: Any = None  # callable(service_name) -> boto3 client


@dataclass
class Services:
    settings: Settings
    db: Database
    async_redis: aioredis.Redis | None
    sync_redis: redis.Redis | None
    cache: Cache
    limiter: RateLimiter
    metrics: Metrics
    secrets: SecretReader
    chain: ProviderChain
    audit: AuditWriter
    decisions: DecisionService
    jobs: JobQueue
    uploads: UploadService
    api_keys: ApiKeyStore
    depth_sampler: QueueDepthSampler


def secret_values(settings: Settings) -> dict[str, str | None]:
    names = {name: name.lower() for name in vars(type(ENV)) if not name.startswith("_")}
    return {env_name: getattr(settings, field_name, None) for env_name, field_name in names.items()}


def _boto(overrides: Overrides, service: str) -> Any:
    if overrides.boto_client is not None:
        return overrides.boto_client(service)
    import boto3  # noqa: PLC0415 - the embedded profile never needs boto3

    return boto3.client(service)


def make_upload_storage(settings: Settings, overrides: Overrides) -> UploadStorage:
    if settings.uploads_bucket:
        return S3Storage(_boto(overrides, "s3"), settings.uploads_bucket)
    return LocalStorage(settings.local_uploads_dir)


def _bootstrap_keys(settings: Settings, secrets: SecretReader, store: ApiKeyStore) -> None:
    store.bootstrap(parse_key_list(settings.api_keys), "env")
    if not settings.api_keys_secret_arn:
        return
    try:
        raw = secrets.get(ENV.API_KEYS)
    except Exception as exc:  # keys bootstrapped earlier are in the database; start and serve with those
        logger.error("API keys secret unreadable", extra={"error_type": type(exc).__name__})
        return
    store.bootstrap(parse_key_list(raw), "secret")


def _migrate_embedded(db: Database) -> None:
    # Only SQLite migrates itself: Postgres migrations are a deploy step of their own (app.migrate).
    if is_sqlite(db.engine):
        from app.migrate import upgrade  # noqa: PLC0415 - alembic loads only where it is used

        upgrade(db.engine)


async def start_services(
    settings: Settings, metrics: Metrics, overrides: Overrides | None = None
) -> Services:
    overrides = overrides or Overrides()
    await metrics.start()
    db = Database(make_engine(settings))
    await asyncio.to_thread(_migrate_embedded, db)
    secrets = SecretReader(
        secret_values(settings),
        client_factory=(lambda: _boto(overrides, "secretsmanager")),
        ttl_seconds=settings.secret_cache_ttl_seconds,
    )
    api_keys = ApiKeyStore(db)
    await asyncio.to_thread(_bootstrap_keys, settings, secrets, api_keys)
    async_redis, sync_redis = make_async_redis(settings), make_sync_redis(settings)
    cache: Cache = RedisCache(async_redis) if async_redis else MemoryCache()
    chain = ProviderChain(
        build_providers(settings, secrets, overrides.ai_transport), settings.model_prices, metrics
    )
    audit = AuditWriter(db)
    await audit.start()
    decisions = DecisionService(
        chain=chain,
        cache=cache,
        audit=audit,
        metrics=metrics,
        cache_ttl_seconds=settings.cache_ttl_seconds,
        confidence_threshold=settings.rules_confidence_threshold,
    )
    jobs: JobQueue = RqJobQueue(sync_redis, db, settings) if sync_redis else InProcessJobQueue(db, metrics)
    depth_sampler = QueueDepthSampler(jobs, metrics, settings.queue_depth_interval_seconds)
    await depth_sampler.start()
    return Services(
        settings=settings,
        db=db,
        async_redis=async_redis,
        sync_redis=sync_redis,
        cache=cache,
        limiter=RateLimiter(make_storage(settings), settings.rate_limit_per_key, settings.rate_limit_per_ip),
        metrics=metrics,
        secrets=secrets,
        chain=chain,
        audit=audit,
        decisions=decisions,
        jobs=jobs,
        uploads=UploadService(make_upload_storage(settings, overrides), db, settings.max_upload_bytes),
        api_keys=api_keys,
        depth_sampler=depth_sampler,
    )


async def stop_services(services: Services) -> None:
    await services.depth_sampler.stop()
    await services.audit.stop()
    await services.chain.aclose()
    if isinstance(services.jobs, InProcessJobQueue):
        services.jobs.shutdown()
    if services.async_redis is not None:
        await services.async_redis.aclose()
    if services.sync_redis is not None:
        services.sync_redis.close()
    services.db.dispose()
    await services.metrics.stop()
