"""Permission rows for operations: CloudWatch alarms, dashboard and logs, SNS, AWS Budgets, Cost Explorer."""

from __future__ import annotations

from launchpad.access.model import ANY, SELF, Need, Op, When, input_arn_of, input_set, row
from launchpad.access.sources import TAG_ON_CREATE, TAGGING_INTERCEPTOR, pike, provider, sar

CLOUDWATCH, LOGS, SNS = sar("amazoncloudwatch"), sar("amazoncloudwatchlogs"), sar("amazonsns")
BUDGETS, CE = sar("awsbudgetservice"), sar("awscostexplorerservice")
CLOUDWATCH_TAGS = ("cloudwatch:TagResource", "cloudwatch:UntagResource")
CE_TAGS = ("ce:TagResource", "ce:UntagResource")
LOG_GROUP_TAGS = (
    f'{provider("logs/group.go")}: @Tags(identifierAttribute="arn"): the ARN-based tag API '
    "(logs:ListTagsForResource, TagResource, UntagResource), not the legacy log-group one"
)
LOG_DELIVERY_TAGS = (
    f"{provider('logs/delivery_source.go')}, delivery_destination.go, delivery.go: "
    '@Tags(identifierAttribute="arn") on each'
)
# The user permissions AWS lists for a vended-log delivery to CloudWatch Logs; PutResourcePolicy is for the
# account's log resource policy, which CloudWatch Logs edits with the caller's rights at CreateDelivery.
VENDED_LOGS = (
    "Amazon CloudWatch Logs User Guide, 'Logs sent to CloudWatch Logs' (AWS-logs-infrastructure-V2-"
    "CloudWatchLogs.html): logs:PutDeliverySource, PutDeliveryDestination, CreateDelivery, Get*/Delete* of "
    "each, UpdateDeliveryConfiguration, Describe* on '*', and PutResourcePolicy, DescribeResourcePolicies, "
    "DescribeLogGroups"
)
# PutDeliveryDestination's condition key: the log group, bucket or stream the destination names.
DESTINATION_CONTEXT = {
    "logs:DeliveryDestinationResourceArn": "{input:deliveryDestinationConfiguration.destinationResourceArn}"
}
LOG_DELIVERY_TAG_ACTIONS = ("logs:TagResource", "logs:UntagResource")
BUDGET_TAGS = (
    f'{provider("budgets/budget.go")}: @Tags(identifierAttribute="arn"), so every read lists the '
    "budget's tags (budgets:ListTagsForResource) and an update tags and untags it"
)

