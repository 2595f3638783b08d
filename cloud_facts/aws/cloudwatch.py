"""CloudWatch: log retention, alarm periods and how much data an alarm may evaluate."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# CloudWatch Logs PutRetentionPolicy, `retentionInDays`
# (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html).
LOG_RETENTION_DAYS = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
    3653,
)  # fmt: skip

# PutDeliverySource / PutDeliveryDestination: names of 1-60 characters of [\w-]
# (terraform-provider-aws internal/service/logs/delivery_source.go, delivery_destination.go).
LOG_DELIVERY_NAME_MAX = 60
# CloudWatch PutMetricAlarm: period x evaluation periods is at most a day when the period is under an hour,
# else at most seven days
# (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html).
DAY_SECONDS, WEEK_SECONDS = 86_400, 7 * 86_400


def alarm_evaluation_limit(period: int) -> int:
    """The most seconds of data an alarm with this period may evaluate (period x evaluation periods)."""
    return DAY_SECONDS if period < 3600 else WEEK_SECONDS


@dataclass(frozen=True)
class AlarmPeriod:
    """CloudWatch alarm periods: 10, 20 or 30 seconds (high resolution), or a multiple of 60."""

    def problems(self, value: Any) -> list[str]:
        try:
            seconds = int(float(value))
        except (TypeError, ValueError):
            return [f"{value!r} is not a whole number of seconds"]
        if seconds in (10, 20, 30) or (seconds >= 60 and seconds % 60 == 0):
            return []
        return [f"{seconds} s is not a period CloudWatch accepts (10, 20, 30, or a multiple of 60)"]


def _periods(props: Mapping[str, Any]) -> list[int]:
    periods = [props.get("period")]
    for query in props.get("metricQueries") or []:
        periods += [query.get("period"), (query.get("metric") or {}).get("period")]
    return [int(float(p)) for p in periods if p is not None]


@dataclass(frozen=True)
class EvaluationRange:
    """PutMetricAlarm: period x evaluation periods is at most a day when the period is under an hour,
    else at most seven days."""

    def problems(self, props: Mapping[str, Any]) -> list[str]:
        periods, count = _periods(props), props.get("evaluationPeriods")
        if not periods or count is None:
            return []
        period = max(periods)
        window, limit = period * int(float(count)), alarm_evaluation_limit(period)
        if window <= limit:
            return []
        return [f"{count} periods of {period} s evaluate {window} s of data; CloudWatch allows {limit} s"]
