"""One row of a deploy-constraint table: which property of which resource type is held to which limit
(`cloud_facts.checks` and the facts beside it), and where the rule is written down.

`values_at` walks a property path in a resource's inputs (engine names, camelCase): `name`,
`healthCheck.path`, `ingress[].description`, `containerDefinitions(json)[].name` (a JSON string input,
decoded first). Absent values are skipped: a property the program does not set is the provider's default.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cloud_facts.checks import Check


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
