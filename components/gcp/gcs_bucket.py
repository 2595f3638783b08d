"""A Cloud Storage bucket for the app's uploads, private and encrypted with the stack's Cloud KMS key.

Uniform bucket-level access (IAM only, no object ACLs) and public access prevention enforced, as S3's
ownership controls and public access block; versioning with lifecycle rules, as the S3 bucket: current
objects expire after `expire_days`, replaced or deleted versions after `noncurrent_days`. Deleted objects
stay restorable for a week (soft delete). Only the runtime identity may read and write objects
(roles/storage.objectUser on this bucket); the objects are encrypted with the key by default, so the app
names no key. Autonamed: bucket names are global, and a random suffix keeps them apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
from pulumi_gcp import storage

OBJECT_USER = "roles/storage.objectUser"  # get, list, create, replace and delete objects
SOFT_DELETE_SECONDS = 7 * 86_400


@dataclass
class GcsBucketArgs:
    project: str  # the project of the bucket
    location: str  # the region: beside Cloud Run, no cross-region traffic
    kms_key_id: pulumi.Input[str]  # the CMEK that encrypts every object (its agent must hold a grant)
    object_user: pulumi.Input[str]  # "serviceAccount:<email>" of the identity that reads and writes
    expire_days: int  # live objects are deleted after this many days
    noncurrent_days: int  # replaced and deleted versions are kept this long
    force_destroy: bool  # destroy empties the bucket first (dev); otherwise it stops at data
    depends_on: Sequence[pulumi.Resource] = ()  # the key grant to Cloud Storage's service agent


class GcsBucket(pulumi.ComponentResource):
    bucket_name: pulumi.Output[str]

    def __init__(self, name: str, args: GcsBucketArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        if args.expire_days < 1 or args.noncurrent_days < 1:
            raise ValueError("GcsBucketArgs: expire_days and noncurrent_days must be at least 1")
        super().__init__("launchpad:gcs_bucket:GcsBucket", name, None, opts)
        bucket = storage.Bucket(
            f"{name}-bucket",
            project=args.project,
            location=args.location.upper(),
            storage_class="STANDARD",
            uniform_bucket_level_access=True,
            public_access_prevention="enforced",
            versioning=storage.BucketVersioningArgs(enabled=True),
            encryption=storage.BucketEncryptionArgs(default_kms_key_name=args.kms_key_id),
            lifecycle_rules=_lifecycle(args),
            soft_delete_policy=storage.BucketSoftDeletePolicyArgs(
                retention_duration_seconds=SOFT_DELETE_SECONDS
            ),
            force_destroy=args.force_destroy,
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(args.depends_on)),
        )
        storage.BucketIAMMember(
            f"{name}-object-user",
            bucket=bucket.name,
            role=OBJECT_USER,
            member=args.object_user,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.bucket_name = bucket.name
        self.register_outputs({"bucket_name": self.bucket_name})


def _lifecycle(args: GcsBucketArgs) -> list[storage.BucketLifecycleRuleArgs]:
    delete = storage.BucketLifecycleRuleActionArgs(type="Delete")
    return [
        storage.BucketLifecycleRuleArgs(
            action=delete,
            condition=storage.BucketLifecycleRuleConditionArgs(age=args.expire_days, with_state="LIVE"),
        ),
        storage.BucketLifecycleRuleArgs(
            action=delete,
            condition=storage.BucketLifecycleRuleConditionArgs(
                days_since_noncurrent_time=args.noncurrent_days, with_state="ARCHIVED"
            ),
        ),
    ]
