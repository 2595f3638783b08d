"""The bootstrap program under the same mocks, loader and policy review as the main program: who may assume
each identity (audience, exact `sub` in the form the repository uses), that preview identities only read their
own family, that deploy roles stay on their stacks' names, the GCP federation per environment, and the
variables each GitHub environment gets."""

from __future__ import annotations

import fnmatch
import json
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from parliament import expand_action, iam_definition

from bootstrap import aws_access, gcp_access
from offline.lifecycle import destroy_blockers
from offline.policy_check import check, mandatory, validate_pack_config
from offline.program import run_program
from offline.stack_files import REPO_ROOT, load_stack_config
from stack_config import ConfigError
from tests.delivery.workflow_model import REPOSITORY_VARIABLES, all_job_runs, uses_credentials
from tests.delivery.workflow_model import action as action_of
from tests.infra.plan_query import Plan

BOOTSTRAP = REPO_ROOT / "bootstrap"
REPO = "example-org/launchpad"  # the shipped sample's repository, owner id 1234567, repository id 987654321
IMMUTABLE = "example-org-1234567/launchpad-987654321"
ISSUER = "token.actions.githubusercontent.com"
BILLING_ACCOUNT = "012345-6789AB-CDEF01"


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


def _statements(plan: Plan, role: str) -> list[dict[str, Any]]:
    return [
        s
        for p in plan.of_type("aws:iam/rolePolicy:RolePolicy")
        if p.inputs["role"] == role
        for s in json.loads(p.inputs["policy"])["Statement"]
    ]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


ENVIRONMENTS = {
    "github-launchpad-deploy-dev": ("dev", "review"),
    "github-launchpad-preview-dev": ("dev-preview",),
    "github-launchpad-deploy-prod": ("prod",),
    "github-launchpad-preview-prod": ("prod-preview",),
}


@pytest.mark.parametrize("role", sorted(ENVIRONMENTS))
def test_each_role_trusts_exactly_its_environments_in_the_immutable_sub_form(plan: Plan, role: str) -> None:
    """Repositories created after 2026-06-18 send `repo:<owner>-<id>/<name>-<id>:...` (GitHub changelog
    2026-04-23): a trust on the name form alone refuses every token of such a repository."""
    statement = _trust(plan, role)
    provider = plan.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider")
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert statement["Principal"] == {"Federated": provider.outputs["arn"]}
    assert set(statement["Condition"]) == {"StringEquals"}  # exact matches, no StringLike wildcards
    conditions = statement["Condition"]["StringEquals"]
    assert conditions[f"{ISSUER}:aud"] == "sts.amazonaws.com"
    expected = {f"repo:{IMMUTABLE}:environment:{env}" for env in ENVIRONMENTS[role]}
    assert set(_as_list(conditions[f"{ISSUER}:sub"])) == expected


def test_a_repository_on_the_name_form_is_trusted_in_that_form_only() -> None:
    named = bootstrap_plan(githubSubjectForm="name", gcpEnabled=False)
    subjects = _as_list(
        _trust(named, "github-launchpad-deploy-prod")["Condition"]["StringEquals"][f"{ISSUER}:sub"]
    )
    assert subjects == [f"repo:{REPO}:environment:prod"]


def test_a_subject_prefix_read_off_github_is_trusted_verbatim() -> None:
    exact = bootstrap_plan(githubSubjectPrefix="example-org@1234567/launchpad@987654321", gcpEnabled=False)
    statement = _trust(exact, "github-launchpad-deploy-prod")["Condition"]["StringEquals"]
    assert _as_list(statement[f"{ISSUER}:sub"]) == [
        "repo:example-org@1234567/launchpad@987654321:environment:prod"
    ]


def test_the_oidc_provider_is_githubs_with_the_sts_audience(plan: Plan) -> None:
    provider = plan.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider")
    assert provider.inputs["url"] == f"https://{ISSUER}"
    assert provider.inputs["clientIdLists"] == ["sts.amazonaws.com"]


