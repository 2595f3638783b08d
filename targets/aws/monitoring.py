"""The AWS stack's alarms and dashboard, over what `deploy_compute` and the foundation created.

Every alarm notifies the budget's topic (KMS-encrypted, e-mail and optional pager subscribers); the alarms
that mean users are affected feed one composite alarm, the paging one. The dashboard shows traffic, errors,
latency and saturation, the AI providers, the queue, the data stores and the edge. CloudWatch's price is
counted here and exported, so the cost of monitoring stays in sight.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pulumi

from components.aws.alarms import AlarmSet, AlarmSetArgs, AlarmSpec, PagingSpec
from components.aws.dashboard import Dashboard, DashboardArgs
from components.aws.metrics import GLOBAL_REGION
from stack_config import StackConfig
from targets.aws.alarm_catalogue import (
    APP_METRICS,
    MonitoredStack,
    ai_alarms,
    ecs_alarms,
    load_balancer_alarms,
    queue_alarms,
)
from targets.aws.dashboard_rows import dashboard_rows
from targets.aws.foundation import Foundation, paging_alarm_name
from targets.aws.resource_alarms import cache_alarms, database_alarms, waf_alarms

# CloudWatch (us-east-1 list prices): $0.10 per standard-resolution alarm metric a month, each metric of a
# metric-math alarm counted; $0.50 per composite alarm; $3 per dashboard beyond the account's first three
# of up to 50 metrics each (https://aws.amazon.com/cloudwatch/pricing/).
ALARM_METRIC_USD, COMPOSITE_USD, DASHBOARD_USD, FREE_DASHBOARD_METRICS = 0.10, 0.50, 3.00, 50


@dataclass
class Monitoring:
    outputs: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


def alarm_specs(config: StackConfig, m: MonitoredStack, *, waf_elsewhere: bool) -> list[AlarmSpec]:
    """`waf_elsewhere`: the web ACL's metrics are in another region (see `waf_metrics_elsewhere`)."""
    s = config.settings
    specs = load_balancer_alarms(s, m) + ecs_alarms(s, m) + ai_alarms(s, m) + queue_alarms(s, m)
    specs += database_alarms(s, m) + cache_alarms(m)
    if not waf_elsewhere:
        specs += waf_alarms(s, m)
    return specs


def waf_metrics_elsewhere(config: StackConfig, m: MonitoredStack) -> bool:
    """An alarm notifies topics of its own region only: a web ACL's metrics in another region (CloudFront's,
    in us-east-1) can have no alarm here. The dashboard still graphs them."""
    return m.waf_global and config.aws_region != GLOBAL_REGION


def deploy_monitoring(config: StackConfig, foundation: Foundation, m: MonitoredStack) -> Monitoring:
    waf_elsewhere = waf_metrics_elsewhere(config, m)
    specs = alarm_specs(config, m, waf_elsewhere=waf_elsewhere)
    alarms = AlarmSet(
        f"{config.base_name}-alarms",
        AlarmSetArgs(
            alarms=specs,
            topic_arn=foundation.budget.topic_arn,
            runbook_url=config.settings.runbook_url,
            region=config.aws_region,
            published=APP_METRICS,
            paging=PagingSpec(
                alarm_name=paging_alarm_name(config),
                means="Users are affected: errors, slow answers, failing health checks or too few web tasks.",
                first="open the stack's dashboard; the alarm status row shows which alarm fired.",
                runbook="service-unhealthy",
            ),
        ),
        opts=foundation.opts,
    )
    arns = [*alarms.alarm_arns.values(), *([alarms.paging_alarm_arn] if alarms.paging_alarm_arn else [])]
    dashboard = Dashboard(
        f"{config.base_name}-monitoring",
        DashboardArgs(
            dashboard_name=config.base_name, rows=dashboard_rows(config, m, arns), published=APP_METRICS
        ),
        opts=foundation.opts,
    )
    warnings = []
    if waf_elsewhere:
        warnings.append(
            f"WAF ALARM: CloudFront's web ACL reports in {GLOBAL_REGION} and an alarm notifies topics of "
            f"its own region only, so the stack ({config.aws_region}) has no WAF blocked-rate alarm; the "
            "dashboard graphs the blocked requests."
        )
    return Monitoring(
        outputs={
            "dashboard_name": dashboard.dashboard_name,
            "monitoring": monitoring_cost(len(specs), alarms.billed_metrics, dashboard.metric_count),
            # For `launchpad verify` (no alarm in ALARM) and `launchpad token-sync` (the Environment
            # dimension the synced token's age is published under).
            "alarm_names": pulumi.Output.all(*arns).apply(lambda found: [alarm_name(a) for a in found]),
            "deployment_env": config.settings.deployment_env,
        },
        warnings=warnings,
    )


def alarm_name(arn: str) -> str:
    """arn:aws:cloudwatch:<region>:<account>:alarm:<name> -> <name>."""
    return arn.split(":alarm:", 1)[1]


def monitoring_cost(alarm_count: int, billed_metrics: int, dashboard_metrics: int) -> dict[str, Any]:
    """What CloudWatch bills this stack's alarms and dashboard a month, at list price. The dashboard is
    counted as paid when it has more metrics than the free tier's dashboards may."""
    alarms = billed_metrics * ALARM_METRIC_USD + COMPOSITE_USD
    dashboard = DASHBOARD_USD if dashboard_metrics > FREE_DASHBOARD_METRICS else 0.0
    return {
        "metric_alarms": alarm_count,
        "composite_alarms": 1,
        "billed_alarm_metrics": billed_metrics,
        "dashboard_metrics": dashboard_metrics,
        "usd_per_month": round(alarms + dashboard, 2),
    }
