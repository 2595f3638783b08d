"""Decision cache: Redis when configured, with a small in-process layer in front of it; otherwise a bounded
in-process map (the embedded profile)."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from typing import Protocol

import redis.asyncio as aioredis

from app.core.breaker import Breaker, DependencyUnavailable


class Cache(Protocol):
    async def get(self, key: str) -> str | None: ...

    def put(self, key: str, value: str, ttl_seconds: int) -> None:
        """Store without making the caller wait: a cache write never delays an answer."""

    async def drain(self) -> None:
        """Wait for the writes `put` left in flight (shutdown)."""


class RedisCache:
    """A cache miss is the answer to any Redis failure: decisions never wait on a broken cache, and while
    Redis's breaker is open they do not even try."""

    def __init__(self, client: aioredis.Redis, redis_breaker: Breaker, prefix: str = "decision:") -> None:
        self._client = client
        self._redis_breaker = redis_breaker
        self._prefix = prefix
        self._writes: set[asyncio.Task[None]] = set()

    async def get(self, key: str) -> str | None:
        try:
            value = await self._redis_breaker.call(self._client.get, self._prefix + key)
        except DependencyUnavailable:
            return None
        return value if isinstance(value, str) or value is None else value.decode()

    def put(self, key: str, value: str, ttl_seconds: int) -> None:
        task = asyncio.ensure_future(self._set(self._prefix + key, value, ttl_seconds))
        self._writes.add(task)  # the loop keeps only weak references to tasks
        task.add_done_callback(self._writes.discard)

    async def _set(self, key: str, value: str, ttl_seconds: int) -> None:
        try:
            await self._redis_breaker.call(self._client.set, key, value, ttl_seconds)
        except DependencyUnavailable:
            return

    async def drain(self) -> None:
        """Wait for the writes in flight (shutdown)."""
        if self._writes:
            await asyncio.gather(*self._writes, return_exceptions=True)


class MemoryCache:
    """Hand-written rather than cachetools: an LRU with per-entry expiry is a dozen lines, and on the
    decision path cachetools' TLRUCache/TTLCache inserts measured 15-30 us against 1-4 us for this."""

    def __init__(self, max_entries: int = 10_000) -> None:
        self._entries: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._max_entries = max_entries

    async def get(self, key: str) -> str | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires_at, value = entry
        if expires_at < time.monotonic():
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return value

    def put(self, key: str, value: str, ttl_seconds: int) -> None:
        self._entries[key] = (time.monotonic() + ttl_seconds, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)

    async def drain(self) -> None:
        """Nothing is ever in flight: `put` stores at once."""


class NearCache:
    """A short-lived in-process layer in front of the shared cache: a question this task answered or read
    a moment ago skips the Redis round trip (about 200 us of the event loop per request, bench/http_bench.py
    --profile production), and keeps answering while Redis is down. The key is the question and the
    provider chain, so any copy under it is a valid answer (two tasks may store different AI answers); a
    near copy can outlive the shared one by at most `near_ttl_seconds`."""

    def __init__(self, shared: RedisCache, near_ttl_seconds: int, max_entries: int) -> None:
        self._shared = shared
        self._near = MemoryCache(max_entries)
        self._near_ttl_seconds = near_ttl_seconds

    async def get(self, key: str) -> str | None:
        value = await self._near.get(key)
        if value is None:
            value = await self._shared.get(key)
            if value is not None:
                self._near.put(key, value, self._near_ttl_seconds)
        return value

    def put(self, key: str, value: str, ttl_seconds: int) -> None:
        self._near.put(key, value, min(ttl_seconds, self._near_ttl_seconds))
        self._shared.put(key, value, ttl_seconds)

    async def drain(self) -> None:
        await self._shared.drain()
