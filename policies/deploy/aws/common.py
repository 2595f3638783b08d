"""Sources, shared patterns and the resource types the AWS rows name."""

from __future__ import annotations

from cloud_facts.checks import AllOf, Forbidden, Length, Pattern

TF = "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/"
TF_WINDOWS = "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/types/timestamp/"
API = "https://docs.aws.amazon.com/"

ALNUM_HYPHEN = Pattern(
    r"[0-9A-Za-z](?:[0-9A-Za-z-]*[0-9A-Za-z])?", "letters, digits and hyphens, no hyphen first or last"
)
LOWER_IDENTIFIER = AllOf(
    [
        Pattern(r"[a-z][0-9a-z-]*", "lower-case letters, digits and hyphens, starting with a letter"),
        Forbidden(r"--|-$", "no two hyphens in a row and no hyphen last"),
    ]
)
SG_DESCRIPTION = AllOf(
    [
        Length(255, minimum=0),
        Pattern(r"[A-Za-z0-9 ._\-:/()#,@\[\]+=&;{}!$*]*", "only a-zA-Z0-9. _-:/()#,@[]+=&;{}!$* (no quotes)"),
    ]
)
ALARM_OPERATORS = (
    "GreaterThanOrEqualToThreshold",
    "GreaterThanThreshold",
    "LessThanThreshold",
    "LessThanOrEqualToThreshold",
    "LessThanLowerOrGreaterThanUpperThreshold",
    "LessThanLowerThreshold",
    "GreaterThanUpperThreshold",
)

LB = "aws:lb/loadBalancer:LoadBalancer"
TG = "aws:lb/targetGroup:TargetGroup"
REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup"
DB = "aws:rds/instance:Instance"
TASK = "aws:ecs/taskDefinition:TaskDefinition"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
WEB_ACL = "aws:wafv2/webAcl:WebAcl"
SG = "aws:ec2/securityGroup:SecurityGroup"