def test_an_existing_oidc_provider_is_reused_not_duplicated() -> None:
    arn = f"arn:aws:iam::123456789012:oidc-provider/{ISSUER}"
    reused = bootstrap_plan(existingOidcProviderArn=arn)
    assert reused.count("aws:iam/openIdConnectProvider:OpenIdConnectProvider") == 0
    assert _trust(reused, "github-launchpad-deploy-prod")["Principal"] == {"Federated": arn}


def test_an_account_of_its_own_for_prod_creates_only_prods_identities() -> None:
    prod_only = bootstrap_plan(families=["prod"])
    roles = {r.inputs["name"] for r in prod_only.of_type("aws:iam/role:Role")}
    assert roles == {"github-launchpad-deploy-prod", "github-launchpad-preview-prod"}
    assert set(prod_only.outputs["environment_variables"]) == {"prod", "prod-preview"}
    accounts = {a.inputs["accountId"] for a in prod_only.of_type("gcp:serviceaccount/account:Account")}
    assert accounts == {"launchpad-deploy-prod", "launchpad-preview-prod"}


def _access_levels(action: str) -> set[str]:
    """IAM's access level of every action `action` names (wildcards expanded), from parliament's copy of
    the IAM service reference."""
    levels = {
        (service["prefix"], privilege["privilege"]): privilege["access_level"]
        for service in iam_definition
        for privilege in service["privileges"]
    }
    return {levels[(found["service"], found["action"])] for found in expand_action(action)}


# kms:Decrypt is a Write-level action in IAM's reference; a preview decrypts state and generated secrets.
PREVIEW_WRITES = {"kms:decrypt"}


@pytest.mark.parametrize("role", ["github-launchpad-preview-dev", "github-launchpad-preview-prod"])
def test_preview_roles_allow_only_reads_and_decrypt(plan: Plan, role: str) -> None:
    """A preview and `refresh --preview-only` write nothing to the S3 backend, not even a lock
    (pulumi/pulumi pkg/backend/diy/backend.go: no b.Lock on those paths, no checkpoint on a dry run)."""
    allowed = [s for s in _statements(plan, role) if s["Effect"] == "Allow"]
    assert allowed
    for statement in allowed:
        for action in _as_list(statement["Action"]):
            levels = _access_levels(action)
            assert levels <= {"Read", "List"} or action.lower() in PREVIEW_WRITES, (action, levels)


def test_preview_roles_managed_policy_is_aws_read_only_of_which_a_copy_is_evaluated(plan: Plan) -> None:
    attachments = plan.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    assert sorted((a.inputs["role"], a.inputs["policyArn"]) for a in attachments) == [
        ("github-launchpad-preview-dev", "arn:aws:iam::aws:policy/ReadOnlyAccess"),
        ("github-launchpad-preview-prod", "arn:aws:iam::aws:policy/ReadOnlyAccess"),
    ]
    record = json.loads((REPO_ROOT / "launchpad" / "access" / "data" / "ReadOnlyAccess.json").read_text())
    assert record["arn"] == aws_access.READ_ONLY_POLICY and "v178" in record["_source"]


def test_preview_roles_read_only_their_own_familys_state_objects_and_generated_secrets(plan: Plan) -> None:
    state = plan.one("aws:s3/bucket:Bucket").outputs["arn"]
    denies = {s["Sid"]: s for s in _statements(plan, "github-launchpad-preview-dev") if s["Effect"] == "Deny"}
    objects = _as_list(denies["NoObjectReadsOutsideOwnState"]["NotResource"])
    assert f"{state}/.pulumi/*/launchpad/dev.json*" in objects
    assert not any(fnmatch.fnmatchcase(f"{state}/.pulumi/stacks/launchpad/prod.json", o) for o in objects)
    secrets = _as_list(denies["NoDataReads"]["NotResource"])
    assert {arn.rsplit(":secret:", 1)[1] for arn in secrets} == {
        f"launchpad/{stack}/{name}-*" for stack in ("dev", "pr-*") for name in aws_access.GENERATED_SECRETS
    }


