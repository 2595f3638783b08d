"""Cloud Monitoring alerts on the Google Cloud data tier and the job queue, as the AWS alarms watch RDS,
ElastiCache and the queue.

Cloud SQL: CPU over 90 %, connections over 80 % of what the tier allows, storage over 80 % of the size
autoresize may grow to. Memorystore: memory over 90 % (the queue lives there: evictions lose jobs). The
queue: the app's EMF records (stdout, one JSON object a line) reach Cloud Logging as `jsonPayload`, so
log-based metrics extract `queue_depth` and `queue_oldest_job_age` from the web service's records, the
same values the AWS alarms read; their p99 over the alarm period is held against the stack's thresholds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import pulumi
from pulumi_gcp import logging

from components.gcp.alert_policy import Aggregation, AlertSpec, Threshold, alert_policies

GB = 1024**3
RECOMMENDED = "300s"  # how long a resource condition must hold (as AWS's recommended alarms' 5 minutes)


class LoggedMetric(Protocol):
    """A value the app writes into its EMF records (a JSON key of each log line), as its contract names it."""

    @property
    def name(self) -> str: ...

    @property
    def unit(self) -> str: ...  # "Count", or a time unit (read as seconds)

    @property
    def description(self) -> str: ...


@dataclass
class GcpDataAlertsArgs:
    project: str  # the project of the alert policies
    channel_names: Sequence[pulumi.Input[str]]  # the notification channels every policy notifies
    runbook_url: str  # each policy's documentation links this runbook
    period_seconds: int  # the alignment period of the queue conditions
    database_id: pulumi.Input[str]  # "<project>:<instance>", Cloud SQL's monitored resource label
    max_connections: int  # the tier's max_connections; an alert at 80 % of it
    disk_limit_gb: int  # autoresize's ceiling; an alert at 80 % of it
    redis_instance_id: pulumi.Input[str]  # "projects/<p>/locations/<region>/instances/<name>"
    service_name: pulumi.Input[str]  # the web service whose instances sample the queue
    queue_depth: int  # jobs waiting that fire an alert
    queue_age_seconds: int  # the oldest waiting job's age that fires an alert
    queue_depth_metric: LoggedMetric  # the jobs waiting, which the web service's records carry
    queue_age_metric: LoggedMetric  # the oldest waiting job's age in seconds, from the same records
    depends_on: Sequence[pulumi.Resource] = ()  # the Monitoring and Logging APIs


class GcpDataAlerts(pulumi.ComponentResource):
    condition_count: int  # Cloud Monitoring bills each condition a month

    def __init__(
        self, name: str, args: GcpDataAlertsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        if not args.channel_names:
            raise ValueError("GcpDataAlertsArgs.channel_names must name at least one channel")
        super().__init__("launchpad:gcp_data_alerts:GcpDataAlerts", name, None, opts)
        child = pulumi.ResourceOptions(parent=self, depends_on=list(args.depends_on))
        depth, age = (
            self._log_metric(name, spec, args, child)
            for spec in (args.queue_depth_metric, args.queue_age_metric)
        )
        self.condition_count = alert_policies(
            name,
            [*_database_specs(args), _cache_spec(args), *_queue_specs(args, depth, age)],
            project=args.project,
            channels=args.channel_names,
            runbook_url=args.runbook_url,
            opts=child,
        )
        self.register_outputs({})

    def _log_metric(
        self, name: str, spec: LoggedMetric, args: GcpDataAlertsArgs, opts: pulumi.ResourceOptions
    ) -> pulumi.Output[str]:
        """A distribution of the value the app's EMF records carry under `spec.name`."""
        metric = logging.Metric(
            f"{name}-{spec.name.replace('_', '-')}",
            project=args.project,
            name=pulumi.Output.concat(args.service_name, "-", spec.name),
            description=f"{spec.description} (from the app's EMF records)",
            filter=pulumi.Output.concat(
                'resource.type = "cloud_run_revision" AND resource.labels.service_name = "',
                args.service_name,
                f'" AND jsonPayload.{spec.name}:*',
            ),
            value_extractor=f"EXTRACT(jsonPayload.{spec.name})",
            metric_descriptor=logging.MetricMetricDescriptorArgs(
                metric_kind="DELTA", value_type="DISTRIBUTION", unit="1" if spec.unit == "Count" else "s"
            ),
            bucket_options=logging.MetricBucketOptionsArgs(
                exponential_buckets=logging.MetricBucketOptionsExponentialBucketsArgs(
                    num_finite_buckets=40, growth_factor=1.5, scale=1
                )
            ),
            opts=opts,
        )
        return metric.name.apply(lambda metric_name: f"logging.googleapis.com/user/{metric_name}")


