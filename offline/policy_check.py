"""Runs the CrossGuard pack over a recorded plan, as `pulumi preview --policy-pack` would, offline.

Resource policies see each resource's inputs after the provider's Check (autonamed names included) through
pulumi_policy's unknown-checking proxy, as the analyzer hands them over; stack policies see them all.
Per-policy enforcement levels and settings come from a pack config file, as with --policy-pack-config.
A name Pulumi's autonaming itself refuses is reported as the engine would fail the preview.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
)
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

from offline.mocks import Recorded
from offline.program import ProgramRun
from policies.rules import POLICIES

CONFIG_DIR = Path(__file__).resolve().parent.parent / "policies" / "config"


@dataclass(frozen=True)
class Violation:
    policy: str
    level: str
    resource: str
    message: str


def load_pack_config(stack: str) -> dict[str, Any]:
    path = CONFIG_DIR / f"{stack}.json"
    return json.loads(path.read_text()) if path.exists() else {}


AUTONAME_POLICY = "pulumi-autoname-length"


def _options(resource: Recorded) -> PolicyResourceOptions:
    return PolicyResourceOptions(
        protect=resource.protect,
        ignore_changes=list(resource.ignore_changes),
        delete_before_replace=resource.delete_before_replace or None,
        aliases=[],
        custom_timeouts=PolicyCustomTimeouts(0, 0, 0),
        additional_secret_outputs=[],
        parent=resource.parent_urn or None,
    )


def _level_and_settings(
    name: str, default: EnforcementLevel | None, config: dict[str, Any]
) -> tuple[str, dict]:
    entry = config.get(name, {})
    if isinstance(entry, str):
        return entry, {}
    settings = {k: v for k, v in entry.items() if k != "enforcementLevel"}
    return entry.get("enforcementLevel", (default or EnforcementLevel.MANDATORY).value), settings


def _stack_view(resources: list[Recorded]) -> list[PolicyResource]:
    """Resources as a stack policy sees them, with the dependencies the program registered."""
    views = {
        r.urn: PolicyResource(r.type, r.outputs, r.urn, r.name, _options(r), None, None, [], {})
        for r in resources
    }
    for r in resources:
        views[r.urn].dependencies = [views[u] for u in r.dependencies if u in views]
        for key, urns in r.property_dependencies.items():
            sources = [views[u] for u in urns if u in views]
            if sources:
                views[r.urn].property_dependencies[key] = sources
    return list(views.values())


@dataclass
class _Reporter:
    """The `report_violation` callback, remembering which policy and resource it reports for."""

    policy: str
    level: str
    target: str
    found: list[Violation]

    def __call__(self, message: str, urn: str | None = None) -> None:
        self.found.append(Violation(self.policy, self.level, urn or self.target, message))


def _validate_resource(policy: Any, args: ResourceValidationArgs, report: _Reporter) -> None:
    try:
        policy.validate(args, report)
    except UnknownValueError as unknown:  # what pulumi_policy turns into an advisory during preview
        report.found.append(
            Violation(policy.name, "advisory", report.target, f"unknown until apply: {unknown.message}")
        )


def _run_policy(policy: Any, level: str, settings: dict, resources: list[Recorded]) -> list[Violation]:
    found: list[Violation] = []
    if isinstance(policy, ResourceValidationPolicy):
        for r in resources:
            props = unknown_checking_proxy(r.inputs)
            args = ResourceValidationArgs(r.type, props, r.urn, r.name, _options(r), None, settings)
            _validate_resource(policy, args, _Reporter(policy.name, level, r.urn, found))
    else:
        stack = _stack_view(resources)
        policy.validate(StackValidationArgs(stack, settings), _Reporter(policy.name, level, "", found))
    return found


def autoname_refusals(resources: list[Recorded]) -> list[Violation]:
    """Names Pulumi's own autonaming refuses before any policy runs (the preview fails on them)."""
    return [
        Violation(AUTONAME_POLICY, "mandatory", r.urn, f"{r.autoname_error} (shorten the logical name)")
        for r in resources
        if r.autoname_error
    ]


def check(run: ProgramRun, config: dict[str, Any] | None = None) -> list[Violation]:
    """Every violation the pack reports for the run, at the level the stack's pack config gives it."""
    config = load_pack_config(run.config_source or run.stack) if config is None else config
    resources = [r for r in run.resources if r.custom]
    violations = autoname_refusals(resources)
    for policy in POLICIES:
        level, settings = _level_and_settings(policy.name, policy.enforcement_level, config)
        if level != "disabled":
            violations += _run_policy(policy, level, settings, resources)
    return violations


def mandatory(violations: list[Violation]) -> list[Violation]:
    return [v for v in violations if v.level == "mandatory"]
