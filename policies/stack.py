"""Rules about the stack as a whole: what must exist beside each resource, and what they must say.

The required alarms come from data (`REQUIRED_ALARMS`: a purpose, the metric it watches, and the resource
type whose presence makes it required). Coverage is per resource: every ECS service, load balancer, database
and cache is read by at least one alarm, i.e. an alarm's dimensions depend on it, which holds during a
preview too, when the ids are not known yet.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pulumi_policy import ReportViolation, Severity, StackValidationArgs

from app import contract
from policies.base import Props, as_list, depends_on, of_type, resource_rule, stack_rule
from policies.meta import RuleMeta
from policies.tagging import AWS_TAGGABLE, GCP_LABELABLE

METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
COMPOSITE_ALARM = "aws:cloudwatch/compositeAlarm:CompositeAlarm"
TOPIC = "aws:sns/topic:Topic"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
BUDGET = "aws:budgets/budget:Budget"
SCALING_TARGET = "aws:appautoscaling/target:Target"
ECS_SERVICE = "aws:ecs/service:Service"
TARGET_GROUP = "aws:lb/targetGroup:TargetGroup"
WEB_ACL = "aws:wafv2/webAcl:WebAcl"
WAF_LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"
WATCHED = {
    ECS_SERVICE: "ECS service",
    "aws:lb/loadBalancer:LoadBalancer": "load balancer",
    "aws:rds/instance:Instance": "database",
    "aws:elasticache/replicationGroup:ReplicationGroup": "cache",
}
# Routes the app serves without authentication that a load balancer may probe (app/contract.py).
PROBE_ROUTES = (contract.LIVE_PATH, contract.HEALTH_PATH)
REQUIRED_TAGS = ("project", "stack", "owner", "cost-center")
# Headers WAF logs must never hold in clear: bearer tokens and the app's API key.
REDACTED_HEADERS = ("authorization", "x-api-key")


@dataclass(frozen=True)
class RequiredAlarm:
    purpose: str
    namespace: str
    metric: str
    required_by: str  # the resource type whose presence makes the alarm required


REQUIRED_ALARMS = (
    RequiredAlarm("5xx rate", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", TARGET_GROUP),
    RequiredAlarm("p95 latency", "AWS/ApplicationELB", "TargetResponseTime", TARGET_GROUP),
    RequiredAlarm("unhealthy targets", "AWS/ApplicationELB", "UnHealthyHostCount", TARGET_GROUP),
    RequiredAlarm("running tasks", "ECS/ContainerInsights", "RunningTaskCount", ECS_SERVICE),
    RequiredAlarm("ECS CPU", "AWS/ECS", "CPUUtilization", ECS_SERVICE),
    RequiredAlarm("ECS memory", "AWS/ECS", "MemoryUtilization", ECS_SERVICE),
    RequiredAlarm("AI failures", contract.METRICS_NAMESPACE, contract.AI_FAILURES.name, ECS_SERVICE),
    RequiredAlarm("AI spend", contract.METRICS_NAMESPACE, contract.AI_COST_USD.name, ECS_SERVICE),
    RequiredAlarm("queue depth", contract.METRICS_NAMESPACE, contract.QUEUE_DEPTH.name, ECS_SERVICE),
    RequiredAlarm("RDS CPU", "AWS/RDS", "CPUUtilization", "aws:rds/instance:Instance"),
    RequiredAlarm("RDS free storage", "AWS/RDS", "FreeStorageSpace", "aws:rds/instance:Instance"),
    RequiredAlarm("RDS freeable memory", "AWS/RDS", "FreeableMemory", "aws:rds/instance:Instance"),
    RequiredAlarm(
        "cache CPU", "AWS/ElastiCache", "EngineCPUUtilization",
        "aws:elasticache/replicationGroup:ReplicationGroup",
    ),
    RequiredAlarm(
        "cache memory", "AWS/ElastiCache", "DatabaseMemoryUsagePercentage",
        "aws:elasticache/replicationGroup:ReplicationGroup",
    ),
)  # fmt: skip


def _watched(alarm: Any) -> set[tuple[str, str]]:
    """(namespace, metric) pairs an alarm reads, directly or through metric math."""
    pairs = {(str(alarm.props.get("namespace")), str(alarm.props.get("metricName")))}
    for query in alarm.props.get("metricQueries") or []:
        metric = query.get("metric") or {}
        pairs.add((str(metric.get("namespace")), str(metric.get("metricName"))))
    return pairs


def _subscribed_topics(resources: list[Any]) -> list[Any]:
    subscriptions = of_type(resources, SUBSCRIPTION)
    return [t for t in of_type(resources, TOPIC) if any(depends_on(s, "topic", t) for s in subscriptions)]


def _notifies(resource: Any, key: str, topics: Iterable[Any]) -> bool:
    return any(depends_on(resource, key, topic) for topic in topics)


def required_alarms(args: StackValidationArgs, report: ReportViolation) -> None:
    present = {r.resource_type for r in args.resources}
    alarms = of_type(args.resources, METRIC_ALARM)
    topics = _subscribed_topics(args.resources)
    for need in REQUIRED_ALARMS:
        if need.required_by not in present:
            continue
        watching = [a for a in alarms if (need.namespace, need.metric) in _watched(a)]
        if not watching:
            report(f"no alarm watches {need.purpose} ({need.namespace} {need.metric})", None)
        elif not any(_notifies(a, "alarmActions", topics) for a in watching):
            report(f"the {need.purpose} alarm notifies no topic with a subscriber", watching[0].urn)


def _read_by(alarm: Any) -> set[str]:
    """The URNs an alarm's dimensions (or metric queries) take their values from."""
    keys = ("dimensions", "metricQueries")
    return {r.urn for key in keys for r in alarm.property_dependencies.get(key, [])}


