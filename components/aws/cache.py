"""ElastiCache Valkey in the isolated subnets: TLS required, AUTH token in Secrets Manager.

Valkey rather than Redis OSS: the same protocol and clients (redis-py, RQ), ElastiCache prices it about
20 % below Redis OSS for the same node, and it is where AWS puts new engine work.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from components.aws.secrets import check_recovery_window, stored_secret
from components.aws.security_rules import private_service_group
from components.naming import fitted_name_output

CACHE_PORT = 6379
REPLICATION_GROUP_ID_MAX = 40
# ElastiCache AUTH tokens: 16-128 printable characters; of the specials only these are allowed.
AUTH_TOKEN_SPECIALS = "!&#$^<>-"  # noqa: S105 - a character set, not a password
AUTH_TOKEN_LENGTH = 64


@dataclass
class CacheArgs:
    vpc_id: pulumi.Input[str]  # the VPC of the cache's security group
    subnet_ids: pulumi.Input[list[str]]  # the isolated (data) subnets, one per zone
    app_security_group_id: pulumi.Input[str]  # the only group admitted on the Redis port
    kms_key_arn: pulumi.Input[str]  # encrypts the data at rest and the AUTH token's secret
    node_type: str  # cache.t4g.micro and the like
    node_count: int  # 1-6 nodes; from 2 a replica in another zone takes over automatically
    engine_version: str  # the Valkey version ("8.0")
    snapshot_retention_days: int  # days of daily snapshots; 0 keeps none
    auth_secret_name: str  # the Secrets Manager name of the generated AUTH token
    secret_recovery_days: int = 7  # see AppSecretsArgs.recovery_window_days


class Cache(pulumi.ComponentResource):
    primary_endpoint: pulumi.Output[str]
    port: pulumi.Output[int]
    auth_secret_arn: pulumi.Output[str]
    security_group_id: pulumi.Output[str]
    # The CacheClusterId of each node (its CloudWatch metrics are per node), in a stable order.
    node_ids: list[pulumi.Output[str]]
    replicated: bool

    def __init__(self, name: str, args: CacheArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        _validate(args)
        super().__init__("launchpad:cache:Cache", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        group = private_service_group(
            name,
            vpc_id=args.vpc_id,
            client_group_id=args.app_security_group_id,
            port=CACHE_PORT,
            service="Valkey",
            opts=child,
        )
        token, secret = self._auth_token(name, args)
        subnet_group = aws.elasticache.SubnetGroup(f"{name}-subnets", subnet_ids=args.subnet_ids, opts=child)
        replicated = args.node_count >= 2
        replication_group = aws.elasticache.ReplicationGroup(
            f"{name}-group",
            # Autonaming would overflow the 40-character id for long stack names; the inputs whose change
            # replaces the group are in the name, so a replacement never collides with the group it replaces.
            replication_group_id=fitted_name_output(
                name,
                "group",
                REPLICATION_GROUP_ID_MAX,
                [str(CACHE_PORT), args.kms_key_arn, subnet_group.name, "at-rest-encrypted"],
            ),
            description=f"{name}: cache, rate limits and job queue",
            engine="valkey",
            engine_version=args.engine_version,
            node_type=args.node_type,
            num_cache_clusters=args.node_count,
            port=CACHE_PORT,
            subnet_group_name=subnet_group.name,
            security_group_ids=[group.id],
            automatic_failover_enabled=replicated,
            multi_az_enabled=replicated,
            at_rest_encryption_enabled=True,
            kms_key_id=args.kms_key_arn,
            transit_encryption_enabled=True,
            transit_encryption_mode="required",
            auth_token=token.result,
            auth_token_update_strategy="ROTATE",  # noqa: S106 - a strategy name
            snapshot_retention_limit=args.snapshot_retention_days,
            snapshot_window="03:00-04:00" if args.snapshot_retention_days else None,
            maintenance_window="sun:05:00-sun:06:00",
            auto_minor_version_upgrade=True,
            apply_immediately=False,
            opts=child,
        )
        self.primary_endpoint = replication_group.primary_endpoint_address
        self.port = replication_group.port.apply(lambda p: p or CACHE_PORT)
        self.auth_secret_arn = secret.arn
        self.security_group_id = group.id
        members = replication_group.member_clusters.apply(sorted)
        self.node_ids = [members.apply(operator.itemgetter(i)) for i in range(args.node_count)]
        self.replicated = replicated
        self.register_outputs(
            {
                "primary_endpoint": self.primary_endpoint,
                "auth_secret_arn": self.auth_secret_arn,
                "security_group_id": self.security_group_id,
            }
        )

    def _auth_token(
        self, name: str, args: CacheArgs
    ) -> tuple[random.RandomPassword, aws.secretsmanager.Secret]:
        """A token ElastiCache accepts, and a secret holding it for the app."""
        child = pulumi.ResourceOptions(parent=self)
        token = random.RandomPassword(
            f"{name}-auth-token",
            length=AUTH_TOKEN_LENGTH,
            special=True,
            override_special=AUTH_TOKEN_SPECIALS,
            min_upper=4,
            min_lower=4,
            min_numeric=4,
            opts=child,
        )
        secret = stored_secret(
            f"{name}-auth-secret",
            secret_name=args.auth_secret_name,
            description=f"{name}: Valkey AUTH token",
            kms_key_arn=args.kms_key_arn,
            recovery_window_days=args.secret_recovery_days,
            value=token.result,
            parent=self,
        )
        return token, secret


def _validate(args: CacheArgs) -> None:
    check_recovery_window(args.secret_recovery_days)
    if not 1 <= args.node_count <= 6:
        raise ValueError("CacheArgs.node_count must be 1-6 (a primary and up to 5 replicas)")
    if not 0 <= args.snapshot_retention_days <= 35:
        raise ValueError("CacheArgs.snapshot_retention_days must be 0-35")
    if not args.node_type.startswith("cache."):
        raise ValueError("CacheArgs.node_type must be an ElastiCache node type such as cache.t4g.micro")
