"""The in-process layer in front of Redis: repeated questions skip Redis, for no longer than its TTL."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
import redis

from app.core.cache import NearCache, RedisCache

QUESTION = {"message": "How do I export my data to CSV?"}  # the rules are unsure: the chain decides


def _ask(client) -> bool:
    response = client.post("/v1/decisions", json=QUESTION)
    assert response.status_code == 200
    return response.json()["cached"]


def _flush(redis_server) -> None:
    shared = redis.Redis.from_url(redis_server.url)
    shared.flushall()
    shared.close()


def _later(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    now = time.monotonic() + seconds
    monkeypatch.setattr("app.core.cache.time", SimpleNamespace(monotonic=lambda: now))


def test_a_repeated_question_is_answered_near_and_only_for_the_near_ttl(
    make_client, redis_server, monkeypatch
) -> None:
    client = make_client(near_cache_seconds=30)
    assert isinstance(client.app.state.services.cache, NearCache)
    assert (_ask(client), _ask(client)) == (False, True)

    _flush(redis_server)  # the shared copy is gone: only the near one can answer
    assert _ask(client) is True

    _later(monkeypatch, 31)
    assert _ask(client) is False  # the near copy expired with its own TTL, not the shared one's


def test_a_shared_answer_read_once_is_then_served_near(make_client, redis_server) -> None:
    first, second = make_client(), make_client()  # two tasks sharing one Redis
    assert _ask(first) is False
    assert _ask(second) is True  # from Redis, and now near on this task too
    _flush(redis_server)
    assert _ask(second) is True


def test_zero_seconds_turns_the_near_layer_off(make_client, redis_server) -> None:
    client = make_client(near_cache_seconds=0)
    assert isinstance(client.app.state.services.cache, RedisCache)
    assert (_ask(client), _ask(client)) == (False, True)
    _flush(redis_server)
    assert _ask(client) is False


def test_a_confident_rules_answer_never_touches_the_cache(make_client, redis_server, capsys) -> None:
    # Computing it takes microseconds; reading and writing the cache would take two Redis round trips.
    from app_testing import emitted_records

    from app import contract

    client = make_client(near_cache_seconds=30)
    confident = {"message": "I want a refund, this is the worst service"}
    answers = [client.post("/v1/decisions", json=confident).json() for _ in range(2)]
    assert [(a["source"], a["cached"]) for a in answers] == [("rules", False)] * 2
    assert redis.Redis.from_url(redis_server.url).keys("decision:*") == []
    names = {name for record in emitted_records(client, capsys) for name in record}
    assert not names & {contract.CACHE_HITS.name, contract.CACHE_MISSES.name}


def test_the_near_ttl_never_outlasts_the_cache_ttl(make_client, redis_server, monkeypatch) -> None:
    client = make_client(near_cache_seconds=30, cache_ttl_seconds=5)
    assert _ask(client) is False
    _flush(redis_server)
    _later(monkeypatch, 6)
    assert _ask(client) is False
