"""Runs the CrossGuard pack over a recorded plan, as `pulumi preview --policy-pack` would, offline.

Resource policies see each resource's inputs after the provider's Check (autonamed names included) through
pulumi_policy's unknown-checking proxy, as the analyzer hands them over; stack policies see them all, with
their providers and dependencies. Per-policy enforcement levels, settings and waivers come from a pack
config file, as with --policy-pack-config, validated against each policy's schema as the CLI does.
A name Pulumi's autonaming itself refuses is reported as the engine would fail the preview.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyCustomTimeouts,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
)
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

from offline.mocks import Recorded
from offline.program import ProgramRun
from policies import waivers
from policies.rules import POLICIES
from stack_config import ConfigError

CONFIG_DIR = Path(__file__).resolve().parent.parent / "policies" / "config"
AUTONAME_POLICY = "pulumi-autoname-length"
LEVELS = ("advisory", "mandatory", "remediate", "disabled")


@dataclass(frozen=True)
class Violation:
    policy: str
    level: str
    resource: str  # URN, or "" for the stack as a whole
    message: str


@dataclass
class Review:
    """What the pack found, and which waivers it applied."""

    violations: list[Violation]
    waivers_used: list[waivers.WaiverUse] = field(default_factory=list)
    config_file: str = ""


class PolicyConfigError(ConfigError):
    """The pack config the Pulumi CLI would refuse (unknown policy, bad level, bad waiver)."""

    subject = "invalid policy config"


def config_path(stack: str) -> Path:
    return CONFIG_DIR / f"{stack}.json"


def config_label(stack: str) -> str:
    """Which pack config a stack's review uses, as the report states it."""
    path = config_path(stack)
    relative = path.relative_to(CONFIG_DIR.parent.parent)
    if path.exists():
        return str(relative)
    return (
        f"none ({relative} does not exist), so every rule is at the pack's default level; to review it as "
        f"dev is: cp {relative.with_name('dev.json')} {relative}"
    )


def load_pack_config(stack: str) -> dict[str, Any]:
    """The stack's pack config, {} when it has none."""
    path = config_path(stack)
    return read_pack_config(path, str(path.relative_to(CONFIG_DIR.parent.parent))) if path.exists() else {}


def read_pack_config(path: Path, shown: str) -> dict[str, Any]:
    """A pack config file, validated; a file that is not a JSON object names its line."""
    try:
        config = json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise PolicyConfigError(
            [
                f"{shown} line {error.lineno}, column {error.colno}: {error.msg} (not valid JSON). "
                "Fix: correct the JSON there"
            ]
        ) from None
    if not isinstance(config, dict):
        raise PolicyConfigError(
            [f"{shown}: must be a JSON object of policy names, not {type(config).__name__}. "
             'Fix: {"rds-multi-az": "advisory", ...}']
        )  # fmt: skip
    validate_pack_config(config, label=shown)
    return config


def validate_pack_config(config: dict[str, Any], policies: list[Policy] = POLICIES, label: str = "") -> None:
    """Every problem the CLI would refuse the config for, at once."""
    by_name = {p.name: p for p in policies}
    where = f"{label}: " if label else ""
    problems: list[str] = []
    for name, entry in config.items():
        policy = by_name.get(name)
        if policy is None:
            close = difflib.get_close_matches(name, by_name, n=1)
            hint = f"did you mean {close[0]}?" if close else "see `policies/` for the names"
            problems.append(f"{where}policy config {name}: no policy of that name in the pack ({hint})")
            continue
        if not isinstance(entry, str | dict):
            problems.append(
                f'{where}policy config {name}: must be a level such as "advisory" or an object with '
                f"enforcementLevel and settings, not {type(entry).__name__}"
            )
            continue
        level, settings = _level_and_settings(name, None, config)
        if level not in LEVELS:
            problems.append(f"{where}policy config {name}: enforcementLevel must be one of {LEVELS}")
        schema = {
            "type": "object",
            "properties": policy.config_schema.properties if policy.config_schema else {},
        }
        for error in jsonschema.Draft7Validator(schema).iter_errors(settings):
            path = ".".join(str(p) for p in error.absolute_path)
            problems.append(f"{where}policy config {name}{'.' + path if path else ''}: {error.message}")
    if problems:
        raise PolicyConfigError(problems)


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


