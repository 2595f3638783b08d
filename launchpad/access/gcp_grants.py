"""What a GCP service account may do, read off the bootstrap's plan: every role granted to it on the project
or a billing account, each role's permissions (Google's predefined roles reference, vendored in
data/gcp_roles.json, or the permissions of a custom role the bootstrap defines), and the IAM Condition a
grant carries, evaluated with cel-python (a maintained CEL implementation) against the resource a request
names, as IAM does: a conditioned grant applies only where its condition holds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

import celpy

from launchpad.access.gcp_table import BILLING
from launchpad.access.identities import DATA, Bootstrap
from offline.mocks import Recorded

PROJECT = "project"


@cache
def role_permissions() -> dict[str, frozenset[str]]:
    data = json.loads((DATA / "gcp_roles.json").read_text())
    return {role: frozenset(entry["permissions"]) for role, entry in data["roles"].items()}


@dataclass(frozen=True)
class Resource:
    """What an IAM Condition sees of a request's resource (`resource.name`, `resource.type`)."""

    name: str
    type: str


@dataclass(frozen=True)
class Grant:
    scope: str  # "project", or "billing:<account id>"
    role: str
    permissions: frozenset[str]
    condition: str = ""  # a CEL expression, "" when unconditioned

    def allows(self, permission: str, scope: str, resource: Resource | None) -> bool:
        if scope != self.scope or permission not in self.permissions:
            return False
        if not self.condition:
            return True
        # IAM evaluates a condition against the request's resource; with none to name, it cannot hold.
        return resource is not None and _holds(self.condition, resource)


@cache
def _program(expression: str) -> celpy.Runner:
    environment = celpy.Environment()
    return environment.program(environment.compile(expression))


def _holds(expression: str, resource: Resource) -> bool:
    activation = {"resource": celpy.json_to_cel({"name": resource.name, "type": resource.type})}
    return bool(_program(expression).evaluate(activation))


def _scope_of(grant: Recorded) -> str:
    if grant.type == "gcp:billing/accountIamMember:AccountIamMember":
        return f"{BILLING}:{grant.inputs['billingAccountId']}"
    return PROJECT


def _custom_roles(bootstrap: Bootstrap) -> dict[str, frozenset[str]]:
    return {
        str(r.outputs.get("name") or r.id): frozenset(r.inputs.get("permissions") or [])
        for r in bootstrap.resources_of("gcp:projects/iAMCustomRole:IAMCustomRole")
    }


def grants_of(bootstrap: Bootstrap, email: str) -> list[Grant]:
    """Every grant the bootstrap gives the service account `email`."""
    member = f"serviceAccount:{email}"
    known = {**role_permissions(), **_custom_roles(bootstrap)}
    found = []
    for type_ in ("gcp:projects/iAMMember:IAMMember", "gcp:billing/accountIamMember:AccountIamMember"):
        for grant in bootstrap.resources_of(type_):
            if grant.inputs["member"] != member:
                continue
            role = str(grant.inputs["role"])
            if role not in known:
                raise ValueError(f"{email}: no permission list for {role} (scripts/vendor-gcp-roles.py)")
            condition = (grant.inputs.get("condition") or {}).get("expression", "")
            found.append(Grant(_scope_of(grant), role, known[role], condition))
    return found


def allowed(grants: list[Grant], permission: str, scope: str, resource: Resource | None = None) -> bool:
    return any(g.allows(permission, scope, resource) for g in grants)
