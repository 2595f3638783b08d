"""The plan as a pull-request comment: a summary line, findings and cost tables, the diff, and the
inventory collapsed; cut to fit GitHub's 65,536-character comment limit, saying so."""

from __future__ import annotations

from collections import Counter

from launchpad.access.closure import summary_lines
from launchpad.render.text import set_value
from launchpad.report import PlanReport

GITHUB_COMMENT_LIMIT = 65_536
TRUNCATED = (
    "\n\n> **Truncated** to fit GitHub's comment limit: run `launchpad plan --format json` for everything.\n"
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def summary(report: PlanReport) -> str:
    blocking, advisory = len(report.blocking), len(report.findings) - len(report.blocking)
    verdict = "❌ blocked" if blocking else "✅ passes policy"
    resources, cost = len(report.cloud_resources), report.cost.cloud_monthly
    line = (
        f"**Launchpad plan `{report.stack}`**: {verdict}: {blocking} mandatory, {advisory} advisory "
        f"finding(s), {resources} cloud resources, ~${cost:,.2f}/month on the clouds"
    )
    notes = [f"Policy config: {report.policy_config}."]
    if report.overrides:
        changes = ", ".join(f"`--set {key}={set_value(value)}`" for key, value in report.overrides.items())
        notes.append(f"Changed with {changes} (not in `Pulumi.{report.config_source}.yaml`).")
    return "\n\n".join([line, " ".join(notes)])


def _findings(report: PlanReport) -> list[str]:
    if not report.findings:
        return ["", "No policy findings."]
    lines = [
        "",
        "### Findings",
        "",
        "| level | severity | rule | resource | finding | fix |",
        "|---|---|---|---|---|---|",
    ]
    for f in report.findings:
        rule = f"[`{f.rule}`]({f.url})" if f.url else f"`{f.rule}`"
        cells = (f.enforcement, f.severity, rule, f"`{f.resource}`", _cell(f.message), _cell(f.remediation))
        lines.append("| " + " | ".join(cells) + " |")
    if report.waivers:
        lines += ["", "Waivers in use:", ""]
        lines += [
            f"- `{w.waiver.rule}` on `{w.resource}` until {w.waiver.expires}"
            f"{' (**expired**)' if w.expired else ''}: {_cell(w.waiver.justification)}"
            for w in report.waivers
        ]
    return lines


def _cost(report: PlanReport) -> list[str]:
    cost = report.cost
    lines = [
        "",
        f"### Estimated monthly cost: ${cost.cloud_monthly:,.2f}",
        "",
        f"Prices of {cost.price_table_date}; usage from {cost.usage_source}. "
        f"AI providers, billed outside the clouds: ${cost.external_monthly:,.2f}.",
        *(f"Assumption: {assumption}." for assumption in cost.assumptions),
        "",
        "| resource | type | monthly | usage-based |",
        "|---|---|---:|---|",
    ]
    for item in sorted(cost.resources + cost.external, key=lambda i: -i.monthly):
        if item.monthly >= 0.005:
            usage = "yes" if any(c.usage_based for c in item.components) else ""
            lines.append(f"| `{item.name}` | {item.resource_type} | ${item.monthly:,.2f} | {usage} |")
    if cost.unpriced:
        lines += [
            "",
            f"Not priced ({len(cost.unpriced)}, not counted): "
            + ", ".join(f"`{u.name}` ({u.reason})" for u in cost.unpriced),
        ]
    return lines


def _diff(report: PlanReport) -> list[str]:
    diff = report.diff
    if diff is None:
        return []
    lines = [
        "",
        f"### Changes against {diff.base}",
        "",
        f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed; "
        f"cost ${diff.base_cost:,.2f} → ${diff.head_cost:,.2f} (**{diff.cost_delta:+,.2f}**/month)",
        "",
    ]
    lines += [f"- added `{key}`" for key in diff.added] + [f"- removed `{key}`" for key in diff.removed]
    lines += [f"- changed `{c.key}`: {', '.join(f'`{p}`' for p in c.paths[:10])}" for c in diff.changed]
    return lines


def _inventory(report: PlanReport) -> list[str]:
    counts = Counter(r.type for r in report.cloud_resources)
    lines = ["", "<details><summary>Inventory</summary>", "", "| count | type |", "|---:|---|"]
    lines += [f"| {n} | {t} |" for t, n in sorted(counts.items())]
    lines += ["", "| resource | type |", "|---|---|"]
    lines += [f"| `{r.name}` | {r.type} |" for r in report.cloud_resources]
    return [*lines, "", "</details>"]


def _identities(report: PlanReport) -> list[str]:
    """The permission closure, one row per identity: the pipeline can deploy this plan, or what it lacks."""
    found = summary_lines(report.access)
    if not found:
        return []
    return ["", f"### {found[0]}", "", *(f"- {line.strip()}" for line in found[1:])]


def render(report: PlanReport, limit: int = GITHUB_COMMENT_LIMIT) -> str:
    sections = [_findings(report), _identities(report), _diff(report), _cost(report), _inventory(report)]
    text = "\n".join([summary(report), *(line for section in sections for line in section)]) + "\n"
    if len(text) <= limit:
        return text
    cut = text[: limit - len(TRUNCATED)]
    return cut[: cut.rfind("\n")] + TRUNCATED
