"""What would stop `pulumi destroy`, or stop the same stack being created again right after it.

Per-PR and other short-lived stacks must go and come back the same day; production keeps these on
purpose. The plan lists them so a reviewer sees which is which.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from offline.mocks import Recorded


@dataclass(frozen=True)
class Blocker:
    resource: str  # logical name
    resource_type: str
    reason: str


def _bucket(props: dict[str, Any]) -> str | None:
    if props.get("forceDestroy"):
        return None
    return "destroy fails while the versioned bucket holds objects (forceDestroy is off)"


def _repository(props: dict[str, Any]) -> str | None:
    if props.get("forceDelete"):
        return None
    return "destroy fails while the repository holds images (forceDelete is off)"


def _secret(props: dict[str, Any]) -> str | None:
    days = int(props.get("recoveryWindowInDays", 30))
    if days == 0 or not props.get("name"):
        return None
    return f"its name stays taken for {days} days after destroy (recoveryWindowInDays), so re-create fails"


def _database(props: dict[str, Any]) -> str | None:
    if props.get("deletionProtection"):
        return "deletion protection refuses destroy"
    return None


def _load_balancer(props: dict[str, Any]) -> str | None:
    return "deletion protection refuses destroy" if props.get("enableDeletionProtection") else None


def _cloud_run(props: dict[str, Any]) -> str | None:
    # pulumi-gcp defaults deletion protection to true: only an explicit false lets destroy through.
    return None if props.get("deletionProtection") is False else "deletion protection refuses destroy"


def _workload_identity(props: dict[str, Any]) -> str | None:
    # IAM soft-deletes pools and providers and keeps their ids for 30 days (cloud.google.com/iam/docs/
    # manage-workload-identity-pools-providers: "deleted ... can be undeleted within 30 days; the id cannot
    # be reused until then"); a create with the same id fails with 409 ALREADY_EXISTS.
    ids = [
        str(props[k]) for k in ("workloadIdentityPoolProviderId", "workloadIdentityPoolId") if props.get(k)
    ]
    return (
        f"id {ids[0]!r} stays reserved for 30 days after destroy, so re-create fails (409): undelete it "
        "(gcloud iam workload-identity-pools [providers] undelete) and import it, or choose a new id"
        if ids
        else None
    )


RULES: dict[str, Callable[[dict[str, Any]], str | None]] = {
    "aws:s3/bucket:Bucket": _bucket,
    "aws:ecr/repository:Repository": _repository,
    "aws:secretsmanager/secret:Secret": _secret,
    "aws:rds/instance:Instance": _database,
    "aws:lb/loadBalancer:LoadBalancer": _load_balancer,
    "gcp:cloudrunv2/service:Service": _cloud_run,
    "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": _workload_identity,
    "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider": _workload_identity,
}


def _fixed_final_snapshot(resource: Recorded) -> str | None:
    """A final snapshot under a name that does not change per instance collides on the next destroy."""
    if resource.type != "aws:rds/instance:Instance" or resource.inputs.get("skipFinalSnapshot", True):
        return None
    if resource.property_dependencies.get("finalSnapshotIdentifier"):
        return None  # derived from another resource (a per-instance random suffix)
    return "its final snapshot name is fixed: the next destroy fails with DBSnapshotAlreadyExists"


def destroy_blockers(resources: Iterable[Recorded]) -> list[Blocker]:
    blockers: list[Blocker] = []
    for r in resources:
        reasons = [RULES[r.type](r.inputs)] if r.type in RULES else []
        reasons += [_fixed_final_snapshot(r), "protected (protect=True)" if r.protect else None]
        blockers += [Blocker(r.name, r.type, reason) for reason in reasons if reason]
    return blockers
