"""IAM roles and policies, Secrets Manager, KMS, S3 and ECR: names, sizes, windows."""

from __future__ import annotations

from cloud_facts.autonaming import NAME_PREFIX_SUFFIX_LENGTH
from cloud_facts.aws.cloudwatch import LOG_RETENTION_DAYS
from cloud_facts.checks import AllOf, Between, Count, Forbidden, JsonSize, Length, OneOf, Pattern
from policies.deploy.aws.common import API, TF
from policies.deploy.limit import Limit

_IAM = TF + "iam/"
IAM_NAME = Pattern(r"[\w+=,.@-]+", "letters, digits and +=,.@_-")
IDENTITY_LIMITS = (
    Limit("aws-iam-role-name", "aws:iam/role:Role", "name", AllOf([Length(64), IAM_NAME]), _IAM + "role.go"),
    Limit(
        "aws-iam-role-name-prefix",
        "aws:iam/role:Role",
        "namePrefix",
        Length(64 - NAME_PREFIX_SUFFIX_LENGTH),
        _IAM + "role.go",
    ),
    Limit(
        "aws-iam-trust-policy-size",
        "aws:iam/role:Role",
        "assumeRolePolicy",
        JsonSize(2048, "the trust policy"),
        API + "IAM/latest/UserGuide/reference_iam-quotas.html",
        at="up",
    ),
    Limit(
        "aws-iam-role-description",
        "aws:iam/role:Role",
        "description",
        Length(1000, 0),
        _IAM + "role.go (description: StringLenBetween(0, 1000))",
    ),
    Limit(
        "aws-iam-role-description-chars",
        "aws:iam/role:Role",
        "description",
        Pattern(r"[\t\n\r\x20-\x7e\xa1-\xff]*", "printable Latin-1 only (tab, newline allowed)"),
        API + "IAM/latest/APIReference/API_CreateRole.html (Description)",
        at="up",
    ),
    Limit(
        "aws-iam-role-session-duration",
        "aws:iam/role:Role",
        "maxSessionDuration",
        Between(3600, 43200),
        _IAM + "role.go (max_session_duration: IntBetween(3600, 43200))",
    ),
    Limit(
        "aws-iam-policy-attachment-arn",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "policyArn",
        Pattern(r"arn:aws[a-z-]*:iam::(aws|[0-9]{12}):policy/[\w+=,.@/-]+", "an IAM managed policy ARN"),
        _IAM + "role_policy_attachment.go (policy_arn: verify.ValidARN)",
    ),
    Limit(
        "aws-oidc-provider-url",
        "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
        "url",
        AllOf([Length(255), Pattern(r"https://[^\s?#]+", "an https:// URL without query or fragment")]),
        _IAM + "openid_connect_provider.go (url: validOpenIDURL)",
    ),
    Limit(
        "aws-oidc-client-id-count",
        "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
        "clientIdLists",
        Count(100),
        API + "IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html (ClientIDList)",
        at="up",
    ),
    Limit(
        "aws-oidc-client-id",
        "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
        "clientIdLists[]",
        Length(255),
        _IAM + "openid_connect_provider.go (client_id_list: StringLenBetween(1, 255))",
    ),
    Limit(
        "aws-iam-role-policy-name",
        "aws:iam/rolePolicy:RolePolicy",
        "name",
        AllOf([Length(128), IAM_NAME]),
        _IAM + "role_policy.go",
    ),
    Limit(
        "aws-iam-policy-name",
        "aws:iam/policy:Policy",
        "name",
        AllOf([Length(128), IAM_NAME]),
        _IAM + "policy.go",
    ),
    Limit(
        "aws-iam-policy-description",
        "aws:iam/policy:Policy",
        "description",
        Length(1000, 0),
        API + "IAM/latest/APIReference/API_CreatePolicy.html (Description: at most 1000 characters)",
    ),
    Limit(
        "aws-iam-managed-policy-size",
        "aws:iam/policy:Policy",
        "policy",
        JsonSize(6144, "the managed policy"),
        API + "IAM/latest/UserGuide/reference_iam-quotas.html (Managed policy size)",
        at="up",
    ),
    Limit(
        "aws-kms-alias",
        "aws:kms/alias:Alias",
        "name",
        AllOf(
            [
                Length(256),
                Pattern(r"alias/[a-zA-Z0-9:/_-]+", "alias/ then letters, digits and :/_-"),
                Forbidden(r"^alias/aws", "alias/aws is reserved for AWS"),
            ]
        ),
        TF + "kms/validate.go (validName)",
    ),
    Limit("aws-kms-description", "aws:kms/key:Key", "description", Length(8192, 0), TF + "kms/key.go"),
    Limit(
        "aws-kms-deletion-window",
        "aws:kms/key:Key",
        "deletionWindowInDays",
        Between(7, 30),
        TF + "kms/key.go",
    ),
    Limit(
        "aws-secret-name",
        "aws:secretsmanager/secret:Secret",
        "name",
        AllOf([Length(512), Pattern(r"[0-9A-Za-z/_+=.@-]+", "letters, digits and /_+=.@-")]),
        TF + "secretsmanager/validate.go",
    ),
    Limit(
        "aws-secret-description",
        "aws:secretsmanager/secret:Secret",
        "description",
        Length(2048, 0),
        API + "secretsmanager/latest/apireference/API_CreateSecret.html",
        at="up",
    ),
    Limit(
        "aws-secret-recovery-window",
        "aws:secretsmanager/secret:Secret",
        "recoveryWindowInDays",
        OneOf((0, *range(7, 31))),
        TF + "secretsmanager/secret.go",
    ),
)

