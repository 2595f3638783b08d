"""What `launchpad verify`, `secrets` and `token-sync` read from a stack: its outputs name the real
resources, and `syncedTokenProvider` reaches the tasks only when set."""

from __future__ import annotations

import pytest

from app import contract
from offline.policy_check import review
from tests.infra.conftest import GCP_PROJECT, plan_with
from tests.infra.ecs_plan import ROLES, app_container
from tests.infra.monitoring_plan import alarms
from tests.infra.plan_query import Plan


def test_alarm_names_are_every_alarm_of_the_stack(stack_plan: Plan) -> None:
    metric = {r.outputs["name"] for r in alarms(stack_plan).values()}
    composite = stack_plan.one("aws:cloudwatch/compositeAlarm:CompositeAlarm").inputs["alarmName"]
    assert sorted(stack_plan.outputs["alarm_names"]) == sorted(metric | {composite})


def test_the_target_group_and_environment_are_exported(stack_plan: Plan) -> None:
    group = stack_plan.one("aws:lb/targetGroup:TargetGroup")
    assert stack_plan.outputs["target_group_arn"] == group.outputs["arn"]
    env = {e["name"]: e["value"] for e in app_container(stack_plan, "web")["environment"]}
    assert stack_plan.outputs["deployment_env"] == env[contract.ENV.DEPLOYMENT_ENV]


def test_the_public_alb_edge_exports_its_target_group_too() -> None:
    plan = plan_with("dev", {"edge": "alb"})
    assert plan.outputs["target_group_arn"] == plan.one("aws:lb/targetGroup:TargetGroup").outputs["arn"]


def test_cloud_run_and_its_secrets_are_exported(gcp_stack_plan: Plan) -> None:
    service = gcp_stack_plan.one("gcp:cloudrunv2/service:Service")
    outputs = gcp_stack_plan.outputs
    assert (outputs["gcp_project"], outputs["gcp_region"]) == (GCP_PROJECT, service.inputs["location"])
    assert outputs["gcp_service_name"] == service.outputs["name"]
    secrets = {r.inputs["secretId"] for r in gcp_stack_plan.of_type("gcp:secretmanager/secret:Secret")}
    # The app's secrets (set out of band) and the data tier's logins (written by the stack), apart.
    assert set(outputs["gcp_secret_ids"].values()) | set(outputs["gcp_data_secret_ids"].values()) == secrets
    assert set(outputs["gcp_secret_ids"]) == {
        "huggingface-api-key",
        "gemini-api-key",
        "anthropic-api-key",
        "api-keys",
    }


def test_no_synced_token_provider_unless_the_stack_says(stack_plan: Plan) -> None:
    for role in ROLES:
        names = {e["name"] for e in app_container(stack_plan, role)["environment"]}
        assert contract.ENV.SYNCED_TOKEN_PROVIDER not in names
    assert stack_plan.outputs["synced_token_provider"] == ""


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_a_synced_token_provider_reaches_every_task_and_passes_the_policies(stack: str) -> None:
    plan = plan_with(stack, {"syncedTokenProvider": "huggingface"})
    for role in ROLES:
        env = {e["name"]: e["value"] for e in app_container(plan, role)["environment"]}
        assert env[contract.ENV.SYNCED_TOKEN_PROVIDER] == "huggingface", role
    assert plan.outputs["synced_token_provider"] == "huggingface"
    # A provider's name is not a secret: the no-secrets-in-environment rule lets it through, and the
    # stack keeps its findings (prod: none at all).
    violations = review(plan.run).violations
    assert not [v for v in violations if v.policy == "ecs-no-secrets-in-environment"]
    assert not [v for v in violations if v.level == "mandatory"]
    if stack == "prod":
        assert violations == []
