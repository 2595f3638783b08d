"""List prices the estimate uses, copied from docs/reference/prices.md (collected 2026-11) with
their source and confidence; rows marked "added" are not in that file and say where they come from.

AWS: us-east-1 on demand; GCP: Tier 1 (us-central1). Hourly rates are multiplied by 730 hours a month.
"""

from __future__ import annotations

from dataclasses import dataclass

PRICE_TABLE_DATE = "2026-11"
HOURS_PER_MONTH = 730
SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600
REFERENCE = "docs/reference/prices.md"
# The one region per cloud the table's prices are for; a stack elsewhere is priced at these, and says so.
PRICED_REGIONS = {"aws": "us-east-1", "gcp": "us-central1"}


@dataclass(frozen=True)
class Price:
    usd: float
    unit: str
    source: str
    confidence: str  # high, medium-high, medium, low
    assumption: str = ""  # said in every estimate that uses the row: the price is assumed, not listed


def _ref(source: str, confidence: str) -> tuple[str, str]:
    return f"{REFERENCE}: {source}", confidence


_FARGATE = _ref("IC fixture ecs_service (2025-07); AWS Fargate page example; vantage.sh", "high")
_FARGATE_ARM = _ref("vantage.sh; third-party 2026-09", "medium-high")
_CLOUDFRONT = (
    "added: AWS CloudFront pricing page, North America/Europe, first 10 TB; always-free tier 1 TB and "
    "10 M requests a month (AWS Free Tier page); not cross-checked against a second source",
    "medium",
)
# The same figures price the stack's `monitoring` outputs (targets/aws/monitoring.py,
# targets/gcp_monitoring.py); a test keeps them equal.
_MONITORING = (
    "added: AWS CloudWatch pricing page (composite alarms, dashboards beyond the account's first three)",
    "medium",
)
_GCP_MONITORING = (
    "added: Google Cloud Observability pricing (alerting, $1.50 per condition-month; time series read "
    "and uptime checks within the free allotment at this stack's volume)",
    "medium",
)
PRICES: dict[str, Price] = {
    "fargate.x86.vcpu_hour": Price(0.04048, "vCPU-hour", *_FARGATE),
    "fargate.x86.gb_hour": Price(0.004445, "GB-hour", *_FARGATE),
    "fargate.arm.vcpu_hour": Price(0.03238, "vCPU-hour", *_FARGATE_ARM),
    "fargate.arm.gb_hour": Price(0.00356, "GB-hour", *_FARGATE_ARM),
    "alb.hour": Price(0.0225, "hour", *_ref("IC fixture lb; AWS ELB page example", "high")),
    "alb.lcu_hour": Price(0.008, "LCU-hour", *_ref("IC fixture lb; AWS ELB page example", "high")),
    "nat.hour": Price(0.045, "hour", *_ref("IC fixture nat_gateway", "high")),
    "nat.gb": Price(0.045, "GB processed", *_ref("IC fixture nat_gateway", "high")),
    "ipv4.hour": Price(0.005, "IP-hour", *_ref("AWS announcement (since 2024-02-01)", "high")),
    "rds.db.t4g.micro": Price(0.016, "hour", *_ref("third-party rate tables 2026", "medium-high")),
    "rds.db.t4g.small": Price(0.032, "hour", *_ref("IC fixture db_instance; rate tables", "medium")),
    "rds.db.t4g.medium": Price(0.065, "hour", *_ref("rate tables", "medium")),
    "rds.gp3.gb_month": Price(0.115, "GB-month", *_ref("IC fixture db_instance (multi-AZ x2)", "high")),
    "rds.backup.gb_month": Price(
        0.095, "GB-month", *_ref("IC fixture (free up to 100 % of storage)", "high")
    ),
    "elasticache.redis.cache.t4g.micro": Price(0.016, "node-hour", *_ref("rate tables", "medium")),
    "elasticache.redis.cache.t4g.small": Price(0.032, "node-hour", *_ref("rate tables", "medium")),
    "secrets.secret_month": Price(0.40, "secret-month", *_ref("IC fixture; AWS page example", "high")),
    "secrets.10k_calls": Price(0.05, "10k API calls", *_ref("IC fixture; AWS page example", "high")),
    "cloudwatch.alarm_metric": Price(0.10, "alarm metric-month", *_ref("IC fixture", "high")),
    "cloudwatch.composite_alarm": Price(0.50, "composite alarm-month", *_MONITORING),
    "cloudwatch.dashboard": Price(3.00, "dashboard-month (an account's first 3 are free)", *_MONITORING),
    "logs.gb_ingested": Price(0.50, "GB ingested", *_ref("IC fixture", "high")),
    "logs.gb_month": Price(0.03, "GB-month stored", *_ref("IC fixture", "high")),
    "s3.gb_month": Price(0.023, "GB-month", *_ref("IC fixture (S3 Standard)", "high")),
    "ecr.gb_month": Price(0.10, "GB-month", *_ref("IC fixture", "high")),
    "kms.key_month": Price(1.00, "key-month", *_ref("IC fixture", "high")),
    "kms.10k_requests": Price(0.03, "10k requests", *_ref("IC fixture", "high")),
    "waf.acl_month": Price(5.00, "web ACL-month", *_ref("IC fixture", "high")),
    "waf.rule_month": Price(1.00, "rule-month", *_ref("IC fixture", "high")),
    "waf.million_requests": Price(0.60, "1M requests", *_ref("IC fixture", "high")),
    "cloudfront.gb_out": Price(0.085, "GB out (after 1 TB free)", *_CLOUDFRONT),
    "cloudfront.10k_https": Price(0.0100, "10k HTTPS requests (after 10 M free)", *_CLOUDFRONT),
    "run.vcpu_second.instance": Price(
        0.000018, "vCPU-second", *_ref("cloud.google.com/run/pricing", "medium")
    ),
    "run.gib_second.instance": Price(0.000002, "GiB-second", *_ref("cloud.google.com/run/pricing", "medium")),
    "run.vcpu_second.request": Price(0.000024, "vCPU-second", *_ref("cloud.google.com/run/pricing", "high")),
    "run.gib_second.request": Price(0.0000025, "GiB-second", *_ref("cloud.google.com/run/pricing", "high")),
    "run.million_requests": Price(
        0.40, "1M requests (after 2 M free)", *_ref("cloud.google.com/run/pricing", "high")
    ),
    "artifact_registry.gb_month": Price(
        0.10, "GB-month (after 0.5 GB)", *_ref("artifact-registry/pricing", "high")
    ),
    "gcp_monitoring.condition_month": Price(1.50, "alerting condition-month", *_GCP_MONITORING),
    "gcp_secret.version_month": Price(0.06, "version-month", *_ref("secret-manager/pricing", "high")),
}
# Google Cloud's data tier (us-central1), added: Infracost's test fixtures for the Google provider
# (internal/providers/terraform/google/testdata/*.golden, read 2026-12) unless a row says otherwise.
_IC_GCP = "added: Infracost fixture {} (us-central1 list price)"
_SQL = (_IC_GCP.format("sql_database_instance_test"), "medium-high")
_REDIS = (_IC_GCP.format("redis_instance_test"), "medium-high")
for _zone, _factor in (("zonal", 1), ("regional", 2)):  # a regional (HA) instance bills twice
    PRICES |= {
        f"cloud_sql.db-f1-micro.{_zone}": Price(0.0105 * _factor, "hour", *_SQL),
        f"cloud_sql.db-g1-small.{_zone}": Price(0.035 * _factor, "hour", *_SQL),
        f"cloud_sql.vcpu_hour.{_zone}": Price(0.0413 * _factor, "vCPU-hour", *_SQL),
        f"cloud_sql.gb_hour.{_zone}": Price(0.0070 * _factor, "GB-hour of memory", *_SQL),
        f"cloud_sql.ssd.{_zone}": Price(0.17 * _factor, "GB-month of SSD", *_SQL),
    }
