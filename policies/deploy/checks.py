"""The kinds of limit a provider or cloud API enforces at create time, as small values a table can hold.

Each check answers `problems(value)`: the ways `value` breaks the limit, in words a reviewer can act on.
`values_at` walks a property path in a resource's inputs (engine names, camelCase): `name`,
`healthCheck.path`, `ingress[].description`, `containerDefinitions(json)[].name` (a JSON string input,
decoded first). Absent values are skipped: a property the program does not set is the provider's default.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


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
class Limit:
    """One row of the table: what the cloud refuses, for which property of which resource type, and where
    the rule is written down. `at` says when a real run fails on it: `preview` (the provider's schema or
    Pulumi's autonaming check it) or `up` (only the cloud API does, after preview was green)."""

    id: str
    resource_type: str
    path: str  # see values_at; "" gives the whole input map to a check that reads several properties
    check: Check
    source: str
    at: str = "preview"

    def problems(self, props: Mapping[str, Any]) -> list[str]:
        if not self.path:
            return self.check.problems(props)
        return [
            f"{where}: {problem}"
            for where, value in values_at(props, self.path)
            for problem in self.check.problems(value)
        ]


_SEGMENT = re.compile(r"^(?P<key>[A-Za-z0-9_]+)(?P<json>\(json\))?(?P<each>\[\])?$")


def values_at(props: Mapping[str, Any], path: str) -> Iterator[tuple[str, Any]]:
    """Every (concrete path, value) at `path`; lists marked `[]` are walked, `(json)` decodes text."""
    yield from _walk(props, path.split("."), "")


def _walk(node: Any, segments: list[str], where: str) -> Iterator[tuple[str, Any]]:
    if not segments:
        yield where, node
        return
    match = _SEGMENT.match(segments[0])
    if match is None:
        raise ValueError(f"bad property path segment {segments[0]!r}")
    if not isinstance(node, Mapping):
        return
    key = match["key"]
    value = node.get(key)
    here = f"{where}.{key}" if where else key
    if value is None:
        return
    if match["json"] and isinstance(value, str):
        value = json.loads(value)
    if match["each"]:
        items = value if isinstance(value, Sequence) and not isinstance(value, str) else []
        for index, item in enumerate(items):
            yield from _walk(item, segments[1:], f"{here}[{index}]")
        return
    yield from _walk(value, segments[1:], here)
