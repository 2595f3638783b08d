"""The bootstrap program under the same mocks, loader and policy review as the main program: who may
assume each role (audience, exact `sub`), that the preview role cannot write, that deploy roles stay on
their stacks' names, the GCP federation, and the outputs the workflows read."""

from __future__ import annotations

import fnmatch
import json
import re
import warnings
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from parliament import expand_action, iam_definition

from bootstrap import aws_access, gcp_access
from offline.policy_check import check, mandatory, validate_pack_config
from offline.program import run_program
from offline.stack_files import REPO_ROOT, load_stack_config
from stack_config import ConfigError
from tests.delivery.workflow_model import PER_ENVIRONMENT_VARIABLES, REPOSITORY_VARIABLES
from tests.infra.plan_query import Plan

BOOTSTRAP = REPO_ROOT / "bootstrap"
REPO = "example-org/launchpad"  # the shipped sample's repository
ISSUER = "token.actions.githubusercontent.com"


def bootstrap_plan(**overrides: Any) -> Plan:
    config = load_stack_config("example", root=BOOTSTRAP).with_overrides(overrides)
    return Plan(run_program("example", config, program_dir=BOOTSTRAP))


@pytest.fixture(scope="module")
def plan() -> Plan:
    return bootstrap_plan()


@pytest.fixture(scope="module")
def cloud_plan() -> Plan:
    """Pulumi Cloud holds the state: no bucket, no key."""
    return bootstrap_plan(stateBackend="cloud", gcpEnabled=False)


def _trust(plan: Plan, role: str) -> dict[str, Any]:
    [statement] = json.loads(plan.named(role).inputs["assumeRolePolicy"])["Statement"]
    return statement


def _documents(plan: Plan, role: str) -> list[dict[str, Any]]:
    return [
        json.loads(p.inputs["policy"])
        for p in plan.of_type("aws:iam/rolePolicy:RolePolicy")
        if p.inputs["role"] == role
    ]


def _statements(plan: Plan, role: str) -> list[dict[str, Any]]:
    return [s for doc in _documents(plan, role) for s in doc["Statement"]]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


EXPECTED_SUBJECTS = {
    "github-launchpad-preview": {f"repo:{REPO}:pull_request", f"repo:{REPO}:ref:refs/heads/main"},
    "github-launchpad-deploy-dev": {f"repo:{REPO}:environment:dev", f"repo:{REPO}:environment:review"},
    "github-launchpad-deploy-prod": {f"repo:{REPO}:environment:prod"},
}


@pytest.mark.parametrize("role", sorted(EXPECTED_SUBJECTS))
def test_each_role_trusts_exactly_its_github_subjects_with_sts_audience(plan: Plan, role: str) -> None:
    statement = _trust(plan, role)
    provider = plan.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider")
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert statement["Principal"] == {"Federated": provider.outputs["arn"]}
    assert set(statement["Condition"]) == {"StringEquals"}  # exact matches, no StringLike wildcards
    conditions = statement["Condition"]["StringEquals"]
    assert conditions[f"{ISSUER}:aud"] == "sts.amazonaws.com"
    assert set(_as_list(conditions[f"{ISSUER}:sub"])) == EXPECTED_SUBJECTS[role]


def test_the_oidc_provider_is_githubs_with_the_sts_audience(plan: Plan) -> None:
    provider = plan.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider")
    assert provider.inputs["url"] == f"https://{ISSUER}"
    assert provider.inputs["clientIdLists"] == ["sts.amazonaws.com"]


def test_an_existing_oidc_provider_is_reused_not_duplicated() -> None:
    arn = f"arn:aws:iam::123456789012:oidc-provider/{ISSUER}"
    reused = bootstrap_plan(existingOidcProviderArn=arn)
    assert reused.count("aws:iam/openIdConnectProvider:OpenIdConnectProvider") == 0
    assert _trust(reused, "github-launchpad-deploy-prod")["Principal"] == {"Federated": arn}