PRICES["cloud_sql.backup.gb_month"] = Price(0.08, "GB-month of backups", *_SQL)
# Memorystore for Redis bills per GB-hour by capacity tier: M1 1-4 GB, M2 5-10, M3 11-35, M4 36-100, M5 more.
MEMORYSTORE_CAPACITY_TIERS = ((4, "m1"), (10, "m2"), (35, "m3"), (100, "m4"), (300, "m5"))
for _tier, _basic, _standard in (
    ("m1", 0.049, 0.064),
    ("m2", 0.027, 0.054),
    ("m3", 0.023, 0.046),
    ("m4", 0.019, 0.035),
    ("m5", 0.016, 0.030),
):
    PRICES[f"memorystore.basic.{_tier}"] = Price(_basic, "GB-hour", *_REDIS)
    PRICES[f"memorystore.standard.{_tier}"] = Price(_standard, "GB-hour", *_REDIS)
PRICES |= {
    "gcs.standard.gb_month": Price(
        0.020,
        "GB-month (Standard, regional)",
        "added: cloud.google.com/storage/pricing, Standard in us-central1 (Infracost's fixture prices the "
        "EU multi-region, $0.026)",
        "medium",
    ),
    "gcp_kms.version_month": Price(
        0.06, "active key version-month", _IC_GCP.format("kms_crypto_key_test"), "medium-high"
    ),
    "cloud_scheduler.job_month": Price(
        0.10,
        "job-month (a billing account's first 3 are free)",
        "added: cloud.google.com/scheduler/pricing; the free three are not counted here",
        "medium",
    ),
}
# Worker pools bill their instances' whole lifetime. The price table holds no pool rate of its own:
# priced at instance-based billing's rates (jobs' too), stated with every estimate that uses them.
_POOL = (
    "added: cloud.google.com/run/pricing (worker pools bill each instance's lifetime); the instance-based "
    "rates of prices.md, assumed to apply",
    "low",
)
POOL_ASSUMPTION = "Cloud Run worker pools are priced at instance-based billing's rates (an assumption)"
for _unit, _key in (("vCPU-second", "vcpu_second"), ("GiB-second", "gib_second")):
    PRICES[f"run.{_key}.pool"] = Price(
        PRICES[f"run.{_key}.instance"].usd, _unit, *_POOL, assumption=POOL_ASSUMPTION
    )
