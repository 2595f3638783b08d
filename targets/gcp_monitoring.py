"""Alerting and the billing budget of a stack's Google Cloud side, over the Cloud Run service.

The same addresses as the AWS alerts become Cloud Monitoring e-mail channels; the seed 001 thresholds and
the alarm period are the stack's settings, shared with AWS. The budget is created only where a billing
account is configured (stack_config refuses an amount without one).
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_gcp as gcp

from components.cloud_run_alerts import CloudRunAlerts, CloudRunAlertsArgs
from components.gcp_apis import ProjectApis
from components.gcp_budget import GcpBudget, GcpBudgetArgs
from policies.deploy.facts import GCP_BUDGET_DISPLAY_NAME_MAX
from stack_config import StackConfig

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
    config: StackConfig, provider: gcp.Provider, apis: ProjectApis, watched: dict[str, pulumi.Output[str]]
) -> dict[str, Any]:
    """Alert policies on `watched` (service_name, service_url) and the project's budget."""
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
            public_url=watched["service_url"] if is_public(config) else None,
            depends_on=apis.needed_by(MONITORING_API),
        ),
        opts=opts,
    )
    outputs: dict[str, Any] = {
        "gcp_monitoring": {
            "alert_conditions": alerts.condition_count,
            "usd_per_month": round(alerts.condition_count * CONDITION_USD, 2),
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