# What a preview must write: the S3 backend's lock, and decrypting state and generated secret values
# (kms:Decrypt is a Write-level action in IAM's reference). Nothing else.
PREVIEW_WRITES = {"s3:putobject", "s3:deleteobject", "kms:decrypt"}


def _access_levels(action: str) -> set[str]:
    """IAM's access level of every action `action` names (wildcards expanded), from parliament's copy of
    the IAM service reference."""
    levels = {
        (service["prefix"], privilege["privilege"]): privilege["access_level"]
        for service in iam_definition
        for privilege in service["privileges"]
    }
    return {levels[(found["service"], found["action"])] for found in expand_action(action)}


def test_the_preview_role_allows_only_reads_besides_its_lock_and_decrypts(plan: Plan) -> None:
    allowed = [s for s in _statements(plan, "github-launchpad-preview") if s["Effect"] == "Allow"]
    assert allowed
    for statement in allowed:
        for action in _as_list(statement["Action"]):
            levels = _access_levels(action)
            assert levels <= {"Read", "List"} or action.lower() in PREVIEW_WRITES, (action, levels)


def test_the_preview_roles_writes_reach_only_locks_state_key_and_generated_secrets(plan: Plan) -> None:
    state = plan.one("aws:s3/bucket:Bucket").outputs["arn"]
    key = plan.one("aws:kms/key:Key").outputs["arn"]
    for statement in (s for s in _statements(plan, "github-launchpad-preview") if s["Effect"] == "Allow"):
        writes = {a.lower() for a in _as_list(statement["Action"])} & PREVIEW_WRITES
        if writes & {"s3:putobject", "s3:deleteobject"}:
            assert _as_list(statement["Resource"]) == [f"{state}/.pulumi/locks/*"]
        if "kms:decrypt" in writes and statement["Resource"] == "*":
            secret_arns = statement["Condition"]["StringLike"]["kms:EncryptionContext:SecretARN"]
            assert all(":secret:launchpad/*/" in arn for arn in secret_arns)
        elif "kms:decrypt" in writes:
            assert statement["Resource"] == key


def test_the_preview_roles_managed_policy_is_aws_read_only(plan: Plan) -> None:
    attachments = plan.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    assert [(a.inputs["role"], a.inputs["policyArn"]) for a in attachments] == [
        ("github-launchpad-preview", "arn:aws:iam::aws:policy/ReadOnlyAccess")
    ]


def test_the_preview_role_is_denied_data_reads_outside_state_and_generated_secrets(plan: Plan) -> None:
    denies = {s["Sid"]: s for s in _statements(plan, "github-launchpad-preview") if s["Effect"] == "Deny"}
    state = plan.one("aws:s3/bucket:Bucket").outputs["arn"]
    objects = denies["NoObjectReadsOutsideState"]
    assert "s3:GetObject" in objects["Action"] and objects["NotResource"] == f"{state}/*"
    data = denies["NoDataReads"]
    assert {"secretsmanager:GetSecretValue", "ssm:GetParameter"} <= set(data["Action"])
    assert {arn.rsplit(":secret:", 1)[1] for arn in data["NotResource"]} == {
        f"launchpad/*/{name}-*" for name in aws_access.GENERATED_SECRETS
    }
    assert (
        denies["NoDecryptOutsideStateAndGeneratedSecrets"]["NotResource"]
        == plan.one("aws:kms/key:Key").outputs["arn"]
    )


