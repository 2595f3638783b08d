"""Cloud Monitoring on the Google Cloud side: channels from the alert list, policies on the service they
watch with the stack's thresholds, an uptime check when the service is public, and the budget."""

from __future__ import annotations

import json

import pytest

from app import contract
from offline.gcp_docker_mocks import GCP_PROJECT_NUMBER
from tests.infra.conftest import GCP_PROJECT, plan_with_gcp
from tests.infra.gcp_plan import API, SERVICE
from tests.infra.monitoring_plan import runbook_anchors
from tests.infra.plan_query import Plan, settings_of

CHANNEL = "gcp:monitoring/notificationChannel:NotificationChannel"
POLICY = "gcp:monitoring/alertPolicy:AlertPolicy"
UPTIME = "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig"
BUDGET = "gcp:billing/budget:Budget"
BILLING = {"gcpBillingAccount": "01ABCD-23EF45-6789AB", "gcpMonthlyBudgetUsd": 150}


def _policies(plan: Plan) -> dict[str, dict]:
    """The service's policies (the data tier's are tested in test_gcp_data_alerts), by role."""
    prefix = f"launchpad-{plan.run.stack}-alerts-"
    return {p.name.removeprefix(prefix): p.inputs for p in plan.of_type(POLICY) if p.name.startswith(prefix)}


def _threshold(policy: dict, index: int = 0) -> dict:
    return policy["conditions"][index]["conditionThreshold"]


def test_every_alert_address_is_a_channel_every_policy_notifies(gcp_stack_plan: Plan) -> None:
    s = settings_of(gcp_stack_plan.run.config_source)
    channels = gcp_stack_plan.of_type(CHANNEL)
    assert sorted(c.inputs["labels"]["email_address"] for c in channels) == sorted(s.alert_addresses)
    assert all(c.inputs["type"] == "email" for c in channels)
    names = sorted(c.outputs["name"] for c in channels)
    for role, policy in _policies(gcp_stack_plan).items():
        assert sorted(policy["notificationChannels"]) == names, role


def test_the_policies_watch_the_stacks_own_service(gcp_stack_plan: Plan) -> None:
    service = gcp_stack_plan.one(SERVICE).inputs["name"]
    policies = _policies(gcp_stack_plan)
    assert set(policies) == {"error-rate", "latency", "instances-at-max"}
    for policy in policies.values():
        for condition in policy["conditions"]:
            assert f'resource.labels.service_name = "{service}"' in condition["conditionThreshold"]["filter"]


def test_the_error_policy_is_the_5xx_share_of_the_services_requests(gcp_stack_plan: Plan) -> None:
    s = settings_of(gcp_stack_plan.run.config_source)
    errors = _threshold(_policies(gcp_stack_plan)["error-rate"])
    assert 'metric.type = "run.googleapis.com/request_count"' in errors["filter"]
    assert errors["filter"].endswith('metric.labels.response_code_class = "5xx"')
    # The denominator is every request of the same service: the policy compares a ratio.
    assert errors["denominatorFilter"] == errors["filter"].removesuffix(
        ' AND metric.labels.response_code_class = "5xx"'
    )
    assert errors["thresholdValue"] == pytest.approx(s.alarm_error_rate_percent / 100)
    assert errors["aggregations"] == errors["denominatorAggregations"]
    assert errors["aggregations"][0]["alignmentPeriod"] == f"{s.alarm_period_seconds}s"


def test_the_error_policy_needs_the_request_floor_as_the_aws_alarm_does(gcp_stack_plan: Plan) -> None:
    # One 5xx in a quiet period is a 100 % ratio: without a floor it raises a critical incident.
    s = settings_of(gcp_stack_plan.run.config_source)
    policy = _policies(gcp_stack_plan)["error-rate"]
    assert policy["combiner"] == "AND" and len(policy["conditions"]) == 2
    ratio, floor = _threshold(policy, 0), _threshold(policy, 1)
    assert floor["filter"] == ratio["denominatorFilter"]  # every request of the same service
    assert floor["aggregations"] == ratio["aggregations"]  # summed over the same period
    assert (floor["comparison"], floor["thresholdValue"]) == ("COMPARISON_GE", s.alarm_min_requests)
    assert "denominatorFilter" not in floor


def test_a_service_pinned_at_its_maximum_has_no_instances_at_maximum_policy() -> None:
    # min = max: the instance count sits at the maximum by design; the policy would never close.
    pinned = plan_with_gcp("prod", {"cloudRunMinInstances": 3, "cloudRunMaxInstances": 3})
    assert set(_policies(pinned)) == {"error-rate", "latency"}
    assert pinned.outputs["gcp_monitoring"]["alert_conditions"] == 3 + _data_tier_conditions(pinned)


