"""What the stack's alarms watch and when they fire: pure data, built from the stack's settings and the ids
of what it deployed, and turned into alarms by `components.aws.alarms.AlarmSet`.

Service alarms (error rate, latency, AI failures, queue, WAF) take their threshold and timing from the
stack's settings, whose defaults are seed 001's. Resource alarms follow AWS's recommended alarms
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html):
a one-minute period and five (or fifteen) breaching minutes in a row. Missing data is decided per alarm:
`notBreaching` where silence means no traffic (no requests, no errors), `breaching` where silence means
nothing runs, `missing` where silence proves nothing either way (it shows as INSUFFICIENT_DATA, and notifies
nobody).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from app import contract
from components.aws.alarms import AlarmSpec, Comparison, TreatMissing
from components.aws.metrics import Expression, Metric, MetricCatalogue
from stack_config import StackSettings

# The app's EMF metrics, as the components check every alarm, graph and scaling metric against them.
APP_METRICS = MetricCatalogue(contract.METRICS_NAMESPACE, contract.METRICS)

ALB, ECS, INSIGHTS = "AWS/ApplicationELB", "AWS/ECS", "ECS/ContainerInsights"


@dataclass(frozen=True)
class Timing:
    period: int
    evaluation_periods: int
    datapoints: int


RECOMMENDED = Timing(60, 5, 5)
SUSTAINED = Timing(60, 15, 15)
# A worker starts from zero within about two minutes of the first waiting job (alarm, then task start).
NOT_STARTING = Timing(60, 10, 10)
DAILY = Timing(86_400, 1, 1)


@dataclass
class MonitoredStack:
    """The ids CloudWatch publishes the stack's metrics under."""

    environment: str  # the Environment dimension of the app's metrics
    cluster_name: pulumi.Input[str]
    web_service: pulumi.Input[str]
    worker_service: pulumi.Input[str]
    load_balancer: pulumi.Input[str]  # the ALB's ARN suffix
    target_group: pulumi.Input[str]  # the target group's ARN suffix
    database: pulumi.Input[str]  # DBInstanceIdentifier
    cache_nodes: list[pulumi.Input[str]]  # CacheClusterId of each node
    cache_replicated: bool
    region: str = ""  # the stack's region
    waf_acl: str | None = None  # the web ACL's name (its metrics' WebACL dimension)
    waf_global: bool = False  # CloudFront's web ACL: metrics in us-east-1, without a Region dimension
    distribution_id: pulumi.Input[str] | None = None  # CloudFront's, when it fronts the stack


def service_timing(s: StackSettings) -> Timing:
    return Timing(s.alarm_period_seconds, s.alarm_evaluation_periods, s.alarm_datapoints_to_alarm)


@dataclass(frozen=True)
class Breach:
    """When an alarm fires: `comparison` `threshold` in `timing`'s M of N periods, and what silence means."""

    comparison: Comparison
    threshold: float
    timing: Timing
    missing: TreatMissing


def spec(
    role: str, watch: Metric | Expression, breach: Breach, says: tuple[str, str, str], *, pages: bool = False
) -> AlarmSpec:
    """An alarm on `watch` that fires on `breach`; `says` is (what it means, what to do first, the runbook
    section). The metric's period must be the one `breach.timing` counts its periods in."""
    if watch.period != breach.timing.period:
        raise ValueError(
            f"alarm {role!r}: the metric's period is {watch.period} s but breach.timing counts periods of "
            f"{breach.timing.period} s; build the metric with timing.period"
        )
    means, first, runbook = says
    return AlarmSpec(
        role=role,
        watch=watch,
        comparison=breach.comparison,
        threshold=breach.threshold,
        evaluation_periods=breach.timing.evaluation_periods,
        datapoints=breach.timing.datapoints,
        missing_data=breach.missing,
        means=means,
        first=first,
        runbook=runbook,
        pages=pages,
    )


def rate(numerator: Metric, denominator: Metric, minimum: int, label: str) -> Expression:
    """numerator / denominator in percent, 0 in periods with fewer than `minimum` of the denominator: a
    single failure among three requests is not an outage. Counters absent in a period count as 0."""
    return Expression(
        f"IF(total >= {minimum}, 100 * FILL(part, 0) / total, 0)",
        {"part": numerator, "total": denominator},
        label,
    )


