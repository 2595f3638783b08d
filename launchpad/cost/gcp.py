"""Google Cloud resources priced from the plan's inputs and the usage file."""

from __future__ import annotations

import re

from cloud_facts.gcp.cloud_run import cpu_count, memory_mib
from cloud_facts.gcp.cloud_sql import CLOUD_SQL_CUSTOM_TIER
from launchpad.cost.aws import Pricer
from launchpad.cost.context import PlanIndex
from launchpad.cost.model import CostComponent, NotPriced, component
from launchpad.cost.prices import (
    ARTIFACT_FREE_GB,
    HOURS_PER_MONTH,
    MEMORYSTORE_CAPACITY_TIERS,
    PRICES,
    RUN_FREE_REQUESTS,
    SECONDS_PER_MONTH,
)
from offline.mocks import Recorded


def _limits(container: dict) -> tuple[float, float]:
    """A container's CPUs and GiB of memory, read as Cloud Run reads them (defaults: 1 CPU, 512 MiB)."""
    limits = (container.get("resources") or {}).get("limits") or {}
    cpu, mib = cpu_count(str(limits.get("cpu", 1))), memory_mib(str(limits.get("memory", "512Mi")))
    if cpu is None or mib is None:
        raise NotPriced(f"CPU or memory limit not a Cloud Run quantity: {dict(limits)}")
    return cpu, mib / 1024


def cloud_run(r: Recorded, plan: PlanIndex) -> list[CostComponent]:
    template = r.inputs.get("template") or {}
    container = (template.get("containers") or [{}])[0]
    cpu, gib = _limits(container)
    warm = int((template.get("scaling") or {}).get("minInstanceCount") or 0)
    always = (container.get("resources") or {}).get("cpuIdle") is False
    billing = "instance" if always else "request"
    requests = max(0.0, plan.usage.requests_per_month - RUN_FREE_REQUESTS) / 1e6
    parts = [component("requests beyond the free 2 M", "run.million_requests", requests, usage_based=True)]
    if warm:
        seconds = warm * SECONDS_PER_MONTH
        parts += [
            component(f"{warm} warm instance(s), vCPU", f"run.vcpu_second.{billing}", seconds * cpu),
            component(f"{warm} warm instance(s), memory", f"run.gib_second.{billing}", seconds * gib),
        ]
    if billing == "request":
        parts.append(
            component(
                "billed CPU time",
                "run.vcpu_second.request",
                plan.usage.cloud_run_vcpu_seconds,
                usage_based=True,
            )
        )
    return parts


def artifact_repository(_r: Recorded, plan: PlanIndex) -> list[CostComponent]:
    stored = max(0.0, plan.usage.artifact_gb_stored - ARTIFACT_FREE_GB)
    return [component("image storage beyond 0.5 GB", "artifact_registry.gb_month", stored, usage_based=True)]


def gcp_secret(_r: Recorded, _plan: PlanIndex) -> list[CostComponent]:
    return [component("active version", "gcp_secret.version_month", 1)]


def alert_policy(r: Recorded, _plan: PlanIndex) -> list[CostComponent]:
    conditions = len(r.inputs.get("conditions") or [])
    return [component(f"alerting conditions ({conditions})", "gcp_monitoring.condition_month", conditions)]


def worker_pool(r: Recorded, _plan: PlanIndex) -> list[CostComponent]:
    """Every instance of the pool, all month (manual scaling never stops them)."""
    instances = int((r.inputs.get("scaling") or {}).get("manualInstanceCount") or 1)
    cpu, gib = _limits(((r.inputs.get("template") or {}).get("containers") or [{}])[0])
    seconds = instances * SECONDS_PER_MONTH
    return [
        component(f"{instances} instance(s), vCPU", "run.vcpu_second.pool", seconds * cpu),
        component(f"{instances} instance(s), memory", "run.gib_second.pool", seconds * gib),
    ]


