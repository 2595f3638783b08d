"""Numbers and enumerations Google Cloud enforces, each stated once with its source.

The deploy-constraint rows (`gcp_table.py`, `gcp_data_table.py`) check every planned resource against them;
`stack_config` reads the same values to refuse a bad setting before any resource exists.
"""

from __future__ import annotations

import re

RUN_DOCS = "https://cloud.google.com/run/docs/configuring/services/"
# Cloud Run memory (RUN_DOCS + "memory-limits"): the second-generation environment needs at least 512 MiB,
# no instance has more than 32 GiB, and memory above each bound needs at least that many CPUs.
RUN_MEMORY_MIN_GEN2_MIB = 512
RUN_MEMORY_MAX_MIB = 32 * 1024
RUN_CPUS_FOR_MEMORY_MIB: tuple[tuple[int, int], ...] = (
    (24 * 1024, 8),
    (16 * 1024, 6),
    (8 * 1024, 4),
    (4 * 1024, 2),
)
# ... and CPU (RUN_DOCS + "cpu"): whole CPUs are 1, 2, 4, 6 or 8; 4 CPUs need at least 2 GiB, 6 or 8 at
# least 4 GiB (terraform-provider-google cloudrunv2 resource_cloud_run_v2_service.go, resources.limits).
# Below 1 CPU a service must serve one request at a time with CPU only during requests.
RUN_WHOLE_CPUS = (1, 2, 4, 6, 8)
RUN_MEMORY_MIB_FOR_CPUS = {4: 2048, 6: 4096, 8: 4096}
RUN_MIN_FRACTIONAL_CPU = 0.08

_MEMORY = re.compile(r"([1-9][0-9]*)(Mi|Gi|M|G)")
_BYTES = {"Mi": 2**20, "Gi": 2**30, "M": 10**6, "G": 10**9}


def memory_mib(text: str) -> int | None:
    """A Kubernetes quantity such as 512Mi, 2Gi or 1G, in MiB (rounded down); None if not one."""
    match = _MEMORY.fullmatch(text)
    if not match:
        return None
    return int(match.group(1)) * _BYTES[match.group(2)] // 2**20


def cpu_count(text: str) -> float | None:
    """A CPU quantity ("1", "0.5", "500m") as a number of CPUs; None if not one."""
    try:
        return int(text[:-1]) / 1000 if text.endswith("m") else float(text)
    except ValueError:
        return None


def run_sizing_problems(cpu: float, memory: int, *, gen2: bool = True) -> list[str]:
    """What Cloud Run refuses in `cpu` CPUs with `memory` MiB (services, jobs and worker pools alike)."""
    problems = []
    if cpu >= 1 and cpu not in RUN_WHOLE_CPUS:
        problems.append(f"cpu {cpu:g} is not one of {', '.join(map(str, RUN_WHOLE_CPUS))} (or below 1)")
    if cpu < RUN_MIN_FRACTIONAL_CPU:
        problems.append(f"cpu {cpu:g} is below Cloud Run's least, {RUN_MIN_FRACTIONAL_CPU}")
    if gen2 and memory < RUN_MEMORY_MIN_GEN2_MIB:
        problems.append(f"{memory} MiB is below the {RUN_MEMORY_MIN_GEN2_MIB} MiB of the second generation")
    if memory > RUN_MEMORY_MAX_MIB:
        problems.append(f"{memory} MiB is above Cloud Run's {RUN_MEMORY_MAX_MIB // 1024} GiB")
    needed = next((cpus for bound, cpus in RUN_CPUS_FOR_MEMORY_MIB if memory > bound), 0)
    if cpu < needed:
        problems.append(f"{memory} MiB needs at least {needed} CPUs, not {cpu:g}")
    least = RUN_MEMORY_MIB_FOR_CPUS.get(int(cpu), 0) if cpu == int(cpu) else 0
    if memory < least:
        problems.append(f"{cpu:g} CPUs need at least {least} MiB of memory, not {memory}")
    return problems


# Direct VPC egress takes Cloud Run's addresses from a subnet: /26 or larger
# (https://cloud.google.com/run/docs/configuring/vpc-direct-vpc, IP address allocation); /16 is the widest
# here. Private services access allocates a range of /24 or larger for Cloud SQL and Memorystore
# (https://cloud.google.com/vpc/docs/configure-private-services-access#allocating-range).
RUN_SUBNET_PREFIX_RANGE = (16, 26)
PSA_PREFIX_RANGE = (16, 24)

