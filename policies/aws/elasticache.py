"""ElastiCache (Valkey): encrypted at rest and in transit, AUTH, the stack key; failover where configured."""

from __future__ import annotations

from pulumi_policy import Severity

from policies.base import ADVISORY, Props, require, require_set, resource_rule
from policies.meta import RuleMeta

GROUP = "aws:elasticache/replicationGroup:ReplicationGroup"


def _transit(props: Props) -> list[str]:
    if props.get("transitEncryptionEnabled") is not True:
        return ["in-transit encryption is off"]
    mode = props.get("transitEncryptionMode")
    return [] if mode in (None, "required") else [f"transit encryption mode {mode} admits plain text"]


_snapshots = require_set("snapshotRetentionLimit", "no snapshots are retained")


def _own_subnet_group(props: Props) -> list[str]:
    name = props.get("subnetGroupName")
    return [] if name and name != "default" else ["the cache runs in the default subnet group"]


ELASTICACHE_POLICIES = [
    resource_rule(
        RuleMeta(
            "elasticache-at-rest-encryption",
            "Caches encrypt data at rest.",
            Severity.HIGH,
            "Set atRestEncryptionEnabled true (replaces the replication group).",
            checkov=("CKV_AWS_29",),
            trivy=("AWS-0045",),
            fsbp=("ElastiCache.4",),
        ),
        GROUP,
        lambda p: require(p, "atRestEncryptionEnabled", True, "at-rest encryption is off"),
    ),
    resource_rule(
        RuleMeta(
            "elasticache-transit-encryption",
            "Caches require TLS.",
            Severity.HIGH,
            "Set transitEncryptionEnabled true and transitEncryptionMode required; clients use rediss://.",
            checkov=("CKV_AWS_30",),
            trivy=("AWS-0051",),
            fsbp=("ElastiCache.5",),
        ),
        GROUP,
        _transit,
    ),
    resource_rule(
        RuleMeta(
            "elasticache-auth-token",
            "Caches require an AUTH token.",
            Severity.HIGH,
            "Set authToken (generated, kept in Secrets Manager) with authTokenUpdateStrategy.",
            checkov=("CKV_AWS_31",),
            fsbp=("ElastiCache.6",),
        ),
        GROUP,
        require_set("authToken", "no AUTH token"),
    ),
    resource_rule(
        RuleMeta(
            "elasticache-kms",
            "Caches encrypt with the stack's KMS key.",
            Severity.MEDIUM,
            "Set kmsKeyId to the stack key.",
            checkov=("CKV_AWS_191",),
        ),
        GROUP,
        require_set("kmsKeyId", "encrypted with AWS's key, not the stack's"),
    ),
    resource_rule(
        RuleMeta(
            "elasticache-auto-minor-upgrade",
            "Caches take minor engine upgrades.",
            Severity.LOW,
            "Set autoMinorVersionUpgrade true.",
            checkov=("CKV_AWS_322",),
            fsbp=("ElastiCache.2",),
        ),
        GROUP,
        lambda p: require(p, "autoMinorVersionUpgrade", True, "auto minor upgrade is off"),
    ),
    resource_rule(
        RuleMeta(
            "elasticache-own-subnet-group",
            "Caches run in a subnet group of their own.",
            Severity.LOW,
            "Create an elasticache.SubnetGroup over the isolated subnets and name it.",
            checkov=("CKV_AWS_323",),
            fsbp=("ElastiCache.7",),
        ),
        GROUP,
        _own_subnet_group,
    ),
    resource_rule(
        RuleMeta(
            "elasticache-automatic-failover",
            "Caches fail over to a replica.",
            Severity.MEDIUM,
            "Set cacheNodeCount 2 or more (turns on failover and multi-AZ).",
            category="availability",
            checkov=("CKV2_AWS_50",),
            fsbp=("ElastiCache.3",),
        ),
        GROUP,
        lambda p: require(p, "automaticFailoverEnabled", True, "no automatic failover"),
        ADVISORY,
    ),
    resource_rule(
        RuleMeta(
            "elasticache-snapshots",
            "Caches keep automatic snapshots.",
            Severity.LOW,
            "Set cacheSnapshotRetentionDays 1 or more.",
            category="availability",
            checkov=("CKV_AWS_134",),
            trivy=("AWS-0050",),
            fsbp=("ElastiCache.1",),
        ),
        GROUP,
        _snapshots,
        ADVISORY,
    ),
]
