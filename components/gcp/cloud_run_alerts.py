"""Cloud Monitoring for the Cloud Run service: e-mail channels and alert policies.

One notification channel per address; one alert policy per concern (`alert_policy.py`): the service's
5xx ratio (`run.googleapis.com/request_count` by `response_code_class`) over at least `min_requests`
requests a period, as the AWS alarm counts them (one error in a quiet hour is no incident), its p95
latency (`request_latencies`), and the instance count at its maximum, only where the service can scale
(at min = max it sits there by design). A public service also gets an uptime check on its liveness route
and a policy on that check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import pulumi
from pulumi_gcp import monitoring

from components.gcp.alert_policy import Aggregation, AlertSpec, Threshold, alert_policies
from components.naming import stable_key

REVISION = 'resource.type = "cloud_run_revision"'


@dataclass
class CloudRunAlertsArgs:
    project: str  # the project of the service and the alert policies
    service_name: pulumi.Input[str]  # the Cloud Run service the conditions watch
    emails: Sequence[str]  # one notification channel each (at least one)
    runbook_url: str  # each policy's documentation links this runbook
    error_rate_percent: int  # the 5xx share of requests that fires an alert
    min_requests: int  # requests a period below which the 5xx ratio is not judged (alarmMinRequests)
    latency_ms: int  # the p95 request latency that fires an alert
    min_instances: int  # the instances it keeps; at min = max there is no at-the-ceiling alert
    max_instances: int  # an alert when the service runs this many for five minutes
    period_seconds: int  # the alignment period of the service conditions
    liveness_path: str  # the route the uptime check GETs on a public service
    public_url: pulumi.Input[str] | None = None  # the service's URL when anyone may call it: uptime-checked
    depends_on: Sequence[pulumi.Resource] = ()  # the Monitoring API's enablement


class CloudRunAlerts(pulumi.ComponentResource):
    channel_names: list[pulumi.Output[str]]
    condition_count: int  # Cloud Monitoring bills each condition a month

    def __init__(
        self, name: str, args: CloudRunAlertsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        _validate(args)
        super().__init__("launchpad:cloud_run_alerts:CloudRunAlerts", name, None, opts)
        self._name, self._args = name, args
        self._child = pulumi.ResourceOptions(parent=self, depends_on=list(args.depends_on))
        self.channel_names = [
            # Keyed by address, never by list position (removing one must not rename the others).
            monitoring.NotificationChannel(
                f"{name}-email-{stable_key(address)}",
                project=args.project,
                type="email",
                display_name=f"{name}: {address}",
                labels={"email_address": address},
                opts=self._child,
            ).name
            for address in args.emails
        ]
        policies = _service_policies(args)
        if args.public_url is not None:
            policies.append(self._uptime_policy(args.public_url))
        self.condition_count = alert_policies(
            name,
            policies,
            project=args.project,
            channels=self.channel_names,
            runbook_url=args.runbook_url,
            opts=self._child,
        )
        self.register_outputs({"channel_names": self.channel_names})

    def _uptime_policy(self, url: pulumi.Input[str]) -> AlertSpec:
        check = monitoring.UptimeCheckConfig(
            f"{self._name}-uptime",
            project=self._args.project,
            display_name=f"{self._name}: liveness",
            period="300s",
            timeout="10s",
            http_check=monitoring.UptimeCheckConfigHttpCheckArgs(
                path=self._args.liveness_path, port=443, use_ssl=True, validate_ssl=True, request_method="GET"
            ),
            monitored_resource=monitoring.UptimeCheckConfigMonitoredResourceArgs(
                type="uptime_url",
                labels={
                    "project_id": self._args.project,
                    "host": pulumi.Output.from_input(url).apply(lambda u: urlparse(u).hostname or ""),
                },
            ),
            opts=self._child,
        )
        failing = Threshold(
            filter=pulumi.Output.concat(
                'metric.type = "monitoring.googleapis.com/uptime_check/check_passed" AND resource.type = '
                '"uptime_url" AND metric.labels.check_id = "',
                check.uptime_check_id,
                '"',
            ),
            # More than one checker region failing for ten minutes (Google's recommended uptime alert).
            aggregations=[
                Aggregation(
                    alignment_period="1200s",
                    per_series_aligner="ALIGN_NEXT_OLDER",
                    cross_series_reducer="REDUCE_COUNT_FALSE",
                    group_by_fields=["resource.label.*"],
                )
            ],
            comparison="COMPARISON_GT",
            threshold_value=1,
            duration="600s",
        )
        return AlertSpec(
            "uptime",
            "liveness unreachable",
            "CRITICAL",
            (failing,),
            "Google's uptime checkers could not reach the public service's liveness route.",
            "open the service's revisions and logs; check the project's status.",
            "uptime-check",
        )


def _service_filter(args: CloudRunAlertsArgs, metric: str, extra: str = "") -> pulumi.Output[str]:
    return pulumi.Output.concat(
        f'{REVISION} AND resource.labels.service_name = "',
        args.service_name,
        f'" AND metric.type = "run.googleapis.com/{metric}"{extra}',
    )


def _sum_of_requests(args: CloudRunAlertsArgs, kind: Any = Aggregation) -> Any:
    """Requests summed over the service's revisions per period (`kind`: the numerator's or the
    denominator's aggregation class, which the SDK keeps apart)."""
    return kind(
        alignment_period=f"{args.period_seconds}s",
        per_series_aligner="ALIGN_DELTA",
        cross_series_reducer="REDUCE_SUM",
    )


