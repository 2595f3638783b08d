"""A CloudWatch dashboard body, checked as PutDashboard checks it: widget types and grid, metric arrays,
regions, periods and statistics, expression ids, alarm ARNs.

The body is a JSON string that neither the provider nor the SDK looks into; PutDashboard refuses a bad one
at `pulumi up` ("The dashboard body is invalid"). Source: CloudWatch API Reference, Dashboard Body
Structure and Syntax (CloudWatch-Dashboard-Body-Structure.html).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

WIDGET_TYPES = ("metric", "text", "alarm", "log", "explorer", "custom")
GRID_WIDTH, MAX_HEIGHT, MAX_WIDGETS, MAX_ALARMS = 24, 1000, 500, 100
VIEWS = ("timeSeries", "singleValue", "gauge", "bar", "pie", "table")
STATISTICS = ("SampleCount", "Average", "Sum", "Minimum", "Maximum")
PERCENTILE = re.compile(r"(p|tm|wm|tc|ts)(\d{1,2}(\.\d{1,2})?|100)|IQM")
REGION = re.compile(r"[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d")
QUERY_ID = re.compile(r"[a-z][a-zA-Z0-9_]*")
ALARM_ARN = re.compile(r"arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:\d{12}:alarm:.+")
RENDERING_KEYS = frozenset(
    {"accountId", "color", "expression", "id", "label", "period", "region", "stat", "visible", "yAxis"}
)


def valid_period(value: Any) -> bool:
    return isinstance(value, int) and (value in (1, 5, 10, 30) or (value >= 60 and value % 60 == 0))


def valid_stat(value: Any) -> bool:
    return isinstance(value, str) and (value in STATISTICS or bool(PERCENTILE.fullmatch(value)))


def _grid(index: int, widget: Mapping[str, Any]) -> list[str]:
    where = f"widget {index}"
    x, y = widget.get("x", 0), widget.get("y", 0)
    width, height = widget.get("width", 6), widget.get("height", 6)
    if not all(isinstance(v, int) for v in (x, y, width, height)):
        return [f"{where}: x, y, width and height must be whole numbers"]
    problems = []
    if not (1 <= width <= GRID_WIDTH and x >= 0 and x + width <= GRID_WIDTH):
        problems.append(f"{where}: x {x} + width {width} leaves the {GRID_WIDTH}-column grid")
    if not (1 <= height <= MAX_HEIGHT and y >= 0):
        problems.append(f"{where}: height {height} not within 1..{MAX_HEIGHT}, or y {y} negative")
    return problems


def _metric_line(where: str, line: Any) -> tuple[list[str], str | None, set[str]]:
    """Problems of one entry of `metrics`, its id, and the ids its expression reads."""
    if not isinstance(line, list) or not line:
        return [f"{where}: each metric is a non-empty array"], None, set()
    options = line[-1] if isinstance(line[-1], dict) else {}
    head = line[:-1] if isinstance(line[-1], dict) else line
    problems = [f"{where}: unknown rendering option {k!r}" for k in options if k not in RENDERING_KEYS]
    if "expression" in options:
        if head:
            problems.append(f"{where}: an expression entry holds only its options object")
        reads = set(re.findall(r"\b[a-z][a-zA-Z0-9_]*\b", str(options["expression"])))
    else:
        reads = set()
        if len(head) < 2 or len(head) % 2 or not all(isinstance(p, str) and p for p in head):
            problems.append(f"{where}: [namespace, name, dimension, value, ...] of non-empty strings")
    if "stat" in options and not valid_stat(options["stat"]):
        problems.append(f"{where}: statistic {options['stat']!r}")
    if "period" in options and not valid_period(options["period"]):
        problems.append(f"{where}: period {options['period']!r}")
    if "region" in options and not REGION.fullmatch(str(options["region"])):
        problems.append(f"{where}: region {options['region']!r}")
    query_id = options.get("id")
    if query_id is not None and not QUERY_ID.fullmatch(str(query_id)):
        problems.append(f"{where}: id {query_id!r} must start with a lower-case letter")
    return problems, query_id, reads


def _metric_widget(where: str, props: Mapping[str, Any]) -> list[str]:
    problems = [] if REGION.fullmatch(str(props.get("region", ""))) else [f"{where}: region is required"]
    if "period" in props and not valid_period(props["period"]):
        problems.append(f"{where}: period {props['period']!r} is not 1, 5, 10, 30 or a multiple of 60")
    if "stat" in props and not valid_stat(props["stat"]):
        problems.append(f"{where}: statistic {props['stat']!r}")
    if props.get("view", "timeSeries") not in VIEWS:
        problems.append(f"{where}: view {props.get('view')!r} is not one of {VIEWS}")
    lines = props.get("metrics")
    if not isinstance(lines, list) or not lines:
        return [*problems, f"{where}: metrics must be a non-empty array of arrays"]
    ids: list[str] = []
    reads: set[str] = set()
    for number, line in enumerate(lines):
        line_problems, query_id, line_reads = _metric_line(f"{where} metric {number}", line)
        problems += line_problems
        ids += [query_id] if query_id else []
        reads |= line_reads
    problems += [f"{where}: id {i!r} is used twice" for i in sorted(set(ids)) if ids.count(i) > 1]
    problems += [f"{where}: an expression reads {i!r}, which no metric has" for i in sorted(reads - set(ids))]
    return problems


def _widget(index: int, widget: Any) -> list[str]:
    if not isinstance(widget, Mapping):
        return [f"widget {index}: not an object"]
    kind, props, where = widget.get("type"), widget.get("properties"), f"widget {index}"
    if kind not in WIDGET_TYPES:
        return [f"{where}: type {kind!r} is not one of {WIDGET_TYPES}"]
    if not isinstance(props, Mapping):
        return [f"{where}: properties are required"]
    problems = _grid(index, widget)
    if kind == "metric":
        problems += _metric_widget(where, props)
    elif kind == "text" and not (isinstance(props.get("markdown"), str) and props["markdown"]):
        problems.append(f"{where}: a text widget needs markdown")
    elif kind == "alarm":
        alarms = props.get("alarms")
        if not isinstance(alarms, list) or not 1 <= len(alarms) <= MAX_ALARMS:
            problems.append(f"{where}: alarms must list 1..{MAX_ALARMS} alarm ARNs")
        else:
            problems += [
                f"{where}: {a!r} is not an alarm ARN" for a in alarms if not ALARM_ARN.fullmatch(str(a))
            ]
    return problems


@dataclass(frozen=True)
class DashboardBody:
    """The deploy-constraint check of a `dashboardBody` (decoded from its JSON)."""

    def problems(self, body: Any) -> list[str]:
        if not isinstance(body, Mapping) or not isinstance(body.get("widgets"), list):
            return ["the body must be an object with a widgets array"]
        widgets = body["widgets"]
        problems = [] if len(widgets) <= MAX_WIDGETS else [f"{len(widgets)} widgets; at most {MAX_WIDGETS}"]
        for index, widget in enumerate(widgets):
            problems += _widget(index, widget)
        return problems
