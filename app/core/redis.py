from __future__ import annotations

import redis
import redis.asyncio as aioredis
from redis.asyncio.retry import Retry as AsyncRetry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

from app.core.config import Settings


def is_redis_outage(exc: BaseException) -> bool:
    return isinstance(exc, RedisError | OSError | TimeoutError)


def make_async_redis(settings: Settings) -> aioredis.Redis | None:
    if not settings.redis_dsn:
        return None
    # Short timeouts and no retries: against a hung Redis, redis-py's default three retries multiply the
    # wait; the circuit breaker (app.core.dependency) decides when to try again.
    return aioredis.Redis.from_url(
        settings.redis_dsn,
        socket_timeout=settings.redis_timeout_seconds,
        socket_connect_timeout=settings.redis_timeout_seconds,
        decode_responses=True,
        retry=AsyncRetry(NoBackoff(), 0),
    )


def make_sync_redis(settings: Settings, retries: bool = True) -> redis.Redis | None:
    """RQ speaks only synchronous redis-py, and needs bytes responses. The worker keeps redis-py's
    retries (it waits on Redis anyway); the API passes retries=False, its breaker decides."""
    if not settings.redis_dsn:
        return None
    extra = {} if retries else {"retry": Retry(NoBackoff(), 0)}
    return redis.Redis.from_url(
        settings.redis_dsn,
        socket_timeout=max(settings.redis_timeout_seconds, 5.0),
        socket_connect_timeout=max(settings.redis_timeout_seconds, 2.0),
        **extra,
    )
