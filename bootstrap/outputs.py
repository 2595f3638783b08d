"""What the bootstrap hands on: the variables of each GitHub environment, and which identity serves which
stacks (read by `launchpad plan`'s permission closure)."""

from __future__ import annotations

from typing import Any

import pulumi

from bootstrap.aws_access import FamilyRoles
from bootstrap.gcp_access import GcpAccess
from bootstrap.settings import BootstrapConfig
from bootstrap.state_backend import StateBackend

Variables = dict[str, pulumi.Input[str]]


def _variables(role: pulumi.Input[str], region: pulumi.Input[str], state: StateBackend | None) -> Variables:
    found: Variables = {"AWS_ROLE_ARN": role, "AWS_REGION": region}
    if state:
        found["PULUMI_BACKEND_URL"] = state.backend_url(region)
        found["PULUMI_SECRETS_PROVIDER"] = StateBackend.secrets_provider(region)
    return found


def _gcp(gcp: GcpAccess | None, family: str, use: str) -> Variables:
    if gcp is None:
        return {}
    accounts = gcp.of(family)
    return {
        "GCP_WORKLOAD_IDENTITY_PROVIDER": gcp.provider_name,
        "GCP_SERVICE_ACCOUNT": (accounts.deploy if use == "deploy" else accounts.preview).email,
    }


def environment_variables(
    roles: list[FamilyRoles], region: pulumi.Input[str], state: StateBackend | None, gcp: GcpAccess | None
) -> dict[str, Variables]:
    """GitHub environment -> its variables (names the workflows read as `vars.NAME`)."""
    found: dict[str, Variables] = {}
    for family in roles:
        for environment in family.family.deploy_environments:
            google = environment not in family.family.pull_request_environments
            found[environment] = {
                **_variables(family.deploy.arn, region, state),
                **(_gcp(gcp, family.family.name, "deploy") if google else {}),
            }
        found[family.family.preview_environment] = {
            **_variables(family.preview.arn, region, state),
            **_gcp(gcp, family.family.name, "preview"),
        }
    return found


def access_map(
    config: BootstrapConfig,
    roles: list[FamilyRoles],
    region: pulumi.Input[str],
    state: StateBackend | None,
    gcp: GcpAccess | None,
) -> dict[str, Any]:
    families: dict[str, Any] = {}
    for family in roles:
        accounts = gcp.of(family.family.name) if gcp else None
        families[family.family.name] = {
            "stacks": list(family.family.stacks),
            "aws": {"deploy": family.deploy.name, "preview": family.preview.name},
            "gcp": {"deploy": accounts.deploy.email, "preview": accounts.preview.email} if accounts else None,
        }
    return {
        "families": families,
        "state": {"backendUrl": state.backend_url(region), "key": state.key_arn} if state else None,
        "gcp": {
            "project": config.gcp_project,
            "projectNumber": gcp.project_number,
            "billingAccount": config.gcp_billing_account,
        }
        if gcp
        else None,
    }
