"""An AWS resource's vended logs (CloudWatch Logs delivery, "V2") into a KMS-encrypted log group of its own.

A delivery source names the resource and its log type, a delivery destination names the log group, a
delivery pairs them (AWS-vended-logs-permissions-V2.html). CloudWatch Logs as the destination keeps the
logs under the stack's key and its retention, and touches no bucket policy: AWS adds the statement it
needs to the account's log resource policy (AWSLogDeliveryWrite), outside anything this stack manages.
All four live in the source's region (CloudFront's delivery sources in us-east-1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from cloud_facts.aws.cloudwatch import LOG_DELIVERY_NAME_MAX
from components.naming import fitted_name

# A group under /aws/vendedlogs/ is covered by one wildcard in the account's log resource policy, which
# AWS recommends so that policy stays under its 5,120 characters (AWS-logs-and-resource-policy.html).
VENDED_LOG_GROUP_PREFIX = "/aws/vendedlogs/"


@dataclass
class VendedLogsArgs:
    resource_arn: pulumi.Input[str]  # the resource that sends the logs
    log_type: str  # ACCESS_LOGS for a CloudFront distribution
    log_group_name: str  # under /aws/vendedlogs/
    kms_key_arn: pulumi.Input[str]  # a key of `region` that CloudWatch Logs may use
    retention_days: int  # one of CloudWatch Logs' retention values
    region: str | None = None  # None: the provider's region


class VendedLogs(pulumi.ComponentResource):
    log_group_name: pulumi.Output[str]

    def __init__(self, name: str, args: VendedLogsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        _validate(args)
        super().__init__("launchpad:vended_logs:VendedLogs", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        group = aws.cloudwatch.LogGroup(
            f"{name}-logs",
            name=args.log_group_name,
            retention_in_days=args.retention_days,
            kms_key_id=args.kms_key_arn,
            region=args.region,
            opts=child,
        )
        source = aws.cloudwatch.LogDeliverySource(
            f"{name}-source",
            name=fitted_name(name, "source", LOG_DELIVERY_NAME_MAX),
            log_type=args.log_type,
            resource_arn=args.resource_arn,
            region=args.region,
            opts=child,
        )
        destination = aws.cloudwatch.LogDeliveryDestination(
            f"{name}-destination",
            name=fitted_name(name, "destination", LOG_DELIVERY_NAME_MAX),
            output_format="json",
            delivery_destination_configuration=aws.cloudwatch.LogDeliveryDestinationDeliveryDestinationConfigurationArgs(
                destination_resource_arn=group.arn
            ),
            region=args.region,
            opts=child,
        )
        aws.cloudwatch.LogDelivery(
            f"{name}-delivery",
            delivery_source_name=source.name,
            delivery_destination_arn=destination.arn,
            region=args.region,
            opts=child,
        )
        self.log_group_name = group.name
        self.register_outputs({"log_group_name": self.log_group_name})


def _validate(args: VendedLogsArgs) -> None:
    if not args.log_group_name.startswith(VENDED_LOG_GROUP_PREFIX):
        raise ValueError(f"VendedLogsArgs.log_group_name must start with {VENDED_LOG_GROUP_PREFIX}")
    # CreateLogGroup: 1-512 characters of [.\-_/#A-Za-z0-9].
    if not re.fullmatch(r"[.\-_/#A-Za-z0-9]{1,512}", args.log_group_name):
        raise ValueError("VendedLogsArgs.log_group_name: 1-512 of letters, digits and . - _ / #")
    if not args.log_type:
        raise ValueError("VendedLogsArgs.log_type names the source's log type (ACCESS_LOGS for CloudFront)")