def monitoring_coverage(args: StackValidationArgs, report: ReportViolation) -> None:
    alarms = of_type(args.resources, METRIC_ALARM)
    read = set().union(*(_read_by(alarm) for alarm in alarms))
    for resource in of_type(args.resources, *WATCHED):
        if resource.urn not in read:
            report(f"no alarm reads the {WATCHED[resource.resource_type]} {resource.name}", resource.urn)
    if alarms and not of_type(args.resources, COMPOSITE_ALARM):
        report("the stack has alarms but no composite alarm to page on", None)


def _budget_subscribed(budget: Any, topics: list[Any]) -> bool:
    for notification in budget.props.get("notifications") or []:
        if notification.get("subscriberEmailAddresses"):
            return True
        arns = set(as_list(notification.get("subscriberSnsTopicArns") or []))
        if arns & {t.props.get("arn") for t in topics}:
            return True
    # During a preview topic ARNs are unknown: the dependency on a subscribed topic says the same.
    return _notifies(budget, "notifications", topics)


def budget_with_subscriber(args: StackValidationArgs, report: ReportViolation) -> None:
    if not any(r.resource_type.startswith("aws:") for r in args.resources):
        return
    budgets = of_type(args.resources, BUDGET)
    if not budgets:
        report("the stack has no AWS Budget", None)
    topics = _subscribed_topics(args.resources)
    for budget in budgets:
        if not _budget_subscribed(budget, topics):
            report(f"budget {budget.name} notifies nobody", budget.urn)
        for notification in budget.props.get("notifications") or []:
            if not any(notification.get(k) for k in ("subscriberSnsTopicArns", "subscriberEmailAddresses")):
                report(f"a notification of {budget.name} has no subscriber", budget.urn)


def _serves_traffic(target: Any, services: list[Any]) -> bool:
    return any(s.props.get("loadBalancers") and depends_on(target, "resourceId", s) for s in services)


def autoscaling_bounds(args: StackValidationArgs, report: ReportViolation) -> None:
    floor = int(args.get_config().get("minServingTasks", 1))
    services = of_type(args.resources, ECS_SERVICE)
    for target in of_type(args.resources, SCALING_TARGET):
        low, high = target.props.get("minCapacity"), target.props.get("maxCapacity")
        if low is None or high is None or low > high:
            report(f"{target.name}: bounds {low}..{high} are not a range", target.urn)
        elif _serves_traffic(target, services) and low < floor:
            report(
                f"{target.name}: a service behind the load balancer keeps {low} task(s); "
                f"this stack requires at least {floor}",
                target.urn,
            )


def _health_path(props: Props) -> list[str]:
    path = (props.get("healthCheck") or {}).get("path")
    return [] if path in PROBE_ROUTES else [f"health check path {path!r} is not a probe route the app serves"]


def _provider_setting(resource: Any, key: str) -> dict[str, Any]:
    """A map-valued provider input; the engine hands provider inputs over as JSON strings."""
    provider = resource.provider.props if resource.provider is not None else {}
    value = provider.get(key) or {}
    return json.loads(value) if isinstance(value, str) else value


