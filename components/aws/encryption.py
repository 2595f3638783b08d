"""The stack's customer-managed KMS key, usable by exactly the services that store its data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.aws.budget import ALARM_PUBLISHERS
from components.iam_policy import Condition, Statement, policy_json

# Services that encrypt with the key on a caller's behalf (the caller's IAM policy still decides who).
VIA_SERVICES = ("secretsmanager", "s3", "rds", "elasticache", "sns", "ecr")


@dataclass
class EncryptionArgs:
    deletion_window_days: int = 30  # 7-30 days in which a scheduled key deletion can be cancelled
    alias: str | None = None  # the key's alias is "alias/<alias>"; None: the component's name
    # Services of this account that publish to topics encrypted with the key (alarms, budgets, ...).
    topic_publishers: Sequence[str] = field(default_factory=lambda: list(ALARM_PUBLISHERS))
    # Create the key in this region rather than the provider's (e.g. us-east-1 for CloudFront's WAF logs).
    region: str | None = None


class Encryption(pulumi.ComponentResource):
    key_arn: pulumi.Output[str]
    key_id: pulumi.Output[str]

    def __init__(self, name: str, args: EncryptionArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        if not 7 <= args.deletion_window_days <= 30:
            raise ValueError("EncryptionArgs.deletion_window_days must be 7-30 (KMS limits)")
        super().__init__("launchpad:encryption:Encryption", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        identity = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self))
        region = (
            pulumi.Output.from_input(args.region)
            if args.region
            else aws.get_region_output(opts=pulumi.InvokeOutputOptions(parent=self)).region
        )
        account = identity.account_id

        key = aws.kms.Key(
            f"{name}-key",
            description=f"{name}: encrypts logs, secrets, buckets, database, cache and topics",
            enable_key_rotation=True,
            deletion_window_in_days=args.deletion_window_days,
            policy=_key_policy(account, region, args.topic_publishers),
            region=args.region,
            opts=child,
        )
        aws.kms.Alias(
            f"{name}-alias",
            name=f"alias/{args.alias or name}",
            target_key_id=key.key_id,
            region=args.region,
            opts=child,
        )
        self.key_arn = key.arn
        self.key_id = key.key_id
        self.register_outputs({"key_arn": self.key_arn, "key_id": self.key_id})


def _service_endpoint(service: str, region: pulumi.Output[str]) -> pulumi.Output[str]:
    return region.apply(lambda r: f"{service}.{r}.amazonaws.com")


def _key_policy(
    account: pulumi.Output[str], region: pulumi.Output[str], topic_publishers: Sequence[str]
) -> pulumi.Output[str]:
    root = account.apply(lambda a: f"arn:aws:iam::{a}:root")
    publishers = (
        [
            Statement(
                sid="PublishersToEncryptedTopics",
                actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                resources=["*"],
                principals={"Service": list(topic_publishers)},
                conditions=[Condition("StringEquals", "aws:SourceAccount", [account])],
            )
        ]
        if topic_publishers
        else []
    )
    use_actions = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
    return policy_json(
        [
            # Without this the key is unmanageable and IAM policies in the account cannot grant its use.
            Statement(
                sid="AccountAdministers",
                actions=["kms:*"],
                resources=["*"],
                principals={"AWS": [root]},
            ),
            Statement(
                sid="CloudWatchLogsEncryptsItsGroups",
                # Only calls that carry the log group's encryption context, which the condition pins.
                actions=["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
                resources=["*"],
                principals={"Service": [region.apply(lambda r: f"logs.{r}.amazonaws.com")]},
                conditions=[
                    Condition(
                        "StringLike",
                        "kms:EncryptionContext:aws:logs:arn",
                        [
                            pulumi.Output.all(region, account).apply(
                                lambda ra: f"arn:aws:logs:{ra[0]}:{ra[1]}:*"
                            )
                        ],
                    )
                ],
            ),
            *publishers,
            Statement(
                sid="AccountPrincipalsThroughStorageServices",
                actions=[*use_actions, "kms:CreateGrant", "kms:ListGrants"],
                resources=["*"],
                principals={"AWS": ["*"]},
                conditions=[
                    Condition("StringEquals", "kms:CallerAccount", [account]),
                    Condition(
                        "StringEquals",
                        "kms:ViaService",
                        [_service_endpoint(service, region) for service in VIA_SERVICES],
                    ),
                ],
            ),
        ]
    )
