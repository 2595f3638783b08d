"""The plan for a terminal, in the order a reviewer reads it: the verdict and totals, then the findings,
the diff, the cost, then the details (destroy blockers, resource counts; the inventory and outputs with
`--inventory`). rich lays it out: colour on a terminal, plain text when piped or written to a file, long
lines wrapped under their indent.

Each section is a function of the report in SECTIONS; a new section is one more function there."""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Callable, Iterable

import yaml
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from launchpad.access.closure import summary_lines
from launchpad.cost.model import CostEstimate
from launchpad.diff import PlanDiff
from launchpad.report import SECRET, Finding, PlanReport
from offline.mocks import Recorded

FILE_WIDTH = 100  # wrapping of the plain text written with --out or rendered for a PR
LEVEL_STYLE = {"mandatory": "bold red", "advisory": "yellow", "remediate": "yellow"}
Section = Callable[[PlanReport, bool], list[RenderableType]]


def _line(*parts: str | tuple[str, str], indent: int = 0, whole: bool = False) -> RenderableType:
    """One logical line, wrapped under its indent; `whole` keeps an identifier on one line however long
    (a resource key to copy), as the inventory does."""
    if whole:
        return Text.assemble(" " * indent, *parts, no_wrap=True, overflow="ignore")
    text = Text.assemble(*parts, overflow="fold")
    return Padding(text, (0, 0, 0, indent), expand=False) if indent else text


def _heading(title: str) -> RenderableType:
    return Text.assemble("\n", (title, "bold underline"))


def _verdict(report: PlanReport) -> Text:
    blocking, advisory = len(report.blocking), len(report.findings) - len(report.blocking)
    if blocking:
        verdict = ("BLOCKED", "bold white on red")
        why = f": {blocking} mandatory finding(s) stand, {advisory} advisory (exit 1)"
    else:
        verdict = ("PASSES POLICY", "bold green")
        why = f": no mandatory finding, {advisory} advisory"
    return Text.assemble("Verdict: ", verdict, why)


def _headline(report: PlanReport, _inventory: bool) -> list[RenderableType]:
    source = f"Pulumi.{report.config_source}.yaml"
    lines: list[RenderableType] = [
        Text.assemble(
            ("Launchpad plan ", "bold"),
            (report.stack, "bold cyan"),
            f" from {source}, offline under Pulumi's mocks: nothing is created",
        ),
        _verdict(report),
        _line(
            f"Totals: {len(report.cloud_resources)} cloud resources; ",
            (f"${report.cost.cloud_monthly:,.2f}/month", "bold"),
            f" on the clouds + ${report.cost.external_monthly:,.2f} AI providers; "
            f"{len(report.blockers) or 'nothing'} would stop a destroy",
            indent=0,
        ),
        _line(
            "Policy config: ",
            (report.policy_config, "" if report.policy_config.endswith(".json") else "yellow"),
        ),
    ]
    if report.overrides:
        changes = " ".join(f"--set {key}={set_value(value)}" for key, value in report.overrides.items())
        lines.append(_line("Changed with ", (changes, "bold"), f" (not in {source})"))
    warnings = report.outputs.get("warnings")
    if isinstance(warnings, list):
        lines += [_line(("warning: ", "yellow"), str(w), indent=2) for w in warnings]
    return lines


def set_value(value: object) -> str:
    """A --set value as it would be typed: YAML's flow style (`[aws, gcp]`), '' for the empty string."""
    if value == "":
        return "''"
    return str(yaml.safe_dump(value, default_flow_style=True, width=1000)).removesuffix("\n...\n").strip()


def _finding(f: Finding) -> list[RenderableType]:
    lines = [
        _line(
            (f"{f.enforcement:<9}", LEVEL_STYLE.get(f.enforcement, "")),
            f" {f.severity:<8} ",
            (f.rule, "bold"),
            f"  {f.resource}",
            indent=2,
        ),
        _line(f.message, indent=6),
    ]
    if f.remediation:
        lines.append(_line(("fix: ", "green"), f.remediation, indent=6))
    return lines


def _findings(report: PlanReport, _inventory: bool) -> list[RenderableType]:
    if not report.findings:
        return [_heading("Findings: none")]
    lines = [_heading(f"Findings ({len(report.findings)})")]
    for f in report.findings:
        lines += _finding(f)
    if report.waivers:
        lines.append(Text("Waivers in use:"))
        for w in report.waivers:
            state = ("EXPIRED", "bold red") if w.expired else ("in force", "green")
            lines.append(
                _line(
                    f"{w.waiver.rule}: {w.resource} until {w.waiver.expires} (",
                    state,
                    f"): {w.waiver.justification}",
                    indent=2,
                )
            )
    return lines


