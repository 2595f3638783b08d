"""The AI provider chain against mocked provider HTTP (httpx2 MockTransport injected into each SDK)."""

from __future__ import annotations

import pytest
from app_testing import db_rows, emitted_records, flush_audit
from fake_ai import HOSTS, FakeAI

from app import contract
from app.core.services import Overrides

UNCERTAIN = {"message": "How do I export my data to CSV?"}  # no rule is confident about this one
ALL_KEYS = {"anthropic_api_key": "sk-claude", "gemini_api_key": "g-key", "huggingface_api_key": "hf_key"}


@pytest.fixture
def fake() -> FakeAI:
    return FakeAI()


@pytest.fixture
def ai_client(make_client, fake):
    def build(**settings):
        return make_client(overrides=Overrides(ai_transport=fake.transport), **{**ALL_KEYS, **settings})

    return build


def test_every_sdk_call_is_intercepted_by_the_mock_transport(ai_client, fake) -> None:
    client = ai_client(ai_providers="claude,huggingface,gemini")
    fake.behaviour = {"claude": "500", "huggingface": "500"}
    response = client.post("/v1/decisions", json=UNCERTAIN)
    assert response.json()["source"] == "gemini"
    assert {item.provider for item in fake.seen} == set(HOSTS.values())
    # Each SDK sent its configured key: the request really went through the SDK into our transport.
    sent_keys = {item.provider: " ".join(item.headers.values()) for item in fake.seen}
    assert "sk-claude" in sent_keys["claude"]
    assert "hf_key" in sent_keys["huggingface"]
    assert "g-key" in sent_keys["gemini"]
    assert all(UNCERTAIN["message"] in str(item.body) for item in fake.seen)


@pytest.mark.parametrize(
    ("environment", "expected_order"),
    [("production", ["huggingface", "gemini"]), ("development", ["claude", "huggingface", "gemini"])],
)
def test_chain_order_follows_the_environment_and_ends_in_rules(
    ai_client, fake, environment, expected_order
) -> None:
    fake.behaviour = dict.fromkeys(HOSTS.values(), "500")
    client = ai_client(deployment_env=environment, cors_origins="https://app.example.com")
    body = client.post("/v1/decisions", json=UNCERTAIN).json()
    assert fake.providers_called() == expected_order
    assert body["source"] == "rules"
    assert body["decision"] == "auto_reply"


@pytest.mark.parametrize("failure", ["timeout", "500", "429", "401", "malformed", "invalid"])
def test_a_failing_provider_hands_over_to_the_next(ai_client, fake, capsys, failure) -> None:
    fake.behaviour = {"claude": failure}
    client = ai_client(ai_providers="claude,huggingface", claude_timeout_seconds=0.3)
    body = client.post("/v1/decisions", json=UNCERTAIN).json()
    assert fake.providers_called() == ["claude", "huggingface"]
    assert body["source"] == "huggingface"
    assert body["decision"] == fake.verdict["decision"]
    failures = {
        record[contract.DIM.PROVIDER]: record[contract.AI_FAILURES.name]
        for record in emitted_records(client, capsys)
        if contract.AI_FAILURES.name in record
    }
    assert failures == {"claude": 1, "huggingface": 0}


def test_kill_switch_makes_no_provider_call(ai_client, fake) -> None:
    client = ai_client(ai_disabled=True)
    body = client.post("/v1/decisions", json=UNCERTAIN).json()
    assert fake.seen == []
    assert body["source"] == "rules"


def test_ai_providers_overrides_the_environment_order(ai_client, fake) -> None:
    fake.behaviour = {"gemini": "503"}
    client = ai_client(ai_providers="gemini,claude")
    assert client.post("/v1/decisions", json=UNCERTAIN).json()["source"] == "claude"
    assert fake.providers_called() == ["gemini", "claude"]


def test_unconfigured_providers_are_skipped(make_client, fake) -> None:
    client = make_client(overrides=Overrides(ai_transport=fake.transport), gemini_api_key="g-key")
    assert client.post("/v1/decisions", json=UNCERTAIN).json()["source"] == "gemini"
    assert fake.providers_called() == ["gemini"]


def test_confident_rules_never_call_a_provider(ai_client, fake) -> None:
    client = ai_client()
    body = client.post("/v1/decisions", json={"message": "WINNER! click here for free money"}).json()
    assert (body["source"], body["decision"]) == ("rules", "ignore")
    assert fake.seen == []


def test_tokens_and_cost_are_recorded_per_call(ai_client, fake, capsys, database_url) -> None:
    fake.behaviour = {"claude": "malformed"}  # tokens spent on a useless answer still count
    client = ai_client(ai_providers="claude,huggingface")
    settings = client.app.state.services.settings
    body = client.post("/v1/decisions", json=UNCERTAIN).json()
    tokens_in, tokens_out = fake.tokens
    expected_cost = sum(
        (tokens_in * price.input_per_mtok + tokens_out * price.output_per_mtok) / 1e6
        for price in (
            settings.model_prices[settings.claude_model],
            settings.model_prices[settings.huggingface_model],
        )
    )
    assert (body["tokens_in"], body["tokens_out"]) == (2 * tokens_in, 2 * tokens_out)
    assert body["cost_usd"] == pytest.approx(expected_cost)
    costs = {
        r[contract.DIM.PROVIDER]: r[contract.AI_COST_USD.name]
        for r in emitted_records(client, capsys)
        if contract.AI_COST_USD.name in r
    }
    assert sum(costs.values()) == pytest.approx(expected_cost)
    assert flush_audit(client) == 1
    [row] = db_rows(database_url, "SELECT source, tokens_in, tokens_out, cost_usd FROM decision_audit")
    assert (row.source, row.tokens_in, row.tokens_out) == ("huggingface", 2 * tokens_in, 2 * tokens_out)
    assert row.cost_usd == pytest.approx(expected_cost)


def test_identical_requests_are_served_from_the_redis_cache(ai_client, fake, redis_server) -> None:
    import redis

    client = ai_client(ai_providers="claude", cache_ttl_seconds=120)
    first = client.post("/v1/decisions", json=UNCERTAIN).json()
    second = client.post("/v1/decisions", json=UNCERTAIN).json()
    assert fake.providers_called() == ["claude"]
    assert (first["cached"], second["cached"]) == (False, True)
    assert second["decision"] == first["decision"]
    assert second["cost_usd"] == 0
    keys = redis.Redis.from_url(redis_server.url).keys("decision:*")
    assert len(keys) == 1
    assert 0 < redis.Redis.from_url(redis_server.url).ttl(keys[0]) <= 120
