"""Auth, rate limits, CORS, headers, body limit, TrustedHost, the error shape, and what logs may hold."""

from __future__ import annotations

import logging

import pytest
import redis
from app_testing import API_KEY
from fake_ai import FakeAI

from app import contract
from app.contract import SECURITY_HEADERS
from app.core.services import Overrides

MESSAGE = {"message": "Where can I find my invoices?"}


def test_v1_routes_need_a_valid_api_key(client) -> None:
    missing = client.post("/v1/decisions", json=MESSAGE, headers={"X-API-Key": ""})
    wrong = client.post("/v1/decisions", json=MESSAGE, headers={"X-API-Key": "not-a-key"})
    for response in (missing, wrong):
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthorized"
    assert client.get("/v1/jobs", headers={"X-API-Key": "nope"}).status_code == 401
    assert client.post("/v1/decisions", json=MESSAGE).status_code == 200


def test_every_v1_path_is_guarded_even_one_without_a_route(client) -> None:
    # The guard sits in front of routing: an unknown /v1 path says 401, not whether it exists.
    response = client.get("/v1/no-such-thing", headers={"X-API-Key": "nope"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "APIKey"
    assert response.headers["X-Request-ID"] == response.json()["error"]["request_id"]
    assert client.get("/v1/no-such-thing").status_code == 404


def test_openapi_declares_the_key_on_v1_operations_only(client) -> None:
    schema = client.get("/openapi.json").json()
    assert schema["components"]["securitySchemes"]["APIKeyHeader"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
    }
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            expected = [{"APIKeyHeader": []}] if path.startswith("/v1/") else None
            assert operation.get("security") == expected, path


def test_health_routes_are_open(client) -> None:
    for path in (contract.HEALTH_PATH, contract.LIVE_PATH):
        assert client.get(path, headers={"X-API-Key": ""}).status_code == 200


def test_keys_are_stored_hashed(client, database_url) -> None:
    from app_testing import db_rows

    hashes = [row.key_hash for row in db_rows(database_url, "SELECT key_hash FROM api_keys")]
    assert len(hashes) == 1
    assert API_KEY not in hashes[0]


def test_per_ip_limit_answers_429_with_retry_after(make_client, redis_server) -> None:
    client = make_client(rate_limit_per_ip="3/minute")
    statuses = [client.post("/v1/decisions", json=MESSAGE).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.post("/v1/decisions", json=MESSAGE)
    assert limited.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    # The counters live in Redis, so every replica shares them.
    assert redis.Redis.from_url(redis_server.url).keys("LIMITS*")


def test_per_key_limit_is_per_key(make_client) -> None:
    client = make_client(api_keys="key-one-123456,key-two-123456", rate_limit_per_key="2/minute")
    one = {"X-API-Key": "key-one-123456"}
    statuses = [client.post("/v1/decisions", json=MESSAGE, headers=one).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    two = client.post("/v1/decisions", json=MESSAGE, headers={"X-API-Key": "key-two-123456"})
    assert two.status_code == 200


def test_cors_allows_only_listed_origins(make_client) -> None:
    client = make_client(cors_origins="https://app.example.com")
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "X-API-Key"}
    allowed = client.options("/v1/decisions", headers={"Origin": "https://app.example.com", **preflight})
    denied = client.options("/v1/decisions", headers={"Origin": "https://evil.example.net", **preflight})
    assert allowed.headers["access-control-allow-origin"] == "https://app.example.com"
    assert "access-control-allow-origin" not in denied.headers
    simple = client.post("/v1/decisions", json=MESSAGE, headers={"Origin": "https://evil.example.net"})
    assert "access-control-allow-origin" not in simple.headers


def test_no_cors_origins_means_no_cross_origin_access(client) -> None:
    preflight = {"Access-Control-Request-Method": "POST", "Origin": "https://app.example.com"}
    answer = client.options("/v1/decisions", headers=preflight)
    simple = client.post("/v1/decisions", json=MESSAGE, headers={"Origin": "https://app.example.com"})
    assert simple.status_code == 200
    for response in (answer, simple):
        assert not any(name.startswith("access-control-") for name in response.headers)


@pytest.mark.parametrize("path", [contract.LIVE_PATH, "/v1/decisions", "/no/such/route"])
def test_security_headers_and_request_id_on_every_response(client, path) -> None:
    response = client.get(path, headers={"X-Request-ID": "abc-123"})
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert response.headers["X-Request-ID"] == "abc-123"
    assert "content-security-policy" in response.headers


def test_errors_share_one_shape_with_the_request_id(client) -> None:
    response = client.get("/no/such/route")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "not_found"
    assert error["request_id"] == response.headers["X-Request-ID"]


def test_oversize_body_is_413_by_length_and_when_streamed(client) -> None:
    limit = client.app.state.services.settings.max_body_bytes
    big = b'{"message": "' + b"a" * limit + b'"}'
    by_length = client.post("/v1/decisions", content=big, headers={"Content-Type": "application/json"})
    streamed = client.post(
        "/v1/decisions", content=iter([big[:100], big[100:]]), headers={"Content-Type": "application/json"}
    )
    for response in (by_length, streamed):
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "payload_too_large"


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b'{"message": ""}',
        b'{"message": 42}',
        b'{"message": "hi", "unexpected": true}',
        b'{"message": "' + b"a" * 5001 + b'"}',
        b'{"message": "hi", "metadata": {"k": {"nested": 1}}}',
        b"[]",
        b"\xff\xfe",
    ],
)
def test_invalid_input_is_a_4xx_never_a_5xx(client, body) -> None:
    response = client.post("/v1/decisions", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


def test_trusted_host_rejects_unknown_hosts_but_not_health_probes(make_client) -> None:
    client = make_client(allowed_hosts="api.example.com,*.launchpad.dev")
    assert client.post("/v1/decisions", json=MESSAGE, headers={"Host": "evil.example.net"}).status_code == 400
    assert client.post("/v1/decisions", json=MESSAGE, headers={"Host": "api.example.com"}).status_code == 200
    assert client.post("/v1/decisions", json=MESSAGE, headers={"Host": "eu.launchpad.dev"}).status_code == 200
    for path in (contract.HEALTH_PATH, contract.LIVE_PATH):
        assert client.get(path, headers={"Host": "10.0.3.17:8000"}).status_code == 200


def test_logs_never_hold_keys_tokens_or_message_bodies(make_client, caplog) -> None:
    secret_message = "my card 4111-1111-1111-1111 was charged twice"
    fake = FakeAI(behaviour={"claude": "401"})
    client = make_client(
        overrides=Overrides(ai_transport=fake.transport),
        ai_providers="claude,gemini",
        anthropic_api_key="sk-ant-secret-value",
        gemini_api_key="gemini-secret-value",
    )
    with caplog.at_level(logging.DEBUG):
        client.post("/v1/decisions", json={"message": secret_message})
        client.post("/v1/decisions", json={"message": secret_message}, headers={"X-API-Key": "wrong-key-xyz"})
    assert fake.providers_called() == ["claude", "gemini"]
    logged = "\n".join(str(record.__dict__) for record in caplog.records if record.levelno >= logging.INFO)
    assert "ai call" in logged  # the provider calls were logged...
    for secret in (secret_message, API_KEY, "wrong-key-xyz", "sk-ant-secret-value", "gemini-secret-value"):
        assert secret not in logged  # ...without any of these


def key_store(database_url: str, **kw):
    from app.auth.service import ApiKeyStore
    from app.core.breaker import Breaker
    from app.core.config import Settings
    from app.core.db import Database, is_database_outage, make_engine

    db = Database(make_engine(Settings(database_url=database_url)))
    return ApiKeyStore(db, Breaker("database", timeout=2.0, is_outage=is_database_outage), **kw)


async def test_concurrent_requests_share_one_key_lookup(database_url, clean_state) -> None:
    import asyncio

    key_store(database_url).bootstrap([API_KEY], "env")  # another task stored it: only the database knows
    store = key_store(database_url)
    lookups = []
    original = store._lookup

    def counting_lookup(key_hash: str):
        lookups.append(key_hash)
        return original(key_hash)

    store._lookup = counting_lookup  # type: ignore[method-assign]
    labels = await asyncio.gather(*(store.verify(API_KEY) for _ in range(50)))
    assert len(set(labels)) == 1 and labels[0] is not None
    assert len(lookups) == 1