STORAGE_LIMITS = (
    Limit(
        "aws-s3-bucket-name",
        "aws:s3/bucket:Bucket",
        "bucket",
        AllOf(
            [
                Length(63, minimum=3),
                Pattern(r"[a-z0-9][a-z0-9.-]*[a-z0-9]", "lower-case letters, digits, . and -"),
                Forbidden(r"\.\.|^\d+\.\d+\.\d+\.\d+$", "no .. and not an IP address"),
            ]
        ),
        TF + "s3/bucket.go (validBucketName, at create)",
        at="up",
    ),
    Limit(
        "aws-s3-bucket-prefix",
        "aws:s3/bucket:Bucket",
        "bucketPrefix",
        AllOf(
            [
                Length(63 - NAME_PREFIX_SUFFIX_LENGTH),
                Pattern(r"[a-z0-9][a-z0-9.-]*", "lower-case letters, digits, . and -"),
            ]
        ),
        TF + "s3/bucket.go (bucket_prefix: 63 less the 26 characters Terraform appends)",
    ),
    Limit(
        "aws-s3-lifecycle-rule-id",
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "rules[].id",
        Length(255),
        API + "AmazonS3/latest/API/API_LifecycleRule.html",
        at="up",
    ),
    Limit(
        "aws-ecr-repository-name",
        "aws:ecr/repository:Repository",
        "name",
        AllOf(
            [
                Length(256, minimum=2),
                Pattern(
                    r"(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*",
                    "lower-case letters and digits, separated by single . _ - or /",
                ),
            ]
        ),
        API + "AmazonECR/latest/APIReference/API_CreateRepository.html",
        at="up",
    ),
    Limit(
        "aws-log-group-name",
        "aws:cloudwatch/logGroup:LogGroup",
        "name",
        AllOf([Length(512), Pattern(r"[0-9A-Za-z_./#-]+", "letters, digits and _./#-")]),
        TF + "logs/validate.go",
    ),
    Limit(
        "aws-log-retention",
        "aws:cloudwatch/logGroup:LogGroup",
        "retentionInDays",
        OneOf((0, *LOG_RETENTION_DAYS)),
        TF + "logs/group.go",
    ),
)
