"""The Provider dimension values the alarms are built for are exactly the providers the app can call."""

from __future__ import annotations

from app import contract
from app.core.config import KNOWN_PROVIDERS, Settings
from app.core.secrets import SecretReader
from app.decisions.providers import build_providers


def test_the_contract_names_every_provider_the_app_can_call() -> None:
    # rules ends every chain and calls nobody: it publishes no ai_* metrics.
    assert set(contract.AI_PROVIDER_NAMES) == KNOWN_PROVIDERS - {"rules"}
    settings = Settings(ai_providers=",".join(contract.AI_PROVIDER_NAMES))
    built = build_providers(settings, SecretReader({}))
    assert sorted(provider.name for provider in built) == sorted(contract.AI_PROVIDER_NAMES)
