"""Keys, logs, secrets and notifications: rotated keys, expiring encrypted logs, alarms that tell someone."""

from __future__ import annotations

import re
from typing import Any

from pulumi_policy import Severity

from policies.base import Props, as_list, require, require_set, resource_rule, statements
from policies.meta import RuleMeta

KEY = "aws:kms/key:Key"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
SECRET = "aws:secretsmanager/secret:Secret"  # noqa: S105 - a type token
TOPIC = "aws:sns/topic:Topic"
TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"
METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
COMPOSITE_ALARM = "aws:cloudwatch/compositeAlarm:CompositeAlarm"


_retention = require_set("retentionInDays", "the log group keeps logs forever")


def _scales(action: str) -> bool:
    return re.match(r"arn:aws[a-z-]*:autoscaling:[a-z0-9-]+:\d{12}:scalingPolicy:", action) is not None


def _alarm_actions(props: Props) -> list[str]:
    """An alarm that notifies nobody, or is never told it recovered, is a graph nobody looks at. An alarm
    whose every action is an (Application) Auto Scaling policy drives scaling instead: it must be enabled,
    and what it watches is alarmed on, with notifications, by the stack's monitoring alarms."""
    problems = ["its actions are disabled"] if props.get("actionsEnabled") is False else []
    scaling = [str(a) for a in props.get("alarmActions") or []]
    if scaling and all(_scales(a) for a in scaling) and not props.get("okActions"):
        return problems
    for key, what in (("alarmActions", "going into ALARM"), ("okActions", "recovering")):
        actions = [str(a) for a in props.get(key) or []]
        if not actions:
            problems.append(f"nobody is told of it {what}: no {key}")
        problems += [f"{key} {a!r} is not an SNS topic" for a in actions if ":sns:" not in a]
    return problems


def _public_principal(statement: dict[str, Any]) -> bool:
    principal = statement.get("Principal")
    values = as_list(principal.get("AWS", [])) if isinstance(principal, dict) else as_list(principal)
    return "*" in values


def _topic_policy_private(props: Props) -> list[str]:
    return [
        f"statement {s.get('Sid', '?')} lets anyone act on the topic without a condition"
        for s in statements(props.get("policy"))
        if s.get("Effect") == "Allow" and _public_principal(s) and not s.get("Condition")
    ]


OBSERVABILITY_POLICIES = [
    resource_rule(
        RuleMeta(
            "kms-rotation",
            "Customer keys rotate yearly.",
            Severity.MEDIUM,
            "Set enableKeyRotation true.",
            checkov=("CKV_AWS_7",),
            trivy=("AWS-0065",),
            fsbp=("KMS.4",),
            cis=("3.6",),
        ),
        KEY,
        lambda p: require(p, "enableKeyRotation", True, "key rotation is off"),
    ),
    resource_rule(
        RuleMeta(
            "log-group-retention",
            "Log groups expire their logs.",
            Severity.MEDIUM,
            "Set retentionInDays (logRetentionDays; a CloudWatch retention value).",
            category="cost",
            checkov=("CKV_AWS_66", "CKV_AWS_338"),
        ),
        LOG_GROUP,
        _retention,
    ),
    resource_rule(
        RuleMeta(
            "log-group-kms",
            "Log groups are encrypted with the stack key.",
            Severity.MEDIUM,
            "Set kmsKeyId to the stack key (its policy must let CloudWatch Logs use it).",
            checkov=("CKV_AWS_158",),
        ),
        LOG_GROUP,
        require_set("kmsKeyId", "the log group is not encrypted with the stack key"),
    ),
    resource_rule(
        RuleMeta(
            "alarm-actions",
            "Alarms are enabled and notify an SNS topic when they fire and when they recover.",
            Severity.MEDIUM,
            "Give the alarm alarmActions and okActions with the stack's alerts topic.",
            category="operations",
            checkov=("CKV_AWS_319",),
        ),
        (METRIC_ALARM, COMPOSITE_ALARM),
        _alarm_actions,
    ),
    resource_rule(
        RuleMeta(
            "secrets-cmk",
            "Secrets are encrypted with the stack key.",
            Severity.MEDIUM,
            "Set kmsKeyId to the stack key.",
            checkov=("CKV_AWS_149",),
        ),
        SECRET,
        require_set("kmsKeyId", "the secret is encrypted with AWS's key, not the stack's"),
    ),
    resource_rule(
        RuleMeta(
            "sns-kms",
            "Topics are encrypted.",
            Severity.MEDIUM,
            "Set kmsMasterKeyId to the stack key.",
            checkov=("CKV_AWS_26",),
            trivy=("AWS-0095",),
            fsbp=("SNS.1",),
        ),
        TOPIC,
        require_set("kmsMasterKeyId", "the topic is not encrypted"),
    ),
    resource_rule(
        RuleMeta(
            "sns-policy-not-public",
            "Topic policies do not admit anyone.",
            Severity.HIGH,
            "Name the service principals and add an aws:SourceAccount condition.",
            checkov=("CKV_AWS_169",),
            trivy=("AWS-0136",),
        ),
        TOPIC_POLICY,
        _topic_policy_private,
    ),
]
