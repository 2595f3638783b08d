"""Roles grant only what each workload does; scaling and the nightly schedule are wired to the app."""

from __future__ import annotations

import json

import pytest

from app import contract
from cloud_facts.aws.scheduler import eventbridge_cron
from stack_config import parse_settings
from targets.aws.compute import WORKER_STOP_TIMEOUT
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


def test_the_schedule_is_encrypted_with_the_stacks_key_which_its_role_may_decrypt(stack_plan: Plan) -> None:
    key_arn = stack_plan.one("aws:kms/key:Key").outputs["arn"]
    schedule = stack_plan.one(SCHEDULE).inputs
    assert schedule["kmsKeyArn"] == key_arn
    decrypt = statement(policy_of(stack_plan, schedule["target"]["roleArn"]), "DecryptTheSchedule")
    assert (decrypt["Action"], decrypt["Resource"]) == ("kms:Decrypt", key_arn)


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
        assert inputs["platformVersion"] == "LATEST"
    assert service(stack_plan, "web").inputs["healthCheckGracePeriodSeconds"] > 0
    assert (
        service(stack_plan, "web").inputs["loadBalancers"][0]["targetGroupArn"]
        == stack_plan.one("aws:lb/targetGroup:TargetGroup").outputs["arn"]
    )


def _policies_for(plan: Plan, role: str, kind: str = "TargetTrackingScaling") -> list[dict]:
    name = service(plan, role).outputs["name"]
    return [
        p.inputs
        for p in plan.of_type(POLICY)
        if p.inputs["resourceId"].endswith(f"/{name}") and p.inputs["policyType"] == kind
    ]


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


def test_a_worker_at_zero_is_started_by_its_backlog_and_stopped_by_an_idle_queue(dev: Plan) -> None:
    settings = parse_settings(raw_config("dev"))
    assert settings.worker_min_count == 0
    (tracking,) = _policies_for(dev, "worker")
    # Target tracking only adds workers; it cannot start the first (it scales in proportion to tasks running).
    assert tracking["targetTrackingScalingPolicyConfiguration"]["disableScaleIn"] is True
    steps = {p["name"].rsplit("-", 1)[0]: p for p in _policies_for(dev, "worker", "StepScaling")}
    start = steps["launchpad-dev-worker-scale-from-zero"]["stepScalingPolicyConfiguration"]
    stop = steps["launchpad-dev-worker-scale-to-zero"]["stepScalingPolicyConfiguration"]
    assert start["adjustmentType"] == stop["adjustmentType"] == "ExactCapacity"
    jobs = settings.worker_jobs_per_task
    assert [
        (a.get("metricIntervalLowerBound"), a.get("metricIntervalUpperBound"), a["scalingAdjustment"])
        for a in start["stepAdjustments"]
    ] == [("0", str(jobs), 1), (str(jobs), None, settings.worker_max_count)]
    assert stop["stepAdjustments"] == [{"metricIntervalUpperBound": "0", "scalingAdjustment": 0}]
    alarms = {a.name: a.inputs for a in dev.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")}
    starter = alarms["launchpad-dev-worker-scale-from-zero-alarm"]
    stopper = alarms["launchpad-dev-worker-scale-to-zero-alarm"]
    policy_arns = {p.name: p.outputs["arn"] for p in dev.of_type(POLICY)}
    assert starter["alarmActions"] == [policy_arns["launchpad-dev-worker-scale-from-zero"]]
    assert stopper["alarmActions"] == [policy_arns["launchpad-dev-worker-scale-to-zero"]]
    assert (stopper["metricName"], stopper["statistic"]) == (contract.QUEUE_DEPTH.name, "Maximum")
    assert stopper["comparisonOperator"] == "LessThanThreshold" and stopper["threshold"] == 1


def test_the_last_worker_stops_only_after_longer_than_a_job_may_run(dev: Plan) -> None:
    from app.core.config import Settings

    job_timeout = Settings.model_fields["job_timeout_seconds"].default
    stopper = next(
        a for a in dev.of_type("aws:cloudwatch/metricAlarm:MetricAlarm") if "scale-to-zero" in a.name
    )
    idle = stopper.inputs["evaluationPeriods"] * stopper.inputs["period"]
    assert stopper.inputs["datapointsToAlarm"] == stopper.inputs["evaluationPeriods"]
    assert idle > job_timeout + WORKER_STOP_TIMEOUT


def test_the_backlog_starts_as_many_workers_as_it_needs_and_only_from_zero(dev: Plan) -> None:
    from tests.infra.monitoring_plan import evaluate, expression_of

    starter = next(
        a for a in dev.of_type("aws:cloudwatch/metricAlarm:MetricAlarm") if "scale-from-zero" in a.name
    )
    expression, inputs = expression_of(starter)
    ids = {m["metricName"]: query_id for query_id, m in inputs.items()}
    depth, workers = ids[contract.QUEUE_DEPTH.name], ids[contract.QUEUE_WORKERS.name]
    assert evaluate(expression, {depth: 25, workers: 0}) == 25  # nobody listens: the backlog
    assert evaluate(expression, {depth: 25, workers: 1}) == 0  # a worker runs: target tracking's job
    assert starter.inputs["threshold"] == 0 and starter.inputs["comparisonOperator"] == "GreaterThanThreshold"


def test_starting_from_zero_never_waits_on_a_series_that_may_be_empty(dev: Plan) -> None:
    # A service at zero may publish no Container Insights task counts at all, and no documentation says
    # FILL makes points out of a series with none: the alarms that start the worker, or say it did not
    # start, read only the queue sampler's record, which every web task writes.
    from tests.infra.monitoring_plan import expression_of

    watchers = [
        a
        for a in dev.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
        if a.name.endswith(("worker-scale-from-zero-alarm", "worker-not-starting"))
    ]
    assert len(watchers) == 2
    for alarm in watchers:
        expression, inputs = expression_of(alarm)
        assert "FILL" not in expression, alarm.name
        metrics = list(inputs.values())
        assert {m["metricName"] for m in metrics} == {contract.QUEUE_DEPTH.name, contract.QUEUE_WORKERS.name}
        # One record: same namespace, dimensions and period, so every depth point has a workers point.
        assert (
            len({(m["namespace"], tuple(sorted(m["dimensions"].items())), m["period"]) for m in metrics}) == 1
        )


def test_a_worker_with_a_minimum_scales_in_by_target_tracking_alone(prod: Plan) -> None:
    (tracking,) = _policies_for(prod, "worker")
    assert tracking["targetTrackingScalingPolicyConfiguration"]["disableScaleIn"] is False
    assert _policies_for(prod, "worker", "StepScaling") == []


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
    "logs:DescribeLogGroups",  # the flow-log role (Service Authorization Reference: no resource types)
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