def test_with_pulumi_cloud_the_preview_roles_read_no_object_and_decrypt_only_generated_secrets(
    cloud_plan: Plan,
) -> None:
    assert cloud_plan.count("aws:s3/bucket:Bucket") == 0 and cloud_plan.count("aws:kms/key:Key") == 0
    denies = {
        s["Sid"]: s for s in _statements(cloud_plan, "github-launchpad-preview-prod") if s["Effect"] == "Deny"
    }
    assert denies["NoObjectReadsOutsideOwnState"]["Resource"] == "*"
    assert denies["NoDecryptOutsideStateAndGeneratedSecrets"]["Resource"] == "*"


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
    ("github-launchpad-deploy-dev", ["launchpad-dev-web-1a2b3c4", "launchpad-pr-12-x"], ["launchpad-prod-x"]),
    ("github-launchpad-deploy-prod", ["launchpad-prod-web-1a2b3c4"], ["launchpad-dev-x", "launchpad-pr-1-x"]),
]


@pytest.mark.parametrize(("role", "mine", "not_mine"), SCOPES)
def test_deploy_roles_manage_iam_only_under_their_stacks_names(
    plan: Plan, role: str, mine: list, not_mine: list
) -> None:
    resources = _iam_resources(plan, role)
    arn = "arn:aws:iam::123456789012:role/{}"
    assert all(any(fnmatch.fnmatchcase(arn.format(n), r) for r in resources) for n in mine)
    for name in [*not_mine, *ENVIRONMENTS]:
        assert not any(fnmatch.fnmatchcase(arn.format(name), r) for r in resources), name


@pytest.mark.parametrize("role", ["github-launchpad-deploy-dev", "github-launchpad-deploy-prod"])
def test_deploy_roles_pass_roles_only_to_the_services_that_run_them(plan: Plan, role: str) -> None:
    [passing] = [s for s in _statements(plan, role) if "iam:PassRole" in _as_list(s["Action"])]
    assert all(r.split(":role/")[1].startswith("launchpad-") for r in _as_list(passing["Resource"]))
    assert "ecs-tasks.amazonaws.com" in passing["Condition"]["StringEquals"]["iam:PassedToService"]
    for statement in _statements(plan, role):
        actions = _as_list(statement["Action"])
        assert "*" not in actions and "*:*" not in actions and "iam:*" not in actions


def test_deploy_roles_touch_rds_managed_secrets_but_never_their_values(plan: Plan) -> None:
    [rds] = [
        s
        for s in _statements(plan, "github-launchpad-deploy-dev")
        if s.get("Sid") == "RdsManagedMasterSecrets"
    ]
    assert _as_list(rds["Resource"]) == ["arn:aws:secretsmanager:*:123456789012:secret:rds!db-*"]
    assert not {"secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"} & set(rds["Action"])


