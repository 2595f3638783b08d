"""Cloud Run v2: its own identity, deliberate ingress, invokers only where a public API is allowed, and
data kept outside the instances (the embedded profile loses it with each instance)."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from app.contract import ENV
from policies.base import ADVISORY, Props, as_list, configured_rule, resource_rule
from policies.meta import RuleMeta

SERVICE = "gcp:cloudrunv2/service:Service"
INVOKER_TYPES = ("gcp:cloudrunv2/serviceIamMember:ServiceIamMember",)
PUBLIC_MEMBERS = ("allUsers", "allAuthenticatedUsers")
INGRESS_VALUES = (
    "INGRESS_TRAFFIC_ALL",
    "INGRESS_TRAFFIC_INTERNAL_ONLY",
    "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
)


def _dedicated_identity(props: Props) -> list[str]:
    account = str((props.get("template") or {}).get("serviceAccount") or "")
    if not account or account.endswith("-compute@developer.gserviceaccount.com"):
        return ["runs as the default compute service account; give it a dedicated one"]
    return []


def _ingress(props: Props, config: Any) -> list[str]:
    ingress = props.get("ingress")
    allowed = config.get("allowedIngress") or list(INGRESS_VALUES)
    if ingress is None:
        return ["ingress is left to the provider's default (all traffic); set it deliberately"]
    return [] if ingress in allowed else [f"ingress {ingress} is not one this stack allows ({allowed})"]


def _public_invoker(props: Props, config: Any) -> list[str]:
    members = set(as_list(props.get("member") or [])) & set(PUBLIC_MEMBERS)
    if members and not config.get("allowPublic", False):
        return [
            f"{sorted(members)} may invoke the service; set cloudRunPublic (allowPublic) only if intended"
        ]
    return []


def _durable_data(props: Props) -> list[str]:
    """Without a database host the app runs its embedded profile: SQLite, jobs and uploads in the
    instance's memory, gone when Cloud Run stops it."""
    containers = (props.get("template") or {}).get("containers") or []
    names = {env.get("name") for container in containers for env in container.get("envs") or []}
    if ENV.DATABASE_HOST in names or ENV.DATABASE_URL in names:
        return []
    return [
        "the service keeps its database, jobs and uploads in each instance's memory (gcpDataTier embedded): "
        "a scale-in, a new revision or a crash loses them"
    ]


CLOUD_RUN_POLICIES = [
    resource_rule(
        RuleMeta(
            "gcp-cloud-run-dedicated-identity",
            "Cloud Run runs as its own service account.",
            Severity.MEDIUM,
            "Pass template.serviceAccount (components.gcp.service_account makes one).",
            checkov=("CKV_GCP_41",),
        ),
        SERVICE,
        _dedicated_identity,
    ),
    configured_rule(
        RuleMeta(
            "gcp-cloud-run-ingress",
            "Cloud Run ingress is set deliberately.",
            Severity.MEDIUM,
            "Set cloudRunIngress (internal when only a load balancer or VPC calls it).",
        ),
        SERVICE,
        _ingress,
        {"allowedIngress": {"type": "array", "items": {"type": "string", "enum": list(INGRESS_VALUES)}}},
    ),
    configured_rule(
        RuleMeta(
            "gcp-cloud-run-no-public-invoker",
            "allUsers may invoke only where a public API is allowed.",
            Severity.HIGH,
            "List callers in cloudRunInvokers instead of cloudRunPublic.",
            checkov=("CKV_GCP_102",),
        ),
        INVOKER_TYPES,
        _public_invoker,
        {"allowPublic": {"type": "boolean"}},
    ),
    resource_rule(
        RuleMeta(
            "gcp-cloud-run-durable-data",
            "Cloud Run keeps no data in its instances (the managed data tier).",
            Severity.HIGH,
            "pulumi config set gcpDataTier managed (Cloud SQL, Memorystore, Cloud Storage).",
            category="availability",
        ),
        SERVICE,
        _durable_data,
        ADVISORY,
    ),
]
