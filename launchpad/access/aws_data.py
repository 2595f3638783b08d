"""Permission rows for the data tier: RDS, ElastiCache, S3, Secrets Manager and KMS.

Where a service acts with the caller's rights (RDS creating and rotating the managed master-password secret,
RDS/ElastiCache/ECR taking grants on a customer managed key, Secrets Manager encrypting a value), the
caller needs those permissions too; those rows cite the service's guide.
"""

from __future__ import annotations

from launchpad.access.model import ANY, Need, Op, When, input_set, row
from launchpad.access.sources import TAG_ON_CREATE, pike, sar

RDS, ELASTICACHE, S3 = sar("amazonrds"), sar("amazonelasticache"), sar("amazons3")
SECRETS, KMS = sar("awssecretsmanager"), sar("awskeymanagementservice")
RDS_TAGS = ("rds:AddTagsToResource", "rds:RemoveTagsFromResource")
ELASTICACHE_TAGS = ("elasticache:AddTagsToResource", "elasticache:RemoveTagsFromResource")
RDS_ARN = "arn:{partition}:rds:{region}:{account}:"
RDS_MANAGED_LOGIN_ARN = "arn:{partition}:secretsmanager:{region}:{account}:secret:rds!db-{uuid}-AbCdEf"
RDS_LOGIN_MANAGEMENT_GUIDE = (
    "Amazon RDS User Guide, 'Password management with Amazon RDS and AWS Secrets Manager', section "
    "'Permissions required for Secrets Manager integration': creating, modifying or deleting an instance "
    "with ManageMasterUserPassword makes RDS create, tag, rotate and delete the rds!db-... secret with the "
    "caller's permissions, and encrypt it with the caller's use of the key named in MasterUserSecretKmsKeyId"
)
KMS_GRANTS = (
    "AWS KMS Developer Guide, 'How AWS services use AWS KMS': services that encrypt with a customer managed "
    "key create a grant on it with the caller's permissions (kms:CreateGrant with kms:GrantIsForAWSResource)"
)


def _key_use_by(service: str, path: str) -> tuple[Need, ...]:
    """What the caller needs on the key in `path` when `service` encrypts with it on the caller's behalf."""
    via = {"kms:ViaService": f"{service}.{{region}}.amazonaws.com"}
    return (
        Need("kms:DescribeKey", f"input:{path}"),
        Need("kms:CreateGrant", f"input:{path}", {**via, "kms:GrantIsForAWSResource": "true"}),
    )


def _secret_value_key_use(path: str) -> tuple[Need, ...]:
    via = {"kms:ViaService": "secretsmanager.{region}.amazonaws.com"}
    return (Need("kms:GenerateDataKey", f"input:{path}", via), Need("kms:Decrypt", f"input:{path}", via))


MANAGED_MASTER_SECRET = When(
    input_set("manageMasterUserPassword"),
    "RDS manages the master password in Secrets Manager (an rds!db-... secret, with the caller's rights)",
    {
        Op.CREATE: (
            Need("secretsmanager:CreateSecret", RDS_MANAGED_LOGIN_ARN),
            Need("secretsmanager:TagResource", RDS_MANAGED_LOGIN_ARN),
            Need("secretsmanager:RotateSecret", RDS_MANAGED_LOGIN_ARN),
            Need("secretsmanager:DescribeSecret", RDS_MANAGED_LOGIN_ARN),
            *_secret_value_key_use("masterUserSecretKmsKeyId"),
        ),
        Op.UPDATE: (
            Need("secretsmanager:RotateSecret", RDS_MANAGED_LOGIN_ARN),
            Need("secretsmanager:UpdateSecret", RDS_MANAGED_LOGIN_ARN),
            *_secret_value_key_use("masterUserSecretKmsKeyId"),
        ),
        Op.DELETE: (Need("secretsmanager:DeleteSecret", RDS_MANAGED_LOGIN_ARN),),
    },
)

