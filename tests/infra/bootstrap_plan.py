"""Shared by the bootstrap tests: the sample bootstrap planned under the same mocks as the main program, and
small readers of its IAM documents."""

from __future__ import annotations

import json
from typing import Any

import pytest

from launchpad.access.identities import BOOTSTRAP_DIR, load_bootstrap
from tests.infra.plan_query import Plan

BOOTSTRAP = BOOTSTRAP_DIR
REPO = "example-org/launchpad"  # the shipped sample's repository, owner id 1234567, repository id 987654321
IMMUTABLE = "example-org-1234567/launchpad-987654321"
ISSUER = "token.actions.githubusercontent.com"
BILLING_ACCOUNT = "012345-6789AB-CDEF01"
INLINE = "aws:iam/rolePolicy:RolePolicy"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"


def bootstrap_plan(**overrides: Any) -> Plan:
    """The sample bootstrap planned with these config overrides, as the permission closure plans it."""
    return Plan(load_bootstrap(overrides=overrides).run)


@pytest.fixture(scope="module")
def plan() -> Plan:
    return bootstrap_plan()


@pytest.fixture(scope="module")
def cloud_plan() -> Plan:
    """Pulumi Cloud holds the state: no bucket, no key."""
    return bootstrap_plan(stateBackend="cloud", gcpEnabled=False)


def trust(plan: Plan, role: str) -> dict[str, Any]:
    [statement] = json.loads(plan.named(role).inputs["assumeRolePolicy"])["Statement"]
    return statement


def statements(plan: Plan, role: str) -> list[dict[str, Any]]:
    """The statements of the role's inline policies and of the customer managed policies attached to it."""
    attached = {a.inputs["policyArn"] for a in plan.of_type(ATTACHMENT) if a.inputs["role"] == role}
    documents = [p.inputs["policy"] for p in plan.of_type(INLINE) if p.inputs["role"] == role] + [
        p.inputs["policy"] for p in plan.of_type("aws:iam/policy:Policy") if p.outputs["arn"] in attached
    ]
    return [s for document in documents for s in json.loads(document)["Statement"]]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
