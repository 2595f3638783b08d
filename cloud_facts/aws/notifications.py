"""Notifications: SNS subscriptions, AWS Budgets subscribers and Cost Anomaly Detection alerts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cloud_facts.checks import EMAIL_ADDRESS

# AWS Budgets notifies at most 10 e-mail subscribers (and one topic) per notification
# (https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_NotificationWithSubscribers.html).
AWS_BUDGET_EMAILS_MAX = 10

_ENDPOINTS = {
    "https": (re.compile(r"https://\S+"), "an https:// URL"),
    "http": (re.compile(r"http://\S+"), "an http:// URL"),
    "email": (EMAIL_ADDRESS, "an e-mail address"),
    "email-json": (EMAIL_ADDRESS, "an e-mail address"),
}


@dataclass(frozen=True)
class EndpointForProtocol:
    """SNS Subscribe: the endpoint's form follows the protocol (a URL for http(s), an address for email)."""

    def problems(self, props: Mapping[str, Any]) -> list[str]:
        rule = _ENDPOINTS.get(str(props.get("protocol")))
        endpoint = props.get("endpoint")
        if rule is None or endpoint is None or rule[0].fullmatch(str(endpoint)):
            return []
        return [f"a {props.get('protocol')} subscription's endpoint must be {rule[1]}, not {endpoint!r}"]


@dataclass(frozen=True)
class SnsAlertsAreImmediate:
    """Cost Anomaly Detection sends individual alerts to SNS: a subscription with an SNS subscriber must have
    IMMEDIATE frequency (DAILY and WEEKLY summaries go to e-mail only)."""

    def problems(self, props: Mapping[str, Any]) -> list[str]:
        kinds = {str(s.get("type")) for s in props.get("subscribers") or [] if isinstance(s, Mapping)}
        frequency = props.get("frequency")
        if "SNS" in kinds and frequency is not None and frequency != "IMMEDIATE":
            return [f"an SNS subscriber needs frequency IMMEDIATE, not {frequency!r}"]
        return []
