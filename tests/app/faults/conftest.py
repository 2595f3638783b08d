"""Fixtures for the fault suite: the real PostgreSQL and Redis behind proxies a test can hang or stop."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from fault_proxy import Blackhole, FaultProxy

# What a request may take whatever its dependencies do: seed 001's latency alarm. The budget itself
# (request_budget_seconds) is 1.5 s; the rest is slack for a busy test machine.
ALARM_SECONDS = 2.0


@pytest.fixture
def pg_proxy(postgres) -> Iterator[FaultProxy]:
    proxy = FaultProxy(postgres.port)
    yield proxy
    proxy.close()


@pytest.fixture
def redis_proxy(redis_server) -> Iterator[FaultProxy]:
    proxy = FaultProxy(redis_server.port)
    yield proxy
    proxy.close()


@pytest.fixture
def blackhole() -> Iterator[Blackhole]:
    hole = Blackhole()
    yield hole
    hole.close()


@pytest.fixture
def fault_client(
    make_client, database_url: str, pg_proxy: FaultProxy, redis_proxy: FaultProxy
) -> Callable[..., TestClient]:
    """The app on PostgreSQL and Redis through the proxies."""
    proxied_db = database_url.replace(f":{pg_proxy.upstream[1]}/", f":{pg_proxy.port}/")

    def build(**settings: Any) -> TestClient:
        values: dict[str, Any] = {
            "database_url": proxied_db,
            "redis_url": f"redis://127.0.0.1:{redis_proxy.port}/0",
            "breaker_fail_max": 3,
            "breaker_reset_seconds": 30.0,
        }
        values.update(settings)
        return make_client(**values)

    return build
