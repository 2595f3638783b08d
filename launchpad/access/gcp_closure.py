"""The GCP half of the permission closure: every permission the stack's resources need, against the union of
the predefined roles the bootstrap grants each service account (on the project, or on the billing account),
and every API they call, against the APIs enabled before the deploy runs.

Predefined roles' permissions come from Google's roles reference (launchpad/access/data/gcp_roles.json,
vendored by scripts/vendor-gcp-roles.py). IAM conditions and deny policies are not used by the bootstrap, so
a permission is allowed exactly when a granted role on the right scope includes it.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

from launchpad.access.gcp_table import BILLING, CALLS, METHOD_MAP, ROWS
from launchpad.access.identities import DATA, Bootstrap, Family
from launchpad.access.model import DEPLOY_OPS, READ_OPS, Op, Row
from launchpad.access.results import Coverage, Gap
from offline.mocks import Recorded
from offline.program import ProgramRun

ROWS_BY_TYPE: dict[str, Row] = {r.type: r for r in ROWS}
# Enabled by the bootstrap before any stack runs: every projects.Service read, and the project lookup, go
# through the Cloud Resource Manager API, and Service Usage enables the rest (bootstrap/gcp_access.py).
PREREQUISITE_APIS = ("cloudresourcemanager.googleapis.com", "serviceusage.googleapis.com")
_AR_HOST = re.compile(r"^[a-z0-9-]+-docker\.pkg\.dev/")


@cache
def role_permissions() -> dict[str, frozenset[str]]:
    data = json.loads((DATA / "gcp_roles.json").read_text())
    return {role: frozenset(entry["permissions"]) for role, entry in data["roles"].items()}


def uses_gcp(run: ProgramRun) -> bool:
    return any(r.type.startswith("gcp:") and r.custom for r in run.resources)


def _scope_of(grant: Recorded) -> str:
    """Where a grant applies: "project", or "billing:<account id>" for a billing-account grant."""
    if grant.type == "gcp:billing/accountIamMember:AccountIamMember":
        return f"{BILLING}:{grant.inputs['billingAccountId']}"
    return "project"


def _granted(bootstrap: Bootstrap, email: str) -> dict[str, frozenset[str]]:
    """The permissions granted to a service account, per scope (the project, each billing account)."""
    member = f"serviceAccount:{email}"
    scopes: dict[str, set[str]] = defaultdict(set)
    for type_ in ("gcp:projects/iAMMember:IAMMember", "gcp:billing/accountIamMember:AccountIamMember"):
        for grant in bootstrap.resources_of(type_):
            if grant.inputs["member"] != member:
                continue
            role = grant.inputs["role"]
            if role not in role_permissions():
                raise ValueError(f"{email}: no permission list for {role} (scripts/vendor-gcp-roles.py)")
            scopes[_scope_of(grant)] |= role_permissions()[role]
    return defaultdict(frozenset, {scope: frozenset(found) for scope, found in scopes.items()})


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


def _requirements(run: ProgramRun, ops: tuple[Op, ...]) -> tuple[list[Needed], set[str], set[str]]:
    """What every resource and call needs, the APIs they call, and the types without rows."""
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
        for op in ops:
            for need in found.needs_for(op, r.inputs):
                scope = (
                    f"{BILLING}:{r.inputs.get('billingAccount')}" if need.resource == BILLING else "project"
                )
                needed.append(Needed(need.permission, scope, f"{r.type} {r.name} ({op})", found.sources))
    for token in sorted({c[0] for c in run.calls if c[0].startswith("gcp:")}):
        if token not in CALLS:
            uncovered.add(token)
        needed += [Needed(p, "project", f"data source {token}", (METHOD_MAP,)) for p in CALLS.get(token, ())]
    return needed, apis, uncovered


def _enabled_apis(run: ProgramRun, bootstrap: Bootstrap) -> tuple[set[str], set[str]]:
    """APIs the stack enables itself, and the ones the bootstrap enabled before it."""
    own = {str(r.inputs.get("service")) for r in run.resources if r.type == "gcp:projects/service:Service"}
    first = {str(r.inputs.get("service")) for r in bootstrap.resources_of("gcp:projects/service:Service")}
    return own, first


def review(run: ProgramRun, bootstrap: Bootstrap, family: Family) -> GcpReview:
    result = GcpReview()
    own_apis, bootstrap_apis = _enabled_apis(run, bootstrap)
    for use, email, ops in (
        ("deploy", family.gcp_deploy, DEPLOY_OPS),
        ("preview", family.gcp_preview, READ_OPS),
    ):
        needed, apis, uncovered = _requirements(run, ops)
        result.uncovered_types = sorted(uncovered)
        name = email or f"(no GCP {use} identity: bootstrap gcpEnabled is false)"
        granted = _granted(bootstrap, email) if email else defaultdict(frozenset)
        denied: dict[tuple[str, str, tuple[str, ...]], list[str]] = {}
        for n in needed:
            if n.permission not in granted[n.scope]:
                denied.setdefault((n.permission, n.scope, n.sources), []).append(n.subject)
        gaps = [
            Gap(name, permission, _scope_name(scope), tuple(s), "NotGranted", sources=sources)
            for (permission, scope, sources), s in sorted(denied.items())
        ]
        missing_prerequisites = [api for api in PREREQUISITE_APIS if api not in bootstrap_apis]
        gaps += [
            Gap(
                name,
                f"{api} enabled before the deploy",
                "the project",
                ("every projects.Service read",),
                "NotEnabled",
            )
            for api in missing_prerequisites
        ]
        gaps += [
            Gap(name, f"{api} enabled", "the project", ("the stack's resources",), "NotEnabled")
            for api in sorted(apis - own_apis - bootstrap_apis - set(PREREQUISITE_APIS))
        ]
        result.coverages.append(Coverage(name, "gcp", use, len(needed), gaps))
    return result
