"""The permission closure: can the identities the bootstrap creates do everything this stack's plan does?

For the stack's environment family: its deploy identity must be allowed every request of create, read,
update, tag and delete of every planned resource, the data sources and the stack's state; its preview
identity every read. AWS requests are evaluated against the roles' policy documents with an IAM evaluator
(aws_evaluate.py); GCP permissions against the predefined roles granted to the service accounts
(gcp_closure.py). Each denied request is a mandatory finding: `pulumi up` would stop there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from launchpad.access import aws_evaluate, gcp_closure
from launchpad.access.aws_requests import Request, plan_requests, resource_policies
from launchpad.access.aws_state import state_requests
from launchpad.access.identities import Bootstrap, Family
from launchpad.access.model import DEPLOY_OPS, READ_OPS
from launchpad.access.results import Coverage, Gap
from offline.policy_check import Violation
from offline.program import ProgramRun

RULE = "deploy-identity-coverage"
NO_FAMILY_RULE = "deploy-identity-serves-stack"
NOT_CHECKED_RULE = "deploy-identity-checked"
DELIVERY_DOCS = "docs/delivery.md#the-permission-closure"
# The closure's findings are not CrossGuard rules (they need the bootstrap's plan and Node): their metadata.
RULE_METADATA = {
    RULE: (
        "high",
        "Grant the permission in bootstrap/, then `pulumi up` the bootstrap stack.",
        DELIVERY_DOCS,
    ),
    NO_FAMILY_RULE: (
        "medium",
        "Add the stack to devStacks or prodStacks of the bootstrap stack.",
        DELIVERY_DOCS,
    ),
    NOT_CHECKED_RULE: ("low", "Install Node.js 20+ and run `npm ci` in the repository.", DELIVERY_DOCS),
}
FIX = (
    "Fix: grant it in bootstrap/ (deploy_permissions.py, aws_access.py or gcp_access.py), then `pulumi up` it"
)


@dataclass
class AccessReview:
    stack: str
    bootstrap: str  # the bootstrap stack file the identities come from
    family: str = ""
    coverages: list[Coverage] = field(default_factory=list)
    uncovered_types: list[str] = field(default_factory=list)  # planned types the tables have no row for
    not_checked: str = ""  # why the closure could not run here
    in_cloud: bool = True  # False for the local stack: nothing to deploy with a cloud identity

    @property
    def gaps(self) -> list[Gap]:
        return [g for c in self.coverages for g in c.gaps]

    def violations(self) -> list[Violation]:
        if not self.in_cloud:
            return []
        if self.not_checked:
            message = f"deploy identities not checked: {self.not_checked}"
            return [Violation(NOT_CHECKED_RULE, "advisory", "", message)]
        if not self.family:
            message = (
                f"no identity of bootstrap stack {self.bootstrap!r} serves stack {self.stack!r}, so the "
                "workflows cannot deploy it. Fix: add it to devStacks or prodStacks in the bootstrap's stack "
                "file, then `pulumi up` the bootstrap"
            )
            return [Violation(NO_FAMILY_RULE, "advisory", "", message)]
        unknown = [
            f"no permission row for {t}, so what deploying it needs is unknown. Fix: add a row with its "
            "sources to launchpad/access (aws_*.py or gcp_table.py)"
            for t in self.uncovered_types
        ]
        gaps = [_gap_message(g) for g in self.gaps]
        return [Violation(RULE, "mandatory", "", message) for message in unknown + gaps]


def _gap_message(gap: Gap) -> str:
    more = len(gap.subjects) - 3
    who = ", ".join(gap.subjects[:3]) + (f" and {more} more" if more > 0 else "")
    why = f" ({gap.error})" if gap.error else ""
    return f"{gap.identity} may not {gap.permission} on {gap.resource}{why}, which {who} needs. {FIX}"


def _gaps(identity: str, verdicts: Sequence[aws_evaluate.Verdict]) -> list[Gap]:
    denied: dict[tuple[str, str, str, str], list[str]] = defaultdict(list)
    sources: dict[tuple[str, str, str, str], tuple[str, ...]] = {}
    for v in verdicts:
        if not v.allowed:
            key = (v.request.permission, v.request.resource, v.result, v.error)
            subject = f"{v.request.subject} ({v.request.op})"
            if subject not in denied[key]:
                denied[key].append(subject)
            sources.setdefault(key, v.request.sources)
    return [Gap(identity, *key[:2], tuple(s), *key[2:], sources[key]) for key, s in sorted(denied.items())]


@dataclass
class PendingReview:
    """A review whose AWS evaluation runs in the background (`launchpad plan` goes on with its policy
    review and cost estimate meanwhile); `finish()` collects it."""

    review: AccessReview
    identities: list[tuple[str, str, int]] = field(default_factory=list)  # (role, use, number of checks)
    evaluation: aws_evaluate.PendingEvaluation | None = None

    def finish(self) -> AccessReview:
        if self.evaluation is not None:
            verdicts = self.evaluation.verdicts()
            aws: list[Coverage] = []
            for role, use, count in self.identities:
                mine, verdicts = verdicts[:count], verdicts[count:]
                aws.append(Coverage(role, "aws", use, count, _gaps(role, mine)))
            self.review.coverages[:0] = aws
        return self.review


@dataclass
class _AwsChecks:
    checks: list[tuple[aws_evaluate.AwsIdentity, Request]]
    counts: list[tuple[str, str, int]]  # (role, use, number of checks), in the order of `checks`
    policies: dict[str, object]  # resource policies that govern some of the requests
    without_row: list[str]


def _aws_checks(run: ProgramRun, bootstrap: Bootstrap, family: Family, region: str) -> _AwsChecks:
    state = bootstrap.access.get("state")
    state_policies = resource_policies(bootstrap.run.resources)
    planned = plan_requests(run.resources, run.calls, DEPLOY_OPS, region)
    deploy = list(planned.requests)
    if state:
        deploy += state_requests(run.stack, state["backendUrl"], state["key"], state_policies, DEPLOY_OPS)
    policies = {key: document for key, document in state_policies.values()} | planned.resource_policies
    found = _AwsChecks([], [], policies, planned.without_row)
    # A preview asks exactly what a deploy reads.
    preview = [r for r in deploy if r.op in READ_OPS]
    for use, role, requests in (
        ("deploy", family.aws_deploy, deploy),
        ("preview", family.aws_preview, preview),
    ):
        identity = bootstrap.aws_identity(role)
        found.checks += [(identity, r) for r in requests]
        found.counts.append((role, use, len(requests)))
    return found


def stack_region(run: ProgramRun, default: str = "us-east-1") -> str:
    """The stack's AWS region: its default AWS provider's (explicit providers name their own)."""
    providers = [r for r in run.resources if r.type == "pulumi:providers:aws" and r.inputs.get("region")]
    providers.sort(key=lambda r: r.name != "aws")  # targets/aws/foundation.py names the stack's own "aws"
    return str(providers[0].inputs["region"]) if providers else default


def uses_aws(run: ProgramRun) -> bool:
    return any(r.type.startswith("aws:") and r.custom for r in run.resources)


def start_review(run: ProgramRun, bootstrap: Bootstrap, region: str) -> PendingReview:
    pending = PendingReview(AccessReview(run.stack, bootstrap.stack_file))
    review = pending.review
    review.in_cloud = uses_aws(run) or gcp_closure.uses_gcp(run)
    family = bootstrap.family_of(run.stack)
    if not review.in_cloud or family is None:
        return pending
    review.family = family.name
    if uses_aws(run):
        review.not_checked = aws_evaluate.available()
        if review.not_checked:
            return pending
        aws = _aws_checks(run, bootstrap, family, region)
        pending.identities = aws.counts
        pending.evaluation = aws_evaluate.start(aws.checks, aws.policies)
        review.uncovered_types += aws.without_row
    if gcp_closure.uses_gcp(run):
        gcp = gcp_closure.review(run, bootstrap, family)
        review.coverages += gcp.coverages
        review.uncovered_types += gcp.uncovered_types
    return pending


def review_access(run: ProgramRun, bootstrap: Bootstrap, region: str) -> AccessReview:
    return start_review(run, bootstrap, region).finish()


def document(review: AccessReview | None) -> dict[str, object] | None:
    """The review as JSON (plan.schema.json `deployIdentities`)."""
    if review is None:
        return None
    return {
        "bootstrapStack": review.bootstrap,
        "family": review.family or None,
        "notChecked": review.not_checked or None,
        "uncoveredTypes": review.uncovered_types,
        "identities": [
            {
                "identity": c.identity,
                "cloud": c.cloud,
                "use": c.use,
                "checked": c.checked,
                "gaps": [
                    {
                        "permission": g.permission,
                        "resource": g.resource,
                        "result": g.result,
                        "needs": list(g.subjects),
                        "sources": list(g.sources),
                    }
                    for g in c.gaps
                ],
            }
            for c in review.coverages
        ],
    }


def summary_lines(review: AccessReview | None) -> list[str]:
    """One line per identity: what was checked and how many permissions it lacks."""
    if review is None or not review.in_cloud:
        return []
    if review.not_checked:
        return [f"Deploy identities: not checked ({review.not_checked})"]
    if not review.family:
        return [f"Deploy identities: no identity of bootstrap {review.bootstrap!r} serves {review.stack!r}"]
    lines = [f"Deploy identities (bootstrap {review.bootstrap!r}, family {review.family}):"]
    for c in review.coverages:
        verdict = "all allowed" if not c.gaps else f"{len(c.gaps)} missing"
        lines.append(
            f"  {c.cloud} {c.use:7} {c.identity}: {c.checked} (resource, permission) pairs, {verdict}"
        )
    return lines
