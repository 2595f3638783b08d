"""The pack's monitoring rules: alarms tell someone, and every service, database and cache is watched."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from offline.mocks import Recorded
from offline.policy_check import check, mandatory
from offline.program import ProgramRun
from tests.infra.plan_query import Plan

TOPIC = "arn:aws:sns:us-east-1:123456789012:alerts"


def _alarm(**props: Any) -> ProgramRun:
    urn = "urn:pulumi:dev::launchpad::aws:cloudwatch/metricAlarm:MetricAlarm::a"
    alarm = Recorded("aws:cloudwatch/metricAlarm:MetricAlarm", "a", props, props, None, True, "a", urn=urn)
    return ProgramRun("dev", [alarm], {}, [])


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        ({"alarmActions": [TOPIC], "okActions": [TOPIC], "actionsEnabled": False}, "actions are disabled"),
        ({"okActions": [TOPIC]}, "no alarmActions"),
        ({"alarmActions": [TOPIC]}, "no okActions"),
        (
            {"alarmActions": ["arn:aws:automate:us-east-1:ec2:stop"], "okActions": [TOPIC]},
            "is not an SNS topic",
        ),
    ],
)
def test_an_alarm_that_tells_nobody_is_blocked(props: dict[str, Any], expected: str) -> None:
    found = [v.message for v in mandatory(check(_alarm(**props))) if v.policy == "alarm-actions"]
    assert any(expected in message for message in found), found


def test_an_alarm_that_notifies_the_topic_both_ways_passes() -> None:
    found = check(_alarm(alarmActions=[TOPIC], okActions=[TOPIC], actionsEnabled=True))
    assert [v for v in found if v.policy == "alarm-actions"] == []


def _without(plan: Plan, drop: str) -> ProgramRun:
    kept = [r for r in plan.resources if drop not in r.name]
    return dataclasses.replace(plan.run, resources=kept)


@pytest.mark.parametrize(
    ("dropped", "unwatched"),
    [("-alarms-db-", "database"), ("-alarms-cache-", "cache"), ("-alarms-worker-", "ECS service")],
)
def test_a_resource_no_alarm_reads_is_reported(prod: Plan, dropped: str, unwatched: str) -> None:
    found = [v.message for v in check(_without(prod, dropped)) if v.policy == "stack-monitoring-coverage"]
    assert found and all(message.startswith(f"no alarm reads the {unwatched} ") for message in found), found


def test_the_shipped_stacks_watch_everything_they_run(stack_plan: Plan) -> None:
    assert [v for v in check(stack_plan.run) if v.policy == "stack-monitoring-coverage"] == []


def test_a_stack_without_a_paging_alarm_or_a_budget_is_reported(dev: Plan) -> None:
    found = {v.message for v in check(_without(dev, "-paging")) if v.policy == "stack-monitoring-coverage"}
    assert found == {"the stack has alarms but no composite alarm to page on"}
    no_budget = [r for r in dev.resources if r.type != "aws:budgets/budget:Budget"]
    found = {v.message for v in check(dataclasses.replace(dev.run, resources=no_budget))}
    assert "the stack has no AWS Budget" in found


def test_a_budget_notification_without_subscribers_is_reported(dev: Plan) -> None:
    budget = dev.one("aws:budgets/budget:Budget")
    silent = dict(budget.outputs)
    silent["notifications"] = [
        {**n, "subscriberSnsTopicArns": [], "subscriberEmailAddresses": []} for n in silent["notifications"]
    ]
    changed = dataclasses.replace(budget, outputs=silent, inputs=silent)
    resources = [changed if r is budget else r for r in dev.resources]
    found = [
        v.message
        for v in check(dataclasses.replace(dev.run, resources=resources))
        if v.policy == "stack-budget-with-subscriber"
    ]
    assert len(found) == len(silent["notifications"]) and all("has no subscriber" in m for m in found)
