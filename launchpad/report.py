"""One stack's review as data: inventory by component, findings with their rule's metadata, waivers,
destroy blockers, outputs (secrets masked) and the cost estimate. Every format renders this."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from launchpad.access.closure import RULE_METADATA, AccessReview
from launchpad.cost.model import CostEstimate
from launchpad.diff import PlanDiff
from offline.lifecycle import Blocker, destroy_blockers
from offline.mocks import Recorded
from offline.policy_check import AUTONAME_POLICY, Review, Violation
from offline.program import ProgramRun
from policies.rules import BY_NAME
from policies.waivers import WaiverUse, resource_name

SCHEMA_VERSION = "1.2"  # 1.2: overrides (`--set`) and deployIdentities (the permission closure)
SECRET = "[secret]"  # noqa: S105 - the mask shown in place of a secret
SEVERITY_ORDER = ("critical", "high", "medium", "low")


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    enforcement: str
    category: str
    resource: str  # logical name, or "(stack)"
    resource_type: str
    urn: str
    message: str
    remediation: str
    url: str | None
    tags: tuple[str, ...]

    @property
    def blocking(self) -> bool:
        return self.enforcement == "mandatory"


@dataclass
class PlanReport:
    stack: str
    config_source: str
    policy_config: str
    resources: list[Recorded]
    outputs: dict[str, Any]
    findings: list[Finding]
    waivers: list[WaiverUse]
    blockers: list[Blocker]
    cost: CostEstimate
    diff: PlanDiff | None = None
    components: dict[str, list[Recorded]] = field(default_factory=dict)  # parent URN -> children
    access: AccessReview | None = None  # can the bootstrap's identities deploy this plan
    overrides: dict[str, Any] = field(default_factory=dict)  # `--set` values, not in the stack file

    @property
    def cloud_resources(self) -> list[Recorded]:
        return [r for r in self.resources if r.custom and not r.type.startswith("pulumi:providers:")]

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]


def _finding(violation: Violation, by_urn: dict[str, Recorded]) -> Finding:
    policy = BY_NAME.get(violation.policy)
    resource = by_urn.get(violation.resource)
    meta = getattr(policy, "meta", None)
    severity = policy.severity.value if policy is not None and policy.severity else "high"
    if policy is None and violation.policy in RULE_METADATA:
        severity, remediation, url = RULE_METADATA[violation.policy]
        return Finding(
            rule=violation.policy, severity=severity, enforcement=violation.level, category="pipeline",
            resource="(stack)", resource_type="", urn="", message=violation.message,
            remediation=remediation, url=url, tags=("pipeline", "deploy-identity"),
        )  # fmt: skip
    return Finding(
        rule=violation.policy,
        severity=severity,
        enforcement=violation.level,
        category=meta.category if meta else "deploy",
        resource=resource.name if resource else resource_name(violation.resource),
        resource_type=resource.type if resource else "",
        urn=violation.resource,
        message=violation.message,
        remediation=(policy.remediation_steps if policy else None)
        or ("Shorten the logical name." if violation.policy == AUTONAME_POLICY else ""),
        url=policy.url if policy else None,
        tags=tuple(policy.tags or ()) if policy else ("deploy",),
    )


def masked_outputs(run: ProgramRun) -> dict[str, Any]:
    return {k: SECRET if k in run.secret_outputs else v for k, v in sorted(run.outputs.items())}


def build_report(
    run: ProgramRun,
    review: Review,
    cost: CostEstimate,
    diff: PlanDiff | None = None,
    *,
    access: AccessReview | None = None,
    overrides: dict[str, Any] | None = None,
) -> PlanReport:
    by_urn = {r.urn: r for r in run.resources}
    violations = review.violations + (access.violations() if access else [])
    findings = sorted(
        (_finding(v, by_urn) for v in violations),
        key=lambda f: (not f.blocking, SEVERITY_ORDER.index(f.severity), f.rule, f.resource),
    )
    children: dict[str, list[Recorded]] = defaultdict(list)
    for resource in run.resources:
        children[resource.parent_urn].append(resource)
    return PlanReport(
        stack=run.stack,
        config_source=run.config_source or run.stack,
        policy_config=review.config_file,
        resources=run.resources,
        outputs=masked_outputs(run),
        findings=findings,
        waivers=review.waivers_used,
        blockers=destroy_blockers(run.resources),
        cost=cost,
        diff=diff,
        components=dict(children),
        access=access,
        overrides=dict(overrides or {}),
    )
