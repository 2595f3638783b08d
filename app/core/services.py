"""Builds every client once per process, in the lifespan. Each one registers how it stops on the lifespan's
exit stack as soon as it has started, so the stack stops them in reverse order: at shutdown, or when a
later one fails to start (a start-up error leaves nothing running behind it)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx2
import redis
import redis.asyncio as aioredis

from app.auth.service import ApiKeyStore, parse_key_list
from app.contract import DEPENDENCY, ENV
from app.core.breaker import Breaker
from app.core.cache import Cache, MemoryCache, NearCache, RedisCache
from app.core.config import Settings
from app.core.db import Database, is_database_outage, is_sqlite, make_engine
from app.core.metrics import Metrics
from app.core.periodic import PeriodicFlusher
from app.core.ratelimit import RateLimiter, make_shared_storage
from app.core.redis import is_redis_outage, make_async_redis, make_sync_redis
from app.core.secrets import BOTO_CONFIG, SYNCED_TOKEN, SecretReader, is_secrets_outage
from app.decisions.audit import AuditWriter
from app.decisions.chain import ProviderChain, is_provider_outage
from app.decisions.providers import build_providers
from app.decisions.service import DecisionService
from app.jobs.depth import QueueDepthSampler
from app.jobs.queue import InProcessJobQueue, JobQueue, RqJobQueue
from app.uploads.service import UploadService
from app.uploads.storage import GcsStorage, LocalStorage, S3Storage, UploadStorage

logger = logging.getLogger(__name__)
F = TypeVar("F", bound=PeriodicFlusher)


@dataclass
class Overrides:
    """Seams for tests and the benchmark: an httpx2 transport for the AI SDKs, boto3 client factories."""

    ai_transport: httpx2.AsyncBaseTransport | None = None
    boto_client_factory: Callable[[str], Any] | None = None  # service name -> boto3 client


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
    api_key_store: ApiKeyStore
    depth_sampler: QueueDepthSampler
    database_breaker: Breaker
    redis_breaker: Breaker | None
    secrets_breaker: Breaker


def secret_values(settings: Settings) -> dict[str, str | None]:
    names = {name: name.lower() for name in vars(type(ENV)) if not name.startswith("_")}
    return {env_name: getattr(settings, field_name, None) for env_name, field_name in names.items()}


def _boto(overrides: Overrides, service: str) -> Any:
    if overrides.boto_client_factory is not None:
        return overrides.boto_client_factory(service)
    import boto3  # noqa: PLC0415 - the embedded profile never needs boto3

    return boto3.client(service, config=BOTO_CONFIG)


def secrets_client(overrides: Overrides) -> Any:
    return _boto(overrides, "secretsmanager")


def make_upload_storage(settings: Settings, overrides: Overrides) -> UploadStorage:
    if settings.uploads_bucket:  # the service's client times out in seconds (BOTO_CONFIG)
        return S3Storage(_boto(overrides, "s3"), settings.uploads_bucket)
    if settings.uploads_gcs_bucket:
        from google.cloud import storage  # type: ignore[attr-defined]  # noqa: PLC0415 - GCS profile only

        return GcsStorage(storage.Client(), settings.uploads_gcs_bucket)
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


def _breaker(stack: AsyncExitStack, settings: Settings, metrics: Metrics, name: str, **kw: Any) -> Breaker:
    breaker = Breaker(
        name,
        fail_max=settings.breaker_fail_max,
        reset_seconds=settings.breaker_reset_seconds,
        metrics=metrics,
        **kw,
    )
    stack.callback(breaker.shutdown)
    return breaker


async def _started(stack: AsyncExitStack, flusher: F) -> F:
    """A background flusher started; the stack stops it, its last flush included."""
    await flusher.start()
    stack.push_async_callback(flusher.stop)
    return flusher


async def _start_database(
    stack: AsyncExitStack, settings: Settings, metrics: Metrics
) -> tuple[Database, Breaker]:
    db = Database(make_engine(settings))
    stack.callback(db.dispose)
    breaker = _breaker(
        stack,
        settings,
        metrics,
        DEPENDENCY.DATABASE,
        timeout=settings.database_timeout_seconds,
        is_outage=is_database_outage,
    )
    await asyncio.to_thread(_migrate_embedded, db)
    return db, breaker


def _start_secrets(
    stack: AsyncExitStack, settings: Settings, metrics: Metrics, overrides: Overrides
) -> tuple[SecretReader, Breaker]:
    secrets = SecretReader(
        secret_values(settings),
        client_factory=(lambda: secrets_client(overrides)),
        ttl_seconds=settings.secret_cache_ttl_seconds,
        ttl_overrides={SYNCED_TOKEN: settings.synced_token_refresh_seconds},
    )
    stack.callback(secrets.close)
    breaker = _breaker(
        stack,
        settings,
        metrics,
        DEPENDENCY.SECRETS,
        timeout=settings.secrets_timeout_seconds,
        is_outage=is_secrets_outage,
    )
    return secrets, breaker


def _start_redis(
    stack: AsyncExitStack, settings: Settings, metrics: Metrics
) -> tuple[aioredis.Redis | None, redis.Redis | None, Breaker | None, Cache]:
    """The two Redis clients, their shared breaker and the decision cache (in process when embedded)."""
    async_redis, sync_redis = make_async_redis(settings), make_sync_redis(settings, retries=False)
    if async_redis is None or sync_redis is None:  # no Redis configured: neither client is built
        return None, None, None, MemoryCache()
    stack.push_async_callback(async_redis.aclose)
    stack.callback(sync_redis.close)
    breaker = _breaker(
        stack,
        settings,
        metrics,
        DEPENDENCY.REDIS,
        timeout=settings.redis_timeout_seconds,
        is_outage=is_redis_outage,
    )
    shared = RedisCache(async_redis, breaker)
    cache: Cache = (
        shared
        if settings.near_cache_seconds == 0
        else NearCache(shared, settings.near_cache_seconds, settings.near_cache_entries)
    )
    stack.push_async_callback(cache.drain)  # the writes in flight land before the clients close
    return async_redis, sync_redis, breaker, cache


def _start_chain(
    stack: AsyncExitStack,
    settings: Settings,
    metrics: Metrics,
    *,
    secrets: SecretReader,
    secrets_breaker: Breaker,
    overrides: Overrides,
) -> ProviderChain:
    providers = build_providers(settings, secrets, secrets_breaker, overrides.ai_transport)
    breakers = {
        p.name: _breaker(stack, settings, metrics, p.name, timeout=p.timeout, is_outage=is_provider_outage)
        for p in providers
    }
    chain = ProviderChain(providers, settings.model_prices, metrics, breakers)
    stack.push_async_callback(chain.aclose)
    return chain


def _in_process_jobs(stack: AsyncExitStack, db: Database, metrics: Metrics, breaker: Breaker) -> JobQueue:
    jobs = InProcessJobQueue(db, metrics, breaker)
    stack.callback(jobs.shutdown)
    return jobs


async def start_services(
    stack: AsyncExitStack, settings: Settings, metrics: Metrics, overrides: Overrides | None = None
) -> Services:
    """Start every client and background task, each registering its stop on `stack` once it has started."""
    overrides = overrides or Overrides()
    await _started(stack, metrics)  # stopped last: its final flush takes what the others emit as they stop
    db, database_breaker = await _start_database(stack, settings, metrics)
    secrets, secrets_breaker = _start_secrets(stack, settings, metrics, overrides)
    api_key_store = ApiKeyStore(
        db,
        database_breaker,
        cache_seconds=settings.api_key_cache_seconds,
        cache_size=settings.api_key_cache_size,
        stale_seconds=settings.api_key_stale_seconds,
    )
    await asyncio.to_thread(_bootstrap_keys, settings, secrets, api_key_store)
    async_redis, sync_redis, redis_breaker, cache = _start_redis(stack, settings, metrics)
    chain = _start_chain(
        stack, settings, metrics, secrets=secrets, secrets_breaker=secrets_breaker, overrides=overrides
    )
    audit = await _started(
        stack, AuditWriter(db, database_breaker, interval_seconds=settings.audit_flush_seconds)
    )
    jobs: JobQueue = (
        RqJobQueue(sync_redis, db, settings, database_breaker, redis_breaker)
        if sync_redis is not None and redis_breaker is not None
        else _in_process_jobs(stack, db, metrics, database_breaker)
    )
    depth_sampler = await _started(
        stack, QueueDepthSampler(jobs, metrics, settings.queue_depth_interval_seconds)
    )
    storage = make_upload_storage(settings, overrides)
    stack.callback(storage.close)
    shared_limits = make_shared_storage(async_redis.connection_pool if async_redis is not None else None)
    return Services(
        settings=settings,
        db=db,
        async_redis=async_redis,
        sync_redis=sync_redis,
        cache=cache,
        limiter=RateLimiter(
            shared_limits, redis_breaker, settings.rate_limit_per_key, settings.rate_limit_per_ip
        ),
        metrics=metrics,
        secrets=secrets,
        chain=chain,
        audit=audit,
        decisions=DecisionService(
            chain=chain,
            cache=cache,
            audit=audit,
            metrics=metrics,
            cache_ttl_seconds=settings.cache_ttl_seconds,
            confidence_threshold=settings.rules_confidence_threshold,
        ),
        jobs=jobs,
        uploads=UploadService(storage, db, settings.max_upload_bytes, database_breaker),
        api_key_store=api_key_store,
        depth_sampler=depth_sampler,
        database_breaker=database_breaker,
        redis_breaker=redis_breaker,
        secrets_breaker=secrets_breaker,
    )