def run_job(r: Recorded, plan: PlanIndex) -> list[CostComponent]:
    """A job bills its executions: the nightly run's hours, or a migration's per deploy."""
    task = (r.inputs.get("template") or {}).get("template") or {}
    cpu, gib = _limits((task.get("containers") or [{}])[0])
    migration = "runExecutionToken" in r.inputs
    hours = (
        plan.usage.migration_task_hours_per_month if migration else plan.usage.nightly_task_hours_per_month
    )
    what = "migrations" if migration else "nightly runs"
    seconds = hours * 3600
    return [
        component(f"{what}, vCPU ({hours:g} h)", "run.vcpu_second.instance", seconds * cpu, usage_based=True),
        component(
            f"{what}, memory ({hours:g} h)", "run.gib_second.instance", seconds * gib, usage_based=True
        ),
    ]


def cloud_sql(r: Recorded, plan: PlanIndex) -> list[CostComponent]:
    settings = r.inputs.get("settings") or {}
    tier, zone = (
        str(settings.get("tier")),
        "regional" if settings.get("availabilityType") == "REGIONAL" else "zonal",
    )
    if settings.get("edition") == "ENTERPRISE_PLUS":
        raise NotPriced("the price table has Cloud SQL's Enterprise edition only")
    custom = re.fullmatch(CLOUD_SQL_CUSTOM_TIER, tier)
    if custom:
        cpus, memory_gb = int(custom.group(1)), int(custom.group(2)) / 1024
        parts = [
            component(f"{cpus} vCPU ({zone})", f"cloud_sql.vcpu_hour.{zone}", cpus * HOURS_PER_MONTH),
            component(
                f"{memory_gb:g} GB memory ({zone})", f"cloud_sql.gb_hour.{zone}", memory_gb * HOURS_PER_MONTH
            ),
        ]
    elif f"cloud_sql.{tier}.{zone}" in PRICES:
        parts = [component(f"{tier} ({zone})", f"cloud_sql.{tier}.{zone}", HOURS_PER_MONTH)]
    else:
        raise NotPriced(f"no price for Cloud SQL tier {tier}")
    disk = float(settings.get("diskSize") or 10)
    return [
        *parts,
        component(f"SSD storage ({zone})", f"cloud_sql.ssd.{zone}", disk),
        component(
            "backups", "cloud_sql.backup.gb_month", plan.usage.cloud_sql_backup_gb_stored, usage_based=True
        ),
    ]


def memorystore(r: Recorded, _plan: PlanIndex) -> list[CostComponent]:
    size = int(r.inputs.get("memorySizeGb") or 1)
    kind = "standard" if r.inputs.get("tier") == "STANDARD_HA" else "basic"
    capacity = next(name for most, name in MEMORYSTORE_CAPACITY_TIERS if size <= most)
    key = f"memorystore.{kind}.{capacity}"
    return [component(f"{size} GB {kind} ({capacity.upper()})", key, size * HOURS_PER_MONTH)]


def gcs_bucket(_r: Recorded, plan: PlanIndex) -> list[CostComponent]:
    share = plan.usage.gcs_gb_stored / max(1, plan.count("gcp:storage/bucket:Bucket"))
    return [component("Standard storage (share)", "gcs.standard.gb_month", share, usage_based=True)]


def kms_key(_r: Recorded, _plan: PlanIndex) -> list[CostComponent]:
    return [component("active key version (one more each rotation)", "gcp_kms.version_month", 1)]


def scheduler_job(_r: Recorded, _plan: PlanIndex) -> list[CostComponent]:
    return [component("scheduler job", "cloud_scheduler.job_month", 1)]


GCP_PRICERS: dict[str, Pricer] = {
    "gcp:cloudrunv2/service:Service": cloud_run,
    "gcp:cloudrunv2/workerPool:WorkerPool": worker_pool,
    "gcp:cloudrunv2/job:Job": run_job,
    "gcp:sql/databaseInstance:DatabaseInstance": cloud_sql,
    "gcp:redis/instance:Instance": memorystore,
    "gcp:storage/bucket:Bucket": gcs_bucket,
    "gcp:kms/cryptoKey:CryptoKey": kms_key,
    "gcp:cloudscheduler/job:Job": scheduler_job,
    "gcp:artifactregistry/repository:Repository": artifact_repository,
    "gcp:secretmanager/secret:Secret": gcp_secret,
    "gcp:monitoring/alertPolicy:AlertPolicy": alert_policy,
}
