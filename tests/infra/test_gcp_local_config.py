"""Validation of the Cloud Run and local keys: each bad value fails before any resource, naming its key."""

from __future__ import annotations

import pytest

from stack_config import ConfigError
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
        ("gcpDataTier", "sqlite"),
        ("cloudSqlTier", "db-n1-standard-1"),
        ("memorystoreSizeGb", 0),
        ("memorystoreVersion", "REDIS_5_0"),
        ("gcpWorkerInstances", 0),
        ("gcpWorkerMemory", "1GB"),
    ],
)
def test_an_invalid_value_names_its_key(key: str, value: object) -> None:
    with pytest.raises(ConfigError, match=f"launchpad:{key}"):
        settings_of("dev", **{key: value})


@pytest.mark.parametrize(
    ("settings", "refusal"),
    [
        ({"cloudRunMemory": "256Mi"}, "256 MiB is below the 512 MiB of the second generation"),
        ({"cloudRunMemory": "8Gi", "cloudRunCpu": 1}, "8192 MiB needs at least 2 CPUs"),
        ({"cloudRunMemory": "17Gi", "cloudRunCpu": 4}, "17408 MiB needs at least 6 CPUs"),
        ({"cloudRunMemory": "64Gi", "cloudRunCpu": 8}, "above Cloud Run's 32 GiB"),
        ({"cloudRunMemory": "1Gi", "cloudRunCpu": 4}, "4 CPUs need at least 2048 MiB"),
        ({"gcpWorkerMemory": "5Gi"}, "5120 MiB needs at least 2 CPUs, not 1"),
        ({"gcpWorkerCpu": 3}, "cpu 3 is not one of 1, 2, 4, 6, 8"),
    ],
)
def test_cloud_run_refuses_these_sizes_and_so_does_the_config(settings: dict, refusal: str) -> None:
    # Cloud Run's memory and CPU rules (run/docs/configuring/services/memory-limits and /cpu).
    with pytest.raises(ConfigError, match=refusal):
        settings_of("prod", **settings)


def test_the_largest_sizes_cloud_run_allows_pass() -> None:
    assert settings_of("prod", cloudRunMemory="32Gi", cloudRunCpu=8).cloud_run_memory == "32Gi"
    assert settings_of("prod", cloudRunMemory="4Gi", cloudRunCpu=1).cloud_run_memory == "4Gi"


@pytest.mark.parametrize(
    ("settings", "key"),
    [
        ({"cloudSqlTier": "db-custom-3-7680"}, "cloudSqlTier"),  # an odd vCPU count above 1
        ({"cloudSqlTier": "db-custom-2-3000"}, "cloudSqlTier"),  # under 3840 MB and not a 256 multiple
        ({"cloudSqlTier": "db-f1-micro", "cloudSqlEdition": "ENTERPRISE_PLUS"}, "cloudSqlTier"),
        ({"cloudSqlTier": "db-perf-optimized-N-2"}, "cloudSqlTier"),  # Enterprise Plus only
        ({"gcpSubnetCidr": "10.90.0.0/28"}, "gcpSubnetCidr"),
        ({"gcpServicesCidr": "10.91.0.0/26"}, "gcpServicesCidr"),
        ({"gcpServicesCidr": "10.90.0.0/20"}, "gcpServicesCidr"),  # overlaps the default subnet
    ],
)
def test_cloud_sql_machines_and_network_ranges_are_checked(settings: dict, key: str) -> None:
    with pytest.raises(ConfigError, match=f"launchpad:{key}"):
        settings_of("dev", **settings)


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
