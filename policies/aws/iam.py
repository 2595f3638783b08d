"""IAM documents: named actions, scoped resources, no privilege escalation or bulk exfiltration."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from policies.base import Props, as_list, configured_rule, resource_rule, statements
from policies.meta import RuleMeta

POLICY_TYPES = ("aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy")
# Actions with no resource-level permissions: "Resource": "*" is the only way to grant them
# (Service Authorization Reference: no resource types listed for the action).
UNSCOPABLE_ACTIONS = (
    "ecr:GetAuthorizationToken",
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
    "cloudwatch:PutMetricData",
    "logs:DescribeLogGroups",
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
)
# Actions that let a principal raise its own privileges (Checkov CKV_AWS_286, Rhino Security's list).
ESCALATION_ACTIONS = (
    "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:AttachRolePolicy", "iam:AttachUserPolicy",
    "iam:PutRolePolicy", "iam:PutUserPolicy", "iam:CreateAccessKey", "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile", "iam:UpdateAssumeRolePolicy", "iam:AddUserToGroup", "iam:*",
)  # fmt: skip
# Actions that read data or secrets: on "*" they reach every bucket, secret or key (CKV_AWS_288).
EXFILTRATION_ACTIONS = (
    "s3:GetObject", "secretsmanager:GetSecretValue", "ssm:GetParameter", "ssm:GetParameters", "kms:Decrypt",
    "s3:*", "secretsmanager:*", "kms:*",
)  # fmt: skip


def _allows(policy_props: Props) -> list[dict[str, Any]]:
    return [s for s in statements(policy_props.get("policy")) if s.get("Effect") == "Allow"]


def _star_actions(props: Props) -> list[str]:
    return [
        f"statement {s.get('Sid', '?')} allows every action"
        for s in _allows(props)
        if any(a in ("*", "*:*") for a in as_list(s.get("Action", [])))
    ]


def _star_resources(props: Props, config: Any) -> list[str]:
    allowed = set(UNSCOPABLE_ACTIONS) | set(config.get("unscopableActions") or [])
    problems = []
    for s in _allows(props):
        if "*" in as_list(s.get("Resource", [])):
            scoped = [a for a in as_list(s.get("Action", [])) if a not in allowed]
            if scoped:
                problems.append(f"statement {s.get('Sid', '?')} grants {scoped} on every resource")
    return problems


def _escalation(props: Props) -> list[str]:
    problems = []
    for s in _allows(props):
        actions = set(as_list(s.get("Action", [])))
        resources = as_list(s.get("Resource", []))
        risky = sorted(actions & set(ESCALATION_ACTIONS))
        if "iam:PassRole" in actions and "*" in resources:
            risky.append("iam:PassRole on *")
        if "*" in resources:
            risky += sorted(actions & set(EXFILTRATION_ACTIONS))
        if risky:
            problems.append(f"statement {s.get('Sid', '?')} allows {risky}")
    return problems


IAM_POLICIES = [
    resource_rule(
        RuleMeta(
            "iam-no-star-actions",
            "No policy allows every action.",
            Severity.CRITICAL,
            "Name the actions (components.iam_policy.Statement refuses '*').",
            checkov=("CKV_AWS_62", "CKV_AWS_63"),
            fsbp=("IAM.1", "IAM.21"),
            cis=("1.16",),
        ),
        POLICY_TYPES,
        _star_actions,
    ),
    configured_rule(
        RuleMeta(
            "iam-scoped-resources",
            "Actions that can be scoped to a resource are.",
            Severity.HIGH,
            "Name the ARNs; only actions without resource-level permissions may use '*'.",
            checkov=("CKV_AWS_355",),
        ),
        POLICY_TYPES,
        _star_resources,
        {"unscopableActions": {"type": "array", "items": {"type": "string"}}},
    ),
    resource_rule(
        RuleMeta(
            "iam-no-escalation-or-exfiltration",
            "No policy lets a role raise its privileges or read every bucket, secret or key.",
            Severity.CRITICAL,
            "Drop the action, or scope it to the few resources it needs.",
            checkov=("CKV_AWS_286", "CKV_AWS_287", "CKV_AWS_288", "CKV_AWS_289", "CKV_AWS_290"),
        ),
        POLICY_TYPES,
        _escalation,
    ),
]
