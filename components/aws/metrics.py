"""Typed CloudWatch metrics, and the catalogue of the ones this stack may alarm on or graph.

A metric names its namespace, name, dimensions and statistic. Before an alarm or a dashboard uses one,
`metric_problems` checks it against what is really published: a `MetricCatalogue` lists the metrics a
publisher emits in its own namespace (the app's EMF metrics: name, exact dimension sets, statistic to alarm
on; `targets/` makes it from the app's contract), AWS's come from `AWS_METRICS` below (each row from the
service's metrics reference). A metric nobody publishes would leave an alarm in
INSUFFICIENT_DATA forever, which looks exactly like a healthy service.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import pulumi

STATISTICS = ("SampleCount", "Average", "Sum", "Minimum", "Maximum")
PERCENTILE = re.compile(r"p(\d{1,2}(\.\d{1,2})?|100)")
# CloudFront's metrics, and those of the web ACLs in front of it (no Region dimension), live in us-east-1.
GLOBAL_REGION = "us-east-1"

_ALB = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html"
_LB, _LB_TG = ("LoadBalancer",), ("LoadBalancer", "TargetGroup")
_ECS_SERVICE = ("ClusterName", "ServiceName")
_RDS = ("DBInstanceIdentifier",)
_CACHE_NODE = ("CacheClusterId",)
_WAF_REGIONAL, _WAF_GLOBAL = ("Region", "Rule", "WebACL"), ("Rule", "WebACL")

# (namespace, metric) -> the dimension sets AWS publishes it under. Sources: the ALB metrics page above;
# AmazonECS/latest/developerguide/available-metrics.html and Container-Insights-metrics-ECS.html;
# AmazonRDS/latest/UserGuide/rds-metrics.html; AmazonElastiCache/latest/dg/CacheMetrics.Redis.html;
# waf/latest/developerguide/waf-metrics.html (Region only for regional web ACLs);
# AmazonCloudFront/latest/DeveloperGuide/viewing-cloudfront-metrics.html (Region is always "Global").
AWS_METRICS: dict[tuple[str, str], frozenset[tuple[str, ...]]] = {
    **{
        ("AWS/ApplicationELB", name): frozenset({_LB, _LB_TG})
        for name in ("RequestCount", "HTTPCode_Target_5XX_Count", "HTTPCode_Target_4XX_Count")
    },
    ("AWS/ApplicationELB", "TargetResponseTime"): frozenset({_LB, _LB_TG}),
    ("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count"): frozenset({_LB}),
    ("AWS/ApplicationELB", "RejectedConnectionCount"): frozenset({_LB}),
    ("AWS/ApplicationELB", "UnHealthyHostCount"): frozenset({_LB_TG}),
    ("AWS/ApplicationELB", "HealthyHostCount"): frozenset({_LB_TG}),
    ("AWS/ECS", "CPUUtilization"): frozenset({_ECS_SERVICE, ("ClusterName",)}),
    ("AWS/ECS", "MemoryUtilization"): frozenset({_ECS_SERVICE, ("ClusterName",)}),
    ("ECS/ContainerInsights", "RunningTaskCount"): frozenset({_ECS_SERVICE}),
    ("ECS/ContainerInsights", "DesiredTaskCount"): frozenset({_ECS_SERVICE}),
    **{
        ("AWS/RDS", name): frozenset({_RDS})
        for name in (
            "CPUUtilization",
            "FreeStorageSpace",
            "FreeableMemory",
            "DatabaseConnections",
            "ReadLatency",
            "WriteLatency",
            "MaximumUsedTransactionIDs",
        )
    },
    **{
        ("AWS/ElastiCache", name): frozenset({_CACHE_NODE, ("CacheClusterId", "CacheNodeId")})
        for name in (
            "EngineCPUUtilization",
            "DatabaseMemoryUsagePercentage",
            "Evictions",
            "ReplicationLag",
            "CurrConnections",
        )
    },
    ("AWS/WAFV2", "AllowedRequests"): frozenset({_WAF_REGIONAL, _WAF_GLOBAL}),
    ("AWS/WAFV2", "BlockedRequests"): frozenset({_WAF_REGIONAL, _WAF_GLOBAL}),
    **{
        ("AWS/CloudFront", name): frozenset({("DistributionId", "Region")})
        for name in ("Requests", "5xxErrorRate", "4xxErrorRate", "TotalErrorRate")
    },
}


@dataclass(frozen=True)
class Metric:
    """One CloudWatch metric at one statistic and period. `region` None: the region of whoever reads it."""

    namespace: str
    name: str
    dimensions: Mapping[str, pulumi.Input[str]]
    stat: str
    period: int
    region: str | None = None
    label: str = ""

    @property
    def is_percentile(self) -> bool:
        return bool(PERCENTILE.fullmatch(self.stat))


@dataclass(frozen=True)
class Expression:
    """Metric math over named metrics (ids: a lower-case letter, then letters, digits and _)."""

    expression: str
    metrics: Mapping[str, Metric]
    label: str
    period: int = field(init=False)

    def __post_init__(self) -> None:
        periods = {metric.period for metric in self.metrics.values()}
        if len(periods) != 1:
            raise ValueError(f"expression {self.expression!r} mixes periods {sorted(periods)}")
        object.__setattr__(self, "period", periods.pop())


Watched = Metric | Expression


class PublishedMetric(Protocol):
    """One metric as its publisher states it: its name, the dimension sets it is published under (each an
    exact set) and the statistic alarms read it with."""

    @property
    def name(self) -> str: ...

    @property
    def dimensions(self) -> tuple[tuple[str, ...], ...]: ...

    @property
    def statistic(self) -> str: ...


@dataclass(frozen=True)
class MetricCatalogue:
    """Every metric a publisher other than AWS emits in its own `namespace` (the app's EMF metrics)."""

    namespace: str
    metrics: Sequence[PublishedMetric]

    def find(self, name: str) -> PublishedMetric | None:
        return next((m for m in self.metrics if m.name == name), None)

    def metric(
        self,
        published: PublishedMetric,
        dimensions: Mapping[str, str],
        period: int,
        stat: str | None = None,
        label: str = "",
    ) -> Metric:
        """One of the catalogue's metrics, read with its own statistic unless another is given."""
        statistic = stat or published.statistic
        return Metric(self.namespace, published.name, dict(dimensions), statistic, period, None, label)


def metrics_of(watch: Watched) -> list[Metric]:
    """The metrics a line or an alarm reads: itself, or every input of its metric math."""
    return list(watch.metrics.values()) if isinstance(watch, Expression) else [watch]


def metric_problems(metric: Metric, published: MetricCatalogue, *, alarm: bool) -> list[str]:
    """How `metric` differs from what AWS or `published` publishes; `alarm` also holds a catalogued metric
    to its statistic."""
    problems = [] if metric.stat in STATISTICS or metric.is_percentile else [f"statistic {metric.stat!r}"]
    dims = tuple(sorted(metric.dimensions))
    where = f"{metric.namespace} {metric.name} by {list(dims)}"
    if metric.namespace == published.namespace:
        spec = published.find(metric.name)
        if spec is None:
            return [
                *problems,
                f"{where}: the catalogue of {published.namespace} publishes no {metric.name!r}",
            ]
        if dims not in {tuple(sorted(d)) for d in spec.dimensions}:
            problems.append(f"{where}: {metric.name} is published only by {list(spec.dimensions)}")
        if alarm and metric.stat != spec.statistic:
            problems.append(f"{where}: alarms read {metric.name} as {spec.statistic}, not {metric.stat}")
        return problems
    by_aws = AWS_METRICS.get((metric.namespace, metric.name))
    if by_aws is None:
        return [*problems, f"{where}: not in the catalogue of AWS metrics this stack may use"]
    if dims not in by_aws:
        problems.append(f"{where}: AWS publishes it only by {sorted(list(d) for d in by_aws)}")
    is_global = metric.namespace == "AWS/CloudFront" or dims == _WAF_GLOBAL
    if is_global and metric.region != GLOBAL_REGION:
        problems.append(f"{where}: exists only in {GLOBAL_REGION}, not {metric.region or 'the stack region'}")
    return problems
