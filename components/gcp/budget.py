"""A monthly Google Cloud billing budget on one project, notifying its Cloud Monitoring channels.

Alerts at 50 %, 90 % and 100 % of actual spend and at 100 % of forecast spend. The budget lives on the
billing account (the credentials need billing.budgets.create there) and is filtered to the project, which
the Budget API names by number, not id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from cloud_facts.gcp.monitoring import GCP_BUDGET_CHANNELS_MAX as MAX_CHANNELS
from cloud_facts.gcp.monitoring import GCP_BUDGET_DISPLAY_NAME_MAX as DISPLAY_NAME_MAX

# (fraction of the amount, basis): warn early, again near the end, and when the month will overrun.
THRESHOLDS = (
    (0.5, "CURRENT_SPEND"),
    (0.9, "CURRENT_SPEND"),
    (1.0, "CURRENT_SPEND"),
    (1.0, "FORECASTED_SPEND"),
)


@dataclass
class GcpBudgetArgs:
    billing_account: str  # the billing account the budget lives on
    project_number: pulumi.Input[str]  # the budget counts this project's spend only
    monthly_usd: int  # the monthly amount in whole USD
    channel_names: Sequence[pulumi.Input[str]]  # projects/<id>/notificationChannels/<id>
    display_name: str  # the budget's name in the billing console (60 characters at most)
    depends_on: Sequence[pulumi.Resource] = ()  # the Budget API's enablement


class GcpBudget(pulumi.ComponentResource):
    budget_name: pulumi.Output[str]

    def __init__(self, name: str, args: GcpBudgetArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        if args.monthly_usd <= 0 or not args.billing_account:
            raise ValueError("GcpBudgetArgs needs a billing account and a positive monthly amount")
        if not 1 <= len(args.channel_names) <= MAX_CHANNELS or len(args.display_name) > DISPLAY_NAME_MAX:
            raise ValueError(
                f"GcpBudgetArgs: 1-{MAX_CHANNELS} channels, a name of at most {DISPLAY_NAME_MAX}"
            )
        super().__init__("launchpad:gcp_budget:GcpBudget", name, None, opts)
        budget = gcp.billing.Budget(
            f"{name}-monthly",
            billing_account=args.billing_account,
            display_name=args.display_name,
            budget_filter=gcp.billing.BudgetBudgetFilterArgs(
                projects=[pulumi.Output.concat("projects/", args.project_number)], calendar_period="MONTH"
            ),
            # In USD: the Budget API refuses an amount in another currency than the billing account's.
            amount=gcp.billing.BudgetAmountArgs(
                specified_amount=gcp.billing.BudgetAmountSpecifiedAmountArgs(
                    currency_code="USD", units=str(args.monthly_usd)
                )
            ),
            threshold_rules=[
                gcp.billing.BudgetThresholdRuleArgs(threshold_percent=share, spend_basis=basis)
                for share, basis in THRESHOLDS
            ],
            all_updates_rule=gcp.billing.BudgetAllUpdatesRuleArgs(
                monitoring_notification_channels=list(args.channel_names),
                disable_default_iam_recipients=False,  # the billing account's admins hear of it too
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(args.depends_on)),
        )
        self.budget_name = budget.name
        self.register_outputs({"budget_name": self.budget_name})
