"""The bootstrap's Google Cloud half: the provider admits this repository's main branch by id, each service
account answers only its environments' subjects, holds only its roles (viewer roles for previews), billing
roles where a budget lives, the APIs in their order; and the workflows and the bootstrap checked against
each other: every credentialed job finds its variables and an identity that trusts its token."""

from __future__ import annotations

import pytest

from bootstrap import gcp_access
from launchpad.access.gcp_grants import Resource, allowed, grants_of, role_permissions
from launchpad.access.identities import Bootstrap
from offline.lifecycle import destroy_blockers
from policies.gcp import iam as gcp_iam_rules
from tests.delivery.workflow_model import REPOSITORY_VARIABLES, all_job_runs, uses_credentials
from tests.delivery.workflow_model import action as action_of
from tests.infra.bootstrap_plan import (
    BILLING_ACCOUNT,
    IMMUTABLE,
    ISSUER,
    as_list,
    bootstrap_plan,
    plan,
    trust,
)
from tests.infra.plan_query import Plan

__all__ = ["plan"]  # the shared module-scoped fixture


def test_gcp_provider_admits_only_this_repository_by_id_on_main(plan: Plan) -> None:
    provider = plan.one("gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider")
    assert provider.inputs["attributeCondition"] == (
        'assertion.repository_id == "987654321" && assertion.repository_owner_id == "1234567" '
        '&& assertion.ref == "refs/heads/main"'
    )
    assert provider.inputs["oidc"] == {"issuerUri": f"https://{ISSUER}"}
    assert provider.inputs["attributeMapping"]["google.subject"] == "assertion.sub"


def _impersonators(plan: Plan, account: str) -> set[str]:
    target = plan.one("gcp:serviceaccount/account:Account", account).outputs["name"]
    bindings = plan.of_type("gcp:serviceaccount/iAMMember:IAMMember")
    assert all(b.inputs["role"] == "roles/iam.workloadIdentityUser" for b in bindings)
    return {
        b.inputs["member"].rsplit("/subject/", 1)[1]
        for b in bindings
        if b.inputs["serviceAccountId"] == target
    }


def test_each_gcp_identity_is_impersonable_only_by_its_own_environments(plan: Plan) -> None:
    """The dev deploy, the review stacks and the drift check cannot act as prod's deploy identity."""
    for account, environments in (
        ("launchpad-deploy-prod", ["prod"]),
        ("launchpad-preview-prod", ["prod-preview"]),
        ("launchpad-deploy-dev", ["dev"]),  # review runs pull-request branches: Google admits only main
        ("launchpad-preview-dev", ["dev-preview"]),
    ):
        assert _impersonators(plan, account) == {f"repo:{IMMUTABLE}:environment:{e}" for e in environments}


def _roles_of(plan: Plan, account: str, type_: str = "gcp:projects/iAMMember:IAMMember") -> set[str]:
    email = plan.one("gcp:serviceaccount/account:Account", account).outputs["email"]
    return {m.inputs["role"] for m in plan.of_type(type_) if m.inputs["member"] == f"serviceAccount:{email}"}


def test_gcp_deploy_identities_hold_the_deploy_roles_and_preview_ones_only_read_roles(plan: Plan) -> None:
    assert _roles_of(plan, "launchpad-deploy-prod") == set(gcp_access.DEPLOY_ROLES)
    custom = plan.one("gcp:projects/iAMCustomRole:IAMCustomRole").outputs["name"]
    reads = {custom, "roles/secretmanager.secretAccessor"}
    viewer = _roles_of(plan, "launchpad-preview-prod")
    assert viewer == set(gcp_access.PREVIEW_ROLES) | reads
    assert all(role.endswith(("viewer", "Viewer", "reader", "Reviewer")) for role in viewer - reads)
    permissions = role_permissions()
    assert not any(
        p.endswith((".create", ".update", ".delete", ".setIamPolicy"))
        for r in viewer - reads
        for p in permissions[r]
    )


def test_a_preview_identity_reads_back_only_its_familys_generated_values(plan: Plan) -> None:
    """Like AWS's preview roles: the AUTH string and the generated passwords a refresh reads back (they are
    in the state it decrypts), never a provider key, never another family's."""
    role = plan.one("gcp:projects/iAMCustomRole:IAMCustomRole")
    assert role.inputs["permissions"] == ["redis.instances.getAuthString"]
    bootstrap = Bootstrap(plan.run, "example")
    grants = grants_of(
        bootstrap, plan.one("gcp:serviceaccount/account:Account", "launchpad-preview-dev").outputs["email"]
    )
    secret = "projects/412345678901/secrets/{}/versions/1"
    version = "secretmanager.googleapis.com/SecretVersion"

    def may_read(secret_id: str) -> bool:
        return allowed(
            grants, "secretmanager.versions.access", "project", Resource(secret.format(secret_id), version)
        )

    assert all(may_read(f"launchpad-dev-{name}") for name in gcp_access.GENERATED_SECRETS)
    assert not may_read("launchpad-prod-database-password")  # prod's, in a shared project
    assert not may_read("launchpad-dev-anthropic-api-key")  # a provider key
    assert not may_read("launchpad-dev-database-password-old")
    assert not allowed(grants, "secretmanager.versions.access", "project")  # no resource: no condition holds


