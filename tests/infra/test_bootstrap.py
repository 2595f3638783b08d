"""The bootstrap program under the same mocks, loader and policy review as the main program: who may assume
each identity (audience, exact `sub` in the form the repository uses), that preview identities only read their
own family, that deploy roles stay on their stacks' names, the GCP federation per environment, and the
variables each GitHub environment gets."""

from __future__ import annotations

import fnmatch
import json
import warnings
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from parliament import expand_action, iam_definition

from bootstrap import aws_access
from offline.policy_check import check, mandatory, validate_pack_config
from offline.stack_files import REPO_ROOT, load_stack_config
from stack_config import ConfigError
from tests.infra.bootstrap_plan import (
    BOOTSTRAP,
    IMMUTABLE,
    ISSUER,
    REPO,
    as_list,
    bootstrap_plan,
    cloud_plan,
    plan,
    statements,
    trust,
)
from tests.infra.plan_query import Plan

__all__ = ["cloud_plan", "plan"]  # the shared module-scoped fixtures

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
    statement = trust(plan, role)
    provider = plan.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider")
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert statement["Principal"] == {"Federated": provider.outputs["arn"]}
    assert set(statement["Condition"]) == {"StringEquals"}  # exact matches, no StringLike wildcards
    conditions = statement["Condition"]["StringEquals"]
    assert conditions[f"{ISSUER}:aud"] == "sts.amazonaws.com"
    expected = {f"repo:{IMMUTABLE}:environment:{env}" for env in ENVIRONMENTS[role]}
    assert set(as_list(conditions[f"{ISSUER}:sub"])) == expected


def test_a_repository_on_the_name_form_is_trusted_in_that_form_only() -> None:
    named = bootstrap_plan(githubSubjectForm="name", gcpEnabled=False)
    subjects = as_list(
        trust(named, "github-launchpad-deploy-prod")["Condition"]["StringEquals"][f"{ISSUER}:sub"]
    )
    assert subjects == [f"repo:{REPO}:environment:prod"]


def test_a_subject_prefix_read_off_github_is_trusted_verbatim() -> None:
    exact = bootstrap_plan(githubSubjectPrefix="example-org@1234567/launchpad@987654321", gcpEnabled=False)
    statement = trust(exact, "github-launchpad-deploy-prod")["Condition"]["StringEquals"]
    assert as_list(statement[f"{ISSUER}:sub"]) == [
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
    assert trust(reused, "github-launchpad-deploy-prod")["Principal"] == {"Federated": arn}


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
    allowed = [s for s in statements(plan, role) if s["Effect"] == "Allow"]
    assert allowed
    for statement in allowed:
        for action in as_list(statement["Action"]):
            levels = _access_levels(action)
            assert levels <= {"Read", "List"} or action.lower() in PREVIEW_WRITES, (action, levels)


def test_managed_policies_are_aws_read_only_for_previews_and_a_services_policy_of_each_deploy_roles_own(
    plan: Plan,
) -> None:
    attachments = plan.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    account = "arn:aws:iam::123456789012:policy"
    assert sorted((a.inputs["role"], a.inputs["policyArn"]) for a in attachments) == [
        ("github-launchpad-deploy-dev", f"{account}/github-launchpad-deploy-dev-services"),
        ("github-launchpad-deploy-prod", f"{account}/github-launchpad-deploy-prod-services"),
        ("github-launchpad-preview-dev", "arn:aws:iam::aws:policy/ReadOnlyAccess"),
        ("github-launchpad-preview-prod", "arn:aws:iam::aws:policy/ReadOnlyAccess"),
    ]
    # Outside `launchpad-<stack>-*`, the only policies the deploy roles may edit: none can widen itself.
    assert all(not p.inputs["name"].startswith("launchpad-") for p in plan.of_type("aws:iam/policy:Policy"))
    record = json.loads((REPO_ROOT / "launchpad" / "access" / "data" / "ReadOnlyAccess.json").read_text())
    assert record["arn"] == aws_access.READ_ONLY_POLICY and "v178" in record["_source"]


def test_preview_roles_read_only_their_own_familys_state_objects_and_generated_secrets(plan: Plan) -> None:
    state = plan.one("aws:s3/bucket:Bucket").outputs["arn"]
    denies = {s["Sid"]: s for s in statements(plan, "github-launchpad-preview-dev") if s["Effect"] == "Deny"}
    objects = as_list(denies["NoObjectReadsOutsideOwnState"]["NotResource"])
    assert f"{state}/.pulumi/*/launchpad/dev.json*" in objects
    assert not any(fnmatch.fnmatchcase(f"{state}/.pulumi/stacks/launchpad/prod.json", o) for o in objects)
    secrets = as_list(denies["NoDataReads"]["NotResource"])
    assert {arn.rsplit(":secret:", 1)[1] for arn in secrets} == {
        f"launchpad/{stack}/{name}-*" for stack in ("dev", "pr-*") for name in aws_access.GENERATED_SECRETS
    }


def test_with_pulumi_cloud_the_preview_roles_read_no_object_and_decrypt_only_generated_secrets(
    cloud_plan: Plan,
) -> None:
    assert cloud_plan.count("aws:s3/bucket:Bucket") == 0 and cloud_plan.count("aws:kms/key:Key") == 0
    denies = {
        s["Sid"]: s for s in statements(cloud_plan, "github-launchpad-preview-prod") if s["Effect"] == "Deny"
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
        for s in statements(plan, role)
        if s["Effect"] == "Allow" and any(a.startswith("iam:") for a in as_list(s["Action"]))
        for r in as_list(s["Resource"])
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
    [passing] = [s for s in statements(plan, role) if "iam:PassRole" in as_list(s["Action"])]
    assert all(r.split(":role/")[1].startswith("launchpad-") for r in as_list(passing["Resource"]))
    assert "ecs-tasks.amazonaws.com" in passing["Condition"]["StringEquals"]["iam:PassedToService"]
    for statement in statements(plan, role):
        actions = as_list(statement["Action"])
        assert "*" not in actions and "*:*" not in actions and "iam:*" not in actions


def test_deploy_roles_touch_rds_managed_secrets_but_never_their_values(plan: Plan) -> None:
    [rds] = [
        s
        for s in statements(plan, "github-launchpad-deploy-dev")
        if s.get("Sid") == "RdsManagedMasterSecrets"
    ]
    assert as_list(rds["Resource"]) == ["arn:aws:secretsmanager:*:123456789012:secret:rds!db-*"]
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