def load_balancer_alarms(s: StackSettings, m: MonitoredStack) -> list[AlarmSpec]:
    timing, lb = service_timing(s), {"LoadBalancer": m.load_balancer}
    errors = Metric(ALB, "HTTPCode_Target_5XX_Count", lb, "Sum", timing.period)
    requests = Metric(ALB, "RequestCount", lb, "Sum", timing.period)
    target = {"LoadBalancer": m.load_balancer, "TargetGroup": m.target_group}
    return [
        spec(
            "error-rate",
            rate(errors, requests, s.alarm_min_requests, "5xx responses, % of requests"),
            # no requests, no errors
            Breach(">", s.alarm_error_rate_percent, timing, "notBreaching"),
            (
                f"More than {s.alarm_error_rate_percent}% of requests got a 5xx from the service.",
                "open the dashboard's Errors graph and the web service's logs for the failing route.",
                "error-rate",
            ),
            pages=True,
        ),
        spec(
            "latency",
            Metric(ALB, "TargetResponseTime", lb, "p95", timing.period),
            Breach(">", s.alarm_latency_ms / 1000, timing, "notBreaching"),
            (
                f"The slowest 5% of requests took over {s.alarm_latency_ms} ms.",
                "compare AI latency per provider, database latency and web CPU on the dashboard.",
                "latency",
            ),
            pages=True,
        ),
        spec(
            "unhealthy-hosts",
            Metric(ALB, "UnHealthyHostCount", target, "Maximum", 60),
            # published while targets are registered; none registered is the task alarm's
            Breach(">", 0, Timing(60, 3, 3), "notBreaching"),
            (
                "A web task has failed the load balancer's health check for three minutes.",
                "look at the web service's events and stopped tasks in the ECS console.",
                "unhealthy-hosts",
            ),
            pages=True,
        ),
        spec(
            "rejected-connections",
            Metric(ALB, "RejectedConnectionCount", lb, "Sum", timing.period),
            # only published when connections are rejected
            Breach(">", 0, timing, "notBreaching"),
            (
                "The load balancer refused connections: it reached its connection limit.",
                "check the request rate and whether the web service has scaled to webMaxCount.",
                "rejected-connections",
            ),
        ),
    ]


def ecs_alarms(s: StackSettings, m: MonitoredStack) -> list[AlarmSpec]:
    specs: list[AlarmSpec] = []
    for role, service, minimum in (
        ("web", m.web_service, s.web_min_count),
        ("worker", m.worker_service, s.worker_min_count),
    ):
        dims = {"ClusterName": m.cluster_name, "ServiceName": service}
        specs.append(_tasks_below_minimum(role, dims, minimum) if minimum else _not_starting(role, m))
        specs += [
            spec(
                f"{role}-{resource.lower()}",
                Metric(ECS, f"{resource}Utilization", dims, "Average", 60),
                # No tasks, no data. A service that may stop at zero is then simply idle (notBreaching keeps
                # the alarm OK, so starting one does not notify); otherwise the task-count alarm speaks.
                Breach(">", 90, RECOMMENDED, "missing" if minimum else "notBreaching"),
                (
                    f"The {role} tasks have used over 90% of their {resource.lower()} for five minutes.",
                    f"check whether the {role} service is at its maximum count; raise its size if so.",
                    "ecs-saturation",
                ),
            )
            for resource in ("CPU", "Memory")
        ]
    return specs


def _tasks_below_minimum(role: str, dims: dict[str, pulumi.Input[str]], minimum: int) -> AlarmSpec:
    return spec(
        f"{role}-tasks-below-minimum",
        Metric(INSIGHTS, "RunningTaskCount", dims, "Minimum", 60),
        # Container Insights reports every minute: silence means nothing runs
        Breach("<", minimum, RECOMMENDED, "breaching"),
        (
            f"Fewer than {minimum} {role} tasks have run for five minutes.",
            f"read the {role} service's events: failed pulls, crashes, failed health checks.",
            "tasks-below-minimum",
        ),
        pages=role == "web",
    )