def test_with_pulumi_cloud_the_preview_role_reads_no_object_and_decrypts_only_generated_secrets(
    cloud_plan: Plan,
) -> None:
    assert cloud_plan.count("aws:s3/bucket:Bucket") == 0 and cloud_plan.count("aws:kms/key:Key") == 0
    denies = {
        s["Sid"]: s for s in _statements(cloud_plan, "github-launchpad-preview") if s["Effect"] == "Deny"
    }
    assert denies["NoObjectReadsOutsideState"]["Resource"] == "*"
    assert denies["NoDecryptOutsideStateAndGeneratedSecrets"]["Resource"] == "*"
    writes = [
        a
        for s in _statements(cloud_plan, "github-launchpad-preview")
        if s["Effect"] == "Allow"
        for a in _as_list(s["Action"])
        if a.startswith("s3:")
    ]
    assert writes == []


def test_generated_secret_names_are_the_ones_the_program_writes(dev: Plan) -> None:
    """The preview role may read back exactly the secrets the program writes versions of (a refresh reads
    them): if foundation.py renames one, the preview role must follow."""
    written = {v.inputs["secretId"] for v in dev.of_type("aws:secretsmanager/secretVersion:SecretVersion")}
    names = {dev.by_id(arn).inputs["name"].rsplit("/", 1)[1] for arn in written}
    assert names == set(aws_access.GENERATED_SECRETS)


def _iam_resources(plan: Plan, role: str) -> list[str]:
    return [
        r
        for s in _statements(plan, role)
        if s["Effect"] == "Allow" and any(a.startswith("iam:") for a in _as_list(s["Action"]))
        for r in _as_list(s["Resource"])
    ]


SCOPES = [
    (
        "github-launchpad-deploy-dev",
        ["launchpad-dev-web-role-1a2b3c4", "launchpad-pr-12-x"],
        ["launchpad-prod-x"],
    ),
    (
        "github-launchpad-deploy-prod",
        ["launchpad-prod-web-role-1a2b3c4"],
        ["launchpad-dev-x", "launchpad-pr-1-x"],
    ),
]


@pytest.mark.parametrize(("role", "mine", "not_mine"), SCOPES)
def test_deploy_roles_manage_iam_only_under_their_stacks_names(
    plan: Plan, role: str, mine: list, not_mine: list
) -> None:
    resources = _iam_resources(plan, role)
    arn = "arn:aws:iam::123456789012:role/{}"
    assert all(any(fnmatch.fnmatchcase(arn.format(n), r) for r in resources) for n in mine)
    bootstrap_roles = [f"github-launchpad-{k}" for k in ("preview", "deploy-dev", "deploy-prod")]
    for name in [*not_mine, *bootstrap_roles]:
        assert not any(fnmatch.fnmatchcase(arn.format(name), r) for r in resources), name


@pytest.mark.parametrize("role", ["github-launchpad-deploy-dev", "github-launchpad-deploy-prod"])
def test_deploy_roles_pass_roles_only_to_the_services_that_run_them(plan: Plan, role: str) -> None:
    [passing] = [s for s in _statements(plan, role) if "iam:PassRole" in _as_list(s["Action"])]
    assert all(r.split(":role/")[1].startswith("launchpad-") for r in _as_list(passing["Resource"]))
    assert "ecs-tasks.amazonaws.com" in passing["Condition"]["StringEquals"]["iam:PassedToService"]
    for statement in _statements(plan, role):
        actions = _as_list(statement["Action"])
        assert "*" not in actions and "*:*" not in actions and "iam:*" not in actions


# The deploy roles are the deployer's own powers: creating resources whose ids do not exist yet takes
# grouped verbs on "*", and deploying IAM takes iam:PutRolePolicy on the stacks' roles. Those rules are
# advisory for the bootstrap (bootstrap/policy-config.json), so their findings stay in every preview; they
# may name only the resources below. Budgets and cost tags are about a stack's spend, not this project's.
DEPLOYER_POLICIES = ("github-launchpad-deploy-", "github-launchpad-preview-preview-boundaries")
EXPECTED_ADVISORIES = {
    "iam-scoped-resources": DEPLOYER_POLICIES,
    "iam-no-escalation-or-exfiltration": DEPLOYER_POLICIES,
    "gcp-secret-access-per-secret": ("github-deploy-secretmanager-admin",),
    "s3-access-logging": ("launchpad-pulumi-state-",),  # advisory by default; CloudTrail sees state reads
}


