"""Alarms on the stack's data stores and its web ACL: the values AWS recommends for RDS and ElastiCache
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html),
and WAF's blocked share of requests.

Missing data is `missing` for the data stores: silence proves no saturation, and an unreachable database or
cache shows in the service alarms (5xx, health checks) that page.
"""

from __future__ import annotations

import pulumi

from cloud_facts.aws.rds import rds_memory_gib
from components.aws.alarms import AlarmSpec
from components.aws.metrics import GLOBAL_REGION, Expression, Metric
from stack_config import StackSettings
from targets.aws.alarm_catalogue import (
    RECOMMENDED,
    SUSTAINED,
    Breach,
    MonitoredStack,
    Timing,
    service_timing,
    spec,
)

GIB = 1024**3
RDS, CACHE, WAF = "AWS/RDS", "AWS/ElastiCache", "AWS/WAFV2"
# PostgreSQL on RDS: max_connections = DBInstanceClassMemory / 9531392; the class memory less what RDS
# reserves is about three quarters of the instance's (AmazonRDS/latest/UserGuide/CHAP_Limits.html).
PG_BYTES_PER_CONNECTION, USABLE_MEMORY = 9_531_392, 0.75
# Transaction ID wraparound stops writes at 2^31; AWS recommends alarming at a billion.
TRANSACTION_IDS_ALARM = 1_000_000_000
STORAGE_LATENCY_SECONDS = 0.02  # gp3 serves single-digit milliseconds; 20 ms sustained is a queue
REPLICATION_LAG_SECONDS = 30


def database_alarms(s: StackSettings, m: MonitoredStack) -> list[AlarmSpec]:
    memory = (rds_memory_gib(s.db_instance_class) or 0) * GIB
    max_connections = int(memory * USABLE_MEMORY / PG_BYTES_PER_CONNECTION)
    db = {"DBInstanceIdentifier": m.database}

    def watch(name: str, stat: str = "Average") -> Metric:
        return Metric(RDS, name, db, stat, 60)

    rows: list[tuple[str, Metric, Breach, str, str]] = [
        (
            "db-cpu",
            watch("CPUUtilization"),
            Breach(">", 90, RECOMMENDED, "missing"),
            "its CPU has been over 90%",
            "the slow query log",
        ),
        (
            "db-free-storage",
            watch("FreeStorageSpace", "Minimum"),
            Breach("<", s.db_allocated_storage_gb * GIB * 0.1, RECOMMENDED, "missing"),
            "its free storage is under 10% of the allocated",
            "whether storage autoscaling has reached dbMaxAllocatedStorageGb",
        ),
        (
            "db-freeable-memory",
            watch("FreeableMemory"),
            Breach("<", memory * 0.1, SUSTAINED, "missing"),
            "its freeable memory is under 10% of the instance's",
            "connection count and Performance Insights; a larger class may be due",
        ),
        (
            "db-connections",
            watch("DatabaseConnections", "Maximum"),
            Breach(">", int(max_connections * 0.8), RECOMMENDED, "missing"),
            f"it holds over 80% of the ~{max_connections} connections its class allows",
            "the web and worker task counts and each task's pool size",
        ),
        (
            "db-read-latency",
            watch("ReadLatency", "p90"),
            Breach(">", STORAGE_LATENCY_SECONDS, RECOMMENDED, "missing"),
            "reads take over 20 ms",
            "read IOPS against the gp3 volume's",
        ),
        (
            "db-write-latency",
            watch("WriteLatency", "p90"),
            Breach(">", STORAGE_LATENCY_SECONDS, RECOMMENDED, "missing"),
            "writes take over 20 ms",
            "write IOPS against the gp3 volume's",
        ),
        (
            "db-transaction-ids",
            watch("MaximumUsedTransactionIDs"),
            Breach(">", TRANSACTION_IDS_ALARM, Timing(60, 1, 1), "missing"),
            "over a billion transaction IDs are in use: vacuum is falling behind wraparound",
            "long-running transactions and autovacuum in the PostgreSQL logs",
        ),
    ]
    return [
        spec(role, metric, breach, (f"The database: {what}.", f"check {check}.", "database"))
        for role, metric, breach, what, check in rows
    ]


def cache_alarms(m: MonitoredStack) -> list[AlarmSpec]:
    specs: list[AlarmSpec] = []
    for number, node in enumerate(m.cache_nodes, start=1):
        dims = {"CacheClusterId": node}
        rows: list[tuple[str, Metric, Breach, str]] = [
            (
                "cpu",
                Metric(CACHE, "EngineCPUUtilization", dims, "Average", 60),
                Breach(">", 90, RECOMMENDED, "missing"),
                "Valkey's thread has been over 90% busy",
            ),
            (
                "memory",
                Metric(CACHE, "DatabaseMemoryUsagePercentage", dims, "Average", 60),
                Breach(">", 90, RECOMMENDED, "missing"),
                "over 90% of its memory is used",
            ),
            (
                "evictions",
                Metric(CACHE, "Evictions", dims, "Sum", 60),
                Breach(">", 0, RECOMMENDED, "missing"),
                "it has evicted keys every minute for five minutes",
            ),
        ]
        if m.cache_replicated:
            # Every node: replication lag comes from whichever node is the replica now, after any failover.
            rows.append(
                (
                    "replication-lag",
                    Metric(CACHE, "ReplicationLag", dims, "Maximum", 60),
                    Breach(">", REPLICATION_LAG_SECONDS, SUSTAINED, "missing"),
                    f"it has lagged its primary by over {REPLICATION_LAG_SECONDS} s",
                )
            )
        specs += [
            spec(
                f"cache-{kind}-node-{number}",
                metric,
                breach,
                (
                    f"Cache node {number}: {what}.",
                    "check the cache's memory and the queue's backlog.",
                    "cache",
                ),
            )
            for kind, metric, breach, what in rows
        ]
    return specs


def waf_metrics(m: MonitoredStack, period: int) -> tuple[Metric, Metric]:
    """The web ACL's blocked and allowed requests (Rule ALL: every rule and the default action)."""
    assert m.waf_acl is not None  # callers check
    dims: dict[str, pulumi.Input[str]] = {"WebACL": m.waf_acl, "Rule": "ALL"}
    region = GLOBAL_REGION if m.waf_global else None
    if not m.waf_global:
        dims["Region"] = m.region
    blocked = Metric(WAF, "BlockedRequests", dims, "Sum", period, region)
    return blocked, Metric(WAF, "AllowedRequests", dims, "Sum", period, region)


def waf_alarms(s: StackSettings, m: MonitoredStack) -> list[AlarmSpec]:
    if m.waf_acl is None:
        return []
    timing = service_timing(s)
    blocked, allowed = waf_metrics(m, timing.period)
    expression = Expression(
        f"IF(FILL(allowed, 0) + FILL(blocked, 0) >= {s.alarm_min_requests}, "
        "100 * FILL(blocked, 0) / (FILL(allowed, 0) + FILL(blocked, 0)), 0)",
        {"allowed": allowed, "blocked": blocked},
        "blocked, % of requests",
    )
    return [
        spec(
            "waf-blocked-rate",
            expression,
            # WAF publishes nothing without requests
            Breach(">", s.alarm_waf_blocked_rate_percent, timing, "notBreaching"),
            (
                f"WAF blocked more than {s.alarm_waf_blocked_rate_percent}% of requests: an attack, or "
                "rules refusing real clients.",
                "read the WAF log group for the rule and client IPs behind the blocks.",
                "waf-blocked",
            ),
        )
    ]
