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
    # pulumi-gcp defaults deletion protection to true (Cloud Run, Cloud SQL, Memorystore): only an
    # explicit false lets destroy through.
    return None if props.get("deletionProtection") is False else "deletion protection refuses destroy"


def _reserved_id(keys: tuple[str, ...], days: int, undelete: str) -> Callable[[dict[str, Any]], str | None]:
    """An id IAM keeps after a delete: a create with the same id fails with 409 ALREADY_EXISTS until then."""

    def reason(props: dict[str, Any]) -> str | None:
        ids = [str(props[k]) for k in keys if props.get(k)]
        if not ids:
            return None
        return (
            f"id {ids[0]!r} stays reserved for {days} days after destroy, so re-create fails (409): "
            f"undelete it ({undelete}) and import it, or choose a new id"
        )

    return reason


# IAM soft-deletes workload identity pools and providers and keeps their ids for 30 days
# (cloud.google.com/iam/docs/manage-workload-identity-pools-providers), and a deleted custom role's id for
# 37 days, undeletable for the first 7 (cloud.google.com/iam/docs/creating-custom-roles#deleting).
_workload_identity = _reserved_id(
    ("workloadIdentityPoolProviderId", "workloadIdentityPoolId"),
    30,
    "gcloud iam workload-identity-pools [providers] undelete",
)
_custom_role = _reserved_id(("roleId",), 37, "gcloud iam roles undelete, within 7 days")


def _peering(props: dict[str, Any]) -> str | None:
    if props.get("deletionPolicy") != "ABANDON":
        return None
    return "destroy leaves the VPC peering behind, and the network's delete fails on it"


RULES: dict[str, Callable[[dict[str, Any]], str | None]] = {
    "aws:s3/bucket:Bucket": _bucket,
    "aws:ecr/repository:Repository": _repository,
    "aws:secretsmanager/secret:Secret": _secret,
    "aws:rds/instance:Instance": _database,
    "aws:lb/loadBalancer:LoadBalancer": _load_balancer,
    "gcp:cloudrunv2/service:Service": _cloud_run,
    "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": _workload_identity,
    "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider": _workload_identity,
    "gcp:projects/iAMCustomRole:IAMCustomRole": _custom_role,
    "gcp:cloudrunv2/workerPool:WorkerPool": _cloud_run,
    "gcp:cloudrunv2/job:Job": _cloud_run,
    "gcp:sql/databaseInstance:DatabaseInstance": _cloud_run,
    "gcp:redis/instance:Instance": _cloud_run,
    "gcp:storage/bucket:Bucket": _bucket,
    "gcp:servicenetworking/connection:Connection": _peering,
}
# Names Google Cloud keeps after a delete: a fixed one stops the stack being created again.
RESERVED_NAMES = {
    "gcp:sql/databaseInstance:DatabaseInstance": "Cloud SQL keeps a deleted instance's name for about a week",
    "gcp:kms/keyRing:KeyRing": "Cloud KMS never deletes a key ring: its name is taken for good",
    "gcp:kms/cryptoKey:CryptoKey": "Cloud KMS never deletes a key (destroy only schedules its versions' "
    "destruction): its name in its ring is taken for good",
}


def _fixed_final_snapshot(resource: Recorded) -> str | None:
    """A final snapshot under a name that does not change per instance collides on the next destroy."""
    if resource.type != "aws:rds/instance:Instance" or resource.inputs.get("skipFinalSnapshot", True):
        return None
    if resource.property_dependencies.get("finalSnapshotIdentifier"):
        return None  # derived from another resource (a per-instance random suffix)
    return "its final snapshot name is fixed: the next destroy fails with DBSnapshotAlreadyExists"


def _reserved_name(resource: Recorded, fresh_rings: set[str]) -> str | None:
    """A name the cloud keeps after destroy that the program fixed rather than autonamed per create. A
    key's fixed name inside a ring that is autonamed itself is fresh too."""
    reason = RESERVED_NAMES.get(resource.type)
    if reason is None or "name" in resource.autonamed or not resource.inputs.get("name"):
        return None
    if resource.inputs.get("keyRing") in fresh_rings:
        return None
    return f"{reason}, so re-creating the stack fails on the same name"


def destroy_blockers(resources: Iterable[Recorded]) -> list[Blocker]:
    resources = list(resources)
    fresh_rings = {r.id for r in resources if r.type == "gcp:kms/keyRing:KeyRing" and "name" in r.autonamed}
    blockers: list[Blocker] = []
    for r in resources:
        reasons = [RULES[r.type](r.inputs)] if r.type in RULES else []
        reasons += [_reserved_name(r, fresh_rings), _fixed_final_snapshot(r)]
        reasons += ["protected (protect=True)" if r.protect else None]
        blockers += [Blocker(r.name, r.type, reason) for reason in reasons if reason]
    return blockers