def _not_starting(role: str, m: MonitoredStack) -> AlarmSpec:
    """A service that scales to zero has no minimum to fall below; what can fail is the start: jobs wait
    and no worker listens (no Spot capacity, a failed pull, a crash at start-up). Both series come from the
    same queue samples, so the alarm has a point wherever the queue has one (a service at zero may have
    no task-count points at all)."""
    return spec(
        f"{role}-not-starting",
        Expression(
            "IF(workers < 1, waiting, 0)",
            {
                "waiting": app_series(contract.QUEUE_DEPTH, m, 60),
                "workers": app_series(contract.QUEUE_WORKERS, m, 60),
            },
            f"jobs waiting while no {role} listens",
        ),
        # no queue sample (no web task) is alarmed on the web service
        Breach(">", 0, NOT_STARTING, "notBreaching"),
        (
            f"Jobs have waited {NOT_STARTING.evaluation_periods} minutes and no {role} task runs: the "
            f"{role} scales from zero and none has started.",
            f"read the {role} service's events: Spot capacity, image pull, crash at start-up.",
            f"{role}-not-starting",
        ),
    )


def app_series(spec: contract.MetricSpec, m: MonitoredStack, period: int, **dims: str) -> Metric:
    """One of the app's metrics for this stack (Service and Environment), by any further dimension given,
    labelled with that dimension's value."""
    dimensions = {contract.DIM.SERVICE: contract.SERVICE_NAME, contract.DIM.ENVIRONMENT: m.environment}
    return APP_METRICS.metric(spec, dimensions | dims, period, label=" ".join(dims.values()) or spec.name)


def ai_alarms(s: StackSettings, m: MonitoredStack) -> list[AlarmSpec]:
    timing = service_timing(s)
    specs = [
        spec(
            f"ai-failure-rate-{provider}",
            rate(
                app_series(contract.AI_FAILURES, m, timing.period, Provider=provider),
                app_series(contract.AI_CALLS, m, timing.period, Provider=provider),
                s.alarm_min_requests,
                f"{provider} failures, % of calls",
            ),
            # a provider the chain does not call publishes nothing
            Breach(">", s.alarm_ai_failure_rate_percent, timing, "notBreaching"),
            (
                f"More than {s.alarm_ai_failure_rate_percent}% of calls to {provider} failed; the chain "
                "falls back to the next provider, then to rules.",
                f"check {provider}'s status page and the key's quota; the logs name the failure reason.",
                "ai-provider-failures",
            ),
        )
        for provider in contract.AI_PROVIDER_NAMES
    ]
    specs.append(
        spec(
            "ai-daily-spend",
            app_series(contract.AI_COST_USD, m, DAILY.period),
            # no AI calls, no spend
            Breach(">", s.alarm_ai_daily_spend_usd, DAILY, "notBreaching"),
            (
                f"The AI providers' estimated spend passed {s.alarm_ai_daily_spend_usd} USD in 24 hours. "
                "They bill outside AWS: no AWS budget sees this money.",
                "if it is not expected traffic, pull the kill switch: pulumi config set aiDisabled true, "
                "then pulumi up (answers come from the rules until it is set back).",
                "ai-spend",
            ),
        )
    )
    return specs


def queue_alarms(s: StackSettings, m: MonitoredStack) -> list[AlarmSpec]:
    timing = service_timing(s)
    return [
        spec(
            "queue-depth",
            app_series(contract.QUEUE_DEPTH, m, timing.period),
            # sampled by every web task: no sample means no web task, alarmed elsewhere
            Breach(">", s.alarm_queue_depth, timing, "notBreaching"),
            (
                f"More than {s.alarm_queue_depth} analysis jobs are waiting.",
                "check the worker service's task count, CPU and errors; it scales on this backlog.",
                "queue",
            ),
        ),
        spec(
            "queue-age",
            app_series(contract.QUEUE_OLDEST_JOB_AGE, m, timing.period),
            Breach(">", s.alarm_queue_age_seconds, timing, "missing"),
            (
                f"A job has waited more than {s.alarm_queue_age_seconds} s to start.",
                "check that workers run and are not stuck on one job (the worker logs name the job).",
                "queue",
            ),
        ),
        spec(
            "synced-token-age",
            app_series(contract.SYNCED_TOKEN_AGE, m, DAILY.period),
            # stacks that use no synced token report no age
            Breach(">", s.alarm_synced_token_age_hours * 3600, DAILY, "missing"),
            (
                f"The synced token is over {s.alarm_synced_token_age_hours} hours old and nears its expiry.",
                "mint a new one on a machine with a browser and run launchpad token-sync.",
                "synced-token",
            ),
        ),
    ]