def test_the_generated_secret_names_are_the_ones_the_gcp_program_writes_back() -> None:
    from tests.infra.conftest import plan_with_gcp

    written = {
        v.inputs["secret"].rsplit("/", 1)[1].removeprefix("launchpad-dev-")
        for v in plan_with_gcp("dev", {}).of_type("gcp:secretmanager/secretVersion:SecretVersion")
        if "secretData" in v.inputs
    }
    assert written == set(gcp_access.GENERATED_SECRETS)


def test_a_gcp_budget_gets_billing_account_roles_for_both_identities() -> None:
    billed = bootstrap_plan(gcpBillingAccount=BILLING_ACCOUNT)
    grants = billed.of_type("gcp:billing/accountIamMember:AccountIamMember")
    assert {g.inputs["billingAccountId"] for g in grants} == {BILLING_ACCOUNT}
    assert _roles_of(billed, "launchpad-deploy-dev", grants[0].type) == {"roles/billing.costsManager"}
    assert _roles_of(billed, "launchpad-preview-dev", grants[0].type) == {"roles/billing.viewer"}


def test_the_cloud_resource_manager_api_is_enabled_before_every_other_api(plan: Plan) -> None:
    apis = {a.inputs["service"]: a for a in plan.of_type("gcp:projects/service:Service")}
    first = apis.pop("cloudresourcemanager.googleapis.com")
    assert first.dependencies == []
    assert all(first.urn in api.dependencies for api in apis.values())
    assert "serviceusage.googleapis.com" in apis


def test_workload_identity_ids_are_listed_as_re_create_blockers(plan: Plan) -> None:
    blocked = {b.resource_type: b.reason for b in destroy_blockers(plan.resources)}
    for kind in ("WorkloadIdentityPool", "WorkloadIdentityPoolProvider"):
        reason = blocked[f"gcp:iam/{kind[0].lower() + kind[1:]}:{kind}"]
        assert "30 days" in reason and "undelete" in reason
    assert "37 days" in blocked["gcp:projects/iAMCustomRole:IAMCustomRole"]


def test_every_credentialed_job_gets_its_variables_and_an_identity_that_trusts_it(plan: Plan) -> None:
    """The workflows, as GitHub runs them for each event, against what the bootstrap outputs: each job's
    environment has every variable the job reads, and the role (and service account) those variables name
    trusts the token that job gets: the pipeline and the identities are checked against each other."""
    variables = plan.outputs["environment_variables"]
    provider_bindings = {
        (b.inputs["serviceAccountId"], b.inputs["member"].rsplit("/subject/", 1)[1])
        for b in plan.of_type("gcp:serviceaccount/iAMMember:IAMMember")
    }
    accounts = {
        a.outputs["email"]: a.outputs["name"] for a in plan.of_type("gcp:serviceaccount/account:Account")
    }
    runs = [r for r in all_job_runs() if any(uses_credentials(s) for s in r.steps())]
    assert {r.environment for r in runs} == set(variables)
    for run in runs:
        have = variables[run.environment]
        assert run.variables_read() - REPOSITORY_VARIABLES <= set(have), run.label
        subject = f"repo:{IMMUTABLE}:environment:{run.environment}"
        role = have["AWS_ROLE_ARN"].rsplit("/", 1)[1]
        assert subject in as_list(trust(plan, role)["Condition"]["StringEquals"][f"{ISSUER}:sub"]), run.label
        if any(action_of(s) == "google-github-actions/auth" for s in run.steps()):
            assert (accounts[have["GCP_SERVICE_ACCOUNT"]], subject) in provider_bindings, run.label


NAMED = 'resource.name.startsWith("projects/1/secrets/{}/")'


@pytest.mark.parametrize(
    ("expression", "flagged"),
    [
        ('resource.name.startsWith("projects/1/secrets/launchpad-dev-redis-auth/")', False),
        (f"{NAMED.format('a')} || {NAMED.format('b')}", False),
        ('resource.name.startsWith("projects/1/secrets/")', True),  # every secret
        ('resource.name.startsWith("projects/1/secrets/launchpad-dev")', True),  # a prefix, not an id
        ('resource.name.startsWith("projects/1/secrets/a/") || true', True),
        ("", True),
    ],
)
def test_a_project_grant_of_secret_access_passes_only_under_a_condition_naming_secrets(
    expression: str, flagged: bool
) -> None:
    condition = {"title": "t", "expression": expression} if expression else None
    props = {"role": "roles/secretmanager.secretAccessor", "condition": condition}
    assert bool(gcp_iam_rules._secrets_per_secret(props)) is flagged
