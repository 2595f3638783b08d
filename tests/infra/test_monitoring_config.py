"""Alert recipients, alarm thresholds and cost guards: seed 001's defaults, and bad values refused by key."""

from __future__ import annotations

import pytest
import yaml

from app import contract
from offline.stack_files import REPO_ROOT, load_stack_config
from stack_config import ConfigError, StackSettings, parse_settings


def _raw(stack: str, **changes: object) -> dict[str, object]:
    values = load_stack_config(stack).with_overrides(changes).values
    return {k.split(":", 1)[1]: v for k, v in values.items() if k.startswith("launchpad:")}


def _problems(stack: str, **changes: object) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_settings(_raw(stack, **changes))
    return caught.value.problems


def test_the_declared_alarm_defaults_are_seed_001s_thresholds() -> None:
    declared = yaml.safe_load((REPO_ROOT / "Pulumi.yaml").read_text())["config"]
    assert declared["alarmErrorRatePercent"]["default"] == round(contract.ALARM_ERROR_RATE * 100)
    assert declared["alarmLatencyMs"]["default"] == contract.ALARM_LATENCY_MS
    assert declared["alarmAiFailureRatePercent"]["default"] == round(contract.ALARM_AI_FAILURE_RATE * 100)
    # A stack that sets none of them alarms at exactly seed 001's values.
    local = parse_settings(_raw("local"))
    assert local.alarm_error_rate_percent / 100 == contract.ALARM_ERROR_RATE
    assert local.alarm_latency_ms == contract.ALARM_LATENCY_MS


def test_the_single_alert_email_of_older_stack_files_still_works_and_merges() -> None:
    legacy = parse_settings(_raw("dev", alertEmails=[], alertEmail="oncall@example.com"))
    assert legacy.alert_addresses == ("oncall@example.com",)
    merged = parse_settings(
        _raw("dev", alertEmail="oncall@example.com", alertEmails=["OnCall@example.com", "team@example.com"])
    )
    assert merged.alert_addresses == ("oncall@example.com", "team@example.com")


@pytest.mark.parametrize("targets", [["aws"], ["aws", "gcp"]])
def test_a_cloud_stack_without_any_alert_address_is_refused(targets: list[str]) -> None:
    problems = _problems("dev", alertEmails=[], alertEmail="", targets=targets, **{"gcp:project": "p-1"})
    [problem] = [p for p in problems if p.startswith("launchpad:alertEmails:")]
    assert "at least one address" in problem and "Fix: pulumi config set" in problem


def test_more_addresses_than_aws_budgets_notifies_are_refused() -> None:
    addresses = [f"person{i}@example.com" for i in range(11)]
    assert any(
        p.startswith("launchpad:alertEmails: lists 11") for p in _problems("dev", alertEmails=addresses)
    )


@pytest.mark.parametrize(
    ("key", "bad_value"),
    [
        ("alertEmails", ["not-an-address"]),
        ("alertHttpsEndpoint", "http://events.example.com/hook"),
        ("runbookUrl", "ftp://wiki.example.com/runbook"),
        ("alarmErrorRatePercent", 0),
        ("alarmErrorRatePercent", 101),
        ("alarmLatencyMs", 5),
        ("alarmPeriodSeconds", 90),
        ("alarmPeriodSeconds", 30),
        ("alarmEvaluationPeriods", 0),
        ("alarmAiDailySpendUsd", 0),
        ("alarmQueueAgeSeconds", 10),
        ("alarmSyncedTokenAgeHours", 0),
        ("costAnomalyMonitor", "always"),
        ("gcpBillingAccount", "my-billing-account"),
    ],
)
def test_each_invalid_alerting_value_is_reported_with_its_key_and_fix(key: str, bad_value: object) -> None:
    problem = next(p for p in _problems("dev", **{key: bad_value}) if p.startswith(f"launchpad:{key}"))
    assert "Fix:" in problem


def test_more_datapoints_than_evaluation_periods_are_refused() -> None:
    problems = _problems("dev", alarmEvaluationPeriods=2, alarmDatapointsToAlarm=3)
    assert any(p.startswith("launchpad:alarmDatapointsToAlarm: (3) exceeds") for p in problems)


@pytest.mark.parametrize(
    ("period", "periods", "fine"),
    [(300, 288, True), (300, 289, False), (3600, 168, True), (3600, 169, False)],
)
def test_the_evaluation_window_stays_within_what_cloudwatch_evaluates(
    period: int, periods: int, fine: bool
) -> None:
    raw = _raw("dev", alarmPeriodSeconds=period, alarmEvaluationPeriods=periods)
    if fine:
        parse_settings(raw)
        return
    with pytest.raises(ConfigError, match="alarmEvaluationPeriods: x alarmPeriodSeconds"):
        parse_settings(raw)


def test_a_stack_anomaly_monitor_needs_the_stack_tag_activated_here() -> None:
    problems = _problems("dev", costAnomalyMonitor="stack")
    assert any(
        p.startswith("launchpad:costAnomalyMonitor:") and "activateCostAllocationTag" in p for p in problems
    )
    settings = parse_settings(_raw("dev", costAnomalyMonitor="stack", activateCostAllocationTag=True))
    assert settings.cost_anomaly_monitor == "stack"


@pytest.mark.parametrize(
    ("changes", "key", "mentions"),
    [
        ({"gcpMonthlyBudgetUsd": 50}, "gcpMonthlyBudgetUsd", "gcpBillingAccount"),
        ({"gcpBillingAccount": "01ABCD-23EF45-6789AB"}, "gcpBillingAccount", "gcpMonthlyBudgetUsd"),
    ],
)
def test_a_gcp_budget_needs_both_its_amount_and_its_billing_account(
    changes: dict, key: str, mentions: str
) -> None:
    problems = _problems("dev", targets=["aws", "gcp"], **changes)
    assert any(p.startswith(f"launchpad:{key}:") and mentions in p for p in problems)


def test_a_gcp_budget_notifies_at_most_five_channels() -> None:
    addresses = [f"person{i}@example.com" for i in range(6)]
    gcp_budget = {"gcpMonthlyBudgetUsd": 50, "gcpBillingAccount": "01ABCD-23EF45-6789AB"}
    problems = _problems("dev", targets=["aws", "gcp"], alertEmails=addresses, **gcp_budget)
    assert any("a GCP budget notifies at most 5 channels" in p for p in problems)


def test_every_alerting_key_is_declared_with_a_default_so_no_stack_must_set_it() -> None:
    declared = yaml.safe_load((REPO_ROOT / "Pulumi.yaml").read_text())["config"]
    monitoring_keys = {
        field.alias
        for name, field in StackSettings.model_fields.items()
        if name.startswith(("alarm_", "alert_", "cost_anomaly", "gcp_billing", "gcp_monthly", "runbook"))
    }
    assert len(monitoring_keys) >= 18
    assert [key for key in monitoring_keys if "default" not in declared[key]] == []
