"""Roles grant only what each workload does; scaling and the nightly schedule are wired to the app."""

from __future__ import annotations

import json

import pytest

from app import contract
from stack_config import parse_settings
from targets.cron import eventbridge_cron
from tests.infra.conftest import plan_with, raw_config
from tests.infra.ecs_plan import (
    ROLES,
    SCHEDULE,
    app_container,
    as_list,
    policy_of,
    role_policy,
    secret_arn,
    service,
    statement,
    task_definition,
)
from tests.infra.plan_query import Plan

POLICY = "aws:appautoscaling/policy:Policy"


def test_no_allow_statement_grants_a_wildcard_action(stack_plan: Plan, prod_https: Plan) -> None:
    for plan in (stack_plan, prod_https):
        for resource, _key, document in plan.policies():
            for s in document["Statement"]:
                if s["Effect"] != "Allow" or s["Sid"] == "AccountAdministers":  # the key's root admin
                    continue
                for action in as_list(s["Action"]):
                    assert not action.endswith(":*") and action != "*", (
                        f"{resource.name}/{s['Sid']}: {action}"
                    )


@pytest.mark.parametrize("role", ROLES)
def test_execution_role_reads_exactly_the_injected_secrets(stack_plan: Plan, role: str) -> None:
    task = task_definition(stack_plan, role).inputs
    document = policy_of(stack_plan, task["executionRoleArn"])
    injected = {secret_arn(s["valueFrom"]) for c in [app_container(stack_plan, role)] for s in c["secrets"]}
    assert set(as_list(statement(document, "ReadInjectedSecrets")["Resource"])) == injected
    decrypt = statement(document, "DecryptViaSecretsmanager")
    assert decrypt["Resource"] == stack_plan.one("aws:kms/key:Key").outputs["arn"]
    assert decrypt["Condition"]["StringEquals"]["kms:ViaService"].startswith("secretsmanager.")
    pulls = as_list(statement(document, "PullAppImage")["Resource"])
    assert pulls == [stack_plan.one("aws:ecr/repository:Repository").outputs["arn"]]


@pytest.mark.parametrize("role", ROLES)
def test_task_role_does_only_what_the_app_does(stack_plan: Plan, role: str) -> None:
    document = policy_of(stack_plan, task_definition(stack_plan, role).inputs["taskRoleArn"])
    env = {e["name"]: e["value"] for e in app_container(stack_plan, role)["environment"]}
    runtime_arns = {v for k, v in env.items() if k.endswith("_SECRET_ARN")}
    assert set(as_list(statement(document, "ReadRuntimeSecrets")["Resource"])) == runtime_arns
    uploads = stack_plan.one("aws:s3/bucket:Bucket", "-uploads-").outputs["arn"]
    token_sync = stack_plan.one("aws:s3/bucket:Bucket", "-token-sync-").outputs["arn"]
    assert statement(document, "UploadsReadWrite")["Resource"] == f"{uploads}/*"
    assert as_list(statement(document, "ListAppBuckets")["Resource"]) == [uploads]
    # Tasks read the synced token from its secret; only `launchpad token-sync` touches the bucket.
    assert token_sync not in json.dumps(document)
    assert contract.ENV.SYNCED_TOKEN_SECRET_ARN in env
    granted = {a for s in document["Statement"] for a in as_list(s["Action"])}
    assert not any(a.startswith(("iam:", "ecs:", "ssmmessages:")) for a in granted)


def test_ecs_exec_is_off_unless_configured(stack_plan: Plan) -> None:
    assert all(service(stack_plan, r).inputs["enableExecuteCommand"] is False for r in ("web", "worker"))
    with_exec = plan_with("dev", {"ecsExec": True})
    assert service(with_exec, "web").inputs["enableExecuteCommand"] is True
    document = policy_of(with_exec, task_definition(with_exec, "web").inputs["taskRoleArn"])
    assert statement(document, "EcsExecChannels")
    # The agent needs writable paths on a read-only root filesystem; every mount has its volume.
    task = task_definition(with_exec, "web").inputs
    volumes = {v["name"] for v in task["volumes"]}
    mounts = {m["sourceVolume"] for m in app_container(with_exec, "web")["mountPoints"]}
    assert len(mounts) > 1 and mounts <= volumes
    assert app_container(with_exec, "web")["readonlyRootFilesystem"] is True


def test_scheduler_may_run_only_the_nightly_family_in_its_cluster(stack_plan: Plan) -> None:
    schedule = stack_plan.one(SCHEDULE).inputs
    nightly = task_definition(stack_plan, "nightly")
    cluster_arn = stack_plan.one("aws:ecs/cluster:Cluster").outputs["arn"]
    assert schedule["target"]["arn"] == cluster_arn
    assert schedule["target"]["ecsParameters"]["taskDefinitionArn"] == nightly.outputs["arn"]
    document = policy_of(stack_plan, schedule["target"]["roleArn"])
    run = statement(document, "RunNightlyTaskInCluster")
    assert run["Action"] == "ecs:RunTask"
    assert run["Resource"] == nightly.outputs["arnWithoutRevision"] + ":*"
    assert run["Condition"]["ArnEquals"]["ecs:cluster"] == cluster_arn
    passed = statement(document, "PassOnlyTheTaskRoles")
    assert set(passed["Resource"]) == {nightly.inputs["executionRoleArn"], nightly.inputs["taskRoleArn"]}


