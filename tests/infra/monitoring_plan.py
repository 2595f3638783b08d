"""Queries over a plan's alarms and dashboard, and a small evaluator of CloudWatch metric math."""

from __future__ import annotations

import ast
import json
import operator
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from offline.mocks import Recorded
from tests.infra.plan_query import Plan

ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
COMPOSITE = "aws:cloudwatch/compositeAlarm:CompositeAlarm"
DASHBOARD = "aws:cloudwatch/dashboard:Dashboard"
RUNBOOK = Path(__file__).resolve().parents[2] / "docs" / "runbook.md"
ARITHMETIC = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
COMPARE = {ast.GtE: operator.ge, ast.Gt: operator.gt, ast.Lt: operator.lt, ast.LtE: operator.le}


ALARM_SET = "launchpad:alarms:AlarmSet"
SERVICE_SCALING = "launchpad:service_scaling:ServiceScaling"


def alarms(plan: Plan) -> dict[str, Recorded]:
    """The stack's monitoring alarms (those that notify) by role (the logical name after `<base>-alarms-`).
    The only other alarms drive scaling (`scaling_alarms`)."""
    prefix = f"launchpad-{plan.run.stack}-alarms-"
    found = {r.name.removeprefix(prefix): r for r in plan.of_type(ALARM) if r.parent_type == ALARM_SET}
    assert all(r.name.startswith(prefix) for r in found.values())
    assert {r.parent_type for r in plan.of_type(ALARM)} <= {ALARM_SET, SERVICE_SCALING}
    return found


def scaling_alarms(plan: Plan) -> dict[str, Recorded]:
    """The alarms that start and stop tasks, by logical name."""
    return {r.name: r for r in plan.of_type(ALARM) if r.parent_type == SERVICE_SCALING}


def alarm_metrics(alarm: Recorded) -> Iterator[dict[str, Any]]:
    """Each metric an alarm reads as {namespace, metricName, dimensions, stat, period}."""
    inputs = alarm.inputs
    if "metricName" in inputs:
        stat = inputs.get("statistic") or inputs.get("extendedStatistic")
        yield {key: inputs.get(key) for key in ("namespace", "metricName", "dimensions", "period")} | {
            "stat": stat
        }
        return
    for query in inputs["metricQueries"]:
        if "metric" in query:
            yield dict(query["metric"])


def alarm_period(alarm: Recorded) -> int:
    return int(max(float(m["period"]) for m in alarm_metrics(alarm)))


def dashboard_body(plan: Plan) -> dict[str, Any]:
    return json.loads(plan.one(DASHBOARD).inputs["dashboardBody"])


def dashboard_metrics(body: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(widget region, {namespace, metricName, dimensions, stat}) of every metric a graph draws."""
    for widget in body["widgets"]:
        if widget["type"] != "metric":
            continue
        props = widget["properties"]
        for line in props["metrics"]:
            options = line[-1] if isinstance(line[-1], dict) else {}
            head = line[:-1] if options else line
            if "expression" in options:
                continue
            namespace, name, *pairs = head
            dims = dict(zip(pairs[::2], pairs[1::2], strict=True))
            region = options.get("region", props["region"])
            yield (
                region,
                {"namespace": namespace, "metricName": name, "dimensions": dims, "stat": options["stat"]},
            )


def runbook_anchors() -> set[str]:
    """GitHub's anchors of the runbook's headings: lower case, punctuation dropped, spaces as hyphens."""
    headings = re.findall(r"^#{2,3} (.+)$", RUNBOOK.read_text(), flags=re.M)
    return {re.sub(r"[^a-z0-9 -]", "", h.lower()).replace(" ", "-") for h in headings}


def evaluate(expression: str, values: Mapping[str, float | None]) -> float | None:
    """CloudWatch metric math on one datapoint per metric: IF, FILL and arithmetic; None is no datapoint."""

    def walk(node: ast.AST) -> Any:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return values[node.id]
        if isinstance(node, ast.BinOp):
            left, right = walk(node.left), walk(node.right)
            if left is None or right is None:
                return None
            return ARITHMETIC[type(node.op)](left, right)
        if isinstance(node, ast.Compare):
            left, right = walk(node.left), walk(node.comparators[0])
            return None if left is None or right is None else COMPARE[type(node.ops[0])](left, right)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            args = [walk(arg) for arg in node.args]
            if node.func.id == "FILL":
                return args[1] if args[0] is None else args[0]
            if node.func.id == "IF":
                return None if args[0] is None else (args[1] if args[0] else args[2])
        raise ValueError(f"metric math the evaluator does not know: {ast.dump(node)}")

    return walk(ast.parse(expression, mode="eval"))


def expression_of(alarm: Recorded) -> tuple[str, dict[str, dict[str, Any]]]:
    """An alarm's returned expression and its inputs by id."""
    queries = alarm.inputs["metricQueries"]
    [result] = [q for q in queries if q.get("returnData")]
    return result["expression"], {q["id"]: q["metric"] for q in queries if "metric" in q}
