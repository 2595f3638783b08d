"""The rows of the stack's CloudWatch dashboard: alarm status; traffic, errors and latency; saturation; the
AI providers; the queue; circuit breakers; the database; the cache; the edge. Every line is a catalogued
metric (or metric math over them), so a graph never shows a metric nobody publishes.
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi

from app import contract
from components.aws.dashboard import AlarmStatus, Graph, Text, Widget
from components.aws.metrics import GLOBAL_REGION, Metric
from stack_config import StackConfig
from targets.aws.alarm_catalogue import ALB, ECS, INSIGHTS, MonitoredStack, app_series, rate
from targets.aws.resource_alarms import CACHE, RDS, waf_metrics

PERIOD = 300  # five-minute points: a 12-hour view stays readable
HOURLY = 3600


def dashboard_rows(
    config: StackConfig, m: MonitoredStack, alarm_arns: Sequence[pulumi.Input[str]]
) -> list[list[Widget]]:
    region = config.aws_region
    return [
        [Text(f"# {config.base_name}\nAlarms; service; saturation; AI providers; queue; data stores; edge.")],
        [AlarmStatus(f"{config.base_name} alarms", list(alarm_arns), height=6)],
        _service_row(config, m),
        _saturation_row(m, region),
        *_ai_rows(m, region),
        _queue_row(m, region),
        _breaker_row(m, region),
        *_data_store_rows(m, region),
        *_edge_rows(m, region),
    ]


def _service_row(config: StackConfig, m: MonitoredStack) -> list[Widget]:
    s, lb = config.settings, {"LoadBalancer": m.load_balancer}
    requests = Metric(ALB, "RequestCount", lb, "Sum", PERIOD, label="requests")
    errors = Metric(ALB, "HTTPCode_Target_5XX_Count", lb, "Sum", PERIOD)
    latency = [
        Metric(ALB, "TargetResponseTime", lb, stat, PERIOD, label=stat) for stat in ("p50", "p95", "p99")
    ]
    return [
        Graph("Requests (load balancer)", [requests], config.aws_region),
        Graph(
            "Errors: 5xx, % of requests",
            [rate(errors, requests, s.alarm_min_requests, "5xx %")],
            config.aws_region,
            threshold=s.alarm_error_rate_percent,
        ),
        Graph("Latency (s)", latency, config.aws_region, threshold=s.alarm_latency_ms / 1000),
    ]


def _saturation_row(m: MonitoredStack, region: str) -> list[Widget]:
    def per_service(namespace: str, name: str, stat: str) -> list[Metric]:
        return [
            Metric(
                namespace,
                name,
                {"ClusterName": m.cluster_name, "ServiceName": service},
                stat,
                PERIOD,
                label=role,
            )
            for role, service in (("web", m.web_service), ("worker", m.worker_service))
        ]

    return [
        Graph("CPU, % of the tasks'", per_service(ECS, "CPUUtilization", "Average"), region, threshold=90),
        Graph(
            "Memory, % of the tasks'", per_service(ECS, "MemoryUtilization", "Average"), region, threshold=90
        ),
        Graph("Running tasks", per_service(INSIGHTS, "RunningTaskCount", "Average"), region),
    ]


def _ai_rows(m: MonitoredStack, region: str) -> list[list[Widget]]:
    providers = contract.AI_PROVIDER_NAMES

    def each(spec: contract.MetricSpec, period: int = PERIOD) -> list[Metric]:
        return [app_series(spec, m, period, Provider=provider) for provider in providers]

    tokens = [
        app_series(spec, m, PERIOD, Provider=provider)
        for spec in (contract.AI_TOKENS_IN, contract.AI_TOKENS_OUT)
        for provider in providers
    ]
    return [
        [
            Graph("AI calls per provider", each(contract.AI_CALLS), region),
            Graph("AI failures per provider", each(contract.AI_FAILURES), region),
            Graph("AI latency p99 per provider (ms)", each(contract.AI_LATENCY), region),
        ],
        [
            Graph("AI cost per provider, USD an hour", each(contract.AI_COST_USD, HOURLY), region, width=12),
            Graph("AI tokens in and out per provider", tokens, region, width=12),
        ],
    ]


def _queue_row(m: MonitoredStack, region: str) -> list[Widget]:
    return [
        Graph(
            "Jobs waiting, workers listening",
            [app_series(contract.QUEUE_DEPTH, m, PERIOD), app_series(contract.QUEUE_WORKERS, m, PERIOD)],
            region,
        ),
        Graph("Oldest waiting job (s)", [app_series(contract.QUEUE_OLDEST_JOB_AGE, m, PERIOD)], region),
        Graph("Job run time p99 (s)", [app_series(contract.JOB_DURATION, m, PERIOD)], region),
    ]


def _breaker_row(m: MonitoredStack, region: str) -> list[Widget]:
    def each(spec: contract.MetricSpec) -> list[Metric]:
        return [app_series(spec, m, PERIOD, Dependency=name) for name in contract.DEPENDENCY_NAMES]

    return [
        Graph("Circuit breaker trips per dependency", each(contract.CIRCUIT_OPENED), region, width=12),
        Graph("Circuit breakers closed again", each(contract.CIRCUIT_CLOSED), region, width=12),
    ]


def _data_store_rows(m: MonitoredStack, region: str) -> list[list[Widget]]:
    db = {"DBInstanceIdentifier": m.database}

    def rds(name: str, stat: str = "Average") -> Metric:
        return Metric(RDS, name, db, stat, PERIOD, label=name)

    def nodes(name: str, stat: str = "Average") -> list[Metric]:
        return [
            Metric(CACHE, name, {"CacheClusterId": node}, stat, PERIOD, label=f"node {number}")
            for number, node in enumerate(m.cache_nodes, start=1)
        ]

    return [
        [
            Graph("Database CPU (%)", [rds("CPUUtilization")], region, width=6),
            Graph("Database connections", [rds("DatabaseConnections", "Maximum")], region, width=6),
            Graph("Database free storage (bytes)", [rds("FreeStorageSpace", "Minimum")], region, width=6),
            Graph("Database freeable memory (bytes)", [rds("FreeableMemory")], region, width=6),
        ],
        [
            Graph(
                "Database latency p90 (s)", [rds("ReadLatency", "p90"), rds("WriteLatency", "p90")], region
            ),
            Graph("Cache engine CPU (%)", nodes("EngineCPUUtilization"), region),
            Graph("Cache memory used (%)", nodes("DatabaseMemoryUsagePercentage"), region),
        ],
    ]


def _edge_rows(m: MonitoredStack, region: str) -> list[list[Widget]]:
    lb = {"LoadBalancer": m.load_balancer}
    row: list[Widget] = [
        Graph("Rejected connections", [Metric(ALB, "RejectedConnectionCount", lb, "Sum", PERIOD)], region)
    ]
    if m.waf_acl is not None:
        blocked, allowed = waf_metrics(m, PERIOD)
        row.append(Graph("WAF: allowed and blocked", [allowed, blocked], blocked.region or region))
    if m.distribution_id is not None:
        cdn = {"DistributionId": m.distribution_id, "Region": "Global"}
        lines = [
            Metric("AWS/CloudFront", name, cdn, "Average", PERIOD, GLOBAL_REGION, label=name)
            for name in ("5xxErrorRate", "4xxErrorRate")
        ]
        row.append(Graph("CloudFront errors (% of requests)", lines, GLOBAL_REGION))
    return [row]
