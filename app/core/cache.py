"""Decision cache: Redis when configured, otherwise a bounded in-process map (the embedded profile)."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from typing import Protocol

import redis.asyncio as aioredis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class Cache(Protocol):
    async def get(self, key: str) -> str | None: ...

    async def set(self, key: str, value: str, ttl_seconds: int) -> None: ...


class RedisCache:
    """A cache miss is the answer to any Redis failure: decisions never wait on a broken cache."""

    def __init__(self, client: aioredis.Redis, prefix: str = "decision:") -> None:
        self._client = client
        self._prefix = prefix

    async def get(self, key: str) -> str | None:
        try:
            value = await self._client.get(self._prefix + key)
        except (RedisError, OSError) as exc:
            logger.warning("cache read failed", extra={"error_type": type(exc).__name__})
            return None
        return value if isinstance(value, str) or value is None else value.decode()

    async def set(self, key: str, value: str, ttl_seconds: int) -> None:
        try:
            await self._client.set(self._prefix + key, value, ex=ttl_seconds)
        except (RedisError, OSError) as exc:
            logger.warning("cache write failed", extra={"error_type": type(exc).__name__})


class MemoryCache:
    """Hand-written rather than a dependency: an LRU with per-entry expiry is a dozen lines."""

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

    async def set(self, key: str, value: str, ttl_seconds: int) -> None:
        self._entries[key] = (time.monotonic() + ttl_seconds, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)
