"""Alarms and the dashboard address the stack's real resources; the dashboard body validates; WAF logs are
encrypted and redacted; cost anomaly monitors are created only where safe; the AI kill switch works; the
cost of monitoring is exported."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app import contract
from cloud_facts.aws.dashboard_body import DashboardBody
from components.aws.metrics import Metric, metric_problems
from targets.aws.alarm_catalogue import APP_METRICS
from tests.infra.conftest import plan_with, plan_with_gcp
from tests.infra.ecs_plan import app_container
from tests.infra.gcp_plan import SERVICE as CLOUD_RUN
from tests.infra.gcp_plan import env_of
from tests.infra.monitoring_plan import (
    COMPOSITE,
    alarm_metrics,
    alarms,
    dashboard_body,
    dashboard_metrics,
    scaling_alarms,
)
from tests.infra.plan_query import Plan, settings_of

LB = "aws:lb/loadBalancer:LoadBalancer"
WEB_ACL = "aws:wafv2/webAcl:WebAcl"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
WAF_LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"
MONITOR = "aws:costexplorer/anomalyMonitor:AnomalyMonitor"
ANOMALY_ALERTS = "aws:costexplorer/anomalySubscription:AnomalySubscription"


@pytest.fixture(params=["dev", "prod", "dev_gcp", "prod_gcp"], scope="module")
def any_plan(request: pytest.FixtureRequest) -> Plan:
    return request.getfixturevalue(request.param)


def _real_dimension_values(plan: Plan) -> dict[str, set[str]]:
    """What each dimension may hold: the ids the plan's resources really have."""
    services = [r for r in plan.of_type("aws:ecs/service:Service")]
    cache = plan.one("aws:elasticache/replicationGroup:ReplicationGroup").outputs
    values = {
        "LoadBalancer": {plan.one(LB).outputs["arnSuffix"]},
        "TargetGroup": {plan.one("aws:lb/targetGroup:TargetGroup").outputs["arnSuffix"]},
        "ClusterName": {plan.one("aws:ecs/cluster:Cluster").outputs["name"]},
        "ServiceName": {s.outputs["name"] for s in services},
        "DBInstanceIdentifier": {plan.one("aws:rds/instance:Instance").outputs["identifier"]},
        "CacheClusterId": set(cache["memberClusters"]),
        "Service": {contract.SERVICE_NAME},
        "Environment": {settings_of(plan.run.config_source).deployment_env},
        "Provider": set(contract.AI_PROVIDER_NAMES),
        "Dependency": set(contract.DEPENDENCY_NAMES),
        "Rule": {"ALL"},
        "Region": {"Global"},
    }
    for acl in plan.of_type(WEB_ACL):
        # The WebACL dimension holds the web ACL's name, which the stack makes equal to its metric name.
        assert acl.inputs["name"] == acl.inputs["visibilityConfig"]["metricName"]
        values["WebACL"] = {acl.inputs["name"]}
    for distribution in plan.of_type("aws:cloudfront/distribution:Distribution"):
        values["DistributionId"] = {distribution.id}
    return values


def _assert_real(where: str, dims: dict[str, Any], real: dict[str, set[str]]) -> None:
    for name, value in dims.items():
        allowed = real[name] | ({"us-east-1"} if name == "Region" else set())
        assert value in allowed, f"{where}: {name}={value!r} is none of the stack's {sorted(allowed)}"


def test_every_alarm_dimension_is_an_id_the_stack_has(any_plan: Plan) -> None:
    real = _real_dimension_values(any_plan)
    for alarm in alarms(any_plan).values():
        for metric in alarm_metrics(alarm):
            _assert_real(alarm.name, metric["dimensions"], real)
    # Every cache node has its alarms, and the web and the worker service theirs.
    cache_alarmed = {
        m["dimensions"]["CacheClusterId"] for a in alarms(any_plan).values() for m in alarm_metrics(a)
        if "CacheClusterId" in m["dimensions"]
    }  # fmt: skip
    assert cache_alarmed == real["CacheClusterId"]
    services = {
        m["dimensions"]["ServiceName"] for a in alarms(any_plan).values() for m in alarm_metrics(a)
        if "ServiceName" in m["dimensions"]
    }  # fmt: skip
    assert services == real["ServiceName"]


def test_the_dashboard_validates_and_draws_only_published_metrics_of_the_stacks_resources(
    any_plan: Plan,
) -> None:
    body = dashboard_body(any_plan)
    assert DashboardBody().problems(body) == []
    real = _real_dimension_values(any_plan)
    drawn = list(dashboard_metrics(body))
    assert drawn
    for region, m in drawn:
        metric = Metric(m["namespace"], m["metricName"], m["dimensions"], m["stat"], 300, region)
        assert metric_problems(metric, APP_METRICS, alarm=False) == [], m
        _assert_real(m["metricName"], m["dimensions"], real)


