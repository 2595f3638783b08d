"""AWS resources priced from the plan's inputs and the usage file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cloud_facts.aws.ecs import FARGATE_ON_DEMAND, FARGATE_SPOT
from launchpad.cost.context import PlanIndex
from launchpad.cost.model import CostComponent, NotPriced, component
from launchpad.cost.prices import (
    CLOUDFRONT_FREE_GB,
    CLOUDFRONT_FREE_REQUESTS,
    HOURS_PER_MONTH,
    PRICES,
    VALKEY_FACTOR,
)
from offline.mocks import Recorded

H = HOURS_PER_MONTH
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
Pricer = Callable[[Recorded, PlanIndex], list[CostComponent]]


def _fargate(
    tasks: float, task: Recorded | None, hours: float, *, usage_based: bool, spot: bool = False
) -> list[CostComponent]:
    if task is None:
        raise NotPriced("its task definition is not in the plan")
    arch = "arm" if (task.inputs.get("runtimePlatform") or {}).get("cpuArchitecture") == "ARM64" else "x86"
    vcpu, gb = int(task.inputs["cpu"]) / 1024, int(task.inputs["memory"]) / 1024
    kind, key = ("Fargate Spot", "fargate_spot") if spot else ("Fargate", "fargate")
    when = "" if hours == H else f", {hours:g} h"
    return [
        component(
            f"{kind} {arch} vCPU ({tasks:g} x {vcpu:g}{when})",
            f"{key}.{arch}.vcpu_hour",
            tasks * vcpu * hours,
            usage_based=usage_based,
        ),
        component(
            f"{kind} {arch} memory ({tasks:g} x {gb:g} GB{when})",
            f"{key}.{arch}.gb_hour",
            tasks * gb * hours,
            usage_based=usage_based,
        ),
    ]


def placed(strategy: list[dict[str, Any]] | None, tasks: float) -> list[tuple[str, float]]:
    """Tasks per capacity provider, as ECS places them: the base first, the rest split by weight. No
    strategy is the on-demand launch type."""
    if not strategy:
        return [(FARGATE_ON_DEMAND, tasks)]
    shares = {str(item["capacityProvider"]): 0.0 for item in strategy}
    based = next((item for item in strategy if item.get("base")), None)
    floor = min(tasks, float(based["base"])) if based else 0.0
    if based:
        shares[str(based["capacityProvider"])] += floor
    total = sum(float(item.get("weight") or 0) for item in strategy)
    for item in strategy:
        if total:
            shares[str(item["capacityProvider"])] += (tasks - floor) * float(item.get("weight") or 0) / total
    return [(provider, n) for provider, n in shares.items() if n > 0] or [next(iter(shares.items()))]


def _tasks(
    strategy: list[dict[str, Any]] | None,
    tasks: float,
    task: Recorded | None,
    hours: float,
    usage_based: bool,
) -> list[CostComponent]:
    return [
        part
        for provider, n in placed(strategy, tasks)
        for part in _fargate(n, task, hours, usage_based=usage_based, spot=provider == FARGATE_SPOT)
    ]


def ecs_service(r: Recorded, plan: PlanIndex) -> list[CostComponent]:
    run = plan.running(r)
    task = plan.target_of(r, "taskDefinition")
    parts = _tasks(r.inputs.get("capacityProviderStrategies"), run.tasks, task, run.hours, run.from_usage)
    if (r.inputs.get("networkConfiguration") or {}).get("assignPublicIp"):
        parts.append(
            component(
                f"public IPv4 per task ({run.tasks:g})",
                "ipv4.hour",
                run.tasks * run.hours,
                usage_based=run.from_usage,
            )
        )
    return parts


def scheduled_task(r: Recorded, plan: PlanIndex) -> list[CostComponent]:
    hours = plan.usage.nightly_task_hours_per_month
    ecs = (r.inputs.get("target") or {}).get("ecsParameters") or {}
    task = plan.by_output("arn", ecs.get("taskDefinitionArn"))
    parts = _tasks(ecs.get("capacityProviderStrategies"), 1, task, hours, True)
    if (ecs.get("networkConfiguration") or {}).get("assignPublicIp"):
        parts.append(component("public IPv4 while running", "ipv4.hour", hours, usage_based=True))
    return parts


def load_balancer(r: Recorded, plan: PlanIndex) -> list[CostComponent]:
    usage = plan.usage
    # LCUs: the largest of new connections (25/s each, one request per connection assumed) and bytes (1 GB/h).
    per_second = usage.requests_per_month / (H * 3600)
    gb_per_hour = usage.gb_out_per_month / H
    lcus = max(per_second / 25, gb_per_hour)
    parts = [
        component("load balancer hours", "alb.hour", H),
        component(f"LCU-hours ({lcus:.3f} average LCU)", "alb.lcu_hour", lcus * H, usage_based=True),
    ]
    if not r.inputs.get("internal"):
        zones = len(r.inputs.get("subnets") or [])
        parts.append(component(f"public IPv4 per zone ({zones})", "ipv4.hour", zones * H))
    return parts


def nat_gateway(_r: Recorded, plan: PlanIndex) -> list[CostComponent]:
    share = plan.usage.nat_gb_per_month / max(1, plan.count("aws:ec2/natGateway:NatGateway"))
    return [
        component("NAT gateway hours", "nat.hour", H),
        component("data processed", "nat.gb", share, usage_based=True),
    ]


def elastic_ip(_r: Recorded, _plan: PlanIndex) -> list[CostComponent]:
    return [component("public IPv4 address", "ipv4.hour", H)]


def database(r: Recorded, _plan: PlanIndex) -> list[CostComponent]:
    key = f"rds.{r.inputs.get('instanceClass')}"
    if key not in PRICES:
        raise NotPriced(f"no price for {r.inputs.get('instanceClass')} in the table")
    copies = 2 if r.inputs.get("multiAz") else 1
    storage = float(r.inputs.get("allocatedStorage") or 20)
    parts = [
        component(
            f"{r.inputs.get('instanceClass')} instance x{copies} (multi-AZ)"
            if copies > 1
            else f"{r.inputs.get('instanceClass')} instance",
            key,
            copies * H,
        ),
        component(f"gp3 storage ({storage:g} GB x{copies})", "rds.gp3.gb_month", storage * copies),
    ]
    if r.inputs.get("manageMasterUserPassword"):
        parts.append(component("RDS-managed master secret", "secrets.secret_month", 1))
    return parts


def cache(r: Recorded, _plan: PlanIndex) -> list[CostComponent]:
    node_type = str(r.inputs.get("nodeType"))
    key = f"elasticache.redis.{node_type}"
    if key not in PRICES:
        raise NotPriced(f"no price for {node_type} in the table")
    nodes = int(r.inputs.get("numCacheClusters") or 1)
    parts = [component(f"{node_type} nodes ({nodes})", key, nodes * H)]
    if r.inputs.get("engine") == "valkey":
        base = parts[0]
        parts = [
            CostComponent(
                f"{base.name}, Valkey (0.8 x Redis OSS)",
                base.unit,
                base.quantity,
                base.unit_price * VALKEY_FACTOR,
                False,
                key,
            )
        ]
    return parts


def secret(_r: Recorded, plan: PlanIndex) -> list[CostComponent]:
    calls = plan.usage.secret_api_calls_per_month / max(1, plan.count("aws:secretsmanager/secret:Secret"))
    return [
        component("secret", "secrets.secret_month", 1),
        component("API calls (share of the stack's)", "secrets.10k_calls", calls / 10_000, usage_based=True),
    ]


def kms_key(_r: Recorded, plan: PlanIndex) -> list[CostComponent]:
    requests = plan.usage.kms_requests_per_month / 10_000
    return [
        component("customer managed key", "kms.key_month", 1),
        component("requests", "kms.10k_requests", requests, usage_based=True),
    ]


def log_group(r: Recorded, plan: PlanIndex) -> list[CostComponent]:
    vended = plan.vended_log_groups
    if r.urn in vended:
        # CloudFront's standard logs: a record per request, delivered at the same per-GB rate.
        ingested = plan.usage.requests_per_month * plan.usage.edge_log_kb_per_request / 1024 / 1024
        what = f"delivered ({plan.usage.edge_log_kb_per_request:g} KB a request)"
    else:
        ingested = plan.usage.log_gb_per_month / max(1, plan.count(LOG_GROUP) - len(vended))
        what = "ingested (share of the stack's)"
    # At steady state a group holds `retention` days of its ingest.
    stored = ingested * float(r.inputs.get("retentionInDays") or 3650) / 30
    return [
        component(what, "logs.gb_ingested", ingested, usage_based=True),
        component("stored", "logs.gb_month", stored, usage_based=True),
    ]


def bucket(_r: Recorded, plan: PlanIndex) -> list[CostComponent]:
    stored = plan.usage.s3_gb_stored / max(1, plan.count("aws:s3/bucket:Bucket"))
    return [component("S3 Standard storage (share)", "s3.gb_month", stored, usage_based=True)]


def repository(_r: Recorded, plan: PlanIndex) -> list[CostComponent]:
    return [component("image storage", "ecr.gb_month", plan.usage.ecr_gb_stored, usage_based=True)]


def web_acl(r: Recorded, plan: PlanIndex) -> list[CostComponent]:
    rules = len(r.inputs.get("rules") or [])
    return [
        component("web ACL", "waf.acl_month", 1),
        component(f"rules and rule groups ({rules})", "waf.rule_month", rules),
        component(
            "requests inspected",
            "waf.million_requests",
            plan.usage.requests_per_month / 1e6,
            usage_based=True,
        ),
    ]


def distribution(_r: Recorded, plan: PlanIndex) -> list[CostComponent]:
    usage = plan.usage
    billable_gb = max(0.0, usage.gb_out_per_month - CLOUDFRONT_FREE_GB)
    billable_requests = max(0.0, usage.requests_per_month - CLOUDFRONT_FREE_REQUESTS)
    return [
        component("data out beyond the free 1 TB", "cloudfront.gb_out", billable_gb, usage_based=True),
        component(
            "HTTPS requests beyond the free 10 M",
            "cloudfront.10k_https",
            billable_requests / 10_000,
            usage_based=True,
        ),
    ]


def metric_alarm(r: Recorded, _plan: PlanIndex) -> list[CostComponent]:
    metrics = [q for q in r.inputs.get("metricQueries") or [] if q.get("metric")] or [r.inputs]
    return [component(f"alarm metrics ({len(metrics)})", "cloudwatch.alarm_metric", len(metrics))]


def composite_alarm(_r: Recorded, _plan: PlanIndex) -> list[CostComponent]:
    return [component("composite alarm", "cloudwatch.composite_alarm", 1)]


def dashboard(_r: Recorded, _plan: PlanIndex) -> list[CostComponent]:
    # Priced whole: whether it is one of the account's three free dashboards depends on the account.
    return [component("dashboard", "cloudwatch.dashboard", 1)]


AWS_PRICERS: dict[str, Pricer] = {
    "aws:ecs/service:Service": ecs_service,
    "aws:scheduler/schedule:Schedule": scheduled_task,
    "aws:lb/loadBalancer:LoadBalancer": load_balancer,
    "aws:ec2/natGateway:NatGateway": nat_gateway,
    "aws:ec2/eip:Eip": elastic_ip,
    "aws:rds/instance:Instance": database,
    "aws:elasticache/replicationGroup:ReplicationGroup": cache,
    "aws:secretsmanager/secret:Secret": secret,
    "aws:kms/key:Key": kms_key,
    LOG_GROUP: log_group,
    "aws:s3/bucket:Bucket": bucket,
    "aws:ecr/repository:Repository": repository,
    "aws:wafv2/webAcl:WebAcl": web_acl,
    "aws:cloudfront/distribution:Distribution": distribution,
    "aws:cloudwatch/metricAlarm:MetricAlarm": metric_alarm,
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": composite_alarm,
    "aws:cloudwatch/dashboard:Dashboard": dashboard,
}