def test_the_plan_passes_the_policy_pack_and_every_deploy_constraint(plan: Plan, cloud_plan: Plan) -> None:
    config = json.loads((BOOTSTRAP / "policy-config.json").read_text())
    validate_pack_config(config)
    for run in (plan.run, cloud_plan.run):
        found = check(run, config)
        assert mandatory(found) == []
        for v in found:
            name = v.resource.rsplit("::", 1)[-1]
            assert name.startswith(EXPECTED_ADVISORIES.get(v.policy, ("-",))), (v.policy, name)


def test_gcp_provider_admits_only_this_repositorys_main_branch(plan: Plan) -> None:
    provider = plan.one("gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider")
    assert (
        provider.inputs["attributeCondition"]
        == f'assertion.repository == "{REPO}" && assertion.ref == "refs/heads/main"'
    )
    assert provider.inputs["oidc"] == {"issuerUri": f"https://{ISSUER}"}
    assert provider.inputs["attributeMapping"]["attribute.repository"] == "assertion.repository"


def test_the_deploy_service_account_is_impersonable_by_this_repository_only(plan: Plan) -> None:
    [binding] = plan.of_type("gcp:serviceaccount/iAMMember:IAMMember")
    pool = plan.one("gcp:iam/workloadIdentityPool:WorkloadIdentityPool").outputs["name"]
    assert binding.inputs["role"] == "roles/iam.workloadIdentityUser"
    assert binding.inputs["member"] == f"principalSet://iam.googleapis.com/{pool}/attribute.repository/{REPO}"
    account = plan.one("gcp:serviceaccount/account:Account")
    assert binding.inputs["serviceAccountId"] == account.outputs["name"]
    granted = {m.inputs["role"] for m in plan.of_type("gcp:projects/iAMMember:IAMMember")}
    assert granted == set(gcp_access.DEPLOY_ROLES)


def test_outputs_are_the_repository_variables_the_workflows_read(plan: Plan) -> None:
    variables = plan.outputs["repository_variables"]
    text = "\n".join(w.read_text() for w in (REPO_ROOT / ".github" / "workflows").glob("*.yml"))
    read = set(re.findall(r"vars\.([A-Z_]+)", text))
    # The workflows read per-environment variables and the Pulumi Cloud organization (docs/delivery.md);
    # which bootstrap output fills which environment's variable is the bootstrap's half of issue 19.
    assert read == PER_ENVIRONMENT_VARIABLES | REPOSITORY_VARIABLES
    assert variables["AWS_PREVIEW_ROLE_ARN"] == plan.named("github-launchpad-preview").outputs["arn"]
    assert variables["PULUMI_BACKEND_URL"].startswith("s3://launchpad-pulumi-state-")
    assert variables["PULUMI_SECRETS_PROVIDER"] == "awskms://alias/launchpad-pulumi-state?region=us-east-1"
    assert variables["GCP_WORKLOAD_IDENTITY_PROVIDER"].endswith("/providers/launchpad-github")


def test_bad_bootstrap_config_is_refused_naming_every_key() -> None:
    with pytest.raises(ConfigError) as caught:
        bootstrap_plan(
            githubRepository="launchpad", gcpPoolId="gcp-pool", devStacks=["prod"], stateBackend="disk"
        )
    keys = {p.split(":")[1] for p in caught.value.problems}
    assert keys == {"githubRepository", "gcpPoolId", "prodStacks", "stateBackend"}


def test_the_sample_stack_file_is_what_the_cli_accepts() -> None:
    values = load_stack_config("example", root=BOOTSTRAP).values
    assert values["launchpad-bootstrap:githubRepository"] == REPO
    assert Path(BOOTSTRAP / "Pulumi.yaml").read_text().count("virtualenv: ../.venv") == 1