SQL_DOCS = "https://cloud.google.com/sql/docs/postgres/"
# Cloud SQL machine types (SQL_DOCS + "instance-settings", SQL_DOCS + "machine-series-overview"): the
# Enterprise edition runs shared-core (db-f1-micro, db-g1-small, not covered by the SLA) and custom
# machines (1 or an even number of vCPUs up to 96, 0.9-6.5 GB per vCPU, a multiple of 256 MB, at least
# 3.75 GB); Enterprise Plus only its db-perf-optimized-N-<vCPUs> types. PostgreSQL 16+ defaults to
# Enterprise Plus, so a shared or custom tier needs the edition set (terraform-provider-google
# website/docs/r/sql_database_instance.html.markdown, `edition`).
CLOUD_SQL_SHARED_CORE = r"db-(f1-micro|g1-small)"
CLOUD_SQL_CUSTOM_TIER = r"db-custom-([0-9]+)-([0-9]+)"
CLOUD_SQL_PERF_OPTIMIZED_CPUS = (2, 4, 8, 16, 32, 48, 64, 80, 96, 128)


def cloud_sql_tier_problems(tier: str, edition: str) -> list[str]:
    """What Cloud SQL refuses in `tier` for `edition` (ENTERPRISE or ENTERPRISE_PLUS)."""
    perf = re.fullmatch(r"db-perf-optimized-N-([0-9]+)", tier)
    if edition == "ENTERPRISE_PLUS":
        if perf and int(perf.group(1)) in CLOUD_SQL_PERF_OPTIMIZED_CPUS:
            return []
        return [f"{tier} is not an Enterprise Plus machine (db-perf-optimized-N-{{2,4,8,...,128}})"]
    if perf:
        return [f"{tier} runs only on the ENTERPRISE_PLUS edition"]
    if re.fullmatch(CLOUD_SQL_SHARED_CORE, tier):
        return []
    custom = re.fullmatch(CLOUD_SQL_CUSTOM_TIER, tier)
    if not custom:
        return [f"{tier} is not a Cloud SQL machine type (db-f1-micro, db-g1-small, db-custom-<vCPUs>-<MB>)"]
    cpus, megabytes = int(custom.group(1)), int(custom.group(2))
    problems = []
    if not (cpus == 1 or (cpus % 2 == 0 and 2 <= cpus <= 96)):
        problems.append(f"{cpus} vCPUs: a custom machine has 1 or an even number up to 96")
    if megabytes % 256 or megabytes < 3840 or not 0.9 * 1024 * cpus <= megabytes <= 6.5 * 1024 * cpus:
        problems.append(
            f"{megabytes} MB: memory is a multiple of 256 MB, at least 3840, and 0.9-6.5 GB per vCPU"
        )
    return problems


def cloud_sql_memory_gb(tier: str) -> float | None:
    """The tier's memory in GB (the connection and memory alerts scale with it); None if unknown."""
    shared = {"db-f1-micro": 0.6, "db-g1-small": 1.7}
    if tier in shared:
        return shared[tier]
    custom = re.fullmatch(CLOUD_SQL_CUSTOM_TIER, tier)
    if custom:
        return int(custom.group(2)) / 1024
    perf = re.fullmatch(r"db-perf-optimized-N-([0-9]+)", tier)
    return 8.0 * int(perf.group(1)) if perf else None


# Cloud SQL for PostgreSQL's default max_connections by the tier's memory
# (SQL_DOCS + "flags#postgres-m", max_connections): (memory below, connections).
_CLOUD_SQL_CONNECTIONS = ((0.61, 25), (3.75, 50), (6.0, 100), (7.5, 200), (15.0, 400), (30.0, 500))


def cloud_sql_max_connections(tier: str) -> int:
    """The tier's default max_connections (a larger tier allows more; 600 from 30 GB up to 60)."""
    memory = cloud_sql_memory_gb(tier) or 0.0
    return next((count for bound, count in _CLOUD_SQL_CONNECTIONS if memory < bound), 600)
