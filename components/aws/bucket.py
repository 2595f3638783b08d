"""A private, encrypted, versioned S3 bucket that refuses plain HTTP."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import pulumi
import pulumi_aws as aws

from components.iam_policy import Condition, Statement, deny_insecure_transport, policy_json
from components.naming import fitted_prefix

# S3 names are at most 63 characters and Terraform appends 26 to a prefix.
BUCKET_PREFIX_MAX = 63 - 26


@dataclass(frozen=True)
class LogDelivery:
    """A service that writes logs here as itself, e.g. ELB access logs: may put objects only under
    `<prefix>/AWSLogs/<this account>/`."""

    prefix: str
    service_principals: Sequence[str] = ()  # e.g. "logdelivery.elasticloadbalancing.amazonaws.com"
    # Some services still deliver from an AWS-owned account in older regions (ELB before Aug 2022).
    account_principals: Sequence[pulumi.Input[str]] = ()


@dataclass
class SecureBucketArgs:
    # "kms" uses the stack key with bucket keys; "s3" (SSE-S3) only for log buckets, because S3 server
    # access log delivery cannot write with a customer-managed key.
    encryption: Literal["kms", "s3"]
    kms_key_arn: pulumi.Input[str] | None = None  # the customer-managed key, required with encryption `kms`
    noncurrent_version_expire_days: int = 30  # replaced and deleted versions are kept this long
    expire_days: int | None = None  # current objects expire after this many days; None keeps them
    access_log_bucket: pulumi.Input[str] | None = None  # target bucket name for server access logs
    access_log_prefix: str = ""  # key prefix of this bucket's access logs; empty: "<name>/"
    # Log bucket only: buckets (by ARN) whose access logs S3's logging service may deliver here.
    log_delivery_source_arns: Sequence[pulumi.Input[str]] = field(default_factory=list)
    # Log bucket only: other services delivering logs (ALB access logs, ...).
    log_deliveries: Sequence[LogDelivery] = field(default_factory=list)
    # Let `pulumi destroy` delete every object and version (short-lived stacks); off keeps data safe.
    force_destroy: bool = False


class SecureBucket(pulumi.ComponentResource):
    bucket_name: pulumi.Output[str]
    arn: pulumi.Output[str]

    def __init__(self, name: str, args: SecureBucketArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        _validate(args)
        super().__init__("launchpad:bucket:SecureBucket", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        bucket = aws.s3.Bucket(
            f"{name}-bucket",
            bucket_prefix=fitted_prefix(name, BUCKET_PREFIX_MAX),
            # Versioned buckets keep every object version; without force_destroy, destroy stops at them.
            force_destroy=args.force_destroy,
            opts=child,
        )
        ownership = aws.s3.BucketOwnershipControls(
            f"{name}-ownership",
            bucket=bucket.id,
            rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
            opts=child,
        )
        public_block = aws.s3.BucketPublicAccessBlock(
            f"{name}-public-access-block",
            bucket=bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=child,
        )
        aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            bucket=bucket.id,
            rules=[_encryption_rule(args)],
            opts=child,
        )
        versioning = aws.s3.BucketVersioning(
            f"{name}-versioning",
            bucket=bucket.id,
            versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
            opts=child,
        )
        aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            bucket=bucket.id,
            rules=_lifecycle_rules(args),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[versioning]),
        )
        aws.s3.BucketPolicy(
            f"{name}-policy",
            bucket=bucket.id,
            policy=policy_json(_policy_statements(bucket, args, self._account(args))),
            # A policy put before the public-access block could be judged public and be refused.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[public_block, ownership]),
        )
        if args.access_log_bucket is not None:
            aws.s3.BucketLogging(
                f"{name}-logging",
                bucket=bucket.id,
                target_bucket=args.access_log_bucket,
                target_prefix=args.access_log_prefix or f"{name}/",
                opts=child,
            )
        self.bucket_name = bucket.bucket
        self.arn = bucket.arn
        self.register_outputs({"bucket_name": self.bucket_name, "arn": self.arn})

    def _account(self, args: SecureBucketArgs) -> pulumi.Output[str] | None:
        """The stack's account, read once through this component's provider, for log-delivery grants."""
        if not (args.log_delivery_source_arns or args.log_deliveries):
            return None
        return aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id


def _encryption_rule(args: SecureBucketArgs) -> aws.s3.BucketServerSideEncryptionConfigurationRuleArgs:
    Default = aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs
    if args.encryption == "kms":
        return aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
            apply_server_side_encryption_by_default=Default(
                sse_algorithm="aws:kms", kms_master_key_id=args.kms_key_arn
            ),
            bucket_key_enabled=True,
        )
    return aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
        apply_server_side_encryption_by_default=Default(sse_algorithm="AES256")
    )


def _lifecycle_rules(args: SecureBucketArgs) -> list[aws.s3.BucketLifecycleConfigurationRuleArgs]:
    Rule = aws.s3.BucketLifecycleConfigurationRuleArgs
    every_object = aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix="")
    rules = [
        Rule(
            id="abort-incomplete-multipart-uploads",
            status="Enabled",
            filter=every_object,
            abort_incomplete_multipart_upload=aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
                days_after_initiation=1
            ),
        ),
        Rule(
            id="expire-noncurrent-versions",
            status="Enabled",
            filter=every_object,
            noncurrent_version_expiration=aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                noncurrent_days=args.noncurrent_version_expire_days
            ),
        ),
    ]
    if args.expire_days is not None:
        rules.append(
            Rule(
                id="expire-current-objects",
                status="Enabled",
                filter=every_object,
                expiration=aws.s3.BucketLifecycleConfigurationRuleExpirationArgs(days=args.expire_days),
            )
        )
    return rules


def _policy_statements(
    bucket: aws.s3.Bucket, args: SecureBucketArgs, account: pulumi.Output[str] | None
) -> list[Statement]:
    statements = [deny_insecure_transport(bucket.arn)]
    if args.encryption == "kms" and args.kms_key_arn is not None:
        statements += _deny_other_encryption(bucket, args.kms_key_arn)
    if args.log_delivery_source_arns and account is not None:
        statements.append(
            Statement(
                sid="S3ServerAccessLogDelivery",
                actions=["s3:PutObject"],
                resources=[bucket.arn.apply(lambda arn: f"{arn}/*")],
                principals={"Service": ["logging.s3.amazonaws.com"]},
                conditions=[
                    Condition("ArnLike", "aws:SourceArn", list(args.log_delivery_source_arns)),
                    Condition("StringEquals", "aws:SourceAccount", [account]),
                ],
            )
        )
    if args.log_deliveries and account is not None:
        statements += [
            Statement(
                sid=f"LogDelivery{i}",
                actions=["s3:PutObject"],
                resources=[pulumi.Output.concat(bucket.arn, f"/{d.prefix}/AWSLogs/", account, "/*")],
                principals=_delivery_principals(d),
            )
            for i, d in enumerate(args.log_deliveries)
        ]
    return statements


def _deny_other_encryption(bucket: aws.s3.Bucket, kms_key_arn: pulumi.Input[str]) -> list[Statement]:
    """Writes without an encryption header get the bucket's default (SSE-KMS with the stack key); a write
    that asks for SSE-S3 or another key is refused, so nothing lands outside the stack key."""
    objects = bucket.arn.apply(lambda arn: f"{arn}/*")

    def deny_unless(variable: str, value: pulumi.Input[str], sid: str) -> Statement:
        return Statement(
            sid=sid,
            effect="Deny",
            actions=["s3:PutObject"],
            resources=[objects],
            principals={"AWS": ["*"]},
            conditions=[Condition("StringNotEqualsIfExists", variable, [value])],
        )

    return [
        deny_unless("s3:x-amz-server-side-encryption", "aws:kms", "DenyOtherEncryption"),
        deny_unless("s3:x-amz-server-side-encryption-aws-kms-key-id", kms_key_arn, "DenyOtherKeys"),
    ]


def _delivery_principals(delivery: LogDelivery) -> dict[str, Sequence[pulumi.Input[str]]]:
    principals: dict[str, Sequence[pulumi.Input[str]]] = {}
    if delivery.service_principals:
        principals["Service"] = list(delivery.service_principals)
    if delivery.account_principals:
        principals["AWS"] = list(delivery.account_principals)
    return principals


def _validate(args: SecureBucketArgs) -> None:
    if args.encryption == "kms" and args.kms_key_arn is None:
        raise ValueError("SecureBucketArgs.kms_key_arn is required when encryption is 'kms'")
    if args.encryption == "s3" and args.access_log_bucket is not None:
        raise ValueError("a log bucket (encryption 's3') must not log to another bucket")
    if args.expire_days is not None and args.expire_days < 1:
        raise ValueError("SecureBucketArgs.expire_days must be at least 1 day")
    if any(not (d.service_principals or d.account_principals) for d in args.log_deliveries):
        raise ValueError("each LogDelivery names a service or account principal")
    if args.log_deliveries and args.encryption != "s3":
        raise ValueError("log delivery services write with SSE-S3 only; use encryption 's3' for a log bucket")
    if args.noncurrent_version_expire_days < 1:
        raise ValueError("SecureBucketArgs.noncurrent_version_expire_days must be at least 1 day")