# Fargate Spot has no list price: AWS's Fargate pricing page offers Spot "at up to a 70% discount off the
# regular Fargate price" and shows a live rate per region that moves with supply and demand over time.
# Published Spot rates found: 67 % off (eu-west-1, tomgregory.com, "AWS Fargate Spot vs Fargate price
# comparison") and 70 % off (us-west-2, a 2023 pricing script, gist.github.com/unacceptable); a 2026 article
# gives "50-70 %" without a rate (fortem.dev/fargate-spot). Priced at 65 % off: a little under the smallest
# published discount found.
SPOT_DISCOUNT = 0.65
_SPOT = (
    "added: AWS Fargate pricing page (Spot 'at up to a 70% discount', live rate per region); published Spot "
    "rates 67 % off (eu-west-1) and 70 % off (us-west-2, 2023); assumed 65 % off",
    "low",
)
SPOT_ASSUMPTION = (
    f"Fargate Spot is priced at {100 - SPOT_DISCOUNT * 100:.0f} % of on-demand ({SPOT_DISCOUNT:.0%} off): "
    "AWS publishes no fixed Spot price (up to 70 % off, varying by region and over time); low confidence"
)
for _arch in ("x86", "arm"):
    for _unit in ("vcpu_hour", "gb_hour"):
        _on_demand = PRICES[f"fargate.{_arch}.{_unit}"]
        PRICES[f"fargate_spot.{_arch}.{_unit}"] = Price(
            round(_on_demand.usd * (1 - SPOT_DISCOUNT), 8),
            _on_demand.unit,
            *_SPOT,
            assumption=SPOT_ASSUMPTION,
        )

# ElastiCache prices Valkey at 0.8 x Redis OSS for the same node (AWS Price List API read 2026-10, medium).
VALKEY_FACTOR = 0.8
CLOUDFRONT_FREE_GB = 1024
CLOUDFRONT_FREE_REQUESTS = 10_000_000
RUN_FREE_REQUESTS = 2_000_000
ARTIFACT_FREE_GB = 0.5

# The app's own per-model prices (USD per million tokens, app/core/config.py `model_prices`); a test keeps
# them equal. The providers bill outside AWS and GCP, so no cloud budget sees this spend.
AI_MODELS = {
    "huggingface": ("Qwen/Qwen2.5-72B-Instruct", 0.13, 0.40),
    "gemini": ("gemini-2.5-flash", 0.30, 2.50),
    "claude": ("claude-haiku-4-5", 1.00, 5.00),
}
AI_SOURCE = "app/core/config.py model_prices (the app's own estimate; providers' list prices)"
for _provider, (_model, _in, _out) in AI_MODELS.items():
    PRICES[f"ai.{_provider}.in"] = Price(_in, f"1M prompt tokens ({_model})", AI_SOURCE, "medium")
    PRICES[f"ai.{_provider}.out"] = Price(_out, f"1M completion tokens ({_model})", AI_SOURCE, "medium")
