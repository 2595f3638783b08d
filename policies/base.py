"""How a rule is built: metadata, a check, its enforcement default, its config schema and its waivers.

A resource rule names the resource types it reads, so the offline checker hands it only those (the
engine hands every policy every resource; the rule ignores other types the same way). Checks read one
property at a time, so a value unknown during a preview stops only the rule that needs it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from policies.meta import RuleMeta
from policies.waivers import WAIVER_SCHEMA, waiving

MANDATORY = EnforcementLevel.MANDATORY
ADVISORY = EnforcementLevel.ADVISORY
Props = Mapping[str, Any]
Check = Callable[[Props], Iterable[str]]  # props -> violation messages
ConfiguredCheck = Callable[[Props, Mapping[str, Any]], Iterable[str]]  # props, policy config -> messages
StackCheck = Callable[[StackValidationArgs, ReportViolation], None]
TYPE_KEY = "__resource_type__"  # handed to per-type checks with the policy config


def _schema(properties: Mapping[str, dict[str, Any]] | None) -> PolicyConfigSchema:
    return PolicyConfigSchema(properties={"waivers": WAIVER_SCHEMA, **(properties or {})})


def _policy_fields(
    meta: RuleMeta, level: EnforcementLevel, config: Mapping[str, dict[str, Any]] | None
) -> dict[str, Any]:
    """Everything pulumi-policy's constructors take besides `validate`."""
    return {
        "name": meta.id,
        "description": meta.description,
        "enforcement_level": level,
        "config_schema": _schema(config),
        "severity": meta.severity,
        "remediation_steps": meta.remediation,
        "framework": meta.framework,
        "tags": meta.tags,
        "url": meta.help_url,
    }


class ResourceRule(ResourceValidationPolicy):
    """A resource policy that knows its metadata and the resource types it reads."""

    def __init__(
        self,
        meta: RuleMeta,
        resource_types: tuple[str, ...],
        check: ConfiguredCheck,
        level: EnforcementLevel,
        config: Mapping[str, dict[str, Any]] | None,
    ) -> None:
        def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
            if args.resource_type not in resource_types:
                return
            report = waiving(meta.id, args.get_config(), report_violation, args.name)
            for message in check(args.props, {**args.get_config(), TYPE_KEY: args.resource_type}):
                report(message, None)

        super().__init__(validate=validate, **_policy_fields(meta, level, config))
        self.meta = meta
        self.resource_types = resource_types


class StackRule(StackValidationPolicy):
    """A stack policy with its metadata; `check` reports through the waivers."""

    def __init__(
        self,
        meta: RuleMeta,
        check: StackCheck,
        level: EnforcementLevel,
        config: Mapping[str, dict[str, Any]] | None,
    ) -> None:
        def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
            check(args, waiving(meta.id, args.get_config(), report_violation))

        super().__init__(validate=validate, **_policy_fields(meta, level, config))
        self.meta = meta


def resource_rule(
    meta: RuleMeta, resource_types: str | tuple[str, ...], check: Check, level: EnforcementLevel = MANDATORY
) -> ResourceRule:
    types = (resource_types,) if isinstance(resource_types, str) else resource_types
    return ResourceRule(meta, types, lambda props, _config: check(props), level, None)


def per_type_rule(
    meta: RuleMeta, checks: Mapping[str, Check], level: EnforcementLevel = MANDATORY
) -> ResourceRule:
    """One rule over several resource types, each read through its own inputs."""
    return ResourceRule(
        meta, tuple(checks), lambda props, config: checks[config[TYPE_KEY]](props), level, None
    )


def configured_rule(
    meta: RuleMeta,
    resource_types: str | tuple[str, ...],
    check: ConfiguredCheck,
    config: Mapping[str, dict[str, Any]],
    level: EnforcementLevel = MANDATORY,
) -> ResourceRule:
    types = (resource_types,) if isinstance(resource_types, str) else resource_types
    return ResourceRule(meta, types, check, level, config)


def stack_rule(
    meta: RuleMeta,
    check: StackCheck,
    level: EnforcementLevel = MANDATORY,
    config: Mapping[str, dict[str, Any]] | None = None,
) -> StackRule:
    return StackRule(meta, check, level, config)


# --- small readers shared by the rule modules ----------------------------------------------------------


def require(props: Props, key: str, expected: Any, message: str) -> list[str]:
    """`message` unless `props[key] == expected`; a missing key is the provider default, decided here."""
    return [] if props.get(key) == expected else [message]


def require_set(key: str, message: str) -> Check:
    return lambda props: [] if props.get(key) else [message]


def statements(policy: Any) -> list[dict[str, Any]]:
    document = json.loads(policy) if isinstance(policy, str) else policy or {}
    found = document.get("Statement", [])
    return found if isinstance(found, list) else [found]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def of_type(resources: Iterable[Any], *resource_types: str) -> list[Any]:
    return [r for r in resources if r.resource_type in resource_types]


# The outputs another resource's input names a resource by, when no property dependency says so.
IDENTITY_KEYS = {
    "aws:s3/bucket:Bucket": ("bucket", "arn"),
    "aws:ecr/repository:Repository": ("name", "arn"),
}


def depends_on(resource: Any, key: str, target: Any) -> bool:
    """Whether `resource.<key>` was computed from `target` (its URN), or names it by its ARN or name."""
    if any(d.urn == target.urn for d in resource.property_dependencies.get(key, [])):
        return True
    value = resource.props.get(key)
    names = {target.props.get(k) for k in IDENTITY_KEYS.get(target.resource_type, ("arn",))} - {None, ""}
    return any(v in names for v in as_list(value))