def test_the_dashboard_covers_each_concern_and_shows_every_alarm(any_plan: Plan) -> None:
    body = dashboard_body(any_plan)
    titles = " | ".join(w["properties"].get("title", "") for w in body["widgets"])
    for concern in ("Requests", "Errors", "Latency", "CPU", "Memory", "AI calls", "AI failures", "AI cost"):
        assert concern in titles, concern
    for concern in ("AI latency", "AI tokens", "Jobs waiting", "Database", "Cache"):
        assert concern in titles, concern
    [status] = [w for w in body["widgets"] if w["type"] == "alarm"]
    # Every alarm that notifies; the scaling alarms (scale-to-zero sits in ALARM while idle) would only
    # paint the status red.
    arns = {a.outputs["arn"] for a in alarms(any_plan).values()} | {any_plan.one(COMPOSITE).outputs["arn"]}
    assert set(scaling_alarms(any_plan)) == (
        {f"launchpad-{any_plan.run.stack}-worker-scale-{d}-zero-alarm" for d in ("from", "to")}
        if any_plan.run.config_source == "dev"
        else set()
    )
    assert set(status["properties"]["alarms"]) == arns
    drawn = {(m["namespace"], m["metricName"]) for _, m in dashboard_metrics(body)}
    # The app's metrics the dashboard leaves to the load balancer's (requests, 5xx, latency) or to alarms.
    undrawn = {"requests", "request_latency", "http_5xx", "cache_hits", "cache_misses"}
    undrawn.add("synced_token_age")
    app_drawn = {name for namespace, name in drawn if namespace == contract.METRICS_NAMESPACE}
    assert {spec.name for spec in contract.METRICS} - app_drawn <= undrawn


def test_a_broken_dashboard_body_is_refused() -> None:
    widget = {"type": "metric", "x": 20, "width": 8, "properties": {"metrics": [["AWS/EC2"]], "period": 90}}
    problems = DashboardBody().problems({"widgets": [widget, {"type": "chart", "properties": {}}]})
    for expected in (
        "leaves the 24-column grid",
        "region is required",
        "period 90",
        "[namespace, name",
        "chart",
    ):
        assert any(expected in p for p in problems), expected


def test_monitoring_cost_is_exported_and_counts_what_is_created(any_plan: Plan) -> None:
    cost = any_plan.outputs["monitoring"]
    created = alarms(any_plan)
    billed = sum(len(list(alarm_metrics(a))) for a in created.values())
    assert cost["metric_alarms"] == len(created) and cost["billed_alarm_metrics"] == billed
    assert cost["composite_alarms"] == any_plan.count(COMPOSITE) == 1
    dashboard = 3.0 if cost["dashboard_metrics"] > 50 else 0.0
    assert cost["usd_per_month"] == pytest.approx(billed * 0.10 + 0.50 + dashboard)


# --- WAF logging -------------------------------------------------------------------------------------


def test_waf_logs_blocked_requests_to_an_encrypted_group_with_credentials_redacted(
    prod: Plan, dev: Plan
) -> None:
    assert dev.count(WAF_LOGGING) == 0 and not settings_of("dev").waf_enabled
    logging = prod.one(WAF_LOGGING).inputs
    acl = prod.one(WEB_ACL)
    group = next(g for g in prod.of_type(LOG_GROUP) if g.outputs["arn"] in logging["logDestinationConfigs"])
    assert logging["resourceArn"] == acl.outputs["arn"]
    assert group.inputs["name"].startswith("aws-waf-logs-")
    assert group.inputs["kmsKeyId"] == prod.one("aws:kms/key:Key").outputs["arn"]  # prod runs in us-east-1
    assert group.inputs["retentionInDays"] == settings_of("prod").log_retention_days
    redacted = {f["singleHeader"]["name"] for f in logging["redactedFields"]}
    assert redacted == {"authorization", contract.API_KEY_HEADER.lower()}
    kept = logging["loggingFilter"]["filters"][0]
    assert logging["loggingFilter"]["defaultBehavior"] == "DROP" and kept["behavior"] == "KEEP"
    assert {c["actionCondition"]["action"] for c in kept["conditions"]} == {"BLOCK", "COUNT"}


