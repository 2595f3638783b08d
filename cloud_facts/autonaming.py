"""Pulumi autonaming: which property each provider fills in from the logical name when the program leaves
it unset.

The provider's `Check` does it before any policy sees the resource, so a real preview's policies see the
generated name; the offline mocks apply this table to do the same. The name is the logical name, maybe
lower-cased, then the separator and 7 random hex characters; past `maxlen` the bridge refuses it
("name '<prefix>-' plus 7 random chars is longer than maximum length N"), it never shortens it
(pulumi/pulumi sdk/go/common/resource/resource_id.go NewUniqueName, called by the bridge's AutoName).
Sources: pulumi-aws provider/autonaming.go (every input called `name`, maxlen 255) and the overrides
in provider/resource_overrides.go and provider/aliases.go; pulumi-gcp and pulumi-docker
provider/resources.go (`SetAutonaming(255, "-")` and the overrides named below).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

RANDOM_LENGTH = 7
# Terraform's `name_prefix` appends id.PrefixedUniqueId's 26 characters (a UTC timestamp and a counter)
# (terraform-plugin-sdk helper/id: UniqueIDSuffixLength = 26).
NAME_PREFIX_SUFFIX_LENGTH = 26


@dataclass(frozen=True)
class AutoName:
    prop: str = "name"
    maxlen: int = 255
    lower: bool = False
    separator: str = "-"
    # Properties whose presence turns autonaming off (Terraform's ConflictsWith of the name).
    unless: tuple[str, ...] = ("namePrefix",)

    def generate(self, logical_name: str, random_hex: str) -> str:
        base = logical_name.lower() if self.lower else logical_name
        return f"{base}{self.separator}{random_hex[:RANDOM_LENGTH]}"

    def overflow(self, logical_name: str) -> str | None:
        """The bridge's own refusal, when the name would pass Pulumi's maximum for this property."""
        prefix = (logical_name.lower() if self.lower else logical_name) + self.separator
        if len(prefix) + RANDOM_LENGTH <= self.maxlen:
            return None
        return (
            f"name '{prefix}' plus {RANDOM_LENGTH} random chars is longer than maximum length {self.maxlen}"
        )


# Every AWS input literally called `name` is autonamed with maxlen 255 unless listed here otherwise.
_AWS_NAME = AutoName()
AWS_EXCEPTIONS: dict[str, AutoName | None] = {
    "aws:lb/targetGroup:TargetGroup": AutoName(maxlen=32),  # aliases.go
    "aws:elasticache/replicationGroup:ReplicationGroup": AutoName("replicationGroupId", 40, lower=True),
    "aws:rds/instance:Instance": AutoName("identifier", 255, separator="", unless=("identifierPrefix",)),
    "aws:iam/role:Role": AutoName(maxlen=64),
    "aws:s3/bucket:Bucket": AutoName("bucket", 63, lower=True, unless=("bucketPrefix",)),
    "aws:sns/topic:Topic": AutoName(maxlen=80),
    "aws:kms/alias:Alias": None,  # PostTransform adds "alias/"; the program always names its aliases
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": None,  # alarmName is required
    "aws:cloudwatch/dashboard:Dashboard": None,  # dashboardName is required
    "aws:cloudfront/distribution:Distribution": None,
    "aws:cloudfront/vpcOrigin:VpcOrigin": None,
}
# AWS types with an input called `name` (checked against the SDK by the tests).
AWS_NAMED = (
    "aws:lb/loadBalancer:LoadBalancer",
    "aws:elasticache/subnetGroup:SubnetGroup",
    "aws:rds/subnetGroup:SubnetGroup",
    "aws:rds/parameterGroup:ParameterGroup",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/policy:Policy",
    "aws:secretsmanager/secret:Secret",
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:cloudwatch/metricAlarm:MetricAlarm",
    "aws:ecr/repository:Repository",
    "aws:ecs/cluster:Cluster",
    "aws:ecs/service:Service",
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:wafv2/webAcl:WebAcl",
    "aws:scheduler/schedule:Schedule",
    "aws:appautoscaling/policy:Policy",
    "aws:budgets/budget:Budget",
    "aws:costexplorer/anomalyMonitor:AnomalyMonitor",
    "aws:costexplorer/anomalySubscription:AnomalySubscription",
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
    "aws:cloudwatch/logDeliverySource:LogDeliverySource",
    "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
)
GCP_AUTONAMED: dict[str, AutoName] = {
    "gcp:cloudrunv2/service:Service": AutoName(maxlen=50, lower=True),
    "gcp:serviceaccount/account:Account": AutoName("accountId", 30),
    "gcp:secretmanager/secret:Secret": AutoName("secretId", 255),
    # lowercaseAutoName() (63, lower-cased) for these two; SetAutonaming(255, "-") for the rest below.
    "gcp:compute/network:Network": AutoName(maxlen=63, lower=True),
    "gcp:compute/subnetwork:Subnetwork": AutoName(maxlen=63, lower=True),
    "gcp:compute/globalAddress:GlobalAddress": AutoName(),
    "gcp:kms/keyRing:KeyRing": AutoName(),
    "gcp:sql/databaseInstance:DatabaseInstance": AutoName(),
    "gcp:storage/bucket:Bucket": AutoName(maxlen=222),  # google_storage_bucket's override
    "gcp:cloudscheduler/job:Job": AutoName(),
}
DOCKER_AUTONAMED: dict[str, AutoName] = {
    "docker:index/container:Container": AutoName(),
    "docker:index/network:Network": AutoName(),
    "docker:index/volume:Volume": AutoName(),
}


def autoname_for(resource_type: str) -> AutoName | None:
    if resource_type in AWS_EXCEPTIONS:
        return AWS_EXCEPTIONS[resource_type]
    if resource_type in AWS_NAMED:
        return _AWS_NAME
    return GCP_AUTONAMED.get(resource_type) or DOCKER_AUTONAMED.get(resource_type)


def checked_inputs(
    resource_type: str, logical_name: str, inputs: Mapping[str, Any], seed: str
) -> dict[str, Any]:
    """The inputs as the provider's Check returns them: an unset autonamed property filled in."""
    rule = autoname_for(resource_type)
    if rule is None or inputs.get(rule.prop) or any(inputs.get(p) for p in rule.unless):
        return dict(inputs)
    random_hex = re.sub(r"[^0-9a-f]", "", seed)
    return {**inputs, rule.prop: rule.generate(logical_name, random_hex)}
