"""S3: buckets are private, encrypted (KMS), versioned, TLS-only, logged and expire what they keep.

pulumi-aws 7 splits a bucket's settings into resources of their own; the stack rules here join each one to
its bucket (by property dependency during a preview, when names are unknown; by name otherwise).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pulumi_policy import ReportViolation, Severity, StackValidationArgs

from policies.base import ADVISORY, Props, depends_on, of_type, resource_rule, stack_rule, statements
from policies.meta import RuleMeta

BUCKET = "aws:s3/bucket:Bucket"
OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
ENCRYPTION = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
POLICY = "aws:s3/bucketPolicy:BucketPolicy"
LOGGING = "aws:s3/bucketLogging:BucketLogging"
# The split resources that configure one bucket through its `bucket` input.
SPLIT = (OWNERSHIP, PUBLIC_ACCESS_BLOCK, ENCRYPTION, VERSIONING, LIFECYCLE, POLICY, LOGGING)
HARDENING = {
    OWNERSHIP: "ownership controls disabling ACLs",
    PUBLIC_ACCESS_BLOCK: "a public access block",
    ENCRYPTION: "default encryption",
    VERSIONING: "versioning",
    POLICY: "a bucket policy",
}
KMS_ALGORITHMS = {"aws:kms", "aws:kms:dsse"}
FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


def _public_access_block(props: Props) -> list[str]:
    return [f"public access block leaves {flag} off" for flag in FLAGS if props.get(flag) is not True]


def _acls_disabled(props: Props) -> list[str]:
    ownership = (props.get("rule") or {}).get("objectOwnership")
    return [] if ownership == "BucketOwnerEnforced" else [f"object ownership is {ownership}, ACLs stay on"]


def _algorithms(props: Props) -> set[Any]:
    rules = props.get("rules") or []
    return {(r.get("applyServerSideEncryptionByDefault") or {}).get("sseAlgorithm") for r in rules}


def _encrypted(props: Props) -> list[str]:
    found = _algorithms(props)
    return [] if found and found <= KMS_ALGORITHMS | {"AES256"} else ["bucket has no default encryption"]


def _versioned(props: Props) -> list[str]:
    status = (props.get("versioningConfiguration") or {}).get("status")
    return [] if status == "Enabled" else [f"versioning is {status or 'off'}"]


def _denies_plain_http(props: Props) -> list[str]:
    for statement in statements(props.get("policy")):
        condition = statement.get("Condition", {}).get("Bool", {})
        if statement.get("Effect") == "Deny" and str(condition.get("aws:SecureTransport")).lower() == "false":
            return []
    return ["bucket policy does not deny requests without TLS (aws:SecureTransport=false)"]


def _configuring(resources: Iterable[Any], bucket: Any, resource_type: str) -> list[Any]:
    return [r for r in of_type(resources, resource_type) if depends_on(r, "bucket", bucket)]


def _log_targets(resources: list[Any]) -> list[Any]:
    """Buckets that receive server access logs: S3 cannot deliver them into an SSE-KMS bucket."""
    buckets = of_type(resources, BUCKET)
    loggings = of_type(resources, LOGGING)
    return [b for b in buckets if any(depends_on(log, "targetBucket", b) for log in loggings)]


def hardening_complete(args: StackValidationArgs, report: ReportViolation) -> None:
    for bucket in of_type(args.resources, BUCKET):
        for resource_type, what in HARDENING.items():
            if not _configuring(args.resources, bucket, resource_type):
                report(f"bucket {bucket.name} lacks {what}", bucket.urn)


def split_resources_joined(args: StackValidationArgs, report: ReportViolation) -> None:
    buckets = of_type(args.resources, BUCKET)
    for resource in of_type(args.resources, *SPLIT):
        if not any(depends_on(resource, "bucket", b) for b in buckets):
            report(
                f"configures bucket {resource.props.get('bucket')!r}, which this stack does not create",
                resource.urn,
            )


def kms_unless_log_target(args: StackValidationArgs, report: ReportViolation) -> None:
    log_targets = {b.urn for b in _log_targets(args.resources)}
    for bucket in of_type(args.resources, BUCKET):
        if bucket.urn in log_targets:
            continue
        for config in _configuring(args.resources, bucket, ENCRYPTION):
            if not _algorithms(config.props) <= KMS_ALGORITHMS:
                report(f"bucket {bucket.name} encrypts with S3-managed keys, not KMS", bucket.urn)


def access_logged(args: StackValidationArgs, report: ReportViolation) -> None:
    log_targets = {b.urn for b in _log_targets(args.resources)}
    for bucket in of_type(args.resources, BUCKET):
        if bucket.urn not in log_targets and not _configuring(args.resources, bucket, LOGGING):
            report(f"bucket {bucket.name} has no server access logging", bucket.urn)


def lifecycle_configured(args: StackValidationArgs, report: ReportViolation) -> None:
    for bucket in of_type(args.resources, BUCKET):
        if not _configuring(args.resources, bucket, LIFECYCLE):
            report(f"bucket {bucket.name} has no lifecycle configuration", bucket.urn)


S3_POLICIES = [
    resource_rule(
        RuleMeta(
            "s3-public-access-block",
            "Buckets block every kind of public access.",
            Severity.HIGH,
            "Set all four flags of the bucket's BucketPublicAccessBlock to true (SecureBucket does).",
            checkov=("CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "CKV2_AWS_6"),
            trivy=("AWS-0086", "AWS-0087", "AWS-0091", "AWS-0093"),
            fsbp=("S3.8", "S3.1"),
            cis=("2.1.4",),
        ),
        PUBLIC_ACCESS_BLOCK,
        _public_access_block,
    ),
    resource_rule(
        RuleMeta(
            "s3-acls-disabled",
            "Bucket ACLs are disabled (BucketOwnerEnforced).",
            Severity.MEDIUM,
            "Give the bucket BucketOwnershipControls with objectOwnership BucketOwnerEnforced.",
            checkov=("CKV2_AWS_65", "CKV_AWS_20", "CKV_AWS_57"),
            trivy=("AWS-0092",),
            fsbp=("S3.12", "S3.2", "S3.3"),
        ),
        OWNERSHIP,
        _acls_disabled,
    ),
    resource_rule(
        RuleMeta(
            "s3-default-encryption",
            "Buckets encrypt new objects by default.",
            Severity.HIGH,
            "Add a BucketServerSideEncryptionConfiguration (aws:kms with the stack key).",
            checkov=("CKV_AWS_19",),
            trivy=("AWS-0132",),
        ),
        ENCRYPTION,
        _encrypted,
    ),
    stack_rule(
        RuleMeta(
            "s3-encryption-kms",
            "Buckets encrypt with KMS, except access-log targets (S3 cannot deliver logs SSE-KMS).",
            Severity.MEDIUM,
            "Use sseAlgorithm aws:kms with the stack key (SecureBucketArgs encryption='kms').",
            checkov=("CKV_AWS_145",),
        ),
        kms_unless_log_target,
    ),
    resource_rule(
        RuleMeta(
            "s3-versioning",
            "Buckets keep object versions.",
            Severity.MEDIUM,
            "Add BucketVersioning with status Enabled.",
            checkov=("CKV_AWS_21",),
            trivy=("AWS-0090",),
        ),
        VERSIONING,
        _versioned,
    ),
    resource_rule(
        RuleMeta(
            "s3-tls-only",
            "Bucket policies deny requests without TLS.",
            Severity.HIGH,
            "Deny aws:SecureTransport=false (components.iam_policy.deny_insecure_transport).",
            checkov=("CKV_AWS_379",),
            fsbp=("S3.5",),
            cis=("2.1.1",),
        ),
        POLICY,
        _denies_plain_http,
    ),
    stack_rule(
        RuleMeta(
            "s3-bucket-hardening-complete",
            "Every bucket has each of its hardening resources.",
            Severity.HIGH,
            "Create buckets through components.aws.bucket.SecureBucket, which adds every one.",
            checkov=("CKV2_AWS_6",),
        ),
        hardening_complete,
    ),
    stack_rule(
        RuleMeta(
            "s3-split-resources-joined",
            "Every split S3 resource configures a bucket this stack creates.",
            Severity.HIGH,
            "Pass the bucket's own output (bucket.id) as `bucket`, never a name typed by hand.",
        ),
        split_resources_joined,
    ),
    stack_rule(
        RuleMeta(
            "s3-access-logging",
            "Buckets log access, except the log bucket itself.",
            Severity.LOW,
            "Set accessLogs true: a log bucket is made and every other bucket logs into it.",
            category="operations",
            checkov=("CKV_AWS_18",),
            trivy=("AWS-0089",),
            fsbp=("S3.9",),
        ),
        access_logged,
        ADVISORY,
    ),
    stack_rule(
        RuleMeta(
            "s3-lifecycle",
            "Buckets expire what they need not keep.",
            Severity.LOW,
            "Add a BucketLifecycleConfiguration (noncurrent versions, incomplete uploads).",
            category="cost",
            checkov=("CKV2_AWS_61",),
            fsbp=("S3.13",),
        ),
        lifecycle_configured,
    ),
]
