"""The GCP half of the permission closure: every permission the stack's resources need, against what the
bootstrap grants each service account (gcp_grants.py: roles on the project or a billing account, custom
roles, IAM Conditions), and every API they call, against the APIs enabled before the deploy runs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from launchpad.access import gcp_data_table
from launchpad.access.gcp_grants import PROJECT, Grant, Resource, allowed, grants_of
from launchpad.access.gcp_table import BILLING, CALLS, METHOD_MAP, ROWS, STORED_VALUE
from launchpad.access.identities import Bootstrap, Family
from launchpad.access.model import DEPLOY_OPS, READ_OPS, Need, Op, Row
from launchpad.access.results import Coverage, Gap
from offline.mocks import Recorded
from offline.program import ProgramRun

ROWS_BY_TYPE: dict[str, Row] = {r.type: r for r in (*ROWS, *gcp_data_table.ROWS)}
# Enabled by the bootstrap before any stack runs: every projects.Service read, and the project lookup, go
# through the Cloud Resource Manager API, and Service Usage enables the rest (bootstrap/gcp_access.py).
PREREQUISITE_APIS = ("cloudresourcemanager.googleapis.com", "serviceusage.googleapis.com")
_AR_HOST = re.compile(r"^[a-z0-9-]+-docker\.pkg\.dev/")
_SECRET = re.compile(r"^projects/[^/]+/secrets/([^/]+)$")


def uses_gcp(run: ProgramRun) -> bool:
    return any(r.type.startswith("gcp:") and r.custom for r in run.resources)


def _applies(resource: Recorded) -> bool:
    """A docker-build image matters here only when it pushes to Artifact Registry."""
    if resource.type != "docker-build:index:Image":
        return resource.type.startswith("gcp:")
    tags = resource.inputs.get("tags") or []
    return bool(resource.inputs.get("push")) and any(_AR_HOST.match(str(t)) for t in tags)


def _scope_name(scope: str) -> str:
    return f"billing account {scope.partition(':')[2]}" if scope.startswith(BILLING) else "the project"


@dataclass
class GcpReview:
    coverages: list[Coverage] = field(default_factory=list)
    uncovered_types: list[str] = field(default_factory=list)


class Needed(NamedTuple):
    permission: str
    scope: str  # "project" or "billing:<account id>"
    subject: str  # the resource or data source and the operation
    sources: tuple[str, ...]
    resource: Resource | None = None  # what an IAM Condition on a grant is evaluated against
    op: Op = Op.READ  # a data source's call is a read


def _resource(need: Need, r: Recorded, project_number: str) -> Resource | None:
    """The resource IAM names for a request, where a condition may depend on it (a secret's version)."""
    if need.resource != STORED_VALUE:
        return None
    found = _SECRET.match(str(r.inputs.get("secret", "")))
    name = f"projects/{project_number}/secrets/{found[1]}/versions/1" if found else ""
    return Resource(name, "secretmanager.googleapis.com/SecretVersion") if found else None


def _requirements(run: ProgramRun, project_number: str) -> tuple[list[Needed], set[str], set[str]]:
    """What every resource and call needs for each operation, the APIs they call, and the types without
    rows."""
    needed: list[Needed] = []
    apis: set[str] = set()
    uncovered: set[str] = set()
    for r in run.resources:
        if not r.custom or not _applies(r):
            continue
        found = ROWS_BY_TYPE.get(r.type)
        if found is None:
            uncovered.add(r.type)
            continue
        apis.add(found.api)
        for op in DEPLOY_OPS:
            for need in found.needs_for(op, r.inputs):
                scope = f"{BILLING}:{r.inputs.get('billingAccount')}" if need.resource == BILLING else PROJECT
                subject = f"{r.type} {r.name} ({op})"
                resource = _resource(need, r, project_number)
                needed.append(Needed(need.permission, scope, subject, found.sources, resource, op))
    for token in sorted({c[0] for c in run.calls if c[0].startswith("gcp:")}):
        if token not in CALLS:
            uncovered.add(token)
        needed += [Needed(p, PROJECT, f"data source {token}", (METHOD_MAP,)) for p in CALLS.get(token, ())]
    return needed, apis, uncovered


def _enabled_apis(run: ProgramRun, bootstrap: Bootstrap) -> tuple[set[str], set[str]]:
    """APIs the stack enables itself, and the ones the bootstrap enabled before it."""
    own = {str(r.inputs.get("service")) for r in run.resources if r.type == "gcp:projects/service:Service"}
    first = {str(r.inputs.get("service")) for r in bootstrap.resources_of("gcp:projects/service:Service")}
    return own, first


def _permission_gaps(name: str, needed: list[Needed], grants: list[Grant]) -> list[Gap]:
    denied: dict[tuple[str, str, tuple[str, ...]], list[str]] = {}
    for n in needed:
        if not allowed(grants, n.permission, n.scope, n.resource):
            denied.setdefault((n.permission, n.scope, n.sources), []).append(n.subject)
    return [
        Gap(name, permission, _scope_name(scope), tuple(s), "NotGranted", sources=sources)
        for (permission, scope, sources), s in sorted(denied.items())
    ]


def _api_gaps(name: str, apis: set[str], own: set[str], first: set[str]) -> list[Gap]:
    missing_first = [api for api in PREREQUISITE_APIS if api not in first]
    prerequisite = [
        Gap(
            name,
            f"{api} enabled before the deploy",
            "the project",
            ("every projects.Service read",),
            "NotEnabled",
        )
        for api in missing_first
    ]
    return prerequisite + [
        Gap(name, f"{api} enabled", "the project", ("the stack's resources",), "NotEnabled")
        for api in sorted(apis - own - first - set(PREREQUISITE_APIS))
    ]


NOT_ADMITTED = Gap(
    "(no Google identity)",
    "a Google Cloud credential",
    "a review stack",
    ("review-stack.yml: its jobs run pull-request branches",),
    "NotAdmitted",
    sources=("bootstrap/gcp_access.py: the provider admits only main's tokens",),
)


def review(run: ProgramRun, bootstrap: Bootstrap, family: Family) -> GcpReview:
    result = GcpReview()
    if not family.names(run.stack):
        # Review stacks deploy from pull-request branches, which get no Google credentials at all.
        result.coverages.append(Coverage(NOT_ADMITTED.identity, "gcp", "deploy", 0, [NOT_ADMITTED]))
        return result
    own_apis, bootstrap_apis = _enabled_apis(run, bootstrap)
    gcp: dict[str, Any] = bootstrap.access.get("gcp") or {}
    project_number = str(gcp.get("projectNumber", ""))
    needed, apis, uncovered = _requirements(run, project_number)
    result.uncovered_types = sorted(uncovered)
    # A preview asks exactly what a deploy reads.
    preview = [n for n in needed if n.op in READ_OPS]
    for use, email, asked in (
        ("deploy", family.gcp_deploy, needed),
        ("preview", family.gcp_preview, preview),
    ):
        name = email or f"(no GCP {use} identity: bootstrap gcpEnabled is false)"
        grants = grants_of(bootstrap, email) if email else []
        gaps = _permission_gaps(name, asked, grants) + _api_gaps(name, apis, own_apis, bootstrap_apis)
        result.coverages.append(Coverage(name, "gcp", use, len(asked), gaps))
    return result
