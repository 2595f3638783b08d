"""The permission closure: every stack variant the project ships or documents is deployable by the identities
the bootstrap creates, and the closure finds, on its own, each permission fault the pipeline review found
(issue 19, faults 1-8) once the fix is taken away."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from bootstrap import aws_access, deploy_permissions, gcp_access
from components.iam_policy import Condition
from launchpad import cli
from launchpad.access import aws_data, aws_evaluate
from launchpad.access.aws_requests import ROWS as AWS_ROWS
from launchpad.access.aws_requests import Request, governing_policy, plan_requests, resource_policies
from launchpad.access.closure import AccessReview, review_access, stack_region
from launchpad.access.gcp_closure import ROWS_BY_TYPE as GCP_ROWS
from launchpad.access.identities import Bootstrap, load_bootstrap
from launchpad.access.model import Need, Op, When, input_set, row
from offline.program import ProgramRun, run_program
from offline.stack_files import load_stack_config
from tests.infra.bootstrap_plan import BILLING_ACCOUNT
from tests.infra.conftest import GCP_PROJECT
from tests.infra.test_launchpad_formats import PLAN_SCHEMA

GCP = {"targets": ["aws", "gcp"], "gcp:project": GCP_PROJECT}
DOMAIN = {"domainName": "api.example.com", "hostedZoneId": "Z123456ABCDEFG"}
GCP_BUDGET = {"gcpBillingAccount": BILLING_ACCOUNT, "gcpMonthlyBudgetUsd": 100}
# Every variant the project ships or documents: dev, prod and a per-PR stack made from dev's file, with and
# without gcp, and with each optional feature on (WAF, anomaly monitor, cost-allocation tag, domain, budgets).
VARIANTS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "dev": ("dev", "dev", {}),
    "prod": ("prod", "prod", {}),
    "pr-12345": ("pr-12345", "dev", {}),
    "dev+gcp": ("dev", "dev", {**GCP, "cloudRunPublic": True, **GCP_BUDGET}),
    "prod+gcp": ("prod", "prod", {**GCP, **GCP_BUDGET}),
    "dev+features": (
        "dev", "dev",
        {"wafEnabled": True, "activateCostAllocationTag": True, "natStrategy": "single", "accessLogs": True,
         "flowLogRetentionDays": 30, **DOMAIN},
    ),
    "prod+features": (
        "prod", "prod",
        {"costAnomalyMonitor": "account", "alertHttpsEndpoint": "https://events.example.com/x", **DOMAIN},
    ),
    "prod+alb": ("prod", "prod", {"edge": "alb", **DOMAIN}),
}  # fmt: skip


@cache
def plan_of(variant: str) -> ProgramRun:
    stack, source, overrides = VARIANTS[variant]
    return run_program(stack, load_stack_config(source).with_overrides(overrides))


def only(run: ProgramRun, *types: str) -> ProgramRun:
    """The run with just these resource types, or type prefixes (and the providers): a fault's test evaluates
    what it is about."""
    kept = [r for r in run.resources if r.type.startswith((*types, "pulumi:providers:"))]
    return replace(run, resources=kept, calls=[])


@pytest.fixture(scope="module")
def bootstrap() -> Bootstrap:
    return load_bootstrap(overrides={"gcpBillingAccount": BILLING_ACCOUNT})


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_the_bootstraps_identities_can_deploy_and_preview_every_variant(
    bootstrap: Bootstrap, variant: str
) -> None:
    run = plan_of(variant)
    review = review_access(run, bootstrap, stack_region(run))
    assert review.family == ("prod" if run.stack == "prod" else "dev")
    assert review.uncovered_types == [] and not review.not_checked
    assert [g for g in review.gaps] == []
    uses = {(c.cloud, c.use) for c in review.coverages}
    assert {("aws", "deploy"), ("aws", "preview")} <= uses
    assert (("gcp", "deploy") in uses) == ("gcp" in variant)
    assert all(c.checked > (20 if c.cloud == "aws" else 5) for c in review.coverages)
    assert review.violations() == []


def test_a_review_stack_on_google_cloud_is_refused_for_the_credential_it_cannot_get(
    bootstrap: Bootstrap,
) -> None:
    """Review stacks deploy from pull-request branches; Google admits only main's tokens."""
    run = replace(only(plan_of("dev+gcp"), "gcp:"), stack="pr-12345")  # what decides is the stack's name
    review = review_access(run, bootstrap, stack_region(run))
    assert [(g.permission, g.result) for g in review.gaps] == [("a Google Cloud credential", "NotAdmitted")]
    assert [v.level for v in review.violations()] == ["mandatory"]


