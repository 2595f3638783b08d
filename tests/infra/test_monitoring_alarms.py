"""The AWS alarms of every shipped stack: each required one exists with its threshold, period and actions,
reads a metric that is really published under ids the stack really has, and fires on what it claims."""

from __future__ import annotations

import botocore.session
import pytest
from botocore.validate import validate_parameters

from app import contract
from components.aws.alarms import AlarmSpec, spec_problems
from components.aws.metrics import Expression, Metric
from offline.mocks import Recorded
from targets.aws.alarm_catalogue import APP_METRICS
from tests.infra.conftest import plan_with
from tests.infra.monitoring_plan import (
    COMPOSITE,
    alarm_metrics,
    alarm_period,
    alarms,
    evaluate,
    expression_of,
    runbook_anchors,
)
from tests.infra.plan_query import Plan, settings_of

SERVICE_TYPE = "aws:ecs/service:Service"

PAGING = {"error-rate", "latency", "unhealthy-hosts", "web-tasks-below-minimum"}
SERVICE = {
    "rejected-connections",
    "web-cpu",
    "web-memory",
    "worker-cpu",
    "worker-memory",
}
APP = {f"ai-failure-rate-{p}" for p in contract.AI_PROVIDER_NAMES} | {
    "ai-daily-spend",
    "queue-depth",
    "queue-age",
}
DATABASE = {
    "db-cpu",
    "db-free-storage",
    "db-freeable-memory",
    "db-connections",
    "db-read-latency",
    "db-write-latency",
    "db-transaction-ids",
}
PUT_METRIC_ALARM = (
    botocore.session.get_session().get_service_model("cloudwatch").operation_model("PutMetricAlarm")
)


@pytest.fixture(params=["dev", "prod", "dev_gcp", "prod_gcp"], scope="module")
def any_plan(request: pytest.FixtureRequest) -> Plan:
    return request.getfixturevalue(request.param)


def _stack_file(plan: Plan) -> str:
    return plan.run.config_source


def test_every_required_alarm_exists(any_plan: Plan) -> None:
    s = settings_of(_stack_file(any_plan))
    roles = set(alarms(any_plan))
    nodes = range(1, s.cache_node_count + 1)
    cache = {f"cache-{kind}-node-{n}" for n in nodes for kind in ("cpu", "memory", "evictions")}
    replicated = {f"cache-replication-lag-node-{n}" for n in nodes} if s.cache_node_count > 1 else set()
    # A worker that may stop at zero has no minimum to fall below; its start is what can fail.
    worker = {"worker-tasks-below-minimum"} if s.worker_min_count else {"worker-not-starting"}
    expected = PAGING | SERVICE | APP | DATABASE | cache | replicated | worker | {"synced-token-age"}
    assert roles == expected | ({"waf-blocked-rate"} if s.waf_enabled else set())


def test_every_alarm_notifies_the_alerts_topic_on_alarm_and_on_ok(any_plan: Plan) -> None:
    topic = any_plan.one("aws:sns/topic:Topic").outputs["arn"]
    for alarm in [*alarms(any_plan).values(), any_plan.one(COMPOSITE)]:
        inputs = alarm.inputs
        assert inputs["actionsEnabled"] is True, alarm.name
        assert inputs["alarmActions"] == [topic] and inputs["okActions"] == [topic], alarm.name


def test_every_alarm_says_what_it_means_what_to_do_first_and_links_its_runbook_section(
    any_plan: Plan,
) -> None:
    anchors = runbook_anchors()
    runbook = settings_of(_stack_file(any_plan)).runbook_url
    for alarm in [*alarms(any_plan).values(), any_plan.one(COMPOSITE)]:
        description = alarm.inputs["alarmDescription"]
        means, _, rest = description.partition(" First: ")
        first, _, link = rest.partition(" Runbook: ")
        assert means and first and link.startswith(f"{runbook}#"), description
        assert link.split("#", 1)[1] in anchors, f"{alarm.name}: no runbook section {link}"


