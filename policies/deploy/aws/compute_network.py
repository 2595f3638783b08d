"""ECS clusters, services and task definitions; VPC, subnets and security groups."""

from __future__ import annotations

from cloud_facts.aws.ecs import FARGATE_CPU_ARCHITECTURES, FargateTaskSize
from cloud_facts.checks import AllOf, Between, Forbidden, Length, OneOf, Pattern
from policies.deploy.aws.common import API, SG, SG_DESCRIPTION, TASK, TF
from policies.deploy.limit import Limit

_ECS_NAME = AllOf([Length(255), Pattern(r"[0-9A-Za-z_-]+", "letters, digits, _ and -")])
_ECS_API = API + "AmazonECS/latest/APIReference/"
_CONTAINERS = "containerDefinitions(json)[]"
ECS_LIMITS = (
    Limit(
        "aws-ecs-cluster-name",
        "aws:ecs/cluster:Cluster",
        "name",
        _ECS_NAME,
        _ECS_API + "API_CreateCluster.html",
        at="up",
    ),
    Limit(
        "aws-ecs-service-name",
        "aws:ecs/service:Service",
        "name",
        _ECS_NAME,
        _ECS_API + "API_CreateService.html",
        at="up",
    ),
    Limit("aws-ecs-family", TASK, "family", _ECS_NAME, TF + "ecs/task_definition.go"),
    Limit(
        "aws-ecs-container-name",
        TASK,
        f"{_CONTAINERS}.name",
        _ECS_NAME,
        _ECS_API + "API_ContainerDefinition.html",
        at="up",
    ),
    Limit(
        "aws-ecs-stop-timeout",
        TASK,
        f"{_CONTAINERS}.stopTimeout",
        Between(0, 120),
        _ECS_API + "API_ContainerDefinition.html (stopTimeout: 120 on Fargate)",
        at="up",
    ),
    Limit(
        "aws-ecs-health-interval",
        TASK,
        f"{_CONTAINERS}.healthCheck.interval",
        Between(5, 300),
        _ECS_API + "API_HealthCheck.html",
        at="up",
    ),
    Limit(
        "aws-ecs-health-timeout",
        TASK,
        f"{_CONTAINERS}.healthCheck.timeout",
        Between(2, 60),
        _ECS_API + "API_HealthCheck.html",
        at="up",
    ),
    Limit(
        "aws-ecs-health-retries",
        TASK,
        f"{_CONTAINERS}.healthCheck.retries",
        Between(1, 10),
        _ECS_API + "API_HealthCheck.html",
        at="up",
    ),
    Limit(
        "aws-ecs-health-start-period",
        TASK,
        f"{_CONTAINERS}.healthCheck.startPeriod",
        Between(0, 300),
        _ECS_API + "API_HealthCheck.html",
        at="up",
    ),
    Limit(
        "aws-fargate-task-size",
        TASK,
        "",
        FargateTaskSize(),
        API + "AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size",
        at="up",
    ),
    Limit(
        "aws-fargate-architecture",
        TASK,
        "runtimePlatform.cpuArchitecture",
        OneOf(FARGATE_CPU_ARCHITECTURES),
        _ECS_API + "API_RuntimePlatform.html",
    ),
    Limit(
        "aws-scaling-policy-name",
        "aws:appautoscaling/policy:Policy",
        "name",
        Length(255),
        API + "autoscaling/application/APIReference/API_PutScalingPolicy.html",
        at="up",
    ),
    # The enumerations of botocore's application-autoscaling service model (the API's own definition).
    Limit(
        "aws-scaling-adjustment-type",
        "aws:appautoscaling/policy:Policy",
        "stepScalingPolicyConfiguration.adjustmentType",
        OneOf(("ChangeInCapacity", "PercentChangeInCapacity", "ExactCapacity")),
        API + "autoscaling/application/APIReference/API_StepScalingPolicyConfiguration.html",
    ),
    Limit(
        "aws-scaling-metric-aggregation",
        "aws:appautoscaling/policy:Policy",
        "stepScalingPolicyConfiguration.metricAggregationType",
        OneOf(("Average", "Minimum", "Maximum")),
        API + "autoscaling/application/APIReference/API_StepScalingPolicyConfiguration.html",
    ),
)

_EC2 = TF + "ec2/vpc_security_group.go"
NETWORK_LIMITS = (
    Limit(
        "aws-sg-name", SG, "name", AllOf([Length(255), Forbidden(r"^sg-", "must not begin with sg-")]), _EC2
    ),
    Limit("aws-sg-description", SG, "description", SG_DESCRIPTION, _EC2 + " (description)"),
    Limit("aws-sg-inline-ingress-description", SG, "ingress[].description", SG_DESCRIPTION, _EC2),
    Limit("aws-sg-inline-egress-description", SG, "egress[].description", SG_DESCRIPTION, _EC2),
    Limit(
        "aws-sg-ingress-rule-description",
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        "description",
        SG_DESCRIPTION,
        API + "AWSEC2/latest/APIReference/API_IpPermission.html (Description)",
        at="up",
    ),
    Limit(
        "aws-sg-egress-rule-description",
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
        "description",
        SG_DESCRIPTION,
        API + "AWSEC2/latest/APIReference/API_IpPermission.html (Description)",
        at="up",
    ),
)
