"""One dependency at a time failing under the decision route: Secrets Manager, the AI providers, a hung
PostgreSQL behind the key check and a hung Redis behind the limiter and cache. Each answer within the
budget, the circuit breakers open (and close again), and the response says when the budget ran out."""

from __future__ import annotations

import time

import boto3
import pytest
from app_servers import free_port
from app_testing import emitted_records
from conftest import ALARM_SECONDS
from fake_ai import HOSTS, FakeAI
from moto import mock_aws

from app import contract
from app.core.secrets import BOTO_CONFIG
from app.core.services import Overrides

UNCERTAIN = {"message": "How do I export my data to CSV?"}  # no rule is confident: the AI chain runs
CONFIDENT = {"message": "I want a refund, this is the worst service"}
ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:hf-key-AbCdEf"


def timed_post(client, body, **kwargs):
    started = time.monotonic()
    response = client.post("/v1/decisions", json=body, **kwargs)
    return response, time.monotonic() - started


def secrets_manager_at(port: int):
    """A real botocore client (the service's timeouts) whose endpoint is a local port."""
    return lambda service: boto3.client(
        service, region_name="us-east-1", endpoint_url=f"http://127.0.0.1:{port}", config=BOTO_CONFIG
    )


@pytest.mark.parametrize("fault", ["stopped", "hung"])
def test_secrets_manager_failing_hands_over_to_the_next_provider(make_client, blackhole, fault) -> None:
    port = free_port() if fault == "stopped" else blackhole.port
    fake = FakeAI()
    client = make_client(
        overrides=Overrides(ai_transport=fake.transport, boto_client_factory=secrets_manager_at(port)),
        ai_providers="huggingface,gemini",
        huggingface_api_key_secret_arn=ARN,
        gemini_api_key="g-key",
    )
    for index in range(3):
        response, elapsed = timed_post(client, {"message": f"How do I export report {index}?"})
        assert response.status_code == 200
        assert response.json()["source"] == "gemini"
        assert elapsed < ALARM_SECONDS
    assert fake.providers_called() == ["gemini"] * 3


def test_a_key_secret_with_no_value_yet_is_a_provider_not_configured(make_client) -> None:
    with mock_aws():
        arn = boto3.client("secretsmanager", region_name="us-east-1").create_secret(Name="empty")["ARN"]
        fake = FakeAI()
        client = make_client(
            overrides=Overrides(
                ai_transport=fake.transport,
                boto_client_factory=lambda service: boto3.client(service, region_name="us-east-1"),
            ),
            ai_providers="huggingface,gemini",
            huggingface_api_key_secret_arn=arn,
            gemini_api_key="g-key",
        )
        response = client.post("/v1/decisions", json=UNCERTAIN)
    assert response.status_code == 200
    assert response.json()["source"] == "gemini"


def test_hung_providers_end_in_rules_within_the_budget_and_say_so(make_client) -> None:
    fake = FakeAI(behaviour=dict.fromkeys(HOSTS.values(), "timeout"))
    client = make_client(
        overrides=Overrides(ai_transport=fake.transport),
        ai_providers="claude,huggingface,gemini",
        anthropic_api_key="k",
        huggingface_api_key="k",
        gemini_api_key="k",
    )
    response, elapsed = timed_post(client, UNCERTAIN)
    assert response.status_code == 200
    body = response.json()
    assert (body["source"], body["decision"]) == ("rules_deadline", "auto_reply")
    budget = client.app.state.services.settings.request_budget_seconds
    assert elapsed < budget + 0.3  # not the 20 s the providers' own timeouts add up to
    assert fake.providers_called() == ["claude"]  # it spent the budget; nobody else got a call
    again, _ = timed_post(client, UNCERTAIN)
    assert again.json()["cached"] is False  # a fallback is not cached: the providers get the next one


def test_a_provider_that_keeps_failing_is_skipped_until_its_probe(make_client, capsys) -> None:
    fake = FakeAI(behaviour={"claude": "500"})
    client = make_client(
        overrides=Overrides(ai_transport=fake.transport),
        ai_providers="claude,gemini",
        anthropic_api_key="k",
        gemini_api_key="k",
        breaker_fail_max=2,
        breaker_reset_seconds=0.5,
    )
    for index in range(4):
        assert (
            client.post("/v1/decisions", json={"message": f"How do I export {index}?"}).json()["source"]
            == "gemini"
        )
    assert fake.providers_called() == ["claude", "gemini", "claude", "gemini", "gemini", "gemini"]
    fake.behaviour = {}
    time.sleep(0.6)
    assert (
        client.post("/v1/decisions", json={"message": "How do I export again?"}).json()["source"] == "claude"
    )
    records = [r for r in emitted_records(client, capsys) if r.get(contract.DIM.DEPENDENCY) == "claude"]
    assert sum(r.get(contract.CIRCUIT_OPENED.name, 0) for r in records) == 1
    assert sum(r.get(contract.CIRCUIT_CLOSED.name, 0) for r in records) == 1


def test_hung_postgres_costs_configured_keys_nothing(fault_client, pg_proxy) -> None:
    client = fault_client(api_key_cache_seconds=0.1)
    pg_proxy.hang()
    for _ in range(3):
        response, elapsed = timed_post(client, CONFIDENT)
        assert response.status_code == 200
        assert elapsed < 0.5  # no database wait at all (the key lookup took 3 s before)
        time.sleep(0.15)  # past the key cache's expiry
    unknown, elapsed = timed_post(client, CONFIDENT, headers={"X-API-Key": "never-seen-key"})
    assert unknown.status_code == 503  # cannot be checked now: not a 401
    assert elapsed < ALARM_SECONDS


def test_hung_redis_opens_its_breaker_and_closes_it_when_back(fault_client, redis_proxy, capsys) -> None:
    client = fault_client(breaker_fail_max=2, breaker_reset_seconds=0.5)
    redis_proxy.hang()
    started = time.monotonic()
    answers = [client.post("/v1/decisions", json=CONFIDENT) for _ in range(10)]
    assert [r.status_code for r in answers] == [200] * 10
    assert time.monotonic() - started < 2.0  # ten decisions, not ten times limiter + cache timeouts

    redis_proxy.forward()
    time.sleep(0.6)
    client.post("/v1/decisions", json=UNCERTAIN)  # the probe: Redis answers, the breaker closes
    time.sleep(0.2)  # the cache write is not waited for
    assert client.post("/v1/decisions", json=UNCERTAIN).json()["cached"] is True
    records = [r for r in emitted_records(client, capsys) if r.get(contract.DIM.DEPENDENCY) == "redis"]
    assert sum(r.get(contract.CIRCUIT_OPENED.name, 0) for r in records) >= 1
    assert sum(r.get(contract.CIRCUIT_CLOSED.name, 0) for r in records) == 1


def test_a_provider_on_a_socket_that_never_answers_ends_in_rules_within_the_budget(make_client, blackhole):
    import huggingface_hub
    from huggingface_hub.utils._http import default_async_client_factory

    # Apps built by earlier tests installed the fake transport in huggingface_hub's process-wide factory.
    huggingface_hub.set_async_client_factory(default_async_client_factory)
    client = make_client(
        ai_providers="huggingface",
        huggingface_api_key="hf_key",
        huggingface_base_url=f"http://127.0.0.1:{blackhole.port}/v1",  # the real SDK, a real socket
    )
    response, elapsed = timed_post(client, UNCERTAIN)
    assert response.status_code == 200
    assert response.json()["source"] == "rules_deadline"
    assert elapsed < client.app.state.services.settings.request_budget_seconds + 0.3