def test_every_alarm_decides_what_missing_data_means(any_plan: Plan) -> None:
    for alarm in alarms(any_plan).values():
        assert alarm.inputs["treatMissingData"] in ("breaching", "notBreaching", "missing"), alarm.name


def test_service_alarms_take_their_threshold_and_timing_from_the_stack_settings() -> None:
    changed = {
        "alarmErrorRatePercent": 7,
        "alarmLatencyMs": 1500,
        "alarmPeriodSeconds": 120,
        "alarmEvaluationPeriods": 3,
        "alarmDatapointsToAlarm": 2,
        "alarmAiFailureRatePercent": 35,
    }
    found = alarms(plan_with("dev", changed))
    assert found["error-rate"].inputs["threshold"] == 7
    assert found["latency"].inputs["threshold"] == 1.5
    assert found["ai-failure-rate-gemini"].inputs["threshold"] == 35
    for role in ("error-rate", "latency", "ai-failure-rate-gemini", "queue-depth"):
        assert alarm_period(found[role]) == 120, role
        assert (found[role].inputs["evaluationPeriods"], found[role].inputs["datapointsToAlarm"]) == (3, 2)


def test_the_shipped_thresholds_are_seed_001s(dev: Plan) -> None:
    found = alarms(dev)
    assert found["error-rate"].inputs["threshold"] == contract.ALARM_ERROR_RATE * 100
    assert found["latency"].inputs["threshold"] * 1000 == contract.ALARM_LATENCY_MS
    assert found["latency"].inputs["extendedStatistic"] == "p95"
    assert found["ai-failure-rate-claude"].inputs["threshold"] == contract.ALARM_AI_FAILURE_RATE * 100


def _rate_of(alarm: Recorded, part: str, total: str) -> tuple[str, str, str]:
    expression, inputs = expression_of(alarm)
    by_name = {metric["metricName"]: query_id for query_id, metric in inputs.items()}
    return expression, by_name[part], by_name[total]


@pytest.mark.parametrize(
    ("role", "part", "total"),
    [
        ("error-rate", "HTTPCode_Target_5XX_Count", "RequestCount"),
        ("ai-failure-rate-huggingface", contract.AI_FAILURES.name, contract.AI_CALLS.name),
    ],
)
def test_rate_alarms_compute_a_share_not_a_count(dev: Plan, role: str, part: str, total: str) -> None:
    alarm = alarms(dev)[role]
    expression, part_id, total_id = _rate_of(alarm, part, total)
    minimum = settings_of("dev").alarm_min_requests
    threshold = alarm.inputs["threshold"]

    def value(failed: float | None, served: float | None) -> float | None:
        return evaluate(expression, {part_id: failed, total_id: served})

    assert value(10, 200) == pytest.approx(5.0)
    # The same share of ten times the traffic is the same value: a raw count would be ten times larger.
    assert value(100, 2000) == value(10, 200)
    assert value(300, 1000) > threshold > value(30, 1000)
    # Periods with too few requests never breach, and a period without a single error counts as 0 %.
    assert value(minimum - 1, minimum - 1) == 0
    assert value(None, 1000) == 0


def test_the_waf_alarm_computes_the_blocked_share(prod: Plan) -> None:
    expression, inputs = expression_of(alarms(prod)["waf-blocked-rate"])
    ids = {metric["metricName"]: query_id for query_id, metric in inputs.items()}
    blocked, allowed = ids["BlockedRequests"], ids["AllowedRequests"]
    assert evaluate(expression, {blocked: 30, allowed: 70}) == pytest.approx(30.0)
    assert evaluate(expression, {blocked: 300, allowed: 700}) == pytest.approx(30.0)
    assert evaluate(expression, {blocked: None, allowed: 700}) == 0


