"""Redis clients. TLS (`rediss://`) verifies certificates: redis-py's default `ssl_cert_reqs="required"`."""

from __future__ import annotations

import redis
import redis.asyncio as aioredis

from app.core.config import Settings


def make_async_redis(settings: Settings) -> aioredis.Redis | None:
    if not settings.redis_dsn:
        return None
    # Short timeouts: when Redis is down, decisions must still be answered quickly without the cache.
    return aioredis.Redis.from_url(
        settings.redis_dsn,
        socket_timeout=settings.redis_timeout_seconds,
        socket_connect_timeout=settings.redis_timeout_seconds,
        decode_responses=True,
    )


def make_sync_redis(settings: Settings) -> redis.Redis | None:
    """RQ speaks only synchronous redis-py, and needs bytes responses."""
    if not settings.redis_dsn:
        return None
    return redis.Redis.from_url(
        settings.redis_dsn,
        socket_timeout=max(settings.redis_timeout_seconds, 5.0),
        socket_connect_timeout=max(settings.redis_timeout_seconds, 2.0),
    )