def _tags_of(resource: Any) -> set[str]:
    if resource.resource_type in GCP_LABELABLE:
        own = set((resource.props.get("labels") or {}).keys())
        return own | set(_provider_setting(resource, "defaultLabels"))
    own = set((resource.props.get("tags") or {}).keys())
    return own | set((_provider_setting(resource, "defaultTags").get("tags") or {}).keys())


def cost_tags(args: StackValidationArgs, report: ReportViolation) -> None:
    required = set(args.get_config().get("requiredTags") or REQUIRED_TAGS)
    for resource in args.resources:
        if resource.resource_type in AWS_TAGGABLE | GCP_LABELABLE:
            # GCP label keys are lower case (targets/gcp.py labels()), so a tag is looked for as one.
            wanted = {t.lower() for t in required} if resource.resource_type in GCP_LABELABLE else required
            missing = sorted(wanted - _tags_of(resource))
            if missing:
                report(f"{resource.name} lacks the cost tags {missing}", resource.urn)


def _redacted_headers(logging: Any) -> set[str]:
    fields = logging.props.get("redactedFields") or []
    return {str((f.get("singleHeader") or {}).get("name", "")).lower() for f in fields}


def waf_logging(args: StackValidationArgs, report: ReportViolation) -> None:
    configs = of_type(args.resources, WAF_LOGGING)
    for acl in of_type(args.resources, WEB_ACL):
        logging = [c for c in configs if depends_on(c, "resourceArn", acl)]
        if not logging:
            report(f"web ACL {acl.name} logs no requests", acl.urn)
        elif missing := sorted(set(REDACTED_HEADERS) - _redacted_headers(logging[0])):
            report(f"web ACL {acl.name} logs the {missing} headers in clear", acl.urn)


STACK_POLICIES = [
    stack_rule(
        RuleMeta(
            "stack-required-alarms",
            "The alarms the service needs exist and notify someone.",
            Severity.MEDIUM,
            "Build the alarms (targets/aws/monitoring.py) on the alerts topic.",
            category="operations",
            checkov=("CKV_AWS_319",),
        ),
        required_alarms,
    ),
    stack_rule(
        RuleMeta(
            "stack-monitoring-coverage",
            "Every service, balancer, database and cache has an alarm; a composite alarm pages.",
            Severity.MEDIUM,
            "Alarm on the resource with dimensions taken from its outputs; keep the composite paging alarm.",
            category="operations",
        ),
        monitoring_coverage,
    ),
    stack_rule(
        RuleMeta(
            "stack-budget-with-subscriber",
            "An AWS Budget exists and notifies a subscriber.",
            Severity.MEDIUM,
            "Set monthlyBudgetUsd and alertEmail (components.aws.budget).",
            category="cost",
        ),
        budget_with_subscriber,
    ),
    stack_rule(
        RuleMeta(
            "stack-autoscaling-bounds",
            "Autoscaling bounds are a range; serving services keep enough tasks.",
            Severity.MEDIUM,
            "Set webMinCount (2+ in production) <= webMaxCount.",
            category="availability",
        ),
        autoscaling_bounds,
        config={"minServingTasks": {"type": "integer", "minimum": 0}},
    ),
    resource_rule(
        RuleMeta(
            "stack-health-check-route",
            "Target groups probe a route the app serves.",
            Severity.HIGH,
            "Probe app.contract.LIVE_PATH (liveness), as targets/aws/edge.py does.",
            category="availability",
        ),
        TARGET_GROUP,
        _health_path,
    ),
    stack_rule(
        RuleMeta(
            "stack-cost-tags",
            "Every taggable resource carries the stack's cost tags.",
            Severity.LOW,
            "Create resources through the stack's provider (AWS default_tags, GCP default_labels).",
            category="cost",
        ),
        cost_tags,
        config={"requiredTags": {"type": "array", "items": {"type": "string"}}},
    ),
    stack_rule(
        RuleMeta(
            "stack-waf-logging",
            "WAF logs requests, with credentials redacted, wherever WAF is on.",
            Severity.MEDIUM,
            "Add a WebAclLoggingConfiguration redacting authorization and x-api-key.",
            category="operations",
            checkov=("CKV2_AWS_31",),
        ),
        waf_logging,
    ),
]