def test_every_alarm_request_is_one_putmetricalarm_accepts(any_plan: Plan) -> None:
    for alarm in alarms(any_plan).values():
        validate_parameters(_put_metric_alarm(alarm.inputs), PUT_METRIC_ALARM.input_shape)


def _dimensions(dims: dict[str, str]) -> list[dict[str, str]]:
    return [{"Name": k, "Value": v} for k, v in sorted(dims.items())]


def _put_metric_alarm(i: dict) -> dict:
    request = {
        "AlarmName": i["name"],
        "AlarmDescription": i["alarmDescription"],
        "ActionsEnabled": i["actionsEnabled"],
        "AlarmActions": i["alarmActions"],
        "OKActions": i["okActions"],
        "EvaluationPeriods": int(i["evaluationPeriods"]),
        "DatapointsToAlarm": int(i["datapointsToAlarm"]),
        "Threshold": float(i["threshold"]),
        "ComparisonOperator": i["comparisonOperator"],
        "TreatMissingData": i["treatMissingData"],
    }
    if "metricName" in i:
        stat = {"ExtendedStatistic": i["extendedStatistic"]} if "extendedStatistic" in i else {}
        stat |= {"Statistic": i["statistic"]} if "statistic" in i else {}
        return (
            request
            | stat
            | {
                "Namespace": i["namespace"],
                "MetricName": i["metricName"],
                "Dimensions": _dimensions(i["dimensions"]),
                "Period": int(i["period"]),
            }
        )
    metrics = []
    for q in i["metricQueries"]:
        query = {"Id": q["id"], "ReturnData": q["returnData"]}
        if "expression" in q:
            metrics.append(query | {"Expression": q["expression"], "Label": q["label"]})
            continue
        m = q["metric"]
        metric = {
            "Namespace": m["namespace"],
            "MetricName": m["metricName"],
            "Dimensions": _dimensions(m["dimensions"]),
        }
        metrics.append(
            query | {"MetricStat": {"Metric": metric, "Period": int(m["period"]), "Stat": m["stat"]}}
        )
    return request | {"Metrics": metrics}


def test_the_paging_alarm_fires_on_exactly_the_alarms_that_mean_users_are_affected(any_plan: Plan) -> None:
    found = alarms(any_plan)
    composite = any_plan.one(COMPOSITE).inputs
    assert composite["alarmName"] == f"launchpad-{any_plan.run.stack}-service-unhealthy"
    members = composite["alarmRule"].split(" OR ")
    assert sorted(members) == sorted(f'ALARM("{found[role].outputs["arn"]}")' for role in PAGING)


def test_a_pager_endpoint_receives_only_the_paging_alarm() -> None:
    plan = plan_with("prod", {"alertHttpsEndpoint": "https://events.example.com/integration/abc"})
    subscriptions = plan.of_type("aws:sns/topicSubscription:TopicSubscription")
    [https] = [s.inputs for s in subscriptions if s.inputs["protocol"] == "https"]
    assert https["filterPolicyScope"] == "MessageBody"
    assert https["filterPolicy"] == '{"AlarmName": ["' + plan.one(COMPOSITE).inputs["alarmName"] + '"]}'
    assert [s for s in subscriptions if s.inputs["protocol"] == "email"]  # the e-mails still get everything


def _spec(metric: Metric | Expression) -> AlarmSpec:
    return AlarmSpec("probe", metric, ">", 1, 1, 1, "notBreaching", "m", "f", "error-rate")


def _app(spec: contract.MetricSpec, **dims: str) -> Metric:
    return APP_METRICS.metric(
        spec, {"Service": contract.SERVICE_NAME, "Environment": "production"} | dims, 300
    )


