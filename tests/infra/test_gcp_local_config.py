"""Validation of the Cloud Run and local keys: each bad value fails before any resource, naming its key."""

from __future__ import annotations

from typing import get_args

import pytest

from stack_config import ConfigError, GcpAppSecret
from targets.gcp import SECRET_ENV
from tests.infra.plan_query import settings_of


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
        settings_of("dev", **{key: value})


def test_min_instances_above_max_is_refused() -> None:
    with pytest.raises(ConfigError, match="cloudRunMinInstances"):
        settings_of("prod", cloudRunMinInstances=5, cloudRunMaxInstances=2)


def test_public_and_named_invokers_are_mutually_exclusive() -> None:
    with pytest.raises(ConfigError, match="cloudRunInvokers"):
        settings_of("prod", cloudRunPublic=True, cloudRunInvokers=["group:clients@launchpad.example"])


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ConfigError) as error:
        settings_of("dev", cloudRunCpu=3, localWebPort=80, cloudRunIngress="public")
    assert len(error.value.problems) == 3


def test_populated_secret_names_are_exactly_the_secrets_the_gcp_target_creates() -> None:
    assert set(get_args(GcpAppSecret)) == set(SECRET_ENV)
