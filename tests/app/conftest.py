"""Fixtures for the app tests: real PostgreSQL and Redis servers, settings and clients built on them.

No test reaches the network: AI SDKs get an httpx2 MockTransport, AWS is moto, servers are on loopback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
from app_servers import Postgres, Redis, start_postgres, start_redis
from app_testing import API_KEY
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from app.core.config import Settings
from app.core.services import Overrides
from app.main import create_app
from app.migrate import upgrade

TABLES = ("api_keys", "decision_audit", "jobs", "uploads")


@pytest.fixture(autouse=True)
def fake_aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """No real credentials can reach a test, and boto3 never looks for an instance profile."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    server = start_postgres()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def database_url(postgres: Postgres) -> str:
    url = postgres.create_database("launchpad_test")
    engine = create_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def redis_server() -> Iterator[Redis]:
    server = start_redis()
    yield server
    server.stop()


@pytest.fixture
def clean_state(database_url: str, redis_server: Redis) -> Iterator[None]:
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY"))
    engine.dispose()
    client = redis.Redis.from_url(redis_server.url)
    client.flushall()
    client.close()
    yield


@pytest.fixture
def make_settings(database_url: str, redis_server: Redis, clean_state: None) -> Callable[..., Settings]:
    def build(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "deployment_env": "development",
            "database_url": database_url,
            "redis_url": redis_server.url,
            "api_keys": API_KEY,
            "rate_limit_per_ip": "1000/second",
            "rate_limit_per_key": "1000/second",
            "ai_providers": "",
        }
        values.update(overrides)
        return Settings(**values)

    return build


@pytest.fixture
def make_client(make_settings: Callable[..., Settings]) -> Iterator[Callable[..., TestClient]]:
    opened: list[TestClient] = []

    def build(settings: Settings | None = None, overrides: Overrides | None = None, **kw: Any) -> TestClient:
        client = TestClient(create_app(settings or make_settings(**kw), overrides))
        client.__enter__()
        client.headers["X-API-Key"] = API_KEY
        opened.append(client)
        return client

    yield build
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()