def _error_conditions(args: CloudRunAlertsArgs) -> tuple[Threshold, Threshold]:
    """The 5xx share of the period's requests, and that the period had at least `min_requests` of them."""
    denominator = monitoring.AlertPolicyConditionConditionThresholdDenominatorAggregationArgs
    requests = _sum_of_requests(args)
    ratio = Threshold(
        filter=_service_filter(args, "request_count", ' AND metric.labels.response_code_class = "5xx"'),
        aggregations=[requests],
        denominator_filter=_service_filter(args, "request_count"),
        denominator_aggregations=[_sum_of_requests(args, denominator)],
        comparison="COMPARISON_GT",
        threshold_value=args.error_rate_percent / 100,  # a ratio, not a percentage
        duration="0s",
    )
    enough = Threshold(
        filter=_service_filter(args, "request_count"),
        aggregations=[requests],
        comparison="COMPARISON_GE",
        threshold_value=args.min_requests,
        duration="0s",
    )
    return ratio, enough


def _latency_condition(args: CloudRunAlertsArgs) -> Threshold:
    return Threshold(
        filter=_service_filter(args, "request_latencies"),
        # The p95 of all revisions' requests together: their distributions merged, not averaged.
        aggregations=[
            Aggregation(
                alignment_period=f"{args.period_seconds}s",
                per_series_aligner="ALIGN_DELTA",
                cross_series_reducer="REDUCE_PERCENTILE_95",
            )
        ],
        comparison="COMPARISON_GT",
        threshold_value=args.latency_ms,
        duration="0s",
    )


def _instances_condition(args: CloudRunAlertsArgs) -> Threshold:
    return Threshold(
        filter=_service_filter(args, "container/instance_count"),
        aggregations=[
            Aggregation(
                alignment_period="60s", per_series_aligner="ALIGN_MAX", cross_series_reducer="REDUCE_SUM"
            )
        ],
        comparison="COMPARISON_GE",
        threshold_value=args.max_instances,
        duration="300s",
    )


def _service_policies(args: CloudRunAlertsArgs) -> list[AlertSpec]:
    policies = [
        AlertSpec(
            "error-rate",
            "5xx ratio",
            "CRITICAL",
            _error_conditions(args),
            f"More than {args.error_rate_percent}% of the service's requests answered 5xx, over at least "
            f"{args.min_requests} requests in {args.period_seconds} s.",
            "Logs Explorer, resource Cloud Run Revision, severity ERROR; roll a failing revision back.",
            "cloud-run-errors",
            condition_titles=("5xx ratio", f"at least {args.min_requests} requests"),
        ),
        AlertSpec(
            "latency",
            "p95 latency",
            "ERROR",
            (_latency_condition(args),),
            f"The slowest 5% of the service's requests take over {args.latency_ms} ms.",
            "compare cold starts (min instances) and the AI providers' latency.",
            "cloud-run-latency",
        ),
    ]
    if args.min_instances < args.max_instances:  # pinned at min = max, the service is always "at max"
        policies.append(
            AlertSpec(
                "instances-at-max",
                "instances at maximum",
                "WARNING",
                (_instances_condition(args),),
                f"The service has run at its maximum of {args.max_instances} instances for five minutes.",
                "requests queue beyond it: raise cloudRunMaxInstances if the traffic is expected.",
                "instances-at-maximum",
            )
        )
    return policies


def _validate(args: CloudRunAlertsArgs) -> None:
    if not args.emails or any("@" not in address for address in args.emails):
        raise ValueError("CloudRunAlertsArgs.emails must list at least one e-mail address")
    if args.period_seconds < 60 or args.period_seconds > 90_000 or args.period_seconds % 60:
        raise ValueError("CloudRunAlertsArgs.period_seconds: Cloud Monitoring aligns alerts on 60 s to 25 h")
    if not 1 <= args.error_rate_percent <= 100 or args.max_instances < 1 or args.min_requests < 1:
        raise ValueError("CloudRunAlertsArgs: error rate 1-100 %, at least one instance and one request")
    if args.min_instances > args.max_instances:
        raise ValueError("CloudRunAlertsArgs.min_instances exceeds max_instances")