ROWS = (
    row(
        "aws:rds/instance:Instance",
        sources=(pike("rds/aws_db_instance"), RDS, RDS_LOGIN_MANAGEMENT_GUIDE, KMS_GRANTS, TAG_ON_CREATE),
        arn=RDS_ARN + "db:{output:identifier}",
        create=(
            "rds:CreateDBInstance",
            Need(
                "iam:CreateServiceLinkedRole",
                "arn:{partition}:iam::{account}:role/aws-service-role/rds.amazonaws.com/AWSServiceRoleForRDS",
                {"iam:AWSServiceName": "rds.amazonaws.com"},
            ),
            *_key_use_by("rds", "kmsKeyId"),
        ),
        read=("rds:DescribeDBInstances",),
        update=("rds:ModifyDBInstance", "rds:RebootDBInstance"),
        delete=("rds:DeleteDBInstance", "rds:DescribeDBInstances"),
        tag=RDS_TAGS,
        tag_read=("rds:ListTagsForResource",),
        when=(
            MANAGED_MASTER_SECRET,
            When(
                input_set("monitoringRoleArn"),
                "enhanced monitoring runs with a role RDS is passed",
                {
                    Op.CREATE: (
                        Need(
                            "iam:PassRole",
                            "input:monitoringRoleArn",
                            {"iam:PassedToService": "monitoring.rds.amazonaws.com"},
                        ),
                    ),
                    Op.UPDATE: (
                        Need(
                            "iam:PassRole",
                            "input:monitoringRoleArn",
                            {"iam:PassedToService": "monitoring.rds.amazonaws.com"},
                        ),
                    ),
                },
            ),
            When(
                input_set("performanceInsightsKmsKeyId"),
                "Performance Insights encrypted with the stack's key",
                {Op.CREATE: _key_use_by("rds", "performanceInsightsKmsKeyId")},
            ),
            When(
                input_set("finalSnapshotIdentifier"),
                "a final snapshot on delete",
                {
                    Op.DELETE: (
                        Need("rds:CreateDBSnapshot", RDS_ARN + "snapshot:{input:finalSnapshotIdentifier}"),
                    )
                },
            ),
        ),
    ),
    row(
        "aws:rds/parameterGroup:ParameterGroup",
        sources=(pike("rds/aws_db_parameter_group"), RDS, TAG_ON_CREATE),
        arn=RDS_ARN + "pg:{output:name}",
        create=("rds:CreateDBParameterGroup", "rds:ModifyDBParameterGroup"),
        read=("rds:DescribeDBParameterGroups", "rds:DescribeDBParameters"),
        update=("rds:ModifyDBParameterGroup", "rds:ResetDBParameterGroup"),
        delete=("rds:DeleteDBParameterGroup",),
        tag=RDS_TAGS,
        tag_read=("rds:ListTagsForResource",),
    ),
    row(
        "aws:rds/subnetGroup:SubnetGroup",
        sources=(pike("rds/aws_db_subnet_group"), RDS, TAG_ON_CREATE),
        arn=RDS_ARN + "subgrp:{output:name}",
        create=("rds:CreateDBSubnetGroup",),
        read=("rds:DescribeDBSubnetGroups",),
        update=("rds:ModifyDBSubnetGroup",),
        delete=("rds:DeleteDBSubnetGroup",),
        tag=RDS_TAGS,
        tag_read=("rds:ListTagsForResource",),
    ),
    row(
        "aws:elasticache/replicationGroup:ReplicationGroup",
        sources=(
            pike("elasticache/aws_elasticache_replication_group"),
            ELASTICACHE,
            KMS_GRANTS,
            TAG_ON_CREATE,
        ),
        arn="arn:{partition}:elasticache:{region}:{account}:replicationgroup:{input:replicationGroupId}",
        create=(
            "elasticache:CreateReplicationGroup",
            Need(
                "iam:CreateServiceLinkedRole",
                "arn:{partition}:iam::{account}:role/aws-service-role/elasticache.amazonaws.com/"
                "AWSServiceRoleForElastiCache",
                {"iam:AWSServiceName": "elasticache.amazonaws.com"},
            ),
            *_key_use_by("elasticache", "kmsKeyId"),
        ),
        read=("elasticache:DescribeReplicationGroups", Need("elasticache:DescribeCacheClusters", ANY)),
        update=("elasticache:ModifyReplicationGroup",),
        delete=("elasticache:DeleteReplicationGroup",),
        tag=ELASTICACHE_TAGS,
        tag_read=("elasticache:ListTagsForResource",),
    ),
    row(
        "aws:elasticache/subnetGroup:SubnetGroup",
        sources=(pike("elasticache/aws_elasticache_subnet_group"), ELASTICACHE, TAG_ON_CREATE),
        arn="arn:{partition}:elasticache:{region}:{account}:subnetgroup:{output:name}",
        create=("elasticache:CreateCacheSubnetGroup",),
        read=("elasticache:DescribeCacheSubnetGroups",),
        update=("elasticache:ModifyCacheSubnetGroup",),
        delete=("elasticache:DeleteCacheSubnetGroup",),
        tag=ELASTICACHE_TAGS,
        tag_read=("elasticache:ListTagsForResource",),
    ),
    row(
        "aws:s3/bucket:Bucket",
        sources=(pike("s3/aws_s3_bucket"), S3),
        arn="arn:{partition}:s3:::{output:bucket}",
        create=("s3:CreateBucket",),
        # The provider reads every bucket sub-configuration on refresh (pike's "plan" list).
        read=(
            "s3:ListBucket",
            "s3:GetBucketAcl",
            "s3:GetBucketCORS",
            "s3:GetBucketWebsite",
            "s3:GetBucketVersioning",
            "s3:GetAccelerateConfiguration",
            "s3:GetBucketRequestPayment",
            "s3:GetBucketLogging",
            "s3:GetLifecycleConfiguration",
            "s3:GetReplicationConfiguration",
            "s3:GetEncryptionConfiguration",
            "s3:GetBucketObjectLockConfiguration",
            "s3:GetBucketPolicy",
        ),
        delete=("s3:DeleteBucket",),
        tag=("s3:PutBucketTagging",),
        tag_read=("s3:GetBucketTagging",),
        when=(
            When(
                input_set("forceDestroy"),
                "forceDestroy empties the bucket (every object version) before deleting it",
                {
                    Op.DELETE: (
                        "s3:ListBucketVersions",
                        Need("s3:DeleteObject", "arn:{partition}:s3:::{output:bucket}/example-object"),
                        Need("s3:DeleteObjectVersion", "arn:{partition}:s3:::{output:bucket}/example-object"),
                    )
                },
            ),
        ),
    ),
    *(
        row(
            type_,
            sources=(pike(f"s3/{terraform}"), S3),
            arn="arn:{partition}:s3:::{input:bucket}",
            create=(put,),
            read=(get,),
            update=(put,),
            delete=(remove,),
        )
        for type_, terraform, put, get, remove in (
            (
                "aws:s3/bucketVersioning:BucketVersioning",
                "aws_s3_bucket_versioning",
                "s3:PutBucketVersioning",
                "s3:GetBucketVersioning",
                "s3:PutBucketVersioning",
            ),
            (
                "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                "aws_s3_bucket_public_access_block",
                "s3:PutBucketPublicAccessBlock",
                "s3:GetBucketPublicAccessBlock",
                "s3:PutBucketPublicAccessBlock",
            ),
            (
                "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
                "aws_s3_bucket_ownership_controls",
                "s3:PutBucketOwnershipControls",
                "s3:GetBucketOwnershipControls",
                "s3:PutBucketOwnershipControls",
            ),
            (
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                "aws_s3_bucket_server_side_encryption_configuration",
                "s3:PutEncryptionConfiguration",
                "s3:GetEncryptionConfiguration",
                "s3:PutEncryptionConfiguration",
            ),
            (
                "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                "aws_s3_bucket_lifecycle_configuration",
                "s3:PutLifecycleConfiguration",
                "s3:GetLifecycleConfiguration",
                "s3:PutLifecycleConfiguration",
            ),
            (
                "aws:s3/bucketLogging:BucketLogging",
                "aws_s3_bucket_logging",
                "s3:PutBucketLogging",
                "s3:GetBucketLogging",
                "s3:PutBucketLogging",
            ),
            (
                "aws:s3/bucketPolicy:BucketPolicy",
                "aws_s3_bucket_policy",
                "s3:PutBucketPolicy",
                "s3:GetBucketPolicy",
                "s3:DeleteBucketPolicy",
            ),
        )
    ),
    row(
        "aws:secretsmanager/secret:Secret",
        sources=(pike("secretsmanager/aws_secretsmanager_secret"), SECRETS, TAG_ON_CREATE),
        arn="{output:arn}",
        create=("secretsmanager:CreateSecret",),
        read=("secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy"),
        update=("secretsmanager:UpdateSecret",),
        delete=("secretsmanager:DeleteSecret",),
        tag=("secretsmanager:TagResource", "secretsmanager:UntagResource"),
    ),
    row(
        "aws:secretsmanager/secretVersion:SecretVersion",
        sources=(pike("secretsmanager/aws_secretsmanager_secret_version"), SECRETS),
        arn="{input:secretId}",
        create=("secretsmanager:PutSecretValue",),
        read=("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"),
        update=("secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"),
        delete=("secretsmanager:UpdateSecretVersionStage", "secretsmanager:DescribeSecret"),
        note="the value is encrypted with the secret's key through Secrets Manager (kms:ViaService)",
    ),
    row(
        "aws:kms/key:Key",
        sources=(pike("kms/aws_kms_key"), KMS, TAG_ON_CREATE),
        arn="arn:{partition}:kms:{region}:{account}:key/{id}",
        create=(Need("kms:CreateKey", ANY), "kms:EnableKeyRotation"),
        read=("kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus"),
        update=("kms:PutKeyPolicy", "kms:UpdateKeyDescription", "kms:EnableKeyRotation"),
        delete=("kms:ScheduleKeyDeletion",),
        tag=("kms:TagResource", "kms:UntagResource"),
        tag_read=("kms:ListResourceTags",),
    ),
    row(
        "aws:kms/alias:Alias",
        sources=(pike("kms/aws_kms_alias"), KMS),
        arn="arn:{partition}:kms:{region}:{account}:{id}",
        create=(
            "kms:CreateAlias",
            Need("kms:CreateAlias", "arn:{partition}:kms:{region}:{account}:key/{input:targetKeyId}"),
        ),
        read=(Need("kms:ListAliases", ANY),),
        update=(
            "kms:UpdateAlias",
            Need("kms:UpdateAlias", "arn:{partition}:kms:{region}:{account}:key/{input:targetKeyId}"),
        ),
        delete=(
            "kms:DeleteAlias",
            Need("kms:DeleteAlias", "arn:{partition}:kms:{region}:{account}:key/{input:targetKeyId}"),
        ),
    ),
)