def test_every_planned_type_has_a_row_with_sources() -> None:
    planned = {r.type for v in ("dev+features", "prod+features", "prod+gcp") for r in plan_of(v).resources}
    for type_ in planned:
        if type_.startswith(("aws:", "gcp:")):
            rows = AWS_ROWS if type_.startswith("aws:") else GCP_ROWS
            assert rows[type_].sources, type_
    assert all(r.sources for r in (*AWS_ROWS.values(), *GCP_ROWS.values()))


@pytest.fixture
def rebuilt(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Patch the bootstrap's modules, then plan it again: the closure judges what the patch leaves."""
    yield monkeypatch


def _gaps(variant: str, *types: str, **bootstrap_overrides: Any) -> dict[str, list[str]]:
    run = only(plan_of(variant), *types) if types else plan_of(variant)
    review = review_access(run, load_bootstrap(overrides=bootstrap_overrides), stack_region(run))
    found: dict[str, list[str]] = {}
    for gap in review.gaps:
        found.setdefault(gap.permission, []).extend(gap.subjects)
    return found


def _without_verbs(monkeypatch: pytest.MonkeyPatch, service: str, verbs: set[str]) -> None:
    actions = dict(deploy_permissions.SERVICE_ACTIONS)
    actions[service] = tuple(v for v in actions[service] if v not in verbs)
    monkeypatch.setattr(deploy_permissions, "SERVICE_ACTIONS", actions)


def test_fault_1_the_rds_managed_secret_needs_the_callers_secrets_manager_rights(
    rebuilt: pytest.MonkeyPatch,
) -> None:
    original = deploy_permissions.data_statements

    def without_rds_secrets(*args: Any) -> list[Any]:
        return [s for s in original(*args) if s.sid != "RdsManagedMasterSecrets"]

    rebuilt.setattr(aws_access, "data_statements", without_rds_secrets)
    gaps = _gaps("dev", "aws:rds/instance:Instance")
    for permission in (
        "secretsmanager:CreateSecret",
        "secretsmanager:TagResource",
        "secretsmanager:RotateSecret",
    ):
        assert any(s.startswith("aws:rds/instance:Instance") for s in gaps[permission]), permission


def test_fault_2_a_budget_read_lists_its_tags(rebuilt: pytest.MonkeyPatch) -> None:
    _without_verbs(rebuilt, "budgets", {"ListTagsForResource", "UntagResource"})
    gaps = _gaps("dev", "aws:budgets/budget:Budget")
    assert gaps["budgets:ListTagsForResource"] and gaps["budgets:UntagResource"]


def test_fault_3_waf_logging_needs_the_log_delivery_rights(rebuilt: pytest.MonkeyPatch) -> None:
    _without_verbs(rebuilt, "wafv2", {"PutLoggingConfiguration"})
    _without_verbs(rebuilt, "logs", {"CreateLogDelivery", "DeleteLogDelivery", "PutResourcePolicy"})
    gaps = _gaps("prod", "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration")
    for permission in ("wafv2:PutLoggingConfiguration", "logs:CreateLogDelivery", "logs:PutResourcePolicy"):
        assert permission in gaps, permission


def test_an_encrypted_schedule_needs_the_key_through_scheduler_for_the_stacks_schedules_only(
    rebuilt: pytest.MonkeyPatch, bootstrap: Bootstrap
) -> None:
    original = deploy_permissions.data_statements

    def scheduler_key_for(schedules: str) -> Any:
        """The statement as shipped, but for schedules named `schedules` (another stack's)."""

        def statements(*args: Any) -> list[Any]:
            def narrowed(c: Condition) -> Condition:
                return replace(c, values=[schedules]) if "scheduler:schedule" in c.variable else c

            return [
                replace(s, conditions=[narrowed(c) for c in s.conditions])
                if s.sid == "KeysThroughSchedulerForStackSchedules"
                else s
                for s in original(*args)
            ]

        return statements

    rebuilt.setattr(
        aws_access,
        "data_statements",
        scheduler_key_for("arn:aws:scheduler:*:*:schedule/default/launchpad-dev-*"),
    )
    gaps = _gaps("prod", "aws:scheduler/schedule:Schedule", "aws:kms/key:Key")
    for permission in ("kms:GenerateDataKey", "kms:Decrypt"):
        assert any(s.startswith("aws:scheduler/schedule:Schedule") for s in gaps[permission]), permission
    shipped = only(plan_of("prod"), "aws:scheduler/schedule:Schedule", "aws:kms/key:Key")
    assert review_access(shipped, bootstrap, stack_region(shipped)).gaps == []  # planned before the patch


def test_the_edges_vended_access_logs_need_the_delivery_rights_and_cloudfronts_own_check(
    rebuilt: pytest.MonkeyPatch,
) -> None:
    _without_verbs(rebuilt, "cloudfront", {"AllowVendedLogDeliveryForResource"})
    _without_verbs(rebuilt, "logs", {"CreateDelivery", "PutDeliverySource"})
    gaps = _gaps("prod", "aws:cloudwatch/logDelivery", "aws:cloudfront/distribution")
    assert any("LogDeliverySource" in s for s in gaps["cloudfront:AllowVendedLogDeliveryForResource"])
    assert any("LogDeliverySource" in s for s in gaps["logs:PutDeliverySource"])
    assert any("logDelivery:LogDelivery" in s for s in gaps["logs:CreateDelivery"])
    # The CloudFront check is CloudFront's: another service's source does not ask for it.
    source = AWS_ROWS["aws:cloudwatch/logDeliverySource:LogDeliverySource"]
    asked = {n.permission for n in source.needs_for(Op.CREATE, {"resourceArn": "arn:aws:bedrock:x"})}
    assert "cloudfront:AllowVendedLogDeliveryForResource" not in asked


def test_fault_4_the_cost_anomaly_monitor_needs_ce_writes(rebuilt: pytest.MonkeyPatch) -> None:
    rebuilt.setattr(
        deploy_permissions,
        "SERVICE_ACTIONS",
        {
            **deploy_permissions.SERVICE_ACTIONS,
            "ce": ("Get*", "List*", "Describe*", "UpdateCostAllocationTagsStatus"),
        },
    )
    gaps = _gaps(
        "prod+features",
        "aws:costexplorer/anomalyMonitor:AnomalyMonitor",
        "aws:costexplorer/anomalySubscription:AnomalySubscription",
    )
    assert {"ce:CreateAnomalyMonitor", "ce:CreateAnomalySubscription", "ce:TagResource"} <= set(gaps)


def test_fault_5_gcp_monitoring_needs_a_monitoring_role(rebuilt: pytest.MonkeyPatch) -> None:
    rebuilt.setattr(
        gcp_access, "DEPLOY_ROLES", tuple(r for r in gcp_access.DEPLOY_ROLES if "monitoring" not in r)
    )
    gaps = _gaps("dev+gcp", "gcp:", gcpBillingAccount=BILLING_ACCOUNT)
    assert {"monitoring.alertPolicies.create", "monitoring.notificationChannels.create"} <= set(gaps)


def test_fault_6_the_cloud_resource_manager_api_is_a_checked_prerequisite(
    rebuilt: pytest.MonkeyPatch,
) -> None:
    rebuilt.setattr(gcp_access, "FOUNDATION_APIS", ("serviceusage.googleapis.com",))
    gaps = _gaps("dev+gcp", "gcp:", gcpBillingAccount=BILLING_ACCOUNT)
    assert "cloudresourcemanager.googleapis.com enabled before the deploy" in gaps


def test_fault_7_a_gcp_budget_needs_a_role_on_its_billing_account() -> None:
    gaps = _gaps("dev+gcp", "gcp:")  # the shipped sample bootstrap names no billing account
    assert "billing.budgets.create" in gaps
    other = _gaps("dev+gcp", "gcp:", gcpBillingAccount="ABCDEF-012345-6789AB")  # a grant on another account
    assert "billing.budgets.create" in other


def test_a_backend_url_without_the_encryption_headers_cannot_save_state(rebuilt: pytest.MonkeyPatch) -> None:
    from bootstrap.state_backend import StateBackend

    def bare_url(self: StateBackend, region: Any) -> Any:
        import pulumi

        return pulumi.Output.concat("s3://", self.bucket_name, "?region=", region, "&awssdk=v2")

    rebuilt.setattr(StateBackend, "backend_url", bare_url)
    run = only(plan_of("dev"), "aws:sns/topic:Topic")
    review = review_access(run, load_bootstrap(), stack_region(run))
    denied = {(g.permission, g.result) for g in review.gaps}
    assert ("s3:PutObject", "ExplicitlyDenied") in denied


def test_fault_11_a_pull_requests_preview_identity_cannot_read_prods_state_or_secrets(
    bootstrap: Bootstrap,
) -> None:
    """preview-dev is what any same-repository branch can reach (dev-preview allows every branch)."""
    state = bootstrap.access["state"]
    bucket = state["backendUrl"].split("?")[0].removeprefix("s3://")
    policies = resource_policies(bootstrap.run.resources)
    secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:launchpad/prod/{}-AbCdEf"
    probes = [
        ("s3:GetObject", f"arn:aws:s3:::{bucket}/.pulumi/stacks/launchpad/prod.json", {}),
        ("secretsmanager:GetSecretValue", secret.format("cache-auth-token"), {}),
        ("kms:Decrypt", "arn:aws:kms:us-east-1:123456789012:key/0b0e5c6e-1111-2222-3333-444455556666",
         {"kms:ViaService": "secretsmanager.us-east-1.amazonaws.com",
          "kms:EncryptionContext:SecretARN": secret.format("db-readonly")}),
        ("s3:GetObject", f"arn:aws:s3:::{bucket}/.pulumi/stacks/launchpad/dev.json", {}),  # its own
    ]  # fmt: skip
    identity = bootstrap.aws_identity("github-launchpad-preview-dev")
    requests = [
        Request(p, r, {"aws:SecureTransport": "true", **c}, "probe", Op.READ, f"probe|{p}",
                governing_policy(r, policies), ())
        for p, r, c in probes
    ]  # fmt: skip
    verdicts = aws_evaluate.evaluate([(identity, q) for q in requests], {k: d for k, d in policies.values()})
    assert [v.result for v in verdicts] == ["ExplicitlyDenied"] * 3 + ["Allowed"]


def test_a_stack_outside_us_east_1_is_judged_under_its_keys_policies(bootstrap: Bootstrap) -> None:
    """A key's requests name it in its provider's region; its policy must govern them there too."""
    run = only(
        run_program("dev", load_stack_config("dev").with_overrides({"aws:region": "eu-west-1"})), "aws:kms/"
    )
    planned = plan_requests(run.resources, run.calls, tuple(Op), stack_region(run))
    on_keys = [
        q for q in planned.requests if q.resource.startswith("arn:aws:kms:eu-west-1:123456789012:key/")
    ]
    assert on_keys and all(q.resource_policy for q in on_keys)
    assert review_access(run, bootstrap, stack_region(run)).gaps == []


def test_the_evaluator_refuses_a_row_naming_an_action_that_does_not_exist(
    bootstrap: Bootstrap, monkeypatch: pytest.MonkeyPatch
) -> None:
    typo = row(
        "aws:rds/subnetGroup:SubnetGroup",
        sources=("test",),
        arn="arn:{partition}:rds:{region}:{account}:subgrp:{output:name}",
        create=("rds:CreateDBSubnetGroups",),
    )
    monkeypatch.setitem(AWS_ROWS, typo.type, typo)
    run = only(plan_of("dev"), typo.type)
    review = review_access(run, bootstrap, stack_region(run))
    [gap] = [g for g in review.gaps if g.permission == "rds:CreateDBSubnetGroups"]
    assert gap.result == "Error" and "invalid.action" in gap.error


def test_a_planned_type_without_a_row_is_a_mandatory_finding(
    bootstrap: Bootstrap, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(AWS_ROWS, "aws:sns/topicPolicy:TopicPolicy")
    run = only(plan_of("dev"), "aws:sns/topicPolicy:TopicPolicy", "aws:sns/topic:Topic")
    review: AccessReview = review_access(run, bootstrap, stack_region(run))
    assert review.uncovered_types == ["aws:sns/topicPolicy:TopicPolicy"]
    assert [v.level for v in review.violations()] == ["mandatory"]


def test_a_stack_no_bootstrap_family_serves_is_reported_not_checked(bootstrap: Bootstrap) -> None:
    run = replace(plan_of("dev"), stack="staging")  # what decides is the stack's name
    review = review_access(run, bootstrap, stack_region(run))
    assert review.family == "" and review.coverages == []
    [violation] = review.violations()
    assert violation.level == "advisory" and "devStacks or prodStacks" in violation.message


def test_conditional_needs_follow_the_inputs() -> None:
    """The RDS secret's needs come with manageMasterUserPassword, not with every instance."""
    rds = AWS_ROWS["aws:rds/instance:Instance"]
    managed = {n.permission for n in rds.needs_for(Op.CREATE, {"manageMasterUserPassword": True})}
    plain = {n.permission for n in rds.needs_for(Op.CREATE, {"password": "x"})}
    assert "secretsmanager:CreateSecret" in managed - plain
    assert aws_data.MANAGED_MASTER_SECRET in rds.when
    extra = When(input_set("a.b"), "nested", {Op.READ: (Need("x:Y"),)})
    assert extra.applies({"a": {"b": 1}}) and not extra.applies({"a": {}})


def test_each_operation_asks_a_need_once() -> None:
    """A row may list its read among its create calls (the provider reads back after each): asked once, else
    it is checked, counted and named in a gap twice."""
    listed_twice = row("aws:x/y:Y", sources=("test",), arn="a", create=("x:Get",), read=("x:Get",))
    assert listed_twice.ops[Op.CREATE] == (Need("x:Get"),)
    for table in (AWS_ROWS, GCP_ROWS):
        for found in table.values():
            for op in Op:
                asked = found.needs_for(op, {})
                assert len(set(asked)) == len(asked), (found.type, op)


def test_requests_cover_every_resource_and_each_op() -> None:
    run = plan_of("dev")
    planned = plan_requests(run.resources, run.calls, tuple(Op), stack_region(run))
    subjects = {r.subject.split(" ")[1] for r in planned.requests if not r.subject.startswith("data source")}
    cloud = {r.name for r in run.resources if r.custom and r.type.startswith("aws:")}
    assert cloud <= subjects
    assert {r.op for r in planned.requests} == set(Op)


def test_launchpad_plan_reports_the_closure_and_fails_on_a_gap(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "plan.json"
    assert cli.main(["plan", "--stack", "dev", "--format", "json", "--out", str(out)]) == 0
    document = json.loads(out.read_text())
    jsonschema.Draft202012Validator(PLAN_SCHEMA).validate(document)
    identities = {(i["cloud"], i["use"]): i for i in document["deployIdentities"]["identities"]}
    assert identities[("aws", "deploy")]["identity"] == "github-launchpad-deploy-dev"
    assert identities[("aws", "deploy")]["checked"] > 1000 and identities[("aws", "preview")]["gaps"] == []
    _without_verbs(monkeypatch, "budgets", {"ListTagsForResource"})
    assert cli.main(["plan", "--stack", "dev", "--format", "markdown"]) == 1
    shown = capsys.readouterr().out
    assert "deploy-identity-coverage" in shown and "budgets:ListTagsForResource" in shown
    assert "github-launchpad-deploy-dev: 1" in shown and "missing" in shown
