"""Names the infrastructure builds on (Provider dimension values, the API key header) are the app's own."""

from __future__ import annotations

from app import contract
from app.auth import guard
from app.core.breaker import Breaker
from app.core.config import KNOWN_PROVIDERS, Settings
from app.core.secrets import SecretReader
from app.decisions.providers import build_providers


def test_the_contract_names_every_provider_the_app_can_call() -> None:
    # rules ends every chain and calls nobody: it publishes no ai_* metrics.
    assert set(contract.AI_PROVIDER_NAMES) == KNOWN_PROVIDERS - {"rules"}
    settings = Settings(ai_providers=",".join(contract.AI_PROVIDER_NAMES))
    secrets_breaker = Breaker(contract.DEPENDENCY.SECRETS, timeout=1.0, is_outage=lambda _exc: False)
    built = build_providers(settings, SecretReader({}), secrets_breaker)
    assert sorted(provider.name for provider in built) == sorted(contract.AI_PROVIDER_NAMES)


def test_the_api_key_header_the_waf_logs_redact_is_the_one_the_guard_reads() -> None:
    assert guard.API_KEY_HEADER == contract.API_KEY_HEADER


def test_every_circuit_breaker_is_named_as_the_dashboard_draws_it(make_client) -> None:
    client = make_client(ai_providers=",".join(contract.AI_PROVIDER_NAMES))
    services = client.app.state.services
    stores = [services.database_breaker, services.redis_breaker, services.secrets_breaker]
    breakers = [*stores, *services.chain.breakers.values()]
    assert sorted(b.name for b in breakers if b is not None) == sorted(contract.DEPENDENCY_NAMES)
