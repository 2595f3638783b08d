"""The per-key limit shared through Redis: requests of one turn of the event loop share one round trip, and
exactly as many are admitted as one by one would have been."""

from __future__ import annotations

import asyncio

import pytest
import redis
import redis.asyncio as aioredis

from app.core.breaker import Breaker
from app.core.errors import RateLimitedError
from app.core.ratelimit import RateLimiter, make_shared_storage
from app.core.redis import is_redis_outage


async def _concurrent_checks(url: str, per_key: str, n: int) -> list[bool]:
    """n requests of one key checked in the same turn of the loop: which were admitted."""
    client = aioredis.Redis.from_url(url)
    limiter = RateLimiter(
        make_shared_storage(client.connection_pool),
        Breaker("redis", timeout=2.0, is_outage=is_redis_outage),
        per_key=per_key,
        per_ip="1000/second",
    )

    async def admitted() -> bool:
        try:
            await limiter.check_key("k1")
        except RateLimitedError as refused:
            assert int(refused.headers["Retry-After"]) >= 1
            return False
        return True

    try:
        return list(await asyncio.gather(*(admitted() for _ in range(n))))
    finally:
        await client.aclose()


def _script_calls(url: str) -> int:
    stats = redis.Redis.from_url(url).info("commandstats")
    return sum(int(v["calls"]) for k, v in stats.items() if k in ("cmdstat_evalsha", "cmdstat_eval"))


def test_requests_of_one_turn_share_one_round_trip(redis_server, clean_state) -> None:
    asyncio.run(_concurrent_checks(redis_server.url, "100/minute", 1))  # loads the script into Redis
    before = _script_calls(redis_server.url)
    assert asyncio.run(_concurrent_checks(redis_server.url, "100/minute", 20)) == [True] * 20
    assert _script_calls(redis_server.url) - before == 1  # one hit costing 20, not 20 hits


@pytest.mark.parametrize(("limit", "n"), [(5, 8), (1, 3), (7, 7)])
def test_exactly_as_many_are_admitted_as_one_by_one(redis_server, clean_state, limit: int, n: int) -> None:
    admitted = asyncio.run(_concurrent_checks(redis_server.url, f"{limit}/minute", n))
    assert admitted == [True] * min(limit, n) + [False] * max(0, n - limit)  # in arrival order
    assert asyncio.run(_concurrent_checks(redis_server.url, f"{limit}/minute", 2)) == [False, False]
