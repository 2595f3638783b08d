"""Permission rows for compute: ECS, ECR and the image push, load balancing, autoscaling, EventBridge
Scheduler and IAM roles."""

from __future__ import annotations

from launchpad.access.model import ANY, Need, Op, When, input_set, row
from launchpad.access.sources import TAG_ON_CREATE, pike, provider, sar

ECS, ECR, ELB = (
    sar("amazonelasticcontainerservice"),
    sar("amazonelasticcontainerregistry"),
    sar("awselasticloadbalancingv2"),
)
IAM = sar("awsidentityandaccessmanagementiam")
ECS_TAGS = ("ecs:TagResource", "ecs:UntagResource")
# iam-data (the evaluator's copy of the Service Authorization Reference) merges the ELB and ELB v2 pages,
# which share the `elasticloadbalancing` prefix, and keeps only the classic page's resource type for the
# tag actions; so they are checked on "*" (v2 authorises them on loadbalancer/app, targetgroup, listener).
ELB_TAGS = (Need("elasticloadbalancing:AddTags", ANY), Need("elasticloadbalancing:RemoveTags", ANY))
ELB_ARN = "arn:{partition}:elasticloadbalancing:{region}:{account}:"
ROLE_TAGS = f"{provider('iam/role.go')}: roleTags lists a role's tags with iam:ListRoleTags on every read"


SCHEDULE_ARN = "arn:{partition}:scheduler:{region}:{account}:schedule/default/{output:name}"
SCHEDULE_KEY = (
    "EventBridge Scheduler User Guide, security_iam_id-based-policy-examples.html, 'Example: CreateSchedule' "
    "and 'UpdateSchedule' with a customer managed key: kms:DescribeKey, GenerateDataKey and Decrypt on the "
    "key, through scheduler.<region>.amazonaws.com, with the schedule's ARN as encryption context; "
    "GetSchedule needs no key permission"
)
_SCHEDULE_KEY_CONTEXT = {
    "kms:ViaService": "scheduler.{region}.amazonaws.com",
    "kms:EncryptionContext:aws:scheduler:schedule:arn": SCHEDULE_ARN,
}
_SCHEDULE_KEY_USE: tuple[str | Need, ...] = (
    Need("kms:DescribeKey", "input:kmsKeyArn", _SCHEDULE_KEY_CONTEXT),
    Need("kms:GenerateDataKey", "input:kmsKeyArn", _SCHEDULE_KEY_CONTEXT),
    Need("kms:Decrypt", "input:kmsKeyArn", _SCHEDULE_KEY_CONTEXT),
)


def _pass_role(path: str, service: str) -> Need:
    """iam:PassRole for the role ARN the program passes in `path`, to the service that will run it."""
    return Need("iam:PassRole", f"input:{path}", {"iam:PassedToService": service})


# Pushing the image to ECR (docker-build, `push: true`): the registry login and the layer upload calls.
ECR_PUSH = (
    Need("ecr:GetAuthorizationToken", ANY),
    "ecr:BatchCheckLayerAvailability",
    "ecr:InitiateLayerUpload",
    "ecr:UploadLayerPart",
    "ecr:CompleteLayerUpload",
    "ecr:PutImage",
    "ecr:BatchGetImage",
)
ECR_REPOSITORY = "arn:{partition}:ecr:{region}:{account}:repository/{registry:ecr}"

