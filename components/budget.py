"""The stack's cost guard: an encrypted SNS topic for alerts and a monthly AWS Budget that notifies it."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.iam_policy import Condition, Statement, policy_json

# (threshold %, ACTUAL or FORECASTED): warn before the money is spent, and again when it is.
NOTIFY_AT = ((80, "ACTUAL"), (100, "ACTUAL"), (100, "FORECASTED"))


@dataclass
class BudgetArgs:
    monthly_limit_usd: int
    alert_email: str
    kms_key_arn: pulumi.Input[str]
    # (tag key, value) that scopes the budget to this stack; None watches the whole account.
    cost_filter_tag: tuple[str, str] | None
    # Activate the filter's tag for cost allocation: a budget filtered on an inactive tag sees nothing.
    activate_tag: bool = False


class Budget(pulumi.ComponentResource):
    topic_arn: pulumi.Output[str]

    def __init__(self, name: str, args: BudgetArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        if args.monthly_limit_usd <= 0:
            raise ValueError("BudgetArgs.monthly_limit_usd must be positive")
        if "@" not in args.alert_email:
            raise ValueError("BudgetArgs.alert_email must be an email address")
        super().__init__("launchpad:budget:Budget", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        account = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id
        topic = aws.sns.Topic(f"{name}-alerts", kms_master_key_id=args.kms_key_arn, opts=child)
        aws.sns.TopicPolicy(
            f"{name}-alerts-policy",
            arn=topic.arn,
            policy=policy_json(
                [
                    Statement(
                        sid="AwsBudgetsAndAlarmsPublish",
                        actions=["sns:Publish"],
                        resources=[topic.arn],
                        principals={"Service": ["budgets.amazonaws.com", "cloudwatch.amazonaws.com"]},
                        conditions=[Condition("StringEquals", "aws:SourceAccount", [account])],
                    )
                ]
            ),
            opts=child,
        )
        aws.sns.TopicSubscription(
            f"{name}-alerts-email", topic=topic.arn, protocol="email", endpoint=args.alert_email, opts=child
        )
        aws.budgets.Budget(
            f"{name}-monthly",
            budget_type="COST",
            limit_amount=f"{args.monthly_limit_usd:.2f}",
            limit_unit="USD",
            time_unit="MONTHLY",
            cost_filters=self._cost_filters(name, args),
            notifications=[
                aws.budgets.BudgetNotificationArgs(
                    comparison_operator="GREATER_THAN",
                    threshold=threshold,
                    threshold_type="PERCENTAGE",
                    notification_type=kind,
                    subscriber_sns_topic_arns=[topic.arn],
                )
                for threshold, kind in NOTIFY_AT
            ],
            opts=child,
        )
        self.topic_arn = topic.arn
        self.register_outputs({"topic_arn": self.topic_arn})

    def _cost_filters(self, name: str, args: BudgetArgs) -> list[aws.budgets.BudgetCostFilterArgs] | None:
        if args.cost_filter_tag is None:
            return None
        tag_key, tag_value = args.cost_filter_tag
        if args.activate_tag:
            # Account-wide and shared by every stack filtering on the same key: deleting the resource sets
            # the tag Inactive, so a destroyed stack must leave it as it is.
            aws.costexplorer.CostAllocationTag(
                f"{name}-cost-tag",
                tag_key=tag_key,
                status="Active",
                opts=pulumi.ResourceOptions(parent=self, retain_on_delete=True),
            )
        return [aws.budgets.BudgetCostFilterArgs(name="TagKeyValue", values=[f"user:{tag_key}${tag_value}"])]
