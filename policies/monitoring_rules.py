"""Monitoring rules: every alarm tells someone (Checkov CKV_AWS_319), and what an AWS stack runs is watched.

The coverage rules are the policy catalogue's own ("AWS Budgets exists with a subscriber; the required
CloudWatch alarms exist"): every ECS service, load balancer, database and cache is read by at least one
alarm, and a stack that runs them pages through a composite alarm and has a budget whose notifications
reach someone.
An alarm watches a resource when it reads its id: its dimensions depend on that resource, which holds
during a preview too, when the ids are not known yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
COMPOSITE_ALARM = "aws:cloudwatch/compositeAlarm:CompositeAlarm"
WATCHED = {
    "aws:ecs/service:Service": "ECS service",
    "aws:lb/loadBalancer:LoadBalancer": "load balancer",
    "aws:rds/instance:Instance": "database",
    "aws:elasticache/replicationGroup:ReplicationGroup": "cache",
}


def alarm_action_problems(props: Mapping[str, Any]) -> list[str]:
    """An alarm that notifies nobody, or is never told it recovered, is a graph nobody looks at."""
    problems = ["its actions are disabled (CKV_AWS_319)"] if props.get("actionsEnabled") is False else []
    for key, what in (("alarmActions", "going into ALARM"), ("okActions", "recovering")):
        actions = [str(a) for a in props.get(key) or []]
        if not actions:
            problems.append(f"nobody is told of it {what}: no {key}")
        problems += [f"{key} {a!r} is not an SNS topic" for a in actions if ":sns:" not in a]
    return problems


def _alarm_actions(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type in (METRIC_ALARM, COMPOSITE_ALARM):
        for problem in alarm_action_problems(args.props):
            report(problem, None)


def _read_by(alarm: Any) -> set[str]:
    """The URNs an alarm's dimensions (or metric queries) take their values from."""
    keys = ("dimensions", "metricQueries")
    return {r.urn for key in keys for r in alarm.property_dependencies.get(key, [])}


def _of_type(resources: Iterable[Any], resource_type: str) -> list[Any]:
    return [r for r in resources if r.resource_type == resource_type]


def _coverage(args: StackValidationArgs, report: ReportViolation) -> None:
    resources = list(args.resources)
    alarms = _of_type(resources, METRIC_ALARM)
    read = set().union(*(_read_by(alarm) for alarm in alarms)) if alarms else set()
    for resource_type, what in WATCHED.items():
        for resource in _of_type(resources, resource_type):
            if resource.urn not in read:
                report(f"no alarm reads the {what} {resource.name}", resource.urn)
    if not any(r.resource_type in WATCHED for r in resources):
        return  # no service runs here (a local or Cloud Run only stack): nothing to page on or budget
    if _of_type(resources, METRIC_ALARM) and not _of_type(resources, COMPOSITE_ALARM):
        report("the stack has alarms but no composite alarm to page on", None)
    budgets = _of_type(resources, "aws:budgets/budget:Budget")
    if not budgets:
        report("an AWS stack without a budget: nobody hears of its spend", None)
    for budget in budgets:
        for notification in budget.props.get("notifications") or []:
            subscribers = ("subscriberSnsTopicArns", "subscriberEmailAddresses")
            if not any(notification.get(key) for key in subscribers):
                report(f"a notification of {budget.name} has no subscriber", budget.urn)


MONITORING_POLICIES = [
    ResourceValidationPolicy(
        name="cloudwatch-alarm-actions",
        description="Alarms notify an SNS topic when they fire and when they recover.",
        validate=_alarm_actions,
        enforcement_level=EnforcementLevel.MANDATORY,
    ),
    StackValidationPolicy(
        name="monitoring-coverage",
        description="Services, balancers, databases and caches are alarmed; the stack pages and budgets.",
        validate=_coverage,
        enforcement_level=EnforcementLevel.MANDATORY,
    ),
]
