"""The findings as SARIF 2.1.0 for GitHub code scanning: every rule of the pack with its help and
`security-severity`, each finding located where its value is set, with a fingerprint that stays the same
from run to run (rule, resource with the stack name made generic, message)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from launchpad.locate import locate
from launchpad.report import Finding, PlanReport
from policies.meta import SECURITY_SEVERITY
from policies.rules import POLICIES

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT = "launchpadFinding/v1"


def _rule(policy: Any) -> dict[str, Any]:
    help_text = f"{policy.description}\n\nFix: {policy.remediation_steps or ''}"
    if policy.url:
        help_text += f"\n\nMore: {policy.url}"
    return {
        "id": policy.name,
        "name": policy.name,
        "shortDescription": {"text": policy.description},
        "fullDescription": {"text": policy.description},
        "help": {"text": help_text, "markdown": help_text.replace("\n\nFix:", "\n\n**Fix:**")},
        **({"helpUri": policy.url} if policy.url else {}),
        "defaultConfiguration": {
            "level": "error" if policy.enforcement_level.value == "mandatory" else "warning"
        },
        "properties": {
            "security-severity": SECURITY_SEVERITY[policy.severity],
            "tags": list(policy.tags or []),
            "precision": "very-high",
        },
    }


def fingerprint(finding: Finding, stack: str) -> str:
    resource = finding.resource.replace(f"launchpad-{stack}", "launchpad-<stack>")
    return hashlib.sha256(f"{finding.rule}\0{resource}\0{finding.message}".encode()).hexdigest()[:32]


def _result(finding: Finding, report: PlanReport, index: dict[str, int]) -> dict[str, Any]:
    resource = next((r for r in report.resources if r.urn == finding.urn), None)
    where = locate(finding, resource, report.config_source)
    return {
        "ruleId": finding.rule,
        "ruleIndex": index[finding.rule],
        "level": "error" if finding.blocking else "warning",
        "message": {"text": f"{finding.resource}: {finding.message} (fix: {finding.remediation})"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": where.path, "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": where.line},
                },
                "logicalLocations": [
                    {
                        "name": finding.resource,
                        "fullyQualifiedName": finding.urn or finding.resource,
                        "kind": "resource",
                    }
                ],
            }
        ],
        "partialFingerprints": {FINGERPRINT: fingerprint(finding, report.stack)},
    }


def document(report: PlanReport) -> dict[str, Any]:
    rules = [_rule(p) for p in POLICIES if p.severity is not None]
    known = {rule["id"] for rule in rules}
    # Findings outside the pack (Pulumi's own autoname refusal) still need a rule entry.
    rules += [
        {
            "id": f.rule,
            "name": f.rule,
            "shortDescription": {"text": f.message},
            "properties": {"security-severity": "8.0", "tags": ["deploy"]},
        }
        for f in report.findings
        if f.rule not in known
    ]
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "launchpad",
                        "version": "0.1.0",
                        "rules": rules,
                    }
                },
                "automationDetails": {"id": f"launchpad/{report.stack}/"},
                "results": [_result(f, report, index) for f in report.findings],
            }
        ],
    }


def render(report: PlanReport) -> str:
    return json.dumps(document(report), indent=2) + "\n"
