"""Checks of alarms, alert subscriptions, log delivery and budgets that read several properties of a
resource, or validate a JSON document against the AWS API's own model (botocore's service models)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import botocore.session
from botocore.exceptions import ParamValidationError
from botocore.validate import ParamValidator

from policies.deploy.facts import alarm_evaluation_limit

_ARN_REGION = re.compile(r"arn:aws[a-z-]*:[a-z0-9-]+:(?P<region>[a-z0-9-]*):")


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


@dataclass(frozen=True)
class SameRegion:
    """Two ARN properties of one resource name the same region (a log destination and its web ACL)."""

    first: str
    second: str

    def problems(self, props: Mapping[str, Any]) -> list[str]:
        def regions(value: Any) -> set[str]:
            # Policy inputs arrive as proxies: lists as Sequences, not lists.
            values = value if isinstance(value, Sequence) and not isinstance(value, str) else [value]
            found = (_ARN_REGION.match(str(v)) for v in values if v)
            return {m["region"] for m in found if m and m["region"]}

        a, b = regions(props.get(self.first)), regions(props.get(self.second))
        if not a or not b or a == b:
            return []
        return [f"{self.first} is in {sorted(a)} but {self.second} in {sorted(b)}; they must share a region"]


_ENDPOINTS = {
    "https": (re.compile(r"https://\S+"), "an https:// URL"),
    "http": (re.compile(r"http://\S+"), "an http:// URL"),
    "email": (re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+"), "an e-mail address"),
    "email-json": (re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+"), "an e-mail address"),
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


@dataclass(frozen=True)
class ApiShape:
    """A JSON document input validated against a shape of the AWS API (botocore's model of the service)."""

    service: str
    shape: str

    def problems(self, document: Any) -> list[str]:
        value = json.loads(document) if isinstance(document, str) else document
        model = botocore.session.get_session().get_service_model(self.service).shape_for(self.shape)
        report = ParamValidator().validate(value, model)
        if not report.has_errors():
            return []
        return [str(ParamValidationError(report=report.generate_report())).replace("\n", " ")]


_DURATION = re.compile(r"(?P<seconds>\d+)(\.\d+)?s")


@dataclass(frozen=True)
class Duration:
    """A protobuf Duration ("300s") within `minimum..maximum` seconds, and a multiple of `multiple`."""

    minimum: int
    maximum: int
    multiple: int = 1

    def problems(self, value: Any) -> list[str]:
        match = _DURATION.fullmatch(str(value))
        if match is None:
            return [f"{value!r} is not a duration in seconds such as '300s'"]
        seconds = int(match["seconds"])
        if self.minimum <= seconds <= self.maximum and seconds % self.multiple == 0:
            return []
        step = f", a multiple of {self.multiple}" if self.multiple > 1 else ""
        return [f"{value!r} is not within {self.minimum}s..{self.maximum}s{step}"]


@dataclass(frozen=True)
class EmailChannel:
    """A Cloud Monitoring channel of type email carries its address in labels.email_address."""

    def problems(self, props: Mapping[str, Any]) -> list[str]:
        if props.get("type") != "email":
            return []
        address = (props.get("labels") or {}).get("email_address")
        if address and _ENDPOINTS["email"][0].fullmatch(str(address)):
            return []
        return [f"an email channel needs labels.email_address set to an address, not {address!r}"]
