"""Cloud SQL for PostgreSQL: machine types by edition, memory, default connections, instance ids and
point-in-time recovery."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

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


@dataclass(frozen=True)
class CloudSqlInstanceId:
    """Lower-case letters, digits and hyphens, a letter first; project id, ':' and it within 98."""

    def problems(self, props: Mapping[str, Any]) -> list[str]:
        name, project = str(props.get("name") or ""), str(props.get("project") or "")
        problems = (
            [] if re.fullmatch(r"[a-z][a-z0-9-]*", name) else [f"{name!r} is not lower-case a-z, 0-9, -"]
        )
        if len(project) + 1 + len(name) > 98:
            problems.append(
                f"'{project}:{name}' is {len(project) + 1 + len(name)} characters; the limit is 98"
            )
        return problems


@dataclass(frozen=True)
class CloudSqlMachine:
    """The tier, the edition (PostgreSQL 16+ defaults to ENTERPRISE_PLUS when unset) and the point-in-time
    log retention that edition allows."""

    def problems(self, props: Mapping[str, Any]) -> list[str]:
        settings = props.get("settings") or {}
        if not isinstance(settings, Mapping) or not settings.get("tier"):
            return []
        version = re.fullmatch(r"POSTGRES_([0-9]+)", str(props.get("databaseVersion") or ""))
        default = "ENTERPRISE_PLUS" if version and int(version.group(1)) >= 16 else "ENTERPRISE"
        edition = str(settings.get("edition") or default)
        problems = cloud_sql_tier_problems(str(settings["tier"]), edition)
        days = (settings.get("backupConfiguration") or {}).get("transactionLogRetentionDays")
        most = {"ENTERPRISE": 7, "ENTERPRISE_PLUS": 35}.get(edition, 7)
        if days is not None and not 1 <= float(days) <= most:
            problems.append(f"transactionLogRetentionDays {days} is outside 1-{most} for {edition}")
        if settings.get("availabilityType") == "REGIONAL":
            backup = settings.get("backupConfiguration") or {}
            if not (backup.get("enabled") and backup.get("pointInTimeRecoveryEnabled")):
                problems.append("a REGIONAL PostgreSQL instance needs backups with point-in-time recovery")
        return problems
