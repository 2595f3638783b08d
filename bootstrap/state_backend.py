"""The self-managed Pulumi backend: an S3 bucket for state and a KMS key for state and stack secrets.

The DIY backend keeps one stack's files under `.pulumi/stacks/<project>/<stack>.json*`,
`.pulumi/history/<project>/<stack>/`, `.pulumi/backups/<project>/<stack>/` and its lock under
`.pulumi/locks/organization/<project>/<stack>/`; `.pulumi/meta.yaml` says the layout. A role is given the
files of its own stacks only; a preview role reads its own stacks' files and writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

import pulumi

from components.aws.bucket import SecureBucket, SecureBucketArgs
from components.aws.encryption import Encryption, EncryptionArgs
from components.iam_policy import Statement

PROJECT = "launchpad"
STATE_ALIAS = "launchpad-pulumi-state"


@dataclass
class StateBackend:
    bucket_arn: pulumi.Output[str]
    bucket_name: pulumi.Output[str]
    key_arn: pulumi.Output[str]

    def backend_url(self, region: pulumi.Input[str]) -> pulumi.Output[str]:
        """The CLI's backend URL. ssetype and kmskeyid make the backend send the SSE-KMS headers on every
        write (gocloud.dev blob/s3blob, google/go-cloud@29ba348 s3blob.go:120-160, 794-797): the bucket's
        policy refuses an upload without them, so without these a `pulumi up` could save no checkpoint."""
        key = self.key_arn.apply(lambda arn: quote(arn, safe=""))
        return pulumi.Output.concat(
            "s3://", self.bucket_name, "?region=", region, "&awssdk=v2&ssetype=aws:kms&kmskeyid=", key
        )

    @staticmethod
    def secrets_provider(region: pulumi.Input[str]) -> pulumi.Output[str]:
        return pulumi.Output.concat(f"awskms://alias/{STATE_ALIAS}?region=", region)


def create_state_backend(name: str) -> StateBackend:
    # State is the record of every stack: kept on destroy, versioned, recoverable for 30 days.
    key = Encryption(f"{name}-state-key", EncryptionArgs(deletion_window_days=30, alias=STATE_ALIAS))
    bucket = SecureBucket(
        f"{name}-state",
        SecureBucketArgs(encryption="kms", kms_key_arn=key.key_arn, noncurrent_version_expire_days=90),
        opts=pulumi.ResourceOptions(protect=True),
    )
    return StateBackend(bucket.arn, bucket.bucket_name, key.key_arn)


def stack_paths(bucket_arn: pulumi.Output[str], stacks: Sequence[str]) -> list[pulumi.Output[str]]:
    """Every object of these stacks (a trailing * in a stack name matches a family: pr-*)."""
    tails = [t for s in stacks for t in ([s] if s.endswith("*") else [f"{s}.json*", f"{s}/*"])]
    return [pulumi.Output.concat(bucket_arn, f"/.pulumi/*/{PROJECT}/{tail}") for tail in tails]


def deploy_state_statements(backend: StateBackend, stacks: Sequence[str]) -> list[Statement]:
    meta = backend.bucket_arn.apply(lambda arn: f"{arn}/.pulumi/meta.yaml")
    return [
        Statement(sid="StateList", actions=["s3:ListBucket"], resources=[backend.bucket_arn]),
        Statement(sid="StateLayout", actions=["s3:GetObject"], resources=[meta]),
        Statement(
            sid="OwnStacksState",
            actions=["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            resources=stack_paths(backend.bucket_arn, stacks),
        ),
        Statement(
            sid="StateAndSecretsKey",
            actions=["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
            resources=[backend.key_arn],
        ),
    ]


def preview_state_statements(backend: StateBackend, stacks: Sequence[str]) -> list[Statement]:
    """Read these stacks' state and decrypt their secrets; write nothing (a preview takes no lock)."""
    meta = backend.bucket_arn.apply(lambda arn: f"{arn}/.pulumi/meta.yaml")
    return [
        Statement(sid="StateList", actions=["s3:ListBucket"], resources=[backend.bucket_arn]),
        Statement(
            sid="OwnStacksStateRead",
            actions=["s3:GetObject"],
            resources=[meta, *stack_paths(backend.bucket_arn, stacks)],
        ),
        Statement(
            sid="StackSecrets", actions=["kms:Decrypt", "kms:DescribeKey"], resources=[backend.key_arn]
        ),
    ]