@pytest.mark.parametrize(
    ("metric", "reason"),
    [
        (
            Metric(contract.METRICS_NAMESPACE, "ai_errors", {"Service": "launchpad"}, "Sum", 300),
            "publishes no",
        ),
        (_app(contract.QUEUE_DEPTH, Provider="claude"), "only by"),
        (_app(contract.AI_FAILURES, Route="/v1/decisions"), "only by"),
        (
            APP_METRICS.metric(
                contract.QUEUE_DEPTH, {"Service": "launchpad", "Environment": "dev"}, 300, "Sum"
            ),
            "read",
        ),
        (
            Metric("AWS/ApplicationELB", "UnHealthyHostCount", {"LoadBalancer": "app/x/1"}, "Maximum", 60),
            "only by",
        ),
        (
            Metric("AWS/RDS", "FreeMemory", {"DBInstanceIdentifier": "db"}, "Average", 60),
            "not in the catalogue",
        ),
        (
            Metric("AWS/CloudFront", "Requests", {"DistributionId": "E1", "Region": "Global"}, "Sum", 60),
            "us-east-1",
        ),
    ],
)
def test_an_alarm_on_a_metric_or_dimension_set_nobody_publishes_is_refused(
    metric: Metric, reason: str
) -> None:
    problems = spec_problems(_spec(metric), "eu-central-1", "docs/runbook.md", APP_METRICS)
    assert any(reason in p for p in problems), problems


def test_every_launchpad_metric_alarmed_on_is_in_the_contract_catalogue(any_plan: Plan) -> None:
    catalogue = {spec.name: spec for spec in contract.METRICS}
    environment = settings_of(_stack_file(any_plan)).deployment_env
    for alarm in alarms(any_plan).values():
        for metric in alarm_metrics(alarm):
            if metric["namespace"] != contract.METRICS_NAMESPACE:
                continue
            spec = catalogue[metric["metricName"]]
            dims = metric["dimensions"]
            assert tuple(sorted(dims)) in {tuple(sorted(d)) for d in spec.dimensions}, alarm.name
            assert metric["stat"] == spec.statistic, alarm.name
            assert (dims["Service"], dims["Environment"]) == (contract.SERVICE_NAME, environment)
            assert dims.get("Provider", contract.AI_PROVIDER_NAMES[0]) in contract.AI_PROVIDER_NAMES


def test_a_worker_at_zero_alarms_when_jobs_wait_and_none_starts(dev: Plan) -> None:
    found = alarms(dev)
    alarm = found["worker-not-starting"]
    expression, inputs = expression_of(alarm)
    ids = {metric["metricName"]: query_id for query_id, metric in inputs.items()}
    waiting, workers = ids[contract.QUEUE_DEPTH.name], ids[contract.QUEUE_WORKERS.name]

    def value(jobs: float | None, listening: float | None) -> float | None:
        return evaluate(expression, {waiting: jobs, workers: listening})

    threshold = alarm.inputs["threshold"]
    assert value(3, 0) > threshold  # jobs wait and no worker listens
    assert value(3, 1) <= threshold and value(0, 0) <= threshold  # a worker listens, or nothing waits
    assert (alarm.inputs["evaluationPeriods"], alarm.inputs["datapointsToAlarm"]) == (10, 10)
    assert alarm.inputs["treatMissingData"] == "notBreaching"


@pytest.mark.parametrize(("stack", "idle"), [("dev", "notBreaching"), ("prod", "missing")])
def test_worker_saturation_alarms_stay_quiet_while_a_worker_at_zero_is_stopped(
    request: pytest.FixtureRequest, stack: str, idle: str
) -> None:
    # No task, no CPU datapoint: OK at zero (no OK notification each time a worker starts), else unknown.
    plan = request.getfixturevalue(stack)
    minimum = settings_of(stack).worker_min_count
    assert (minimum == 0) is (stack == "dev")
    for resource in ("cpu", "memory"):
        assert alarms(plan)[f"worker-{resource}"].inputs["treatMissingData"] == idle
        assert alarms(plan)[f"web-{resource}"].inputs["treatMissingData"] == "missing"