# The deploy roles are the deployer's own powers: creating resources whose ids do not exist yet takes
# grouped verbs on "*", and deploying IAM takes iam:PutRolePolicy on the stacks' roles. Those rules are
# advisory for the bootstrap (bootstrap/policy-config.json), so their findings stay in every preview; they
# may name only the resources below. Budgets and cost tags are about a stack's spend, not this project's.
DEPLOYER_POLICIES = ("github-launchpad-deploy-", "github-launchpad-preview-")
EXPECTED_ADVISORIES = {
    "iam-scoped-resources": DEPLOYER_POLICIES,
    "iam-no-escalation-or-exfiltration": DEPLOYER_POLICIES,
    "gcp-secret-access-per-secret": ("launchpad-deploy-",),
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


def test_gcp_deploy_identities_hold_the_deploy_roles_and_preview_ones_only_viewer_roles(plan: Plan) -> None:
    assert _roles_of(plan, "launchpad-deploy-prod") == set(gcp_access.DEPLOY_ROLES)
    viewer = _roles_of(plan, "launchpad-preview-prod")
    assert viewer == set(gcp_access.PREVIEW_ROLES)
    assert all(role.endswith(("viewer", "Viewer", "reader")) for role in viewer)


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


def test_each_environment_gets_its_own_variables(plan: Plan) -> None:
    variables = plan.outputs["environment_variables"]
    assert set(variables) == {"dev", "review", "dev-preview", "prod", "prod-preview"}
    roles = {env: v["AWS_ROLE_ARN"].rsplit("/", 1)[1] for env, v in variables.items()}
    assert roles == {
        "dev": "github-launchpad-deploy-dev",
        "review": "github-launchpad-deploy-dev",
        "dev-preview": "github-launchpad-preview-dev",
        "prod": "github-launchpad-deploy-prod",
        "prod-preview": "github-launchpad-preview-prod",
    }
    assert variables["prod-preview"]["GCP_SERVICE_ACCOUNT"].startswith("launchpad-preview-prod@")
    assert "GCP_SERVICE_ACCOUNT" not in variables["review"]  # pull-request branches: Google admits only main
    assert (
        variables["prod"]["PULUMI_SECRETS_PROVIDER"]
        == "awskms://alias/launchpad-pulumi-state?region=us-east-1"
    )


def test_the_backend_url_makes_the_cli_send_the_encryption_headers_the_bucket_demands(plan: Plan) -> None:
    """The state bucket's policy refuses uploads without SSE-KMS by its key; gocloud's s3blob sends those
    headers only when the URL sets ssetype and kmskeyid (google/go-cloud s3blob.go:120-160, 794-797)."""
    url = urlparse(plan.outputs["environment_variables"]["dev"]["PULUMI_BACKEND_URL"])
    query = parse_qs(url.query)
    key = plan.one("aws:kms/key:Key").outputs["arn"]
    assert url.scheme == "s3" and url.netloc.startswith("launchpad-pulumi-state-")
    assert query["ssetype"] == ["aws:kms"] and query["kmskeyid"] == [key] and query["awssdk"] == ["v2"]
    policy = json.loads(plan.one("aws:s3/bucketPolicy:BucketPolicy").inputs["policy"])
    demanded = {
        s["Sid"]: s["Condition"]["StringNotEqualsIfExists"]
        for s in policy["Statement"]
        if s["Sid"] != "DenyInsecureTransport"
    }
    assert demanded["DenyOtherKeys"]["s3:x-amz-server-side-encryption-aws-kms-key-id"] == key


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
        assert subject in _as_list(_trust(plan, role)["Condition"]["StringEquals"][f"{ISSUER}:sub"]), (
            run.label
        )
        if any(action_of(s) == "google-github-actions/auth" for s in run.steps()):
            assert (accounts[have["GCP_SERVICE_ACCOUNT"]], subject) in provider_bindings, run.label


def test_bad_bootstrap_config_is_refused_naming_every_key() -> None:
    with pytest.raises(ConfigError) as caught:
        bootstrap_plan(
            githubRepository="launchpad",
            githubRepositoryId=0,
            githubSubjectForm="ids",
            gcpPoolId="gcp-pool",
            devStacks=["prod"],
            stateBackend="disk",
            prodPreviewEnvironment="prod",
            gcpBillingAccount="billing",
            githubSubjectPrefix="repo:x",
        )
    keys = {p.split(":")[1] for p in caught.value.problems}
    assert keys == {
        "githubRepository", "githubRepositoryId", "githubSubjectForm", "gcpPoolId", "prodStacks",
        "stateBackend", "prodPreviewEnvironment", "gcpBillingAccount", "githubSubjectPrefix",
    }  # fmt: skip


@pytest.mark.parametrize("families", [["staging"], [], ["dev", "dev"]])
def test_families_must_be_dev_or_prod_each_once(families: list[str]) -> None:
    with pytest.raises(ConfigError, match="launchpad-bootstrap:families"):
        bootstrap_plan(families=families)


def test_the_sample_stack_file_is_what_the_cli_accepts() -> None:
    values = load_stack_config("example", root=BOOTSTRAP).values
    assert values["launchpad-bootstrap:githubRepository"] == REPO
    assert Path(BOOTSTRAP / "Pulumi.yaml").read_text().count("virtualenv: ../.venv") == 1