def test_latency_and_capacity_policies_use_the_stacks_thresholds(gcp_stack_plan: Plan) -> None:
    s = settings_of(gcp_stack_plan.run.config_source)
    policies = _policies(gcp_stack_plan)
    latency = _threshold(policies["latency"])
    assert "request_latencies" in latency["filter"] and latency["thresholdValue"] == s.alarm_latency_ms
    assert latency["aggregations"][0]["crossSeriesReducer"] == "REDUCE_PERCENTILE_95"
    instances = _threshold(policies["instances-at-max"])
    assert "container/instance_count" in instances["filter"]
    assert (instances["comparison"], instances["thresholdValue"]) == (
        "COMPARISON_GE",
        s.cloud_run_max_instances,
    )


def test_every_policy_documents_what_to_do_and_links_its_runbook_section(gcp_stack_plan: Plan) -> None:
    anchors = runbook_anchors()
    for role, policy in _policies(gcp_stack_plan).items():
        content = policy["documentation"]["content"]
        assert "First: " in content, role
        assert content.rsplit("#", 1)[1] in anchors, role


def test_a_private_service_has_no_uptime_check_and_a_public_one_has(dev_gcp: Plan) -> None:
    assert dev_gcp.count(UPTIME) == 0 and not settings_of("dev").cloud_run_public
    public = plan_with_gcp("dev", {"cloudRunPublic": True})
    check = public.one(UPTIME).inputs
    host = public.one(SERVICE).outputs["uri"].removeprefix("https://")
    assert check["monitoredResource"] == {
        "type": "uptime_url",
        "labels": {"project_id": GCP_PROJECT, "host": host},
    }
    assert check["httpCheck"]["path"] == contract.LIVE_PATH and check["httpCheck"]["useSsl"] is True
    uptime = _threshold(_policies(public)["uptime"])
    assert f'metric.labels.check_id = "{public.one(UPTIME).outputs["uptimeCheckId"]}"' in uptime["filter"]


def test_the_gcp_budget_notifies_the_channels_at_50_90_and_100_percent_and_on_forecast() -> None:
    plan = plan_with_gcp("prod", BILLING)
    budget = plan.one(BUDGET).inputs
    assert budget["billingAccount"] == BILLING["gcpBillingAccount"]
    assert budget["amount"]["specifiedAmount"] == {"currencyCode": "USD", "units": "150"}
    rules = {(r["thresholdPercent"], r["spendBasis"]) for r in budget["thresholdRules"]}
    assert rules == {
        (0.5, "CURRENT_SPEND"),
        (0.9, "CURRENT_SPEND"),
        (1.0, "CURRENT_SPEND"),
        (1.0, "FORECASTED_SPEND"),
    }
    channels = sorted(c.outputs["name"] for c in plan.of_type(CHANNEL))
    assert sorted(budget["allUpdatesRule"]["monitoringNotificationChannels"]) == channels
    assert budget["budgetFilter"]["projects"] == [f"projects/{GCP_PROJECT_NUMBER}"]


def test_a_budget_stack_enables_the_budget_api_and_bills_its_calls_to_the_project() -> None:
    plan = plan_with_gcp("prod", BILLING)
    provider = plan.one("pulumi:providers:gcp").inputs
    assert json.loads(str(provider["userProjectOverride"]).lower()) is True
    assert provider["billingProject"] == GCP_PROJECT
    api = next(a for a in plan.of_type(API) if a.inputs["service"] == "billingbudgets.googleapis.com")
    assert api.urn in plan.one(BUDGET).dependencies


def test_without_a_billing_account_there_is_no_gcp_budget(gcp_stack_plan: Plan) -> None:
    assert gcp_stack_plan.count(BUDGET) == 0
    assert "billingbudgets.googleapis.com" not in {a.inputs["service"] for a in gcp_stack_plan.of_type(API)}
    monitoring_api = next(
        a for a in gcp_stack_plan.of_type(API) if a.inputs["service"] == "monitoring.googleapis.com"
    )
    assert all(monitoring_api.urn in p.dependencies for p in gcp_stack_plan.of_type(POLICY))


def _data_tier_conditions(plan: Plan) -> int:
    prefix = f"launchpad-{plan.run.stack}-alerts-"
    return sum(len(p.inputs["conditions"]) for p in plan.of_type(POLICY) if not p.name.startswith(prefix))


def test_the_cost_of_gcp_alerting_is_exported(gcp_stack_plan: Plan) -> None:
    cost = gcp_stack_plan.outputs["gcp_monitoring"]
    conditions = sum(len(p.inputs["conditions"]) for p in gcp_stack_plan.of_type(POLICY))
    assert cost == {"alert_conditions": conditions, "usd_per_month": pytest.approx(conditions * 1.5)}
