"""A CloudWatch dashboard whose body is built from typed pieces, never from hand-written JSON.

Rows of widgets are laid out left to right on CloudWatch's 24-column grid. A `Graph` draws catalogued
metrics (or metric math over them) from one region; `AlarmStatus` shows the state of the stack's alarms;
`Text` heads a section. Every metric is checked against the catalogue before anything is created, and the
rendered body is checked as PutDashboard would check it (`cloud_facts/aws/dashboard_body.py`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pulumi
import pulumi_aws as aws

from cloud_facts.aws.dashboard_body import GRID_WIDTH, DashboardBody, valid_period
from components.aws.metrics import Metric, MetricCatalogue, Watched, metric_problems, metrics_of

NAME = re.compile(r"[A-Za-z0-9_-]{1,255}")  # PutDashboard DashboardName


@dataclass(frozen=True)
class Graph:
    title: str
    lines: Sequence[Watched]
    region: str
    width: int = 8
    height: int = 6
    view: Literal["timeSeries", "singleValue"] = "timeSeries"
    threshold: float | None = None  # drawn as a horizontal line: where the alarm fires


@dataclass(frozen=True)
class AlarmStatus:
    title: str
    alarm_arns: Sequence[pulumi.Input[str]]
    width: int = GRID_WIDTH
    height: int = 4


@dataclass(frozen=True)
class Text:
    markdown: str
    width: int = GRID_WIDTH
    height: int = 1


Widget = Graph | AlarmStatus | Text


@dataclass
class DashboardArgs:
    dashboard_name: str  # required by CloudWatch: no autonaming
    rows: Sequence[Sequence[Widget]]  # rows of widgets laid left to right on the 24-column grid
    published: MetricCatalogue  # the metrics the app publishes: a graph of one is checked against it


class Dashboard(pulumi.ComponentResource):
    dashboard_name: pulumi.Output[str]
    body: pulumi.Output[str]
    metric_count: int  # CloudWatch's free tier covers three dashboards of up to 50 metrics each

    def __init__(self, name: str, args: DashboardArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        _validate(args)
        super().__init__("launchpad:dashboard:Dashboard", name, None, opts)
        self.body = pulumi.Output.from_input(_layout(args.rows)).apply(_checked_json)
        dashboard = aws.cloudwatch.Dashboard(
            f"{name}-dashboard",
            dashboard_name=args.dashboard_name,
            dashboard_body=self.body,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.dashboard_name = dashboard.dashboard_name
        self.metric_count = sum(
            len(metrics_of(line))
            for row in args.rows
            for w in row
            if isinstance(w, Graph)
            for line in w.lines
        )
        self.register_outputs({"dashboard_name": self.dashboard_name})


def _metric_line(metric: Metric, options: dict[str, Any]) -> list[Any]:
    dimensions = [part for key in sorted(metric.dimensions) for part in (key, metric.dimensions[key])]
    rendering = {"stat": metric.stat, "period": metric.period, **options}
    if metric.label:
        rendering["label"] = metric.label
    return [metric.namespace, metric.name, *dimensions, rendering]


def _lines(graph: Graph) -> list[list[Any]]:
    """The `metrics` array: each expression's inputs get ids unique in the widget and stay hidden."""
    rendered: list[list[Any]] = []
    for number, line in enumerate(graph.lines):
        if isinstance(line, Metric):
            rendered.append(_metric_line(line, {}))
            continue
        renamed = {query_id: f"{query_id}{number}" for query_id in line.metrics}
        text = _renamed(line.expression, renamed)
        rendered.append([{"expression": text, "label": line.label, "id": f"e{number}"}])
        rendered += [_metric_line(m, {"id": renamed[i], "visible": False}) for i, m in line.metrics.items()]
    return rendered


def _renamed(expression: str, renamed: dict[str, str]) -> str:
    return re.sub(r"\b[a-z][a-zA-Z0-9_]*\b", lambda m: renamed.get(m[0], m[0]), expression)


def _properties(widget: Widget) -> dict[str, Any]:
    if isinstance(widget, Text):
        return {"markdown": widget.markdown}
    if isinstance(widget, AlarmStatus):
        return {"title": widget.title, "alarms": list(widget.alarm_arns), "sortBy": "stateUpdatedTimestamp"}
    props: dict[str, Any] = {
        "title": widget.title,
        "region": widget.region,
        "view": widget.view,
        "period": widget.lines[0].period,
        "metrics": _lines(widget),
    }
    if widget.threshold is not None:
        props["annotations"] = {"horizontal": [{"label": "alarm", "value": widget.threshold}]}
    return props


def _layout(rows: Sequence[Sequence[Widget]]) -> dict[str, Any]:
    widgets: list[dict[str, Any]] = []
    y = 0
    for row in rows:
        x = 0
        for widget in row:
            kind = {Graph: "metric", AlarmStatus: "alarm", Text: "text"}[type(widget)]
            widgets.append(
                {
                    "type": kind,
                    "x": x,
                    "y": y,
                    "width": widget.width,
                    "height": widget.height,
                    "properties": _properties(widget),
                }
            )
            x += widget.width
        y += max(widget.height for widget in row)
    return {"start": "-PT12H", "periodOverride": "inherit", "widgets": widgets}


def _checked_json(body: dict[str, Any]) -> str:
    problems = DashboardBody().problems(body)
    if problems:
        raise ValueError("dashboard body: " + "; ".join(problems))
    return json.dumps(body, sort_keys=True)


def _graph_problems(graph: Graph, published: MetricCatalogue) -> list[str]:
    metrics = [m for line in graph.lines for m in metrics_of(line)]
    problems = [f"{graph.title}: {p}" for m in metrics for p in metric_problems(m, published, alarm=False)]
    problems += [
        f"{graph.title}: {m.name} is read in {m.region}"
        for m in metrics
        if m.region not in (None, graph.region)
    ]
    periods = {line.period for line in graph.lines}
    if len(periods) != 1 or not valid_period(periods.pop() if len(periods) == 1 else 0):
        problems.append(f"{graph.title}: its lines need one valid period")
    return problems


def _validate(args: DashboardArgs) -> None:
    problems = [] if NAME.fullmatch(args.dashboard_name) else [f"name {args.dashboard_name!r}"]
    for row in args.rows:
        if not row or sum(widget.width for widget in row) > GRID_WIDTH:
            problems.append(f"a row must hold 1..{GRID_WIDTH} columns of widgets")
        problems += [
            p for widget in row if isinstance(widget, Graph) for p in _graph_problems(widget, args.published)
        ]
        empty = [w for w in row if isinstance(w, AlarmStatus) and not w.alarm_arns]
        problems += [f"{widget.title}: no alarms" for widget in empty]
    if problems:
        raise ValueError("DashboardArgs: " + "; ".join(problems))
