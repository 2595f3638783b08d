"""The settings of a stack's alerts, alarms and budgets, each key alone; `StackSettings` inherits them.

Seed 001's thresholds (`app.contract.ALARM_*`) are the defaults `Pulumi.yaml` declares for the alarm keys,
so the app and the alarms keep one source of truth. Rules between these keys live in `rules.py`.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, EmailStr, Field, field_validator

from app import contract
from cloud_facts.aws.cloudwatch import DAY_SECONDS
from stack_config.hints import fix

BudgetScope = Literal["stack", "account"]
# `off`: no anomaly monitor. `stack`: a CUSTOM monitor on the stack tag (needs the tag active). `account`:
# the account's AWS-services monitor, of which an account may have only one.
AnomalyMonitorMode = Literal["off", "stack", "account"]
_HTTPS_URL = re.compile(r"https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[^\s]*)?")
_BILLING_ACCOUNT = r"^([0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6})?$"


class MonitoringSettings(BaseModel):
    """Alert recipients, alarm thresholds and timing, and the cost guards of AWS and Google Cloud."""

    # ---- who is told (SNS topic on AWS, notification channels on Google Cloud) ----
    # `alertEmail` (one address) predates `alertEmails`; both are read and merged, so old stack files work.
    alert_email: Annotated[
        EmailStr | None, Field(json_schema_extra=fix("pulumi config set alertEmail ops@example.com"))
    ]
    alert_emails: Annotated[
        tuple[EmailStr, ...],
        Field(json_schema_extra=fix("pulumi config set --path 'alertEmails[0]' ops@example.com")),
    ]
    alert_https_endpoint: Annotated[
        str,
        Field(json_schema_extra=fix("pulumi config set alertHttpsEndpoint https://events.example.com/hook")),
    ]
    runbook_url: Annotated[
        str,
        Field(
            json_schema_extra=fix(
                "pulumi config set runbookUrl https://github.com/acme/launchpad/blob/main/docs/runbook.md"
            )
        ),
    ]

    # ---- what the service alarms watch (seed 001 defaults) ----
    alarm_error_rate_percent: Annotated[
        int, Field(ge=1, le=100, json_schema_extra=fix("pulumi config set alarmErrorRatePercent 5"))
    ]
    alarm_latency_ms: Annotated[
        int, Field(ge=10, le=60_000, json_schema_extra=fix("pulumi config set alarmLatencyMs 2000"))
    ]
    alarm_ai_failure_rate_percent: Annotated[
        int, Field(ge=1, le=100, json_schema_extra=fix("pulumi config set alarmAiFailureRatePercent 20"))
    ]
    alarm_min_requests: Annotated[
        int, Field(ge=1, le=1_000_000, json_schema_extra=fix("pulumi config set alarmMinRequests 20"))
    ]
    alarm_period_seconds: Annotated[
        int, Field(json_schema_extra=fix("pulumi config set alarmPeriodSeconds 300 (a multiple of 60)"))
    ]
    alarm_evaluation_periods: Annotated[
        int, Field(ge=1, le=1440, json_schema_extra=fix("pulumi config set alarmEvaluationPeriods 1"))
    ]
    alarm_datapoints_to_alarm: Annotated[
        int,
        Field(ge=1, le=1440, json_schema_extra=fix("pulumi config set alarmDatapointsToAlarm 1")),
    ]
    alarm_waf_blocked_rate_percent: Annotated[
        int, Field(ge=1, le=100, json_schema_extra=fix("pulumi config set alarmWafBlockedRatePercent 10"))
    ]
    alarm_ai_daily_spend_usd: Annotated[
        int,
        Field(ge=1, le=1_000_000, json_schema_extra=fix("pulumi config set alarmAiDailySpendUsd 10")),
    ]
    alarm_queue_depth: Annotated[
        int, Field(ge=1, le=1_000_000, json_schema_extra=fix("pulumi config set alarmQueueDepth 100"))
    ]
    alarm_queue_age_seconds: Annotated[
        int,
        Field(ge=60, le=DAY_SECONDS, json_schema_extra=fix("pulumi config set alarmQueueAgeSeconds 600")),
    ]
    alarm_synced_token_age_hours: Annotated[
        int,
        Field(
            ge=1,
            le=contract.SYNCED_TOKEN_ALARM_MAX_HOURS,
            json_schema_extra=fix("pulumi config set alarmSyncedTokenAgeHours 720"),
        ),
    ]

    # The AI spend kill switch: the app answers from its rules alone, calling no provider (AI_DISABLED).
    ai_disabled: bool
    # The provider whose key is the synced token (`launchpad token-sync push`, whose age the synced-token
    # alarm watches), used where that provider has no key of its own; "" for none (SYNCED_TOKEN_PROVIDER).
    synced_token_provider: Annotated[
        Literal["", "claude", "gemini", "huggingface"],
        Field(json_schema_extra=fix("pulumi config set syncedTokenProvider huggingface (or '' for none)")),
    ]

    # ---- what the stack may spend ----
    # Required where a budget is created (AWS targets); see rules.py. Pulumi.yaml declares 0 = unset.
    monthly_budget_usd: Annotated[
        int | None,
        Field(gt=0, json_schema_extra=fix("pulumi config set monthlyBudgetUsd 100 (whole USD > 0)")),
    ]
    budget_scope: Annotated[
        BudgetScope, Field(json_schema_extra=fix("pulumi config set budgetScope stack|account"))
    ]
    activate_cost_allocation_tag: bool
    cost_anomaly_monitor: Annotated[
        AnomalyMonitorMode,
        Field(json_schema_extra=fix("pulumi config set costAnomalyMonitor off|stack|account")),
    ]
    cost_anomaly_threshold_usd: Annotated[
        int,
        Field(ge=1, le=1_000_000, json_schema_extra=fix("pulumi config set costAnomalyThresholdUsd 20")),
    ]
    gcp_billing_account: Annotated[
        str,
        Field(
            pattern=_BILLING_ACCOUNT,
            json_schema_extra=fix("pulumi config set gcpBillingAccount 012345-6789AB-CDEF01"),
        ),
    ]
    gcp_monthly_budget_usd: Annotated[
        int,
        Field(ge=0, le=1_000_000, json_schema_extra=fix("pulumi config set gcpMonthlyBudgetUsd 100")),
    ]

    @property
    def alert_addresses(self) -> tuple[str, ...]:
        """Every address that receives alerts, `alertEmail` first, each once."""
        merged = ([self.alert_email] if self.alert_email else []) + list(self.alert_emails)
        first_by_lower = {address.lower(): address for address in reversed(merged)}
        return tuple(first_by_lower[key] for key in dict.fromkeys(a.lower() for a in merged))

    @field_validator("alert_email", "monthly_budget_usd", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: Any) -> Any:
        # Pulumi.yaml's defaults ("" and 0) mean "not set"; rules.py decides where that is an error.
        return None if value in ("", 0, "0") else value

    @field_validator("alert_https_endpoint")
    @classmethod
    def _https_only(cls, value: str) -> str:
        # SNS would also take http://; alerts carry alarm details and must not cross the internet in clear.
        if value and not _HTTPS_URL.fullmatch(value):
            raise ValueError("must be an https:// URL (plain http is refused) or empty")
        return value

    @field_validator("runbook_url")
    @classmethod
    def _runbook_location(cls, value: str) -> str:
        if not (_HTTPS_URL.fullmatch(value) or re.fullmatch(r"[\w./-]+\.md", value)):
            raise ValueError("must be an https:// URL or a path to a markdown file such as docs/runbook.md")
        return value

    @field_validator("alarm_period_seconds")
    @classmethod
    def _whole_minutes(cls, value: int) -> int:
        # The load balancer, ECS and the app's EMF metrics all have one-minute resolution: a 10-30 s
        # (high-resolution) period would see no data and cost three times as much.
        if not 60 <= value <= DAY_SECONDS or value % 60:
            raise ValueError("must be a multiple of 60 seconds between 60 and 86400")
        return value
