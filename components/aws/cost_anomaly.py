"""AWS Cost Anomaly Detection for the stack, alerting its topic. The service is free.

Two kinds of monitor are safe to own from a stack program:
- `stack`: a CUSTOM monitor on spend tagged stack=<stack>. Needs the tag active for cost allocation (only a
  payer account can activate it), so Organizations member accounts cannot use it.
- `account`: the DIMENSIONAL monitor of AWS services. An account holds only one, so only a stack that has its
  account to itself may create it, and only where no such monitor exists yet (AWS creates a default one for
  accounts that enable Cost Explorer); a second stack in the account, or that default, makes the create fail.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import pulumi
import pulumi_aws as aws

THRESHOLD_KEY = "ANOMALY_TOTAL_IMPACT_ABSOLUTE"  # an anomaly's cost impact in USD


@dataclass
class CostAnomalyArgs:
    mode: Literal["stack", "account"]  # watch the stack's tagged spend, or the whole account's services
    topic_arn: pulumi.Input[str]  # its policy must let costalerts.amazonaws.com publish
    threshold_usd: int  # an anomaly whose impact passes this many USD is sent
    tag: tuple[str, str] | None = None  # (key, value) of the stack tag, for `stack`
    depends_on: Sequence[pulumi.Resource] = field(
        default_factory=list
    )  # the tag activation, the topic policy


class CostAnomalyMonitor(pulumi.ComponentResource):
    monitor_arn: pulumi.Output[str]

    def __init__(self, name: str, args: CostAnomalyArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        if (args.mode == "stack") != (args.tag is not None):
            raise ValueError("CostAnomalyArgs.tag is given exactly for a `stack` monitor")
        if args.threshold_usd < 1:
            raise ValueError("CostAnomalyArgs.threshold_usd must be at least 1")
        super().__init__("launchpad:cost_anomaly:CostAnomalyMonitor", name, None, opts)
        after = pulumi.ResourceOptions(parent=self, depends_on=list(args.depends_on))
        if args.tag is not None:
            key, value = args.tag
            monitor = aws.costexplorer.AnomalyMonitor(
                f"{name}-monitor",
                monitor_type="CUSTOM",
                monitor_specification=json.dumps(
                    {"Tags": {"Key": key, "Values": [value], "MatchOptions": ["EQUALS"]}}
                ),
                opts=after,
            )
        else:
            monitor = aws.costexplorer.AnomalyMonitor(
                f"{name}-monitor", monitor_type="DIMENSIONAL", monitor_dimension="SERVICE", opts=after
            )
        Expression = aws.costexplorer.AnomalySubscriptionThresholdExpressionArgs
        Dimension = aws.costexplorer.AnomalySubscriptionThresholdExpressionDimensionArgs
        aws.costexplorer.AnomalySubscription(
            f"{name}-alerts",
            # An SNS subscriber takes individual alerts only (IMMEDIATE); daily and weekly are e-mail digests.
            frequency="IMMEDIATE",
            monitor_arn_lists=[monitor.arn],
            subscribers=[
                aws.costexplorer.AnomalySubscriptionSubscriberArgs(type="SNS", address=args.topic_arn)
            ],
            threshold_expression=Expression(
                dimension=Dimension(
                    key=THRESHOLD_KEY,
                    match_options=["GREATER_THAN_OR_EQUAL"],
                    values=[str(args.threshold_usd)],
                )
            ),
            opts=after,
        )
        self.monitor_arn = monitor.arn
        self.register_outputs({"monitor_arn": self.monitor_arn})