def test_a_stack_outside_us_east_1_logs_cloudfronts_waf_with_a_key_of_us_east_1() -> None:
    plan = plan_with("prod", {"aws:region": "eu-central-1"})
    group = next(g for g in plan.of_type(LOG_GROUP) if g.inputs["name"].startswith("aws-waf-logs-"))
    assert group.inputs["region"] == "us-east-1"
    keys = {k.name: k for k in plan.of_type("aws:kms/key:Key")}
    edge_key = keys["launchpad-prod-edge-key"]
    assert edge_key.inputs["region"] == "us-east-1" and group.inputs["kmsKeyId"] == edge_key.outputs["arn"]
    statement = next(
        s for s in json.loads(edge_key.inputs["policy"])["Statement"] if s["Sid"].startswith("CloudWatch")
    )
    assert statement["Principal"]["Service"] == "logs.us-east-1.amazonaws.com"
    # No alarm can notify the eu-central-1 topic from us-east-1: the stack says so instead of failing.
    assert "waf-blocked-rate" not in alarms(plan)
    assert any(w.startswith("WAF ALARM:") for w in plan.outputs["warnings"])


def test_a_regional_waf_alarm_names_the_region_of_its_metrics() -> None:
    plan = plan_with("prod", {"edge": "alb", "domainName": "api.example.com", "hostedZoneId": "Z0123456789"})
    [blocked] = [
        m for m in alarm_metrics(alarms(plan)["waf-blocked-rate"]) if m["metricName"] == "BlockedRequests"
    ]
    assert blocked["dimensions"]["Region"] == "us-east-1" and blocked["dimensions"]["Rule"] == "ALL"
    assert blocked["dimensions"]["WebACL"] == plan.one(WEB_ACL).inputs["name"]


# --- cost anomaly detection -----------------------------------------------------------------------------


def test_no_anomaly_monitor_is_created_unless_a_stack_asks(stack_plan: Plan) -> None:
    assert stack_plan.count(MONITOR) == 0 and stack_plan.count(ANOMALY_ALERTS) == 0
    topic_policy = json.loads(stack_plan.one("aws:sns/topicPolicy:TopicPolicy").inputs["policy"])
    assert "costalerts.amazonaws.com" not in json.dumps(topic_policy)


def _anomaly_plan(mode: str) -> Plan:
    return plan_with("dev", {"costAnomalyMonitor": mode, "activateCostAllocationTag": mode == "stack"})


@pytest.mark.parametrize("mode", ["stack", "account"])
def test_an_anomaly_monitor_alerts_the_topic_which_lets_it_publish(mode: str) -> None:
    plan = _anomaly_plan(mode)
    monitor = plan.one(MONITOR)
    alerts = plan.one(ANOMALY_ALERTS).inputs
    topic = plan.one("aws:sns/topic:Topic").outputs["arn"]
    assert alerts["monitorArnLists"] == [monitor.outputs["arn"]] and alerts["frequency"] == "IMMEDIATE"
    assert alerts["subscribers"] == [{"type": "SNS", "address": topic}]
    assert alerts["thresholdExpression"]["dimension"]["values"] == [
        str(settings_of("dev").cost_anomaly_threshold_usd)
    ]
    publishers = json.loads(plan.one("aws:sns/topicPolicy:TopicPolicy").inputs["policy"])["Statement"][0]
    assert "costalerts.amazonaws.com" in publishers["Principal"]["Service"]
    key = json.loads(plan.one("aws:kms/key:Key").inputs["policy"])
    encrypting = next(s for s in key["Statement"] if s["Sid"] == "PublishersToEncryptedTopics")
    assert "costalerts.amazonaws.com" in encrypting["Principal"]["Service"]


def test_a_stack_monitor_watches_the_stack_tag_after_it_is_activated() -> None:
    plan = _anomaly_plan("stack")
    monitor = plan.one(MONITOR)
    assert monitor.inputs["monitorType"] == "CUSTOM"
    assert json.loads(monitor.inputs["monitorSpecification"])["Tags"] == {
        "Key": "stack",
        "Values": ["dev"],
        "MatchOptions": ["EQUALS"],
    }
    tag = plan.one("aws:costexplorer/costAllocationTag:CostAllocationTag")
    assert tag.urn in monitor.dependencies  # Billing must see the tag active before the monitor filters on it


def test_an_account_monitor_is_the_dimensional_services_monitor() -> None:
    monitor = _anomaly_plan("account").one(MONITOR).inputs
    assert (monitor["monitorType"], monitor["monitorDimension"]) == ("DIMENSIONAL", "SERVICE")


# --- the AI kill switch -----------------------------------------------------------------------------


def test_the_ai_kill_switch_turns_the_providers_off_everywhere() -> None:
    on = plan_with_gcp("dev", {"aiDisabled": True})
    for role in ("web", "worker", "nightly"):
        env = {e["name"]: e["value"] for e in app_container(on, role)["environment"]}
        assert env[contract.ENV.AI_DISABLED] == "true", role
    assert env_of(on.one(CLOUD_RUN))[contract.ENV.AI_DISABLED]["value"] == "true"


def test_without_the_kill_switch_the_tasks_carry_no_ai_disabled(dev: Plan) -> None:
    env = {e["name"] for e in app_container(dev, "web")["environment"]}
    assert contract.ENV.AI_DISABLED not in env
