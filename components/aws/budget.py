"""The stack's cost guard and alert channel: an encrypted SNS topic, its subscribers, a monthly AWS Budget.

The topic is the one place every alarm, budget and cost anomaly of the stack is sent. E-mail addresses are
subscribed (each owner confirms once); an optional HTTPS endpoint, typically a pager, receives only the
paging alarms, filtered on the alarm name in the notification body, so it is not woken by every alarm.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from cloud_facts.aws.notifications import AWS_BUDGET_EMAILS_MAX
from components.iam_policy import Condition, Statement, policy_json

# (threshold %, ACTUAL or FORECASTED): warn before the money is spent, and again when it is.
NOTIFY_AT = ((80, "ACTUAL"), (100, "ACTUAL"), (100, "FORECASTED"))
# Services of this account that publish to the topic: alarms, budgets, and Cost Anomaly Detection when on.
ALARM_PUBLISHERS = ("cloudwatch.amazonaws.com", "budgets.amazonaws.com")
ANOMALY_PUBLISHER = "costalerts.amazonaws.com"


def topic_publishers(anomaly_alerts: bool) -> list[str]:
    """The services allowed to publish to the alerts topic (and to use the key that encrypts it)."""
    return [*ALARM_PUBLISHERS, *([ANOMALY_PUBLISHER] if anomaly_alerts else [])]


@dataclass
class BudgetArgs:
    monthly_limit_usd: int  # the monthly budget in whole USD (NOTIFY_AT says when it alerts)
    alert_emails: Sequence[str]  # subscribed to the topic and notified by the budget (AWS takes at most 10)
    kms_key_arn: pulumi.Input[str]  # encrypts the alert topic; its policy lets the publishers use it
    # (tag key, value) that scopes the budget to this stack; None watches the whole account.
    cost_filter_tag: tuple[str, str] | None
    # Activate the filter's tag for cost allocation: a budget filtered on an inactive tag sees nothing.
    activate_tag: bool = False
    https_endpoint: str = ""  # an HTTPS webhook (a pager) subscribed to the paging alarms; empty: none
    # Alarm names the HTTPS endpoint is sent (CloudWatch notifications carry "AlarmName" in their body).
    paging_alarm_names: Sequence[str] = field(default_factory=list)
    # Let AWS Cost Anomaly Detection publish its alerts to the topic.
    anomaly_alerts: bool = False


class Budget(pulumi.ComponentResource):
    topic_arn: pulumi.Output[str]

    def __init__(self, name: str, args: BudgetArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        _validate(args)
        super().__init__("launchpad:budget:Budget", name, None, opts)
        self._name, self._child = name, pulumi.ResourceOptions(parent=self)
        topic = aws.sns.Topic(f"{name}-alerts", kms_master_key_id=args.kms_key_arn, opts=self._child)
        self._topic_policy(topic, args)
        self._subscriptions(topic, args)
        self._cost_tag(args)
        aws.budgets.Budget(
            f"{name}-monthly",
            budget_type="COST",
            limit_amount=f"{args.monthly_limit_usd:.2f}",
            limit_unit="USD",
            time_unit="MONTHLY",
            cost_filters=_cost_filters(args),
            notifications=[
                aws.budgets.BudgetNotificationArgs(
                    comparison_operator="GREATER_THAN",
                    threshold=threshold,
                    threshold_type="PERCENTAGE",
                    notification_type=kind,
                    subscriber_sns_topic_arns=[topic.arn],
                    # Straight to the inboxes as well: Budgets e-mails need no confirmation, so the money
                    # warnings arrive even while a topic subscription is still pending.
                    subscriber_email_addresses=list(args.alert_emails),
                )
                for threshold, kind in NOTIFY_AT
            ],
            opts=self._child,
        )
        self.topic_arn = topic.arn
        self.register_outputs({"topic_arn": self.topic_arn})

    def _topic_policy(self, topic: aws.sns.Topic, args: BudgetArgs) -> None:
        account = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id
        publishers = topic_publishers(args.anomaly_alerts)
        aws.sns.TopicPolicy(
            f"{self._name}-alerts-policy",
            arn=topic.arn,
            policy=policy_json(
                [
                    Statement(
                        sid="AwsBudgetsAndAlarmsPublish",
                        actions=["sns:Publish"],
                        resources=[topic.arn],
                        principals={"Service": publishers},
                        conditions=[Condition("StringEquals", "aws:SourceAccount", [account])],
                    )
                ]
            ),
            opts=self._child,
        )

    def _subscriptions(self, topic: aws.sns.Topic, args: BudgetArgs) -> None:
        for index, address in enumerate(args.alert_emails):
            # Named after the address, so adding or removing another never replaces (and re-confirms) it;
            # the first keeps the name the single `alertEmail` subscription had.
            legacy = [pulumi.Alias(name=f"{self._name}-alerts-email")] if index == 0 else []
            aws.sns.TopicSubscription(
                f"{self._name}-alerts-email-{_digest(address)}",
                topic=topic.arn,
                protocol="email",
                endpoint=address,
                opts=pulumi.ResourceOptions(parent=self, aliases=legacy),
            )
        if args.https_endpoint:
            aws.sns.TopicSubscription(
                f"{self._name}-alerts-https",
                topic=topic.arn,
                protocol="https",
                endpoint=args.https_endpoint,
                filter_policy_scope="MessageBody",
                filter_policy=json.dumps({"AlarmName": sorted(args.paging_alarm_names)}),
                opts=self._child,
            )

    def _cost_tag(self, args: BudgetArgs) -> aws.costexplorer.CostAllocationTag | None:
        if args.cost_filter_tag is None or not args.activate_tag:
            return None
        # Account-wide and shared by every stack filtering on the same key: deleting the resource sets
        # the tag Inactive, so a destroyed stack must leave it as it is.
        return aws.costexplorer.CostAllocationTag(
            f"{self._name}-cost-tag",
            tag_key=args.cost_filter_tag[0],
            status="Active",
            opts=pulumi.ResourceOptions(parent=self, retain_on_delete=True),
        )


def _cost_filters(args: BudgetArgs) -> list[aws.budgets.BudgetCostFilterArgs] | None:
    if args.cost_filter_tag is None:
        return None
    tag_key, tag_value = args.cost_filter_tag
    return [aws.budgets.BudgetCostFilterArgs(name="TagKeyValue", values=[f"user:{tag_key}${tag_value}"])]


def _digest(address: str) -> str:
    return hashlib.sha256(address.lower().encode()).hexdigest()[:8]


def _validate(args: BudgetArgs) -> None:
    if args.monthly_limit_usd <= 0:
        raise ValueError("BudgetArgs.monthly_limit_usd must be positive")
    if not args.alert_emails or any("@" not in address for address in args.alert_emails):
        raise ValueError("BudgetArgs.alert_emails must list at least one e-mail address")
    if len(args.alert_emails) > AWS_BUDGET_EMAILS_MAX:
        raise ValueError(
            f"BudgetArgs.alert_emails: AWS Budgets notifies at most {AWS_BUDGET_EMAILS_MAX} addresses"
        )
    if args.https_endpoint and not (args.https_endpoint.startswith("https://") and args.paging_alarm_names):
        raise ValueError("BudgetArgs.https_endpoint must be https:// and needs paging_alarm_names")
