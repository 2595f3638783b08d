"""Checks on formats (time windows, schedule expressions) and on several properties of one resource."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from policies.deploy.facts import CLOUDFRONT_CERTIFICATE_REGION, FARGATE_TASK_SIZES, rds_max_storage_floor

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HHMM = r"([01][0-9]|2[0-3]):([0-5][0-9])"
# terraform-provider-aws internal/types/timestamp: ValidOnceADayWindowFormat / ValidOnceAWeekWindowFormat.
DAILY_WINDOW = rf"{_HHMM}-{_HHMM}"
WEEKLY_WINDOW = rf"(sun|mon|tue|wed|thu|fri|sat):{_HHMM}-(sun|mon|tue|wed|thu|fri|sat):{_HHMM}"
_WEEK_MINUTES = 7 * 24 * 60


def _minutes(day: str | None, hhmm: str) -> int:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return (_DAYS.index(day) * 24 * 60 if day else 0) + hours * 60 + minutes


def window_span(window: str) -> list[tuple[int, int]]:
    """A "hh:mm-hh:mm" (every day) or "ddd:hh:mm-ddd:hh:mm" window as week-minute intervals."""
    text = window.lower()
    if re.fullmatch(WEEKLY_WINDOW, text):
        start_day, start, end_day, end = re.fullmatch(
            r"(\w{3}):(\d\d:\d\d)-(\w{3}):(\d\d:\d\d)", text
        ).groups()  # type: ignore[union-attr]
        begin, finish = _minutes(start_day, start), _minutes(end_day, end)
        return [(begin, finish if finish > begin else finish + _WEEK_MINUTES)]
    start, end = text.split("-")
    begin, finish = _minutes(None, start), _minutes(None, end)
    finish = finish if finish > begin else finish + 24 * 60
    return [(begin + day * 1440, finish + day * 1440) for day in range(7)]


def _well_formed(window: Any) -> str | None:
    text = str(window).lower() if window else ""
    return text if re.fullmatch(DAILY_WINDOW, text) or re.fullmatch(WEEKLY_WINDOW, text) else None


def _length(window: str) -> int:
    begin, finish = window_span(window)[0]
    return finish - begin


def _overlap(a: str, b: str) -> bool:
    spans_b = window_span(b)
    shifted = [(s + k * _WEEK_MINUTES, e + k * _WEEK_MINUTES) for s, e in spans_b for k in (-1, 0, 1)]
    return any(s1 < e2 and s2 < e1 for s1, e1 in window_span(a) for s2, e2 in shifted)


@dataclass(frozen=True)
class Windows:
    """Two windows of one resource: each at least `minimum` minutes long, and apart when `apart`."""

    first: str
    second: str
    minimum_first: int
    minimum_second: int
    apart: bool = True

    def problems(self, props: Mapping[str, Any]) -> list[str]:
        # A malformed window is its format row's finding; only well-formed ones are measured here.
        a, b = (_well_formed(props.get(key)) for key in (self.first, self.second))
        problems = [
            f"{key} {window!r} is {_length(window)} minutes; at least {minimum} are required"
            for key, window, minimum in (
                (self.first, a, self.minimum_first),
                (self.second, b, self.minimum_second),
            )
            if window and minimum and _length(window) < minimum
        ]
        if self.apart and a and b and _overlap(a, b):
            problems.append(f"{self.first} {a!r} overlaps {self.second} {b!r}; they must not overlap")
        return problems


@dataclass(frozen=True)
class FargateTaskSize:
    """`cpu` and `memory` of a Fargate task definition: one of Fargate's size combinations."""

    def problems(self, props: Mapping[str, Any]) -> list[str]:
        if "FARGATE" not in (props.get("requiresCompatibilities") or []):
            return []
        cpu, memory = int(props.get("cpu") or 0), int(props.get("memory") or 0)
        allowed = FARGATE_TASK_SIZES.get(cpu)
        if allowed is None:
            return [f"cpu {cpu} is not a Fargate size ({', '.join(map(str, FARGATE_TASK_SIZES))})"]
        return [] if memory in allowed else [f"memory {memory} MiB is not offered with cpu {cpu}: {allowed}"]


