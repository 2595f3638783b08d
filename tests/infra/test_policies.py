"""The CrossGuard pack: the real stacks pass, each rule catches what it guards and lets the right thing
through, and the pack starts as the CLI starts it."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import pytest

from offline.policy_check import Violation, check, load_pack_config, mandatory
from offline.program import ProgramRun
from offline.stack_files import REPO_ROOT
from policies.deploy import DEPLOY_POLICIES
from policies.rules import POLICIES, SECURITY_POLICIES
from policies.tagging import GCP_LABELABLE
from tests.infra.conftest import plan_with
from tests.infra.plan_query import Plan
from tests.infra.policy_cases import CASES
from tests.infra.policy_plans import SNS_ARN

PROD = load_pack_config("prod")


def _found(rule: str, plan: list) -> list[Violation]:
    return [v for v in check(ProgramRun("prod", plan, {}, []), PROD) if v.policy == rule]


def test_every_rule_has_a_failing_and_a_passing_case() -> None:
    assert set(CASES) == {p.name for p in SECURITY_POLICIES}


@pytest.mark.parametrize("rule", sorted(CASES))
def test_the_rule_reports_its_failing_case(rule: str) -> None:
    found = _found(rule, CASES[rule][0]())
    assert found and not any(v.message.startswith("unknown until apply") for v in found), rule


@pytest.mark.parametrize("rule", sorted(CASES))
def test_the_rule_passes_its_passing_case(rule: str) -> None:
    assert _found(rule, CASES[rule][1]()) == []


def test_the_pack_has_at_least_45_catalogue_and_stack_rules_besides_deploy_constraints() -> None:
    assert len(SECURITY_POLICIES) >= 45 and len(POLICIES) == len(SECURITY_POLICIES) + len(DEPLOY_POLICIES)


def test_prod_has_no_finding(prod: Plan) -> None:
    assert check(prod.run) == []


def test_prod_with_gcp_has_no_finding_and_its_labels_come_from_the_provider(prod_gcp: Plan) -> None:
    assert check(prod_gcp.run) == []
    run = copy.deepcopy(prod_gcp.run)
    for provider in (r for r in run.resources if r.type == "pulumi:providers:gcp"):
        provider.inputs.pop("defaultLabels")
    flagged = {v.resource.rsplit("::", 1)[-1] for v in check(run) if v.policy == "stack-cost-tags"}
    labelable = {r.name for r in run.resources if r.type in GCP_LABELABLE}
    assert labelable and flagged == labelable


def test_dev_is_told_what_it_gives_up_but_not_blocked(dev: Plan) -> None:
    found = check(dev.run)
    assert found and mandatory(found) == []
    assert {"rds-multi-az", "elasticache-automatic-failover", "alb-access-logs"} <= {v.policy for v in found}


def test_prod_config_blocks_a_single_az_database_with_short_backups() -> None:
    plan = plan_with("prod", {"dbMultiAz": False, "dbBackupRetentionDays": 3})
    assert {v.policy for v in mandatory(check(plan.run))} == {"rds-multi-az", "rds-backup-retention"}


def test_prod_refuses_a_single_web_task_that_dev_allows() -> None:
    # stack_config refuses one task in production; a stack made from prod's file for staging is not.
    single = {"webMinCount": 1, "webDesiredCount": 1, "deploymentEnv": "development"}
    for stack, blocked in (("prod", True), ("dev", False)):
        plan = plan_with(stack, single)
        found = [v for v in mandatory(check(plan.run)) if v.policy == "stack-autoscaling-bounds"]
        assert bool(found) is blocked, stack


def test_a_public_http_listener_is_blocked_and_cloudfront_keeps_the_balancer_internal() -> None:
    plan = plan_with("dev", {"edge": "alb"})
    assert [v.policy for v in mandatory(check(plan.run))] == ["alb-https-listeners"]


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_public_task_ips_follow_the_stacks_pack_config(stack: str) -> None:
    from tests.infra.policy_plans import one

    plan = one("aws:ecs/service:Service", {"networkConfiguration": {"assignPublicIp": True}})()
    found = [
        v
        for v in check(ProgramRun(stack, plan, {}, []), load_pack_config(stack))
        if v.policy == "ecs-no-public-ip"
    ]
    assert bool(found) is not load_pack_config(stack)["ecs-no-public-ip"]["allowPublicIp"]


def test_the_pack_starts_as_the_cli_starts_it_from_any_directory(tmp_path: Path) -> None:
    # `python -m pulumi.policy <engine> <pack dir>` runs the pack's __main__ with runpy; constructing the
    # pack would serve gRPC forever, so the child swaps PolicyPack for a recorder.
    child = (
        "import runpy, sys, pulumi_policy\n"
        "pulumi_policy.PolicyPack = lambda **kw: print(kw['name'], len(kw['policies']))\n"
        f"runpy.run_path({str(REPO_ROOT / 'policies')!r}, run_name='__main__')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", child], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-1500:]
    assert result.stdout.split() == ["launchpad", str(len(POLICIES))]


SCALING_POLICY = (
    "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0:"
    "resource/ecs/service/c/worker:policyName/worker-scale-from-zero"
)


def test_an_alarm_that_only_drives_scaling_need_not_notify_but_must_be_enabled() -> None:
    from tests.infra.policy_plans import one

    alarm = "aws:cloudwatch/metricAlarm:MetricAlarm"
    assert _found("alarm-actions", one(alarm, {"alarmActions": [SCALING_POLICY]})()) == []
    disabled = one(alarm, {"alarmActions": [SCALING_POLICY], "actionsEnabled": False})()
    assert [v.message for v in _found("alarm-actions", disabled)] == ["its actions are disabled"]
    # A scaling alarm that also notifies is an ordinary alarm: it must say when it recovers.
    mixed = one(alarm, {"alarmActions": [SCALING_POLICY, SNS_ARN]})()
    assert any("okActions" in v.message for v in _found("alarm-actions", mixed))


def test_a_serving_service_on_spot_alone_is_told_in_dev_and_blocked_in_prod(dev: Plan) -> None:
    found = [v for v in check(dev.run) if v.policy == "ecs-serving-on-spot"]
    assert [(v.level, v.resource.endswith("-web-service")) for v in found] == [("advisory", True)]
    spot_web = plan_with("prod", {"webCapacity": "spot"})
    assert [v.policy for v in mandatory(check(spot_web.run))] == ["ecs-serving-on-spot"]
    assert [
        v for v in check(plan_with("prod", {"webCapacity": "mixed"}).run) if v.policy == "ecs-serving-on-spot"
    ] == []
