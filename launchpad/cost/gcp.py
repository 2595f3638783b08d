"""Google Cloud resources priced from the plan's inputs and the usage file."""

from __future__ import annotations

from launchpad.cost.aws import Pricer
from launchpad.cost.context import PlanIndex
from launchpad.cost.model import CostComponent, component
from launchpad.cost.prices import ARTIFACT_FREE_GB, RUN_FREE_REQUESTS, SECONDS_PER_MONTH
from offline.mocks import Recorded


def _gib(memory: str) -> float:
    return float(memory[:-2]) / (1024 if memory.endswith("Mi") else 1)


def cloud_run(r: Recorded, plan: PlanIndex) -> list[CostComponent]:
    template = r.inputs.get("template") or {}
    container = (template.get("containers") or [{}])[0]
    limits = (container.get("resources") or {}).get("limits") or {}
    cpu, gib = float(limits.get("cpu", 1)), _gib(str(limits.get("memory", "512Mi")))
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


GCP_PRICERS: dict[str, Pricer] = {
    "gcp:cloudrunv2/service:Service": cloud_run,
    "gcp:artifactregistry/repository:Repository": artifact_repository,
    "gcp:secretmanager/secret:Secret": gcp_secret,
    "gcp:monitoring/alertPolicy:AlertPolicy": alert_policy,
}