@dataclass(frozen=True)
class Smaller:
    """`small` < `large` (both numbers of one resource), e.g. a health check timeout under its interval."""

    small: str
    large: str
    path: str = ""

    def problems(self, props: Mapping[str, Any]) -> list[str]:
        node = props.get(self.path) if self.path else props
        if not isinstance(node, Mapping) or node.get(self.small) is None or node.get(self.large) is None:
            return []
        if float(node[self.small]) < float(node[self.large]):
            return []
        return [f"{self.small} {node[self.small]} must be smaller than {self.large} {node[self.large]}"]


@dataclass(frozen=True)
class NotMore:
    """`part` <= `whole` (e.g. datapoints to alarm within the evaluation periods)."""

    part: str
    whole: str

    def problems(self, props: Mapping[str, Any]) -> list[str]:
        if props.get(self.part) is None or props.get(self.whole) is None:
            return []
        if int(props[self.part]) <= int(props[self.whole]):
            return []
        return [f"{self.part} {props[self.part]} exceeds {self.whole} {props[self.whole]}"]


@dataclass(frozen=True)
class StorageHeadroom:
    """RDS storage autoscaling: `maximum` 0/absent (off) or at least `floor(allocated)`."""

    maximum: str
    allocated: str

    def problems(self, props: Mapping[str, Any]) -> list[str]:
        top, allocated = props.get(self.maximum), props.get(self.allocated)
        if not top or allocated is None:
            return []
        least = rds_max_storage_floor(int(allocated))
        if int(top) >= least:
            return []
        return [f"{self.maximum} {top} is under {least}, 10 % above {self.allocated} {allocated}"]


@dataclass(frozen=True)
class DeliverySourceRegion:
    """A CloudFront distribution's delivery source is made in us-east-1, CloudFront's home region."""

    def problems(self, props: Mapping[str, Any]) -> list[str]:
        if ":cloudfront:" not in str(props.get("resourceArn") or ""):
            return []
        region = props.get("region")
        if region == CLOUDFRONT_CERTIFICATE_REGION:
            return []
        return [f"a CloudFront delivery source is in {region or 'the provider region'}, not us-east-1"]


@dataclass(frozen=True)
class SchedulerExpression:
    """EventBridge Scheduler: `cron(min hour dom month dow year)` with `?` in exactly one of the day
    fields, `rate(n unit)`, or `at(yyyy-mm-ddThh:mm:ss)`."""

    def problems(self, value: Any) -> list[str]:
        text = str(value)
        if re.fullmatch(r"rate\([1-9][0-9]* (minute|minutes|hour|hours|day|days)\)", text):
            return []
        if re.fullmatch(r"at\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\)", text):
            return []
        match = re.fullmatch(r"cron\((.*)\)", text)
        fields = match.group(1).split() if match else []
        if len(fields) != 6:
            return [f"{text!r} is not cron() with six fields, rate() or at()"]
        if (fields[2] == "?") == (fields[4] == "?"):
            return [f"{text!r} needs '?' in exactly one of day-of-month and day-of-week"]
        return []


@dataclass(frozen=True)
class TimeZone:
    def problems(self, value: Any) -> list[str]:
        return [] if str(value) in zoneinfo.available_timezones() else [f"{value!r} is not an IANA time zone"]


@dataclass(frozen=True)
class LabelMap:
    """GCP labels: keys 1-63 starting with a lower-case letter, values 0-63, both [a-z0-9_-]."""

    def problems(self, labels: Any) -> list[str]:
        if not isinstance(labels, Mapping):
            return []
        key_rule, value_rule = r"[a-z][a-z0-9_-]{0,62}", r"[a-z0-9_-]{0,63}"
        return [
            f"label {key!r}={value!r} breaks GCP's rules (lower-case letters, digits, _ and -, at most 63)"
            for key, value in labels.items()
            if not re.fullmatch(key_rule, str(key)) or not re.fullmatch(value_rule, str(value))
        ]


@dataclass(frozen=True)
class ArtifactRegistryImage:
    """An image reference into Artifact Registry names an image inside the repository:
    <location>-docker.pkg.dev/<project>/<repository>/<image>[:tag|@digest]; the repository root itself is
    refused at push ("NAME_INVALID: Missing image name")."""

    def problems(self, value: Any) -> list[str]:
        text = str(value)
        if "docker.pkg.dev/" not in text:
            return []
        path = re.split(r"[:@]", text.split("docker.pkg.dev/", 1)[1], maxsplit=1)[0]
        if len([part for part in path.split("/") if part]) >= 3:
            return []
        return [f"{text!r} points at a repository, not an image in it (add /<image> after the repository)"]