ROWS = (
    row(
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        sources=(pike("cloudwatch/aws_cloudwatch_metric_alarm"), CLOUDWATCH, TAG_ON_CREATE),
        arn="arn:{partition}:cloudwatch:{region}:{account}:alarm:{input:name}",
        create=("cloudwatch:PutMetricAlarm",),
        read=("cloudwatch:DescribeAlarms",),
        update=("cloudwatch:PutMetricAlarm",),
        delete=("cloudwatch:DeleteAlarms",),
        tag=CLOUDWATCH_TAGS,
        tag_read=("cloudwatch:ListTagsForResource",),
    ),
    row(
        "aws:cloudwatch/compositeAlarm:CompositeAlarm",
        sources=(pike("cloudwatch/aws_cloudwatch_composite_alarm"), CLOUDWATCH, TAG_ON_CREATE),
        arn="arn:{partition}:cloudwatch:{region}:{account}:alarm:{input:alarmName}",
        create=("cloudwatch:PutCompositeAlarm",),
        read=("cloudwatch:DescribeAlarms",),
        update=("cloudwatch:PutCompositeAlarm",),
        delete=("cloudwatch:DeleteAlarms",),
        tag=CLOUDWATCH_TAGS,
        tag_read=("cloudwatch:ListTagsForResource",),
    ),
    row(
        "aws:cloudwatch/dashboard:Dashboard",
        sources=(pike("cloudwatch/aws_cloudwatch_dashboard"), CLOUDWATCH),
        arn="arn:{partition}:cloudwatch::{account}:dashboard/{input:dashboardName}",
        create=("cloudwatch:PutDashboard",),
        read=("cloudwatch:GetDashboard",),
        update=("cloudwatch:PutDashboard",),
        delete=("cloudwatch:DeleteDashboards",),
    ),
    row(
        "aws:cloudwatch/logGroup:LogGroup",
        sources=(pike("logs/aws_cloudwatch_log_group"), LOGS, LOG_GROUP_TAGS, TAG_ON_CREATE),
        arn="arn:{partition}:logs:{region}:{account}:log-group:{output:name}",
        create=("logs:CreateLogGroup", "logs:PutRetentionPolicy"),
        read=(Need("logs:DescribeLogGroups", ANY),),
        update=("logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy", "logs:AssociateKmsKey"),
        delete=("logs:DeleteLogGroup",),
        tag=("logs:TagResource", "logs:UntagResource"),
        tag_read=("logs:ListTagsForResource",),
        when=(
            When(
                input_set("kmsKeyId"),
                "a KMS-encrypted log group (CloudWatch Logs checks the key is usable at create)",
                {Op.CREATE: ("logs:AssociateKmsKey",)},
            ),
        ),
    ),
    row(
        "aws:sns/topic:Topic",
        sources=(pike("sns/aws_sns_topic"), SNS, TAG_ON_CREATE),
        arn="arn:{partition}:sns:{region}:{account}:{output:name}",
        create=("sns:CreateTopic", "sns:SetTopicAttributes"),
        read=("sns:GetTopicAttributes",),
        update=("sns:SetTopicAttributes",),
        delete=("sns:DeleteTopic",),
        tag=("sns:TagResource", "sns:UntagResource"),
        tag_read=("sns:ListTagsForResource",),
    ),
    row(
        "aws:sns/topicPolicy:TopicPolicy",
        sources=(pike("sns/aws_sns_topic_policy"), SNS),
        arn="{input:arn}",
        create=("sns:SetTopicAttributes",),
        read=("sns:GetTopicAttributes",),
        update=("sns:SetTopicAttributes",),
        delete=("sns:SetTopicAttributes",),
    ),
    row(
        "aws:sns/topicSubscription:TopicSubscription",
        sources=(pike("sns/aws_sns_topic_subscription"), SNS),
        arn="{input:topic}",
        create=("sns:Subscribe", "sns:GetSubscriptionAttributes"),
        read=("sns:GetSubscriptionAttributes",),
        update=("sns:SetSubscriptionAttributes",),
        delete=("sns:Unsubscribe",),
    ),
    row(
        "aws:budgets/budget:Budget",
        sources=(pike("budgets/aws_budgets_budget"), BUDGETS, BUDGET_TAGS, TAGGING_INTERCEPTOR),
        arn="arn:{partition}:budgets::{account}:budget/{output:name}",
        # CreateBudget, DescribeBudget and the notification calls authorise as these two actions.
        create=("budgets:ModifyBudget",),
        read=("budgets:ViewBudget",),
        update=("budgets:ModifyBudget",),
        delete=("budgets:ModifyBudget",),
        tag=("budgets:TagResource", "budgets:UntagResource"),
        tag_read=("budgets:ListTagsForResource",),
    ),
    row(
        "aws:costexplorer/anomalyMonitor:AnomalyMonitor",
        sources=(pike("ce/aws_ce_anomaly_monitor"), CE, TAG_ON_CREATE),
        arn="arn:{partition}:ce::{account}:anomalymonitor/{uuid}",
        create=(Need("ce:CreateAnomalyMonitor", ANY),),
        read=("ce:GetAnomalyMonitors",),
        update=("ce:UpdateAnomalyMonitor",),
        delete=("ce:DeleteAnomalyMonitor",),
        tag=CE_TAGS,
        tag_read=("ce:ListTagsForResource",),
    ),
    row(
        "aws:costexplorer/anomalySubscription:AnomalySubscription",
        sources=(pike("ce/aws_ce_anomaly_subscription"), CE, TAG_ON_CREATE),
        arn="arn:{partition}:ce::{account}:anomalysubscription/{uuid}",
        create=(Need("ce:CreateAnomalySubscription", ANY),),
        read=("ce:GetAnomalySubscriptions",),
        update=("ce:UpdateAnomalySubscription",),
        delete=("ce:DeleteAnomalySubscription",),
        tag=CE_TAGS,
        tag_read=("ce:ListTagsForResource",),
    ),
    row(
        "aws:costexplorer/costAllocationTag:CostAllocationTag",
        sources=(pike("ce/aws_ce_cost_allocation_tag"), CE),
        create=(Need("ce:UpdateCostAllocationTagsStatus", ANY),),
        read=(Need("ce:ListCostAllocationTags", ANY),),
        update=(Need("ce:UpdateCostAllocationTagsStatus", ANY),),
        delete=(Need("ce:UpdateCostAllocationTagsStatus", ANY),),
    ),
    row(
        "aws:cloudwatch/logDeliverySource:LogDeliverySource",
        sources=(pike("logs/aws_cloudwatch_log_delivery_source"), LOGS, VENDED_LOGS, LOG_DELIVERY_TAGS),
        arn="arn:{partition}:logs:{region}:{account}:delivery-source:{input:name}",
        create=(
            Need(
                "logs:PutDeliverySource", SELF, {"logs:LogGeneratingResourceArns": ("{input:resourceArn}",)}
            ),
        ),
        read=("logs:GetDeliverySource",),
        # The Service Authorization Reference gives DeleteDeliverySource only the delivery-destination type,
        # so no delivery-source ARN validates: asked on "*", a grant must cover every resource.
        delete=(Need("logs:DeleteDeliverySource", ANY),),
        tag=LOG_DELIVERY_TAG_ACTIONS,
        tag_read=("logs:ListTagsForResource",),
        when=(
            When(
                input_arn_of("cloudfront", "resourceArn"),
                "a CloudFront distribution's logs (CloudFront checks the caller may have them vended)",
                {Op.CREATE: (Need("cloudfront:AllowVendedLogDeliveryForResource", "{input:resourceArn}"),)},
            ),
        ),
    ),
    row(
        "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
        sources=(pike("logs/aws_cloudwatch_log_delivery_destination"), LOGS, VENDED_LOGS, LOG_DELIVERY_TAGS),
        arn="arn:{partition}:logs:{region}:{account}:delivery-destination:{input:name}",
        create=(
            Need(
                "logs:PutDeliveryDestination",
                SELF,
                DESTINATION_CONTEXT,
            ),
            Need("logs:DescribeDeliveryDestinations", ANY),
        ),
        read=("logs:GetDeliveryDestination",),
        update=(
            Need(
                "logs:PutDeliveryDestination",
                SELF,
                DESTINATION_CONTEXT,
            ),
        ),
        delete=("logs:DeleteDeliveryDestination",),
        tag=LOG_DELIVERY_TAG_ACTIONS,
        tag_read=("logs:ListTagsForResource",),
    ),
    row(
        "aws:cloudwatch/logDelivery:LogDelivery",
        # pike maps this resource to the legacy CreateLogDelivery family; the provider calls CreateDelivery.
        sources=(provider("logs/delivery.go"), LOGS, VENDED_LOGS, LOG_DELIVERY_TAGS),
        arn="arn:{partition}:logs:{region}:{account}:delivery:{id}",
        create=(
            # CreateDelivery is authorised on the delivery and on both ends it pairs.
            Need("logs:CreateDelivery", "arn:{partition}:logs:{region}:{account}:delivery:*"),
            Need(
                "logs:CreateDelivery",
                "arn:{partition}:logs:{region}:{account}:delivery-source:{input:deliverySourceName}",
            ),
            Need("logs:CreateDelivery", "{input:deliveryDestinationArn}"),
            # To a CloudWatch Logs group CloudWatch Logs adds to the account's log resource policy itself.
            Need("logs:PutResourcePolicy", ANY),
            Need("logs:DescribeResourcePolicies", ANY),
            Need("logs:DescribeLogGroups", ANY),
        ),
        read=("logs:GetDelivery",),
        update=("logs:UpdateDeliveryConfiguration",),
        delete=("logs:DeleteDelivery",),
        tag=LOG_DELIVERY_TAG_ACTIONS,
        tag_read=("logs:ListTagsForResource",),
    ),
)
