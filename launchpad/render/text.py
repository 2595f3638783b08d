"""The plan for a terminal: inventory by component, outputs, destroy blockers, findings, waivers, cost."""

from __future__ import annotations

import json
from collections import Counter

from launchpad.access.closure import summary_lines
from launchpad.cost.model import CostEstimate
from launchpad.diff import PlanDiff
from launchpad.report import SECRET, PlanReport
from offline.mocks import Recorded


def inventory_tree(report: PlanReport) -> list[str]:
    lines: list[str] = []

    def walk(resource: Recorded, depth: int) -> None:
        lines.append(f"{'  ' * depth}+ {resource.type}  {resource.name}")
        for child in report.components.get(resource.urn, []):
            walk(child, depth + 1)

    for root in (r for r in report.resources if r.parent_type in ("", "pulumi:pulumi:Stack")):
        walk(root, 1)
    return lines


def _findings(report: PlanReport) -> list[str]:
    if not report.findings:
        return [f"\nPolicy review ({report.policy_config}): no findings"]
    lines = [f"\nPolicy review ({report.policy_config}): {len(report.findings)} finding(s)"]
    for f in report.findings:
        lines.append(f"  [{f.enforcement}] [{f.severity}] {f.rule}: {f.resource}: {f.message}")
        if f.remediation:
            lines.append(f"      fix: {f.remediation}")
    return lines


def _waivers(report: PlanReport) -> list[str]:
    if not report.waivers:
        return []
    lines = ["\nWaivers in use:"]
    for w in report.waivers:
        state = "EXPIRED" if w.expired else "in force"
        lines.append(
            f"  {w.waiver.rule}: {w.resource} until {w.waiver.expires} ({state}): {w.waiver.justification}"
        )
    return lines


def cost_lines(cost: CostEstimate) -> list[str]:
    lines = [
        f"\nEstimated monthly cost: ${cost.cloud_monthly:,.2f} on the clouds"
        f" + ${cost.external_monthly:,.2f} AI providers (billed outside) = ${cost.total_monthly:,.2f}",
        f"  prices of {cost.price_table_date} (launchpad/cost/prices.py); usage: {cost.usage_source}",
        *(f"  assumption: {assumption}" for assumption in cost.assumptions),
    ]
    for item in sorted(cost.resources + cost.external, key=lambda i: -i.monthly):
        lines.append(f"  {item.monthly:10.2f}  {item.name}  ({item.resource_type})")
        for c in item.components:
            usage = " *usage" if c.usage_based else ""
            price = f"{c.quantity:,.3f} {c.unit} x ${c.unit_price:g} = ${c.monthly:,.2f}"
            lines.append(f"                {c.name}: {price}{usage}")
    if cost.unpriced:
        lines.append(f"  not priced ({len(cost.unpriced)}; not counted, check them):")
        lines += [f"    {u.name} ({u.resource_type}): {u.reason}" for u in cost.unpriced]
    lines.append(f"  free by nature: {len(cost.free)} resources (listed with reasons in --format json)")
    return lines


def diff_lines(diff: PlanDiff | None) -> list[str]:
    if diff is None:
        return []
    lines = [f"\nCompared with {diff.base}: +{len(diff.added)} -{len(diff.removed)} ~{len(diff.changed)}"]
    lines += [f"  + {key}" for key in diff.added] + [f"  - {key}" for key in diff.removed]
    lines += [
        f"  ~ {c.key}: {', '.join(c.paths[:8])}{' ...' if len(c.paths) > 8 else ''}" for c in diff.changed
    ]
    lines.append(
        f"  cost: ${diff.base_cost:,.2f} -> ${diff.head_cost:,.2f} ({diff.cost_delta:+,.2f} a month)"
    )
    return lines


def render(report: PlanReport) -> str:
    lines = [f"Offline plan for stack '{report.stack}' (mocked cloud; nothing is created)\n"]
    lines += inventory_tree(report)
    counts = Counter(r.type for r in report.cloud_resources)
    lines.append(f"\n{len(report.cloud_resources)} cloud resources to create:")
    lines += [f"  {count:3d}  {resource_type}" for resource_type, count in sorted(counts.items())]
    lines.append("\nOutputs:")
    lines += [
        f"  {key}: {value if value == SECRET else json.dumps(value, default=str)}"
        for key, value in report.outputs.items()
    ]
    lines.append(f"\nWhat would stop destroy or an immediate re-create: {len(report.blockers) or 'nothing'}")
    lines += [f"  {b.resource}: {b.reason}" for b in report.blockers]
    lines += _findings(report) + _waivers(report)
    lines += ["", *summary_lines(report.access)] if report.access and summary_lines(report.access) else []
    lines += cost_lines(report.cost) + diff_lines(report.diff)
    return "\n".join(lines) + "\n"
