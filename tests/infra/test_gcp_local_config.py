"""Validation of the Cloud Run and local keys: each bad value fails before any resource, naming its key."""

from __future__ import annotations

import pytest

from offline.stack_files import load_stack_config
from stack_config import ConfigError, parse_settings


def settings_with(stack: str, **overrides: object) -> object:
    values = load_stack_config(stack).with_overrides(overrides).values
    return parse_settings({k.split(":", 1)[1]: v for k, v in values.items() if k.startswith("launchpad:")})


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("cloudRunCpu", 3),
        ("cloudRunMemory", "512MB"),
        ("cloudRunConcurrency", 0),
        ("cloudRunMinInstances", -1),
        ("cloudRunIngress", "public"),
        ("cloudRunRequestTimeoutSeconds", 7200),
        ("gcpPopulatedSecrets", ["synced-token"]),
        ("gcpSecretWriteVersion", 0),
        ("artifactKeepCount", 0),
        ("localWebPort", 80),
        ("localPostgresImage", "postgres"),
        ("localRedisImage", "valkey/valkey"),
    ],
)
def test_an_invalid_value_names_its_key(key: str, value: object) -> None:
    with pytest.raises(ConfigError, match=f"launchpad:{key}"):
        settings_with("dev", **{key: value})


def test_min_instances_above_max_is_refused() -> None:
    with pytest.raises(ConfigError, match="cloudRunMinInstances"):
        settings_with("prod", cloudRunMinInstances=5, cloudRunMaxInstances=2)


def test_public_and_named_invokers_are_mutually_exclusive() -> None:
    with pytest.raises(ConfigError, match="cloudRunInvokers"):
        settings_with("prod", cloudRunPublic=True)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ConfigError) as error:
        settings_with("dev", cloudRunCpu=3, localWebPort=80, cloudRunIngress="public")
    assert len(error.value.problems) == 3
