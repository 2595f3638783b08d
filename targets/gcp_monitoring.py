"""Alerting and the billing budget of a stack's Google Cloud side: the Cloud Run service and, with the
managed data tier, Cloud SQL, Memorystore and the job queue.

The same addresses as the AWS alerts become Cloud Monitoring e-mail channels; the seed 001 thresholds and
the alarm period are the stack's settings, shared with AWS. The budget is created only where a billing
account is configured (stack_config refuses an amount without one).
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_gcp as gcp

from app import contract
from cloud_facts.gcp.cloud_sql import cloud_sql_max_connections
from cloud_facts.gcp.monitoring import GCP_BUDGET_DISPLAY_NAME_MAX
from components.gcp.apis import ProjectApis
from components.gcp.budget import GcpBudget, GcpBudgetArgs
from components.gcp.cloud_run_alerts import CloudRunAlerts, CloudRunAlertsArgs
from components.gcp.data_alerts import GcpDataAlerts, GcpDataAlertsArgs
from stack_config import StackConfig
from targets.gcp_data import GcpDataTier

MONITORING_API = "monitoring.googleapis.com"
BUDGET_API = "billingbudgets.googleapis.com"
# Cloud Monitoring bills $1.50 a month per alerting condition, plus $0.35 per million time series read
# (a handful a period here); uptime checks are free up to 1M executions a project.
CONDITION_USD = 1.50


def monitoring_apis(config: StackConfig) -> tuple[str, ...]:
    return (MONITORING_API, BUDGET_API) if config.settings.gcp_billing_account else (MONITORING_API,)


def is_public(config: StackConfig) -> bool:
    """Anyone on the internet may call the service: only then can Google's checkers reach it."""
    s = config.settings
    return s.cloud_run_public and s.cloud_run_ingress == "all"


def deploy_alerting(
    config: StackConfig,
    provider: gcp.Provider,
    apis: ProjectApis,
    watched: dict[str, pulumi.Output[str]],
    data: GcpDataTier | None,
) -> dict[str, Any]:
    """Alert policies on `watched` (service_name, service_url) and the data tier, and the budget."""
    s = config.settings
    opts = pulumi.ResourceOptions(providers=[provider])
    alerts = CloudRunAlerts(
        f"{config.base_name}-alerts",
        CloudRunAlertsArgs(
            project=config.gcp_project,
            service_name=watched["service_name"],
            emails=list(s.alert_addresses),
            runbook_url=s.runbook_url,
            error_rate_percent=s.alarm_error_rate_percent,
            min_requests=s.alarm_min_requests,
            latency_ms=s.alarm_latency_ms,
            min_instances=s.cloud_run_min_instances,
            max_instances=s.cloud_run_max_instances,
            period_seconds=s.alarm_period_seconds,
            liveness_path=contract.LIVE_PATH,
            public_url=watched["service_url"] if is_public(config) else None,
            depends_on=apis.needed_by(MONITORING_API),
        ),
        opts=opts,
    )
    conditions = alerts.condition_count
    if data is not None:
        conditions += _data_alerts(
            config,
            data,
            opts=opts,
            apis=apis,
            channels=alerts.channel_names,
            service_name=watched["service_name"],
        ).condition_count
    outputs: dict[str, Any] = {
        "gcp_monitoring": {
            "alert_conditions": conditions,
            "usd_per_month": round(conditions * CONDITION_USD, 2),
        }
    }
    if s.gcp_billing_account:
        project = gcp.organizations.get_project_output(
            project_id=config.gcp_project, opts=pulumi.InvokeOutputOptions(provider=provider)
        )
        budget = GcpBudget(
            f"{config.base_name}-gcp-budget",
            GcpBudgetArgs(
                billing_account=s.gcp_billing_account,
                project_number=project.number,
                monthly_usd=s.gcp_monthly_budget_usd,
                channel_names=alerts.channel_names,
                display_name=f"{config.base_name} monthly"[:GCP_BUDGET_DISPLAY_NAME_MAX],
                depends_on=apis.needed_by(BUDGET_API),
            ),
            opts=opts,
        )
        outputs["gcp_budget_name"] = budget.budget_name
    return outputs


def _data_alerts(
    config: StackConfig,
    data: GcpDataTier,
    *,
    opts: pulumi.ResourceOptions,
    apis: ProjectApis,
    channels: list[pulumi.Output[str]],
    service_name: pulumi.Output[str],
) -> GcpDataAlerts:
    s = config.settings
    return GcpDataAlerts(
        f"{config.base_name}-data-alerts",
        GcpDataAlertsArgs(
            project=config.gcp_project,
            channel_names=channels,
            runbook_url=s.runbook_url,
            period_seconds=s.alarm_period_seconds,
            database_id=pulumi.Output.concat(config.gcp_project, ":", data.database.instance_name),
            max_connections=cloud_sql_max_connections(s.cloud_sql_tier),
            disk_limit_gb=s.db_max_allocated_storage_gb,
            redis_instance_id=pulumi.Output.concat(
                f"projects/{config.gcp_project}/locations/{config.gcp_region}/instances/",
                data.cache.instance_id,
            ),
            service_name=service_name,
            queue_depth=s.alarm_queue_depth,
            queue_age_seconds=s.alarm_queue_age_seconds,
            queue_depth_metric=contract.QUEUE_DEPTH,
            queue_age_metric=contract.QUEUE_OLDEST_JOB_AGE,
            depends_on=apis.needed_by(MONITORING_API, "logging.googleapis.com"),
        ),
        opts=opts,
    )
