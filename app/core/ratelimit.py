"""Rate limits with `limits`: per client IP before authentication, per API key after it.

The per-IP limit is checked in process, before the key is even looked at: a flood of invalid keys from
one address is refused without a database lookup or a Redis round trip (each task applies it; the WAF
holds the global per-IP limit). The per-key limit is shared by every task through Redis: one round trip
per turn of the event loop and key, whatever the number of requests in it (CoalescedHits); while Redis
is unavailable (its circuit breaker open) each task limits keys in process.
"""

from __future__ import annotations

import asyncio
import functools
import math
import time
from typing import Any

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import FixedWindowRateLimiter, SlidingWindowCounterRateLimiter
from limits.aio.strategies import RateLimiter as Strategy

from app.core.breaker import Breaker, DependencyUnavailable
from app.core.errors import RateLimitedError


def make_shared_storage(connection_pool: Any) -> Storage | None:
    """Redis storage on the app's own connection pool (its timeouts, no retries); None when embedded."""
    if connection_pool is None:
        return None
    return RedisStorage("async+redis://", implementation="redispy", connection_pool=connection_pool)


class RateLimiter:
    def __init__(
        self, shared: Storage | None, redis_breaker: Breaker | None, per_key: str, per_ip: str
    ) -> None:
        # Shared: a sliding window counter, O(1) per hit in Redis where a moving window keeps (and scans)
        # one entry per request. In process: a fixed window, which costs a third less per hit on the
        # hottest path and whose burst at a window's edge one task's guard can afford.
        self._local = FixedWindowRateLimiter(MemoryStorage())
        self._per_key = parse(per_key)
        self._per_ip = parse(per_ip)
        self._shared: CoalescedHits | None = None
        if shared is not None and redis_breaker is not None:
            limiter = SlidingWindowCounterRateLimiter(shared)
            self._shared = CoalescedHits(limiter, self._per_key, redis_breaker)

    async def check_ip(self, client_ip: str) -> None:
        """Raise 429 with Retry-After when the address is over its limit (in process, no I/O)."""
        await self._check(self._local, self._per_ip, f"ip:{client_ip}")

    async def check_key(self, api_key_id: str | None) -> None:
        """Raise 429 when the key is over its limit; in process while Redis is unavailable."""
        if api_key_id is None:
            return
        identity = f"key:{api_key_id}"
        if self._shared is not None:
            try:
                if await self._shared.hit(identity):
                    return
                await self._shared.refuse(identity)
            except DependencyUnavailable:
                pass  # serving beats limiting globally: fall back to this task's own count
        await self._check(self._local, self._per_key, identity)

    @staticmethod
    async def _check(limiter: Strategy, item: RateLimitItem, identity: str) -> None:
        if await limiter.hit(item, identity):
            return
        await _refuse(limiter, item, identity)


async def _refuse(limiter: Strategy, item: RateLimitItem, identity: str) -> None:
    reset_at, _ = await limiter.get_window_stats(item, identity)
    retry_after = max(1, math.ceil(reset_at - time.time()))
    raise RateLimitedError("rate limit exceeded", headers={"Retry-After": str(retry_after)})


class CoalescedHits:
    """Hits on the shared limit that arrive in the same turn of the event loop go to Redis together: one
    round trip, not one each. Hand-written because `limits` has no batching; it uses only the library's
    `cost`. The sliding-window script admits a cost whole or not at all, so when the hits all fit, one hit
    costing their number is exactly what they would have done one by one; when they do not, each goes on
    its own, in arrival order, and exactly as many are admitted as one by one would have been."""

    def __init__(
        self, limiter: SlidingWindowCounterRateLimiter, item: RateLimitItem, redis_breaker: Breaker
    ) -> None:
        self._limiter = limiter
        self._item = item
        self._redis_breaker = redis_breaker
        self._waiting: dict[str, list[asyncio.Future[bool]]] = {}
        self._settling: set[asyncio.Task[None]] = set()  # the loop keeps only weak references to tasks

    def hit(self, identity: str) -> asyncio.Future[bool]:
        """Whether this hit fits; DependencyUnavailable when Redis cannot say."""
        loop = asyncio.get_running_loop()
        waiting = self._waiting.get(identity)
        if waiting is None:
            waiting = self._waiting[identity] = []
            loop.call_soon(self._settle_soon, identity)
        future: asyncio.Future[bool] = loop.create_future()
        waiting.append(future)
        return future

    async def refuse(self, identity: str) -> None:
        """Raise 429 with the shared window's Retry-After."""
        await self._redis_breaker.call(_refuse, self._limiter, self._item, identity)

    def _settle_soon(self, identity: str) -> None:
        task = asyncio.ensure_future(self._settle(identity))
        self._settling.add(task)
        task.add_done_callback(self._settling.discard)

    async def _settle(self, identity: str) -> None:
        waiting = self._waiting.pop(identity)
        try:
            together = len(waiting) > 1 and await self._redis_breaker.call(
                functools.partial(self._limiter.hit, cost=len(waiting)), self._item, identity
            )
            results = (
                [True] * len(waiting)
                if together
                else [
                    await self._redis_breaker.call(self._limiter.hit, self._item, identity) for _ in waiting
                ]
            )
        except asyncio.CancelledError:
            for future in waiting:
                future.cancel()
            raise
        except Exception as exc:
            for future in waiting:
                if not future.done():
                    future.set_exception(exc)
            return
        for future, fits in zip(waiting, results, strict=True):
            if not future.done():  # its request was cancelled meanwhile
                future.set_result(fits)
