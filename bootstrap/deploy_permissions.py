"""What a deploy role may do: the AWS services the Launchpad program uses, and IAM only on its own names.

Service actions are grouped by verb (`ecs:Create*`), never `service:*` and never `*:*`; every action that
could widen access is scoped: IAM to the `launchpad-<stack>-*` roles and policies of the role's stacks
(so a deploy role can never edit the bootstrap's own `github-launchpad-*` roles), iam:PassRole only to
those roles and only to the services that run them, managed-policy attachment only of the stacks' own
policies and the one AWS policy the program attaches, S3 and Secrets Manager by the stacks' name prefixes.
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi

from components.iam_policy import Condition, Statement

# RDS and ElastiCache share their API's shape: describe, create, modify, delete, tag.
_DATABASE_VERBS = (
    "Describe*", "List*", "Create*", "Delete*", "Modify*", "AddTagsToResource", "RemoveTagsFromResource",
)  # fmt: skip
# Every action below is one the permission closure (launchpad/access) found a planned resource needs; the
# closure evaluates these documents against the plan, so a grant missing here fails `make test`.
# Services whose resources carry generated names and ids: grouped verbs on every resource.
SERVICE_ACTIONS: dict[str, tuple[str, ...]] = {
    "ec2": (
        "Describe*",
        "Get*",
        "Create*",
        "Delete*",
        "Modify*",
        "Associate*",
        "Disassociate*",
        "Attach*",
        "Detach*",
        "Authorize*",
        "Revoke*",
        "Replace*",
        "AllocateAddress",
        "ReleaseAddress",
        "UpdateSecurityGroupRuleDescriptions*",
    ),
    "ecs": (
        "Describe*",
        "List*",
        "Create*",
        "Delete*",
        "Update*",
        "Put*",
        "RegisterTaskDefinition",
        "DeregisterTaskDefinition",
        "TagResource",
        "UntagResource",
    ),
    "ecr": (
        "Describe*",
        "List*",
        "Get*",
        "BatchGetImage",
        "BatchCheckLayerAvailability",
        "BatchDeleteImage",
        "CreateRepository",
        "DeleteRepository",
        "Put*",
        "SetRepositoryPolicy",
        "DeleteLifecyclePolicy",
        "DeleteRepositoryPolicy",
        "InitiateLayerUpload",
        "UploadLayerPart",
        "CompleteLayerUpload",
        "TagResource",
        "UntagResource",
    ),
    "elasticloadbalancing": ("Describe*", "Create*", "Delete*", "Modify*", "Set*", "AddTags", "RemoveTags"),
    "cloudfront": (
        "Get*",
        "List*",
        "Create*",
        "Delete*",
        "Update*",
        "TagResource",
        "UntagResource",
        # The distribution's access logs are a vended-log delivery (components/aws/vended_logs.py).
        "AllowVendedLogDeliveryForResource",
    ),
    "wafv2": (
        "Get*",
        "List*",
        "Create*",
        "Delete*",
        "Update*",
        "Associate*",
        "Disassociate*",
        "PutLoggingConfiguration",
        "TagResource",
        "UntagResource",
    ),
    "rds": (*_DATABASE_VERBS, "RebootDBInstance", "ResetDBParameterGroup"),
    "elasticache": _DATABASE_VERBS,
    "logs": (
        "Describe*",
        "List*",
        "CreateLogGroup",
        "DeleteLogGroup",
        "PutRetentionPolicy",
        "DeleteRetentionPolicy",
        "AssociateKmsKey",
        "DisassociateKmsKey",
        "TagResource",
        "UntagResource",
        # WAF logging to CloudWatch Logs is a vended log delivery made with the caller's rights (AWS WAF
        # Developer Guide, "Permissions required to publish logs to CloudWatch Logs").
        "CreateLogDelivery",
        "GetLogDelivery",
        "UpdateLogDelivery",
        "DeleteLogDelivery",
        "PutResourcePolicy",
        # Vended logs V2 (the distribution's access logs): source, destination and the delivery pairing them.
        "PutDeliverySource",
        "GetDeliverySource",
        "DeleteDeliverySource",
        "PutDeliveryDestination",
        "GetDeliveryDestination",
        "DeleteDeliveryDestination",
        "CreateDelivery",
        "GetDelivery",
        "UpdateDeliveryConfiguration",
        "DeleteDelivery",
    ),
    "sns": (
        "Get*",
        "List*",
        "CreateTopic",
        "DeleteTopic",
        "SetTopicAttributes",
        "Subscribe",
        "Unsubscribe",
        "SetSubscriptionAttributes",
        "TagResource",
        "UntagResource",
    ),
    "cloudwatch": ("Describe*", "Get*", "List*", "Put*", "Delete*", "TagResource", "UntagResource"),
    "scheduler": (
        "Get*",
        "List*",
        "CreateSchedule",
        "UpdateSchedule",
        "DeleteSchedule",
        "TagResource",
        "UntagResource",
    ),
    "application-autoscaling": (
        "Describe*",
        "List*",
        "Register*",
        "Deregister*",
        "Put*",
        "Delete*",
        "TagResource",
        "UntagResource",
    ),
    "acm": (
        "Describe*",
        "List*",
        "Get*",
        "RequestCertificate",
        "DeleteCertificate",
        "AddTagsToCertificate",
        "RemoveTagsFromCertificate",
    ),
    "route53": ("Get*", "List*", "ChangeResourceRecordSets"),
    # The provider lists a budget's tags on every read (its tagging interceptor): ListTagsForResource.
    "budgets": (
        "View*",
        "Describe*",
        "ModifyBudget",
        "CreateBudgetAction",
        "DeleteBudgetAction",
        "ListTagsForResource",
        "TagResource",
        "UntagResource",
    ),
    "ce": (
        "Get*",
        "List*",
        "Describe*",
        "UpdateCostAllocationTagsStatus",
        "CreateAnomalyMonitor",
        "UpdateAnomalyMonitor",
        "DeleteAnomalyMonitor",
        "CreateAnomalySubscription",
        "UpdateAnomalySubscription",
        "DeleteAnomalySubscription",
        "TagResource",
        "UntagResource",
    ),
    "kms": (
        "CreateKey",
        "Describe*",
        "Get*",
        "List*",
        "EnableKeyRotation",
        "PutKeyPolicy",
        "ScheduleKeyDeletion",
        "UpdateKeyDescription",
        "TagResource",
        "UntagResource",
        "CreateAlias",
        "DeleteAlias",
        "UpdateAlias",
    ),
}
# Services that run the roles the program creates: the only ones a role may be passed to.
PASS_ROLE_SERVICES = (
    "ecs-tasks.amazonaws.com",
    "scheduler.amazonaws.com",
    "vpc-flow-logs.amazonaws.com",
    "monitoring.rds.amazonaws.com",
    "application-autoscaling.amazonaws.com",
)
# Service-linked roles the services create on first use.
SERVICE_LINKED = (
    "ecs.amazonaws.com", "elasticloadbalancing.amazonaws.com", "rds.amazonaws.com",
    "elasticache.amazonaws.com", "ecs.application-autoscaling.amazonaws.com",
    "vpcorigin.cloudfront.amazonaws.com",
)  # fmt: skip
# The one AWS managed policy the program attaches (RDS enhanced monitoring).
AWS_MANAGED_ATTACHED = ("arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",)
ROLE_ACTIONS = (
    "iam:GetRole", "iam:CreateRole", "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy",
    "iam:UpdateRoleDescription", "iam:TagRole", "iam:UntagRole", "iam:ListRoleTags",
    "iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy",
    "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole",
)  # fmt: skip
POLICY_ACTIONS = (
    "iam:GetPolicy", "iam:CreatePolicy", "iam:DeletePolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions",
    "iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:TagPolicy", "iam:UntagPolicy",
)  # fmt: skip


def name_patterns(stacks: Sequence[str], separator: str = "-") -> list[str]:
    """`launchpad-dev-*` for `dev`; `launchpad-pr-*` for `pr-*` (the pattern already ends in a wildcard)."""
    return [
        f"launchpad{separator}{s}" if s.endswith("*") else f"launchpad{separator}{s}{separator}*"
        for s in stacks
    ]


def _iam_arns(account: pulumi.Input[str], kind: str, stacks: Sequence[str]) -> list[pulumi.Output[str]]:
    return [pulumi.Output.concat("arn:aws:iam::", account, f":{kind}/", p) for p in name_patterns(stacks)]


def service_statements() -> list[Statement]:
    return [
        Statement(
            sid=f"Service{service.title().replace('-', '')}",
            actions=[f"{service}:{verb}" for verb in verbs],
            resources=["*"],
        )
        for service, verbs in SERVICE_ACTIONS.items()
    ]


def iam_statements(account: pulumi.Input[str], stacks: Sequence[str]) -> list[Statement]:
    roles, policies = _iam_arns(account, "role", stacks), _iam_arns(account, "policy", stacks)
    return [
        Statement(sid="StackRoles", actions=list(ROLE_ACTIONS), resources=roles),
        Statement(sid="StackPolicies", actions=list(POLICY_ACTIONS), resources=policies),
        Statement(
            sid="AttachOnlyKnownPolicies",
            actions=["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
            resources=roles,
            conditions=[Condition("ArnLike", "iam:PolicyARN", [*policies, *AWS_MANAGED_ATTACHED])],
        ),
        Statement(
            sid="PassStackRolesToTheirServices",
            actions=["iam:PassRole"],
            resources=roles,
            conditions=[Condition("StringEquals", "iam:PassedToService", list(PASS_ROLE_SERVICES))],
        ),
        Statement(
            sid="ServiceLinkedRoles",
            actions=["iam:CreateServiceLinkedRole"],
            resources=[pulumi.Output.concat("arn:aws:iam::", account, ":role/aws-service-role/*")],
            conditions=[Condition("StringEquals", "iam:AWSServiceName", list(SERVICE_LINKED))],
        ),
    ]


def data_statements(account: pulumi.Input[str], stacks: Sequence[str]) -> list[Statement]:
    """Buckets and secrets carry the stack in their names: the role reaches only its stacks'."""
    buckets = [f"arn:aws:s3:::{p}" for p in name_patterns(stacks)]
    secrets = [
        pulumi.Output.concat("arn:aws:secretsmanager:*:", account, ":secret:", p)
        for p in name_patterns(stacks, separator="/")
    ]
    return [
        Statement(sid="StackBuckets", actions=["s3:*"], resources=[*buckets, *(f"{b}/*" for b in buckets)]),
        Statement(
            sid="StackSecrets",
            actions=[
                "secretsmanager:CreateSecret",
                "secretsmanager:DeleteSecret",
                "secretsmanager:DescribeSecret",
                "secretsmanager:GetSecretValue",
                "secretsmanager:PutSecretValue",
                "secretsmanager:UpdateSecret",
                "secretsmanager:UpdateSecretVersionStage",
                "secretsmanager:GetResourcePolicy",
                "secretsmanager:ListSecretVersionIds",
                "secretsmanager:TagResource",
                "secretsmanager:UntagResource",
                "secretsmanager:RestoreSecret",
            ],
            resources=secrets,
        ),
        Statement(
            # RDS creates, tags, rotates and deletes the managed master-password secret (rds!db-...) with the
            # caller's permissions (Amazon RDS User Guide, "Permissions required for Secrets Manager
            # integration"). Never its value: no GetSecretValue or PutSecretValue here.
            sid="RdsManagedMasterSecrets",
            actions=[
                "secretsmanager:CreateSecret",
                "secretsmanager:TagResource",
                "secretsmanager:RotateSecret",
                "secretsmanager:DescribeSecret",
                "secretsmanager:UpdateSecret",
                "secretsmanager:DeleteSecret",
            ],
            resources=[pulumi.Output.concat("arn:aws:secretsmanager:*:", account, ":secret:rds!db-*")],
        ),
        Statement(sid="ListSecrets", actions=["secretsmanager:ListSecrets"], resources=["*"]),
        Statement(
            # Writing and refreshing a secret's value: the caller's key use, only through Secrets Manager.
            sid="KeysThroughSecretsManager",
            actions=["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"],
            resources=["*"],
            conditions=[Condition("StringLike", "kms:ViaService", ["secretsmanager.*.amazonaws.com"])],
        ),
        Statement(
            # A schedule encrypted with the stack's key: Scheduler uses the key with the caller's rights at
            # create and update (Scheduler User Guide, security_iam_id-based-policy-examples.html).
            sid="KeysThroughSchedulerForStackSchedules",
            actions=["kms:GenerateDataKey", "kms:Decrypt"],
            resources=["*"],
            conditions=[
                Condition("StringLike", "kms:ViaService", ["scheduler.*.amazonaws.com"]),
                Condition(
                    "StringLike",
                    "kms:EncryptionContext:aws:scheduler:schedule:arn",
                    [
                        pulumi.Output.concat("arn:aws:scheduler:*:", account, ":schedule/default/", p)
                        for p in name_patterns(stacks)
                    ],
                ),
            ],
        ),
        Statement(
            sid="GrantsForAwsResources",
            actions=["kms:CreateGrant", "kms:RevokeGrant"],
            resources=["*"],
            conditions=[Condition("Bool", "kms:GrantIsForAWSResource", ["true"])],
        ),
        Statement(
            # Deleting a KMS-encrypted ECR repository retires the grant ECR holds, through ECR.
            sid="RetireGrantsThroughServices",
            actions=["kms:RetireGrant"],
            resources=["*"],
            conditions=[Condition("StringLike", "kms:ViaService", ["ecr.*.amazonaws.com"])],
        ),
    ]