def test_nightly_runs_on_the_configured_cron_and_zone(stack_plan: Plan) -> None:
    settings = parse_settings(raw_config(stack_plan.run.stack))
    schedule = stack_plan.one(SCHEDULE).inputs
    assert schedule["scheduleExpression"] == eventbridge_cron(settings.nightly_cron)
    assert schedule["scheduleExpressionTimezone"] == settings.nightly_timezone
    moved = plan_with("dev", {"nightlyCron": "30 4 * * 1-5", "nightlyTimezone": "Europe/Berlin"})
    assert moved.one(SCHEDULE).inputs["scheduleExpression"] == "cron(30 4 ? * 2,3,4,5,6 *)"


def test_services_roll_back_failed_deployments(stack_plan: Plan) -> None:
    for role in ("web", "worker"):
        inputs = service(stack_plan, role).inputs
        assert inputs["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
        assert inputs["launchType"] == "FARGATE" and inputs["platformVersion"] == "LATEST"
    assert service(stack_plan, "web").inputs["healthCheckGracePeriodSeconds"] > 0
    assert (
        service(stack_plan, "web").inputs["loadBalancers"][0]["targetGroupArn"]
        == stack_plan.one("aws:lb/targetGroup:TargetGroup").outputs["arn"]
    )


def _policies_for(plan: Plan, role: str) -> list[dict]:
    name = service(plan, role).outputs["name"]
    return [p.inputs for p in plan.of_type(POLICY) if p.inputs["resourceId"].endswith(f"/{name}")]


def test_web_scales_on_cpu_and_requests_per_target(stack_plan: Plan) -> None:
    tracked = {
        p["targetTrackingScalingPolicyConfiguration"]["predefinedMetricSpecification"][
            "predefinedMetricType"
        ]: p
        for p in _policies_for(stack_plan, "web")
    }
    assert set(tracked) == {"ECSServiceAverageCPUUtilization", "ALBRequestCountPerTarget"}
    label = tracked["ALBRequestCountPerTarget"]["targetTrackingScalingPolicyConfiguration"][
        "predefinedMetricSpecification"
    ]["resourceLabel"]
    alb = stack_plan.one("aws:lb/loadBalancer:LoadBalancer").outputs["arnSuffix"]
    tg = stack_plan.one("aws:lb/targetGroup:TargetGroup").outputs["arnSuffix"]
    assert label == f"{alb}/{tg}"


def test_worker_scales_on_the_apps_queue_depth_per_task(stack_plan: Plan) -> None:
    (policy,) = _policies_for(stack_plan, "worker")
    metrics = policy["targetTrackingScalingPolicyConfiguration"]["customizedMetricSpecification"]["metrics"]
    stats = {m["id"]: m["metricStat"]["metric"] for m in metrics if "metricStat" in m}
    backlog = next(m for m in stats.values() if m["metricName"] == contract.QUEUE_DEPTH.name)
    assert backlog["namespace"] == contract.METRICS_NAMESPACE
    assert {d["name"] for d in backlog["dimensions"]} in [
        set(dims) for dims in contract.QUEUE_DEPTH.dimensions
    ]
    env = {e["name"]: e["value"] for e in app_container(stack_plan, "worker")["environment"]}
    dims = {d["name"]: d["value"] for d in backlog["dimensions"]}
    assert dims[contract.DIM.ENVIRONMENT] == env[contract.ENV.DEPLOYMENT_ENV]
    (returned,) = [m for m in metrics if m.get("returnData")]
    assert all(metric_id in returned["expression"] for metric_id in stats)


def test_autoscaling_owns_the_desired_count_after_creation(stack_plan: Plan) -> None:
    for role in ("web", "worker"):
        assert "desiredCount" in service(stack_plan, role).ignore_changes


# Actions IAM cannot scope to a resource; anything else granted on "*" is a finding.
UNSCOPABLE = {
    "ecr:GetAuthorizationToken",
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
}


def test_roles_grant_star_resources_only_for_unscopable_actions(stack_plan: Plan) -> None:
    with_exec = plan_with("dev", {"ecsExec": True})
    for plan in (stack_plan, with_exec):
        for resource in plan.of_type("aws:iam/rolePolicy:RolePolicy"):
            for s in json.loads(resource.inputs["policy"])["Statement"]:
                if "*" in as_list(s["Resource"]):
                    assert set(as_list(s["Action"])) <= UNSCOPABLE, f"{resource.name}/{s['Sid']}"


def test_tasks_and_schedule_wait_for_their_role_policies(stack_plan: Plan) -> None:
    policies = {p.urn for p in stack_plan.of_type("aws:iam/rolePolicy:RolePolicy")}
    for role in ROLES:
        task = task_definition(stack_plan, role)
        execution = role_policy(stack_plan, task.inputs["executionRoleArn"])
        assert execution.urn in task.dependencies and execution.urn in policies
    schedule = stack_plan.one(SCHEDULE)
    assert role_policy(stack_plan, schedule.inputs["target"]["roleArn"]).urn in schedule.dependencies
