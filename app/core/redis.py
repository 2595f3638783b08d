from __future__ import annotations

from typing import Any

import redis
import redis.asyncio as aioredis
from redis.asyncio.retry import Retry as AsyncRetry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

from app.core.config import Settings


def is_redis_outage(exc: BaseException) -> bool:
    return isinstance(exc, RedisError | OSError | TimeoutError)


def _tls(settings: Settings) -> dict[str, Any]:
    """The server's CA for a TLS connection, when one is given (Memorystore's per-instance CA, PEM).
    Hostname checking is off with it: the CA signs this instance's certificate alone, so a chain that
    verifies names the server, and Memorystore's certificate does not carry the address clients dial."""
    if not (settings.redis_ca_cert and settings.redis_dsn and settings.redis_dsn.startswith("rediss://")):
        return {}
    return {"ssl_ca_data": settings.redis_ca_cert, "ssl_check_hostname": False, "ssl_cert_reqs": "required"}


def make_async_redis(settings: Settings) -> aioredis.Redis | None:
    if not settings.redis_dsn:
        return None
    # Short timeouts and no retries: against a hung Redis, redis-py's default three retries multiply the
    # wait; the circuit breaker (app.core.breaker) decides when to try again.
    return aioredis.Redis.from_url(
        settings.redis_dsn,
        socket_timeout=settings.redis_timeout_seconds,
        socket_connect_timeout=settings.redis_timeout_seconds,
        decode_responses=True,
        retry=AsyncRetry(NoBackoff(), 0),
        **_tls(settings),
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
        **_tls(settings),
    )
