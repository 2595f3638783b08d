"""Where in the repository a finding's value is set, for SARIF: the stack file line of the config key
that governs the rule, else the line of the component that creates the resource, else the stack file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from launchpad.report import Finding
from offline.mocks import Recorded
from offline.stack_files import REPO_ROOT

# The stack setting a reviewer changes to fix each rule (Pulumi.<stack>.yaml, `launchpad:<key>`).
RULE_KEYS = {
    "rds-multi-az": "dbMultiAz",
    "rds-deletion-protection": "dbDeletionProtection",
    "rds-backup-retention": "dbBackupRetentionDays",
    "rds-final-snapshot": "dbFinalSnapshot",
    "rds-enhanced-monitoring": "dbMonitoringIntervalSeconds",
    "rds-performance-insights": "dbPerformanceInsights",
    "elasticache-automatic-failover": "cacheNodeCount",
    "elasticache-snapshots": "cacheSnapshotRetentionDays",
    "alb-access-logs": "accessLogs",
    "s3-access-logging": "accessLogs",
    "alb-deletion-protection": "albDeletionProtection",
    "waf-on-public-entry": "wafEnabled",
    "stack-autoscaling-bounds": "webMinCount",
    "ecs-no-public-ip": "natStrategy",
    "ecs-serving-on-spot": "webCapacity",
    "alb-https-listeners": "edge",
    "gcp-cloud-run-no-public-invoker": "cloudRunPublic",
    "gcp-cloud-run-ingress": "cloudRunIngress",
    "stack-budget-with-subscriber": "monthlyBudgetUsd",
    "log-group-retention": "logRetentionDays",
}


@dataclass(frozen=True)
class Location:
    path: str  # relative to the repository root
    line: int


@cache
def _lines(path: Path) -> tuple[str, ...]:
    return tuple(path.read_text().splitlines()) if path.exists() else ()


def _line_of(path: Path, pattern: str) -> int | None:
    regex = re.compile(pattern)
    return next((i for i, text in enumerate(_lines(path), start=1) if regex.search(text)), None)


def _constructor(resource_type: str) -> str:
    """`aws:rds/instance:Instance` -> `rds.Instance(`, as the program spells the call."""
    package, module_path, name = resource_type.split(":")
    return f"{module_path.split('/')[0]}.{name}(" if package in ("aws", "gcp") else f"{name}("


def _component_line(resource: Recorded, root: Path) -> Location | None:
    # The parent component's file first: the one that registers its type token (the token's module part
    # need not match the file's path, components/aws/cache.py registers launchpad:cache:Cache).
    everywhere = sorted((root / "components").rglob("*.py")) + sorted((root / "targets").rglob("*.py"))
    token = f'"{resource.parent_type}"' if resource.parent_type.startswith("launchpad:") else None
    candidates = [path for path in everywhere if token and token in "\n".join(_lines(path))] + everywhere
    for path in candidates:
        line = _line_of(path, re.escape(_constructor(resource.type)))
        if line:
            return Location(str(path.relative_to(root)), line)
    return None


def locate(
    finding: Finding, resource: Recorded | None, config_source: str, root: Path = REPO_ROOT
) -> Location:
    stack_file = root / f"Pulumi.{config_source}.yaml"
    key = RULE_KEYS.get(finding.rule)
    if key:
        line = _line_of(stack_file, rf"^\s*launchpad:{key}:")
        if line:
            return Location(stack_file.name, line)
    if resource is not None:
        found = _component_line(resource, root)
        if found:
            return found
    return Location(stack_file.name, 1)
