"""The kinds of limit a provider or cloud API enforces at create time, as small values a table can hold.

Each check answers `problems(value)`: the ways `value` breaks the limit, in words a reviewer can act on.
A check of one property takes its value; a check that reads several properties of one resource (`Smaller`,
`NotMore`) takes the resource's whole input map. The policy pack's rows (`policies/deploy/limit.py`) say
which property of which resource type each check applies to.
"""

from __future__ import annotations

import json
import re
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

# An e-mail address as SNS and Cloud Monitoring take one: something@domain.tld, no spaces.
EMAIL_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class Check(Protocol):
    def problems(self, value: Any) -> list[str]: ...


@dataclass(frozen=True)
class Length:
    """Text length in characters, `minimum..maximum`."""

    maximum: int
    minimum: int = 1

    def problems(self, value: Any) -> list[str]:
        text = str(value)
        if self.minimum <= len(text) <= self.maximum:
            return []
        return [f"{text!r} is {len(text)} characters; the limit is {self.minimum}-{self.maximum}"]


@dataclass(frozen=True)
class Pattern:
    """The whole text matches `regex`; `means` says in words what the regex allows."""

    regex: str
    means: str

    def problems(self, value: Any) -> list[str]:
        text = str(value)
        return [] if re.fullmatch(self.regex, text) else [f"{text!r} breaks the rule: {self.means}"]


@dataclass(frozen=True)
class Forbidden:
    """The text must not match `regex` anywhere (a reserved prefix, a doubled hyphen)."""

    regex: str
    means: str

    def problems(self, value: Any) -> list[str]:
        text = str(value)
        return [f"{text!r} breaks the rule: {self.means}"] if re.search(self.regex, text) else []


def _canonical(value: Any) -> str:
    """Numbers cross the engine's wire as floats: 7.0 is the 7 the program set."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class OneOf:
    values: tuple[Any, ...]

    def problems(self, value: Any) -> list[str]:
        candidates = {_canonical(v) for v in self.values}
        if _canonical(value) in candidates:
            return []
        shown = ", ".join(str(v) for v in self.values)
        return [f"{value!r} is not one of the accepted values ({shown})"]


@dataclass(frozen=True)
class Between:
    """A number within `minimum..maximum` (inclusive); either bound may be open (None)."""

    minimum: float | None = None
    maximum: float | None = None

    def problems(self, value: Any) -> list[str]:
        try:
            number = float(value)
        except (TypeError, ValueError):
            return [f"{value!r} is not a number"]
        if (self.minimum is not None and number < self.minimum) or (
            self.maximum is not None and number > self.maximum
        ):
            low = "" if self.minimum is None else f">= {self.minimum:g}"
            high = "" if self.maximum is None else f"<= {self.maximum:g}"
            return [f"{value!r} is out of range ({' and '.join(b for b in (low, high) if b)})"]
        return []


@dataclass(frozen=True)
class JsonSize:
    """A JSON document input whose size, counted without whitespace as AWS counts it, has a ceiling."""

    maximum: int
    what: str

    def problems(self, value: Any) -> list[str]:
        text = value if isinstance(value, str) else json.dumps(value)
        size = len(re.sub(r"\s", "", text))
        if size <= self.maximum:
            return []
        return [f"{self.what} is {size} characters without whitespace; AWS allows {self.maximum}"]


@dataclass(frozen=True)
class Count:
    """A list with at most `maximum` items."""

    maximum: int

    def problems(self, value: Any) -> list[str]:
        size = len(value) if isinstance(value, Sequence) and not isinstance(value, str) else 1
        return [] if size <= self.maximum else [f"lists {size} items; the limit is {self.maximum}"]


@dataclass(frozen=True)
class AllOf:
    """Several checks on one value, reported together."""

    checks: Sequence[Check]

    def problems(self, value: Any) -> list[str]:
        return [problem for check in self.checks for problem in check.problems(value)]


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
class TimeZone:
    """An IANA time zone name, as the schedulers read them."""

    def problems(self, value: Any) -> list[str]:
        return [] if str(value) in zoneinfo.available_timezones() else [f"{value!r} is not an IANA time zone"]
