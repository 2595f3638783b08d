"""Cloud Storage and Cloud KMS: buckets private (no public access, IAM only), versioned and encrypted with
the stack's key, never granted to everyone; keys rotated."""

from __future__ import annotations

from pulumi_policy import Severity

from policies.base import Props, as_list, resource_rule
from policies.meta import RuleMeta

BUCKET = "gcp:storage/bucket:Bucket"
BUCKET_MEMBER = "gcp:storage/bucketIAMMember:BucketIAMMember"
KEY = "gcp:kms/cryptoKey:CryptoKey"
PUBLIC_MEMBERS = ("allUsers", "allAuthenticatedUsers")
MAX_ROTATION_DAYS = 90


def _public_access_prevented(props: Props) -> list[str]:
    # Unset is "inherited": public access is then up to the organization's policy.
    prevention = props.get("publicAccessPrevention")
    return [] if prevention == "enforced" else [f"public access prevention is {prevention or 'inherited'}"]


def _uniform_access(props: Props) -> list[str]:
    if props.get("uniformBucketLevelAccess") is True:
        return []
    return ["object ACLs are enabled: access is not governed by IAM alone"]


def _versioned(props: Props) -> list[str]:
    return [] if (props.get("versioning") or {}).get("enabled") is True else ["versioning is off"]


def _bucket_key(props: Props) -> list[str]:
    if (props.get("encryption") or {}).get("defaultKmsKeyName"):
        return []
    return ["objects are encrypted with Google's key, not the stack's"]


def _not_public(props: Props) -> list[str]:
    members = set(as_list(props.get("member") or [])) & set(PUBLIC_MEMBERS)
    return [f"the bucket is readable by {sorted(members)}"] if members else []


def _rotated(props: Props) -> list[str]:
    period = str(props.get("rotationPeriod") or "")
    if not period.endswith("s") or not period[:-1].isdigit():
        return ["the key is never rotated (rotationPeriod unset)"]
    days = int(period[:-1]) / 86_400
    return (
        []
        if days <= MAX_ROTATION_DAYS
        else [f"the key rotates every {days:g} days, over {MAX_ROTATION_DAYS}"]
    )


STORAGE_POLICIES = [
    resource_rule(
        RuleMeta(
            "gcp-bucket-public-access-prevention",
            "Buckets enforce public access prevention.",
            Severity.HIGH,
            "Set publicAccessPrevention enforced.",
            checkov=("CKV_GCP_114",),
        ),
        BUCKET,
        _public_access_prevented,
    ),
    resource_rule(
        RuleMeta(
            "gcp-bucket-uniform-access",
            "Buckets use uniform bucket-level access.",
            Severity.HIGH,
            "Set uniformBucketLevelAccess true.",
            checkov=("CKV_GCP_29",),
        ),
        BUCKET,
        _uniform_access,
    ),
    resource_rule(
        RuleMeta(
            "gcp-bucket-cmek",
            "Buckets encrypt objects with the stack's Cloud KMS key.",
            Severity.MEDIUM,
            "Set encryption.defaultKmsKeyName to the stack's key.",
        ),
        BUCKET,
        _bucket_key,
    ),
    resource_rule(
        RuleMeta(
            "gcp-bucket-versioning",
            "Buckets keep replaced and deleted objects (versioning).",
            Severity.MEDIUM,
            "Set versioning.enabled true; lifecycle rules expire old versions.",
            category="availability",
            checkov=("CKV_GCP_78",),
        ),
        BUCKET,
        _versioned,
    ),
    resource_rule(
        RuleMeta(
            "gcp-bucket-not-public",
            "No bucket is granted to allUsers or allAuthenticatedUsers.",
            Severity.CRITICAL,
            "Grant the bucket's roles to named identities only.",
            checkov=("CKV_GCP_28",),
        ),
        BUCKET_MEMBER,
        _not_public,
    ),
    resource_rule(
        RuleMeta(
            "gcp-kms-rotation",
            f"Cloud KMS keys rotate within {MAX_ROTATION_DAYS} days.",
            Severity.MEDIUM,
            "Set rotationPeriod to 7776000s (90 days) or less.",
            checkov=("CKV_GCP_43",),
        ),
        KEY,
        _rotated,
    ),
]