def diff_lines(diff: PlanDiff | None) -> list[RenderableType]:
    if diff is None:
        return []
    lines = [
        _heading(f"Changes against {diff.base}: +{len(diff.added)} -{len(diff.removed)} ~{len(diff.changed)}")
    ]
    lines += [_line(("+ ", "green"), key, indent=2, whole=True) for key in diff.added]
    lines += [_line(("- ", "red"), key, indent=2, whole=True) for key in diff.removed]
    lines += [
        _line(
            ("~ ", "yellow"),
            f"{c.key}: {', '.join(c.paths[:8])}{' ...' if len(c.paths) > 8 else ''}",
            indent=2,
        )
        for c in diff.changed
    ]
    lines.append(
        _line(
            f"cost: ${diff.base_cost:,.2f} -> ${diff.head_cost:,.2f} ({diff.cost_delta:+,.2f} a month)",
            indent=2,
        )
    )
    return lines


def _diff(report: PlanReport, _inventory: bool) -> list[RenderableType]:
    return diff_lines(report.diff)


def cost_lines(cost: CostEstimate) -> list[RenderableType]:
    lines: list[RenderableType] = [
        _heading(
            f"Estimated monthly cost: ${cost.cloud_monthly:,.2f} on the clouds + "
            f"${cost.external_monthly:,.2f} AI providers (billed outside) = ${cost.total_monthly:,.2f}"
        ),
        _line(
            f"prices of {cost.price_table_date} (launchpad/cost/prices.py); usage: {cost.usage_source}",
            indent=2,
        ),
        *(_line(("assumption: ", "yellow"), assumption, indent=2) for assumption in cost.assumptions),
    ]
    for item in sorted(cost.resources + cost.external, key=lambda i: -i.monthly):
        lines.append(
            _line((f"{item.monthly:10.2f}", "bold"), f"  {item.name}  ({item.resource_type})", indent=2)
        )
        for c in item.components:
            usage = " *usage" if c.usage_based else ""
            price = f"{c.quantity:,.3f} {c.unit} x ${c.unit_price:g} = ${c.monthly:,.2f}"
            lines.append(_line(f"{c.name}: {price}{usage}", indent=14))
    if cost.unpriced:
        lines.append(
            _line((f"not priced ({len(cost.unpriced)}; not counted, check them):", "yellow"), indent=2)
        )
        lines += [_line(f"{u.name} ({u.resource_type}): {u.reason}", indent=4) for u in cost.unpriced]
    lines.append(
        _line(f"free by nature: {len(cost.free)} resources (listed with reasons in --format json)", indent=2)
    )
    return lines


def _cost(report: PlanReport, _inventory: bool) -> list[RenderableType]:
    return cost_lines(report.cost)


def inventory_tree(report: PlanReport) -> list[str]:
    lines: list[str] = []

    def walk(resource: Recorded, depth: int) -> None:
        lines.append(f"{'  ' * depth}+ {resource.type}  {resource.name}")
        for child in report.components.get(resource.urn, []):
            walk(child, depth + 1)

    for root in (r for r in report.resources if r.parent_type in ("", "pulumi:pulumi:Stack")):
        walk(root, 1)
    return lines


def _details(report: PlanReport, inventory: bool) -> list[RenderableType]:
    lines: list[RenderableType] = [
        _heading(f"What would stop a destroy or an immediate re-create: {len(report.blockers) or 'nothing'}")
    ]
    lines += [_line(f"{b.resource}: {b.reason}", indent=2) for b in report.blockers]
    counts = Counter(r.type for r in report.cloud_resources)
    lines.append(_heading(f"{len(report.cloud_resources)} cloud resources to create"))
    lines += [Text(f"  {count:3d}  {resource_type}") for resource_type, count in sorted(counts.items())]
    if not inventory:
        lines.append(Text("\nEvery resource by component, and the outputs: --inventory (or --format json)."))
        return lines
    lines.append(_heading("Inventory by component"))
    lines += [Text(line, no_wrap=True, overflow="ignore") for line in inventory_tree(report)]
    lines.append(_heading("Outputs"))
    lines += [
        _line(f"{key}: {value if value == SECRET else json.dumps(value, default=str)}", indent=2)
        for key, value in report.outputs.items()
    ]
    return lines


def _identities(report: PlanReport, _inventory: bool) -> list[RenderableType]:
    """The permission closure: whether the bootstrap's identities can deploy and preview this plan."""
    found = summary_lines(report.access)
    if not found:
        return []
    return [_heading(found[0]), *(_line(line.strip(), indent=2) for line in found[1:])]


SECTIONS: tuple[Section, ...] = (_headline, _findings, _identities, _diff, _cost, _details)


def renderables(report: PlanReport, inventory: bool = False) -> Iterable[RenderableType]:
    for section in SECTIONS:
        yield from section(report, inventory)


def print_report(report: PlanReport, inventory: bool = False, console: Console | None = None) -> None:
    """To standard output: coloured on a terminal; plain text, wrapped at the console's width, when piped."""
    console = console or Console(highlight=False)
    if console.is_terminal:
        console.print(Group(*renderables(report, inventory)), crop=False)
    else:
        console.file.write(render(report, inventory, width=console.width))


def render(report: PlanReport, inventory: bool = False, width: int = FILE_WIDTH) -> str:
    """Plain text, wrapped at `width`."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, no_color=True, highlight=False, force_terminal=False)
    console.print(Group(*renderables(report, inventory)), crop=False)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"