def _over(resource_filter: pulumi.Input[str], metric: str, aligner: str, value: float) -> Threshold:
    """`metric` of the resource above `value` for five minutes, on one-minute points."""
    return Threshold(
        filter=pulumi.Output.concat(resource_filter, f' AND metric.type = "{metric}"'),
        aggregations=[Aggregation(alignment_period="60s", per_series_aligner=aligner)],
        comparison="COMPARISON_GT",
        threshold_value=value,
        duration=RECOMMENDED,
    )


def _database_specs(args: GcpDataAlertsArgs) -> list[AlertSpec]:
    database = pulumi.Output.concat(
        'resource.type = "cloudsql_database" AND resource.labels.database_id = "', args.database_id, '"'
    )
    metric = "cloudsql.googleapis.com/database/"
    connections = int(args.max_connections * 0.8)
    rows = [
        ("db-cpu", "CPU", metric + "cpu/utilization", 0.9, "its CPU has been over 90 %"),
        (
            "db-connections",
            "connections",
            metric + "postgresql/num_backends",
            connections,
            f"it holds over {connections} connections, 80 % of the {args.max_connections} its tier allows",
        ),
        (
            "db-storage",
            "storage",
            metric + "disk/bytes_used",
            args.disk_limit_gb * GB * 0.8,
            f"its data passed 80 % of the {args.disk_limit_gb} GB autoresize may grow to",
        ),
    ]
    return [
        AlertSpec(
            role,
            f"Cloud SQL {title}",
            "ERROR",
            (_over(database, metric_type, "ALIGN_MEAN", value),),
            f"The database: {means}.",
            "pg_stat_activity and the slow statement log for the queries; a larger cloudSqlTier, or a "
            "higher dbMaxAllocatedStorageGb for storage.",
            "cloud-sql",
        )
        for role, title, metric_type, value, means in rows
    ]


def _cache_spec(args: GcpDataAlertsArgs) -> AlertSpec:
    instance = pulumi.Output.concat(
        'resource.type = "redis_instance" AND resource.labels.instance_id = "', args.redis_instance_id, '"'
    )
    memory = "redis.googleapis.com/stats/memory/usage_ratio"
    return AlertSpec(
        "cache-memory",
        "Memorystore memory",
        "ERROR",
        (_over(instance, memory, "ALIGN_MAX", 0.9),),
        "Memorystore uses over 90 % of its memory; it holds the job queue, and evictions lose jobs.",
        "the queue's backlog and the rate-limit keys; a larger memorystoreSizeGb if it is the workload.",
        "memorystore",
    )


def _queue_specs(
    args: GcpDataAlertsArgs, depth: pulumi.Output[str], age: pulumi.Output[str]
) -> list[AlertSpec]:
    period = f"{args.period_seconds}s"

    def sampled(metric: pulumi.Output[str], value: float) -> Threshold:
        return Threshold(
            filter=pulumi.Output.concat(
                'resource.type = "cloud_run_revision" AND metric.type = "', metric, '"'
            ),
            aggregations=[Aggregation(alignment_period=period, per_series_aligner="ALIGN_PERCENTILE_99")],
            comparison="COMPARISON_GT",
            threshold_value=value,
            duration="0s",
        )

    first = "the worker pool's instances (gcpWorkerInstances) and their logs; a job stuck in one worker."
    return [
        AlertSpec(
            "queue-depth",
            "queue depth",
            "WARNING",
            (sampled(depth, args.queue_depth),),
            f"More than {args.queue_depth} analysis jobs are waiting.",
            first,
            "cloud-run-queue",
        ),
        AlertSpec(
            "queue-age",
            "oldest job",
            "ERROR",
            (sampled(age, args.queue_age_seconds),),
            f"A job has waited more than {args.queue_age_seconds} s to start.",
            first,
            "cloud-run-queue",
        ),
    ]
