"""Rate limits per API key and per client IP with `limits` (sliding window counter).

Redis storage uses limits' redis-py async implementation; the coredis extra conflicts with pulumi's pins.
"""

from __future__ import annotations

import logging
import math
import time

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import SlidingWindowCounterRateLimiter

from app.core.config import Settings
from app.core.errors import RateLimitedError

logger = logging.getLogger(__name__)


def make_storage(settings: Settings) -> Storage:
    if not settings.redis_dsn:
        return MemoryStorage()
    return RedisStorage(
        "async+" + settings.redis_dsn,
        implementation="redispy",
        socket_timeout=settings.redis_timeout_seconds,
        socket_connect_timeout=settings.redis_timeout_seconds,
    )


class RateLimiter:
    def __init__(self, storage: Storage, per_key: str, per_ip: str) -> None:
        # Sliding window counter: O(1) per hit in memory and in Redis, where a moving window keeps (and
        # scans) one entry per request in the window.
        self._limiter = SlidingWindowCounterRateLimiter(storage)
        self._per_key = parse(per_key)
        self._per_ip = parse(per_ip)

    async def check(self, *, api_key_id: str | None, client_ip: str) -> None:
        """Raise 429 with Retry-After when a limit is exceeded. Fails open when the storage is down."""
        checks: list[tuple[RateLimitItem, str]] = [(self._per_ip, f"ip:{client_ip}")]
        if api_key_id is not None:
            checks.append((self._per_key, f"key:{api_key_id}"))
        for item, identity in checks:
            try:
                allowed = await self._limiter.hit(item, identity)
                if allowed:
                    continue
                reset_at, _ = await self._limiter.get_window_stats(item, identity)
            except Exception as exc:  # any storage failure: serving beats limiting
                logger.warning("rate limiter unavailable", extra={"error_type": type(exc).__name__})
                return
            retry_after = max(1, math.ceil(reset_at - time.time()))
            raise RateLimitedError("rate limit exceeded", headers={"Retry-After": str(retry_after)})