def _providers(resources: list[Recorded]) -> dict[str, PolicyProviderResource]:
    """Provider references ("<urn>::<id>") to what a policy sees of the provider (its inputs)."""
    return {
        f"{r.urn}::{r.id}": PolicyProviderResource(r.type, unknown_checking_proxy(r.inputs), r.urn, r.name)
        for r in resources
        if r.type.startswith("pulumi:providers:")
    }


def _stack_view(resources: list[Recorded]) -> list[PolicyResource]:
    """Resources as a stack policy sees them, with the providers and dependencies the program registered."""
    providers = _providers(resources)
    custom = [r for r in resources if r.custom]
    views = {
        r.urn: PolicyResource(
            r.type,
            unknown_checking_proxy(r.outputs),
            r.urn,
            r.name,
            _options(r),
            providers.get(r.provider or ""),
            None,
            [],
            {},
        )
        for r in custom
    }
    for r in custom:
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


def _unknown(policy: Policy, report: _Reporter, unknown: UnknownValueError) -> None:
    # What pulumi_policy reports during a preview: the rule could not run, as an advisory.
    report.found.append(
        Violation(policy.name, "advisory", report.target, f"unknown until apply: {unknown.message}")
    )


def _applies(policy: Policy, resource_type: str) -> bool:
    types = getattr(policy, "resource_types", None)
    return types is None or resource_type in types


def _run_resource_policy(
    policy: Any, level: str, settings: dict, resources: list[Recorded]
) -> list[Violation]:
    found: list[Violation] = []
    for r in resources:
        if not _applies(policy, r.type):
            continue
        args = ResourceValidationArgs(
            r.type, unknown_checking_proxy(r.inputs), r.urn, r.name, _options(r), None, settings
        )
        report = _Reporter(policy.name, level, r.urn, found)
        try:
            policy.validate(args, report)
        except UnknownValueError as unknown:
            _unknown(policy, report, unknown)
    return found


def _run_stack_policy(
    policy: Any, level: str, settings: dict, stack: list[PolicyResource]
) -> list[Violation]:
    found: list[Violation] = []
    report = _Reporter(policy.name, level, "", found)
    try:
        policy.validate(StackValidationArgs(stack, settings), report)
    except UnknownValueError as unknown:
        _unknown(policy, report, unknown)
    return found


def autoname_refusals(resources: list[Recorded]) -> list[Violation]:
    """Names Pulumi's own autonaming refuses before any policy runs (the preview fails on them)."""
    return [
        Violation(AUTONAME_POLICY, "mandatory", r.urn, f"{r.autoname_error} (shorten the logical name)")
        for r in resources
        if r.autoname_error
    ]


def review(run: ProgramRun, config: dict[str, Any] | None = None) -> Review:
    """Every violation the pack reports for the run, at the level the stack's pack config gives it."""
    source = run.config_source or run.stack
    if config is None:
        config = load_pack_config(source)
    else:
        validate_pack_config(config)
    custom = [r for r in run.resources if r.custom]
    violations = autoname_refusals(custom)
    stack = _stack_view(run.resources)
    used: list[waivers.WaiverUse] = []
    token = waivers.USED.set(used)
    try:
        for policy in POLICIES:
            level, settings = _level_and_settings(policy.name, policy.enforcement_level, config)
            if level == "disabled":
                continue
            if isinstance(policy, ResourceValidationPolicy):
                violations += _run_resource_policy(policy, level, settings, custom)
            else:
                violations += _run_stack_policy(policy, level, settings, stack)
    finally:
        waivers.USED.reset(token)
    return Review(violations, used, config_label(source))


def check(run: ProgramRun, config: dict[str, Any] | None = None) -> list[Violation]:
    return review(run, config).violations


def mandatory(violations: list[Violation]) -> list[Violation]:
    return [v for v in violations if v.level == "mandatory"]
