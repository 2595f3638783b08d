"""The settings of the Google Cloud data tier and worker, each key alone, and the rules between them.

`StackSettings` inherits these fields; `rules.py` adds `gcp_problems`. The keys the clouds share keep one
meaning: `dbMultiAz` makes Cloud SQL regional, `dbDeletionProtection`, `dbBackupRetentionDays`,
`dbAllocatedStorageGb` and `dbMaxAllocatedStorageGb` apply as on RDS, `cacheNodeCount` 2+ makes Memorystore
a Standard (replicated) instance, `uploadsExpireDays` and `forceDestroyData` govern the bucket. The keys
here are what Google Cloud alone needs.
"""

from __future__ import annotations

import ipaddress
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from cloud_facts.gcp.cloud_run import memory_mib, run_sizing_problems
from cloud_facts.gcp.cloud_sql import CLOUD_SQL_CUSTOM_TIER, CLOUD_SQL_SHARED_CORE, cloud_sql_tier_problems
from cloud_facts.gcp.network import PSA_PREFIX_RANGE, RUN_SUBNET_PREFIX_RANGE
from stack_config.errors import Problem
from stack_config.hints import fix

# `managed`: Cloud SQL, Memorystore, Cloud Storage, a worker pool and the nightly job (durable).
# `embedded`: every Cloud Run instance keeps its own SQLite and job threads in memory; an instance that
# stops loses them. Only for throwaway stacks, named in the stack file; the plan warns about it.
GcpDataTier = Literal["managed", "embedded"]
CloudSqlEdition = Literal["ENTERPRISE", "ENTERPRISE_PLUS"]
# Memorystore for Redis versions the API offers (redis.Instance redis_version).
MemorystoreVersion = Literal["REDIS_7_2", "REDIS_7_0", "REDIS_6_X"]
_TIER = rf"^({CLOUD_SQL_SHARED_CORE}|{CLOUD_SQL_CUSTOM_TIER}|db-perf-optimized-N-[0-9]+)$"


class GcpSettings(BaseModel):
    """The data tier, network ranges and worker of a stack's Google Cloud side."""

    gcp_data_tier: Annotated[
        GcpDataTier, Field(json_schema_extra=fix("pulumi config set gcpDataTier managed"))
    ]
    cloud_sql_tier: Annotated[
        str,
        Field(
            pattern=_TIER,
            json_schema_extra=fix("pulumi config set cloudSqlTier db-custom-1-3840 (or db-f1-micro)"),
        ),
    ]
    cloud_sql_edition: Annotated[
        CloudSqlEdition,
        Field(json_schema_extra=fix("pulumi config set cloudSqlEdition ENTERPRISE")),
    ]
    memorystore_size_gb: Annotated[
        int, Field(ge=1, le=300, json_schema_extra=fix("pulumi config set memorystoreSizeGb 1"))
    ]
    memorystore_version: Annotated[
        MemorystoreVersion, Field(json_schema_extra=fix("pulumi config set memorystoreVersion REDIS_7_2"))
    ]
    gcp_subnet_cidr: Annotated[
        ipaddress.IPv4Network,
        Field(json_schema_extra=fix("pulumi config set gcpSubnetCidr 10.90.0.0/24")),
    ]
    gcp_services_cidr: Annotated[
        ipaddress.IPv4Network,
        Field(json_schema_extra=fix("pulumi config set gcpServicesCidr 10.91.0.0/20")),
    ]
    gcp_worker_instances: Annotated[
        int, Field(ge=1, le=100, json_schema_extra=fix("pulumi config set gcpWorkerInstances 1"))
    ]
    gcp_worker_cpu: Annotated[
        int, Field(json_schema_extra=fix("pulumi config set gcpWorkerCpu 1 (1, 2, 4, 6 or 8)"))
    ]
    gcp_worker_memory: Annotated[
        str,
        Field(
            pattern=r"^[1-9][0-9]*(Mi|Gi)$",
            json_schema_extra=fix("pulumi config set gcpWorkerMemory 512Mi (Mi or Gi)"),
        ),
    ]


def _sizing(key: str, cpu_key: str, cpu: int, memory: str) -> list[Problem]:
    """Cloud Run's CPU and memory rules for one instance size (the service's, the worker's)."""
    problems = run_sizing_problems(cpu, memory_mib(memory) or 0)
    if not problems:
        return []
    fix_hint = f"Fix: pulumi config set {key} 512Mi..32Gi, or raise {cpu_key} (1, 2, 4, 6, 8)"
    return [(key, f"{'; '.join(problems)} ({cpu_key} {cpu}). {fix_hint}")]


def _ranges(s: GcpSettings) -> list[Problem]:
    problems: list[Problem] = []
    low, high = RUN_SUBNET_PREFIX_RANGE
    if not low <= s.gcp_subnet_cidr.prefixlen <= high:
        problems.append(
            ("gcpSubnetCidr", f"must be a /{low} to /{high} network (Cloud Run takes addresses from it)")
        )
    low, high = PSA_PREFIX_RANGE
    if not low <= s.gcp_services_cidr.prefixlen <= high:
        problems.append(("gcpServicesCidr", f"must be a /{low} to /{high} network (private services access)"))
    if s.gcp_subnet_cidr.overlaps(s.gcp_services_cidr):
        problems.append(
            ("gcpServicesCidr", f"{s.gcp_services_cidr} overlaps gcpSubnetCidr {s.gcp_subnet_cidr}")
        )
    return problems


def gcp_problems(s: GcpSettings, *, run_cpu: int, run_memory: str) -> list[Problem]:
    """Rules between the GCP keys and the Cloud Run ones they share an instance size with."""
    problems = _sizing("cloudRunMemory", "cloudRunCpu", run_cpu, run_memory)
    problems += _sizing("gcpWorkerMemory", "gcpWorkerCpu", s.gcp_worker_cpu, s.gcp_worker_memory)
    problems += _ranges(s)
    problems += [("cloudSqlTier", p) for p in cloud_sql_tier_problems(s.cloud_sql_tier, s.cloud_sql_edition)]
    return problems