ROWS = (
    row(
        "aws:ecs/cluster:Cluster",
        sources=(pike("ecs/aws_ecs_cluster"), ECS, TAG_ON_CREATE),
        arn="arn:{partition}:ecs:{region}:{account}:cluster/{output:name}",
        create=("ecs:CreateCluster",),
        read=("ecs:DescribeClusters",),
        update=("ecs:UpdateCluster",),
        delete=("ecs:DeleteCluster",),
        tag=ECS_TAGS,
        tag_read=("ecs:ListTagsForResource",),
    ),
    row(
        "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
        sources=(pike("ecs/aws_ecs_cluster_capacity_providers"), ECS),
        arn="arn:{partition}:ecs:{region}:{account}:cluster/{input:clusterName}",
        create=("ecs:PutClusterCapacityProviders",),
        read=("ecs:DescribeClusters",),
        update=("ecs:PutClusterCapacityProviders",),
        delete=("ecs:PutClusterCapacityProviders",),
    ),
    row(
        "aws:ecs/taskDefinition:TaskDefinition",
        sources=(pike("ecs/aws_ecs_task_definition"), ECS, TAG_ON_CREATE),
        arn="arn:{partition}:ecs:{region}:{account}:task-definition/{input:family}:1",
        create=(
            Need("ecs:RegisterTaskDefinition", ANY),
            _pass_role("executionRoleArn", "ecs-tasks.amazonaws.com"),
            _pass_role("taskRoleArn", "ecs-tasks.amazonaws.com"),
        ),
        read=(Need("ecs:DescribeTaskDefinition", ANY),),
        # A changed task definition is a new revision: register again, deregister the old one.
        update=(Need("ecs:RegisterTaskDefinition", ANY), Need("ecs:DeregisterTaskDefinition", ANY)),
        delete=(Need("ecs:DeregisterTaskDefinition", ANY),),
        tag=ECS_TAGS,
        tag_read=("ecs:ListTagsForResource",),
    ),
    row(
        "aws:ecs/service:Service",
        sources=(pike("ecs/aws_ecs_service"), ECS, TAG_ON_CREATE),
        arn="{output:arn}",
        create=("ecs:CreateService",),
        read=("ecs:DescribeServices",),
        update=("ecs:UpdateService",),
        delete=("ecs:UpdateService", "ecs:DeleteService"),
        tag=ECS_TAGS,
        tag_read=("ecs:ListTagsForResource",),
    ),
    row(
        "aws:ecr/repository:Repository",
        sources=(pike("ecr/aws_ecr_repository"), ECR, TAG_ON_CREATE),
        arn="arn:{partition}:ecr:{region}:{account}:repository/{output:name}",
        create=("ecr:CreateRepository",),
        read=("ecr:DescribeRepositories",),
        update=(
            "ecr:PutImageScanningConfiguration",
            "ecr:PutImageTagMutability",
        ),
        delete=("ecr:DeleteRepository",),
        tag=("ecr:TagResource", "ecr:UntagResource"),
        tag_read=("ecr:ListTagsForResource",),
        when=(
            When(
                input_set("encryptionConfigurations"),
                "a KMS-encrypted repository (ECR takes a grant on the key with the caller's rights)",
                {
                    Op.CREATE: (
                        Need("kms:DescribeKey", "input:encryptionConfigurations.kmsKey"),
                        Need(
                            "kms:CreateGrant",
                            "input:encryptionConfigurations.kmsKey",
                            {
                                "kms:GrantIsForAWSResource": "true",
                                "kms:ViaService": "ecr.{region}.amazonaws.com",
                            },
                        ),
                    ),
                    Op.DELETE: (
                        Need(
                            "kms:RetireGrant",
                            "input:encryptionConfigurations.kmsKey",
                            {"kms:ViaService": "ecr.{region}.amazonaws.com"},
                        ),
                    ),
                },
            ),
        ),
    ),
    row(
        "aws:ecr/lifecyclePolicy:LifecyclePolicy",
        sources=(pike("ecr/aws_ecr_lifecycle_policy"), ECR),
        arn="arn:{partition}:ecr:{region}:{account}:repository/{input:repository}",
        create=("ecr:PutLifecyclePolicy",),
        read=("ecr:GetLifecyclePolicy",),
        update=("ecr:PutLifecyclePolicy",),
        delete=("ecr:DeleteLifecyclePolicy",),
    ),
    row(
        "docker-build:index:Image",
        sources=(
            ECR,
            "docker-build pushes to every registry in `registries`/`tags` (pulumi-docker-build docs); ECR: "
            "'Pushing a Docker image' (Amazon ECR User Guide) lists the push actions",
        ),
        arn=ECR_REPOSITORY,
        create=ECR_PUSH,
        update=ECR_PUSH,
        note="only for images pushed to ECR; Artifact Registry pushes are in the GCP table",
    ),
    row(
        "aws:lb/loadBalancer:LoadBalancer",
        sources=(pike("elasticloadbalancing/aws_lb"), ELB, TAG_ON_CREATE),
        arn="{output:arn}",
        create=(
            "elasticloadbalancing:CreateLoadBalancer",
            "elasticloadbalancing:ModifyLoadBalancerAttributes",
        ),
        read=(
            Need("elasticloadbalancing:DescribeLoadBalancers", ANY),
            Need("elasticloadbalancing:DescribeLoadBalancerAttributes", ANY),
        ),
        update=(
            "elasticloadbalancing:ModifyLoadBalancerAttributes",
            "elasticloadbalancing:SetSecurityGroups",
            "elasticloadbalancing:SetSubnets",
        ),
        delete=("elasticloadbalancing:DeleteLoadBalancer", Need("ec2:DescribeNetworkInterfaces", ANY)),
        tag=ELB_TAGS,
        tag_read=(Need("elasticloadbalancing:DescribeTags", ANY),),
    ),
    row(
        "aws:lb/targetGroup:TargetGroup",
        sources=(pike("elasticloadbalancing/aws_lb_target_group"), ELB, TAG_ON_CREATE),
        arn=ELB_ARN + "targetgroup/{output:name}/0123456789abcdef",
        create=("elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:ModifyTargetGroupAttributes"),
        read=(
            Need("elasticloadbalancing:DescribeTargetGroups", ANY),
            Need("elasticloadbalancing:DescribeTargetGroupAttributes", ANY),
        ),
        update=("elasticloadbalancing:ModifyTargetGroup", "elasticloadbalancing:ModifyTargetGroupAttributes"),
        delete=("elasticloadbalancing:DeleteTargetGroup",),
        tag=ELB_TAGS,
        tag_read=(Need("elasticloadbalancing:DescribeTags", ANY),),
    ),
    row(
        "aws:lb/listener:Listener",
        sources=(pike("elasticloadbalancing/aws_lb_listener"), ELB, TAG_ON_CREATE),
        arn=ELB_ARN + "listener/app/launchpad/0123456789abcdef/0123456789abcdef",
        # A listener is created on its load balancer: CreateListener is authorised on the load balancer's ARN.
        create=(Need("elasticloadbalancing:CreateListener", "{input:loadBalancerArn}"),),
        read=(
            Need("elasticloadbalancing:DescribeListeners", ANY),
            Need("elasticloadbalancing:DescribeListenerAttributes", ANY),
        ),
        update=("elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyListenerAttributes"),
        delete=("elasticloadbalancing:DeleteListener",),
        tag=ELB_TAGS,
        tag_read=(Need("elasticloadbalancing:DescribeTags", ANY),),
    ),
    row(
        "aws:appautoscaling/target:Target",
        sources=(pike("application-autoscaling/aws_appautoscaling_target"), sar("applicationautoscaling")),
        arn="arn:{partition}:application-autoscaling:{region}:{account}:scalable-target/0123456789abcdef",
        create=(
            Need("application-autoscaling:RegisterScalableTarget", ANY),
            Need(
                "iam:CreateServiceLinkedRole",
                "arn:{partition}:iam::{account}:role/aws-service-role/"
                "ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService",
                {"iam:AWSServiceName": "ecs.application-autoscaling.amazonaws.com"},
            ),
        ),
        read=(Need("application-autoscaling:DescribeScalableTargets", ANY),),
        update=(Need("application-autoscaling:RegisterScalableTarget", ANY),),
        delete=(Need("application-autoscaling:DeregisterScalableTarget", ANY),),
        tag=("application-autoscaling:TagResource", "application-autoscaling:UntagResource"),
        tag_read=("application-autoscaling:ListTagsForResource",),
    ),
    row(
        "aws:appautoscaling/policy:Policy",
        sources=(pike("application-autoscaling/aws_appautoscaling_policy"), sar("applicationautoscaling")),
        arn="arn:{partition}:application-autoscaling:{region}:{account}:scalable-target/0123456789abcdef",
        create=(Need("application-autoscaling:PutScalingPolicy", ANY),),
        read=(Need("application-autoscaling:DescribeScalingPolicies", ANY),),
        update=(Need("application-autoscaling:PutScalingPolicy", ANY),),
        delete=(Need("application-autoscaling:DeleteScalingPolicy", ANY),),
        note="target tracking creates and owns its CloudWatch alarms with the service-linked role",
    ),
    row(
        "aws:scheduler/schedule:Schedule",
        sources=(pike("scheduler/aws_scheduler_schedule"), sar("amazoneventbridgescheduler"), SCHEDULE_KEY),
        arn=SCHEDULE_ARN,
        create=("scheduler:CreateSchedule", _pass_role("target.roleArn", "scheduler.amazonaws.com")),
        read=("scheduler:GetSchedule",),
        update=("scheduler:UpdateSchedule", _pass_role("target.roleArn", "scheduler.amazonaws.com")),
        delete=("scheduler:DeleteSchedule",),
        when=(
            When(
                input_set("kmsKeyArn"),
                "a schedule encrypted with a customer managed key (used with the caller's rights)",
                {Op.CREATE: _SCHEDULE_KEY_USE, Op.UPDATE: _SCHEDULE_KEY_USE},
            ),
        ),
    ),
    row(
        "aws:iam/role:Role",
        sources=(pike("iam/aws_iam_role"), IAM, ROLE_TAGS, TAG_ON_CREATE),
        arn="arn:{partition}:iam::{account}:role/{output:name}",
        create=("iam:CreateRole",),
        read=(
            "iam:GetRole",
            "iam:ListRolePolicies",
            "iam:ListAttachedRolePolicies",
        ),
        update=("iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy"),
        delete=(
            "iam:ListInstanceProfilesForRole",
            "iam:ListRolePolicies",
            "iam:ListAttachedRolePolicies",
            "iam:DeleteRole",
        ),
        tag=("iam:TagRole", "iam:UntagRole"),
        tag_read=("iam:ListRoleTags",),
    ),
    row(
        "aws:iam/rolePolicy:RolePolicy",
        sources=(pike("iam/aws_iam_role_policy"), IAM),
        arn="arn:{partition}:iam::{account}:role/{input:role}",
        create=("iam:PutRolePolicy",),
        read=("iam:GetRolePolicy",),
        update=("iam:PutRolePolicy",),
        delete=("iam:DeleteRolePolicy",),
    ),
    row(
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        sources=(pike("iam/aws_iam_role_policy_attachment"), IAM),
        arn="arn:{partition}:iam::{account}:role/{input:role}",
        create=(Need("iam:AttachRolePolicy", context={"iam:PolicyARN": "{input:policyArn}"}),),
        read=("iam:ListAttachedRolePolicies",),
        delete=(Need("iam:DetachRolePolicy", context={"iam:PolicyARN": "{input:policyArn}"}),),
    ),
)
