"""WAF, CloudFront, vended log delivery, Scheduler, logs, SNS, budgets, CloudWatch alarms and dashboards."""

from __future__ import annotations

from cloud_facts.aws.cloudfront import FRAME_OPTIONS, REFERRER_POLICIES, DeliverySourceRegion
from cloud_facts.aws.cloudwatch import LOG_DELIVERY_NAME_MAX, AlarmPeriod
from cloud_facts.aws.scheduler import SchedulerExpression
from cloud_facts.checks import AllOf, Between, Count, Length, NotMore, OneOf, Pattern, TimeZone
from policies.deploy.aws.common import ALARM, ALARM_OPERATORS, API, TF, WEB_ACL
from policies.deploy.limit import Limit

_HEADERS = "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy"
_HEADERS_SOURCE = TF + "cloudfront/response_headers_policy.go (enum.Validate of the SDK's lists)"
_LOGS = TF + "logs/"
_DELIVERY_NAME = AllOf([Length(LOG_DELIVERY_NAME_MAX), Pattern(r"[\w-]+", "letters, digits, _ and -")])

_WAF = TF + "wafv2/schemas.go"
WAF_NAME = AllOf([Length(128), Pattern(r"[0-9A-Za-z_-]+", "letters, digits, _ and -")])
EDGE_LIMITS = (
    Limit("aws-waf-acl-name", WEB_ACL, "name", WAF_NAME, _WAF),
    Limit("aws-waf-acl-metric", WEB_ACL, "visibilityConfig.metricName", WAF_NAME, _WAF),
    Limit("aws-waf-rule-name", WEB_ACL, "rules[].name", Length(128), _WAF),
    Limit("aws-waf-rule-metric", WEB_ACL, "rules[].visibilityConfig.metricName", WAF_NAME, _WAF),
    Limit(
        "aws-waf-rate-limit",
        WEB_ACL,
        "rules[].statement.rateBasedStatement.limit",
        Between(100, 2_000_000_000),
        _WAF + " (limit: IntBetween(100, ...); the API itself takes 10)",
    ),
    Limit(
        "aws-waf-rate-window",
        WEB_ACL,
        "rules[].statement.rateBasedStatement.evaluationWindowSec",
        OneOf((60, 120, 300, 600)),
        _WAF,
    ),
    Limit(
        "aws-cloudfront-comment",
        "aws:cloudfront/distribution:Distribution",
        "comment",
        Length(128, 0),
        API + "cloudfront/latest/APIReference/API_DistributionConfig.html",
        at="up",
    ),
    Limit(
        "aws-cloudfront-tls",
        "aws:cloudfront/distribution:Distribution",
        "viewerCertificate.minimumProtocolVersion",
        OneOf(("TLSv1", "TLSv1_2016", "TLSv1.1_2016", "TLSv1.2_2018", "TLSv1.2_2019", "TLSv1.2_2021")),
        TF + "cloudfront/distribution.go (minimum_protocol_version)",
    ),
    Limit(
        "aws-cloudfront-price-class",
        "aws:cloudfront/distribution:Distribution",
        "priceClass",
        OneOf(("PriceClass_All", "PriceClass_200", "PriceClass_100")),
        TF + "cloudfront/distribution.go",
    ),
    Limit(
        "aws-cloudfront-headers-comment",
        _HEADERS,
        "comment",
        Length(128, 0),
        API + 'cloudfront/latest/APIReference/API_ResponseHeadersPolicyConfig.html (Comment: "cannot be '
        "longer than 128 characters\"; botocore's cloudfront model says the same)",
    ),
    Limit(
        "aws-cloudfront-frame-option",
        _HEADERS,
        "securityHeadersConfig.frameOptions.frameOption",
        OneOf(FRAME_OPTIONS),
        _HEADERS_SOURCE,
    ),
    Limit(
        "aws-cloudfront-referrer-policy",
        _HEADERS,
        "securityHeadersConfig.referrerPolicy.referrerPolicy",
        OneOf(REFERRER_POLICIES),
        _HEADERS_SOURCE,
    ),
    Limit(
        "aws-log-delivery-source-name",
        "aws:cloudwatch/logDeliverySource:LogDeliverySource",
        "name",
        _DELIVERY_NAME,
        _LOGS + "delivery_source.go (1-60); API PutDeliverySource ([\\w-]*)",
    ),
    Limit(
        "aws-log-delivery-source-region",
        "aws:cloudwatch/logDeliverySource:LogDeliverySource",
        "",
        DeliverySourceRegion(),
        API
        + "AmazonCloudFront/latest/DeveloperGuide/standard-logging.html (CloudWatch API calls in us-east-1)",
        at="up",
    ),
    Limit(
        "aws-log-delivery-destination-name",
        "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
        "name",
        _DELIVERY_NAME,
        _LOGS + "delivery_destination.go (1-60); API PutDeliveryDestination ([\\w-]*)",
    ),
    Limit(
        "aws-log-delivery-destination-format",
        "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
        "outputFormat",
        OneOf(("json", "plain", "w3c", "raw", "parquet")),
        _LOGS + "delivery_destination.go (OutputFormat enum)",
    ),
    Limit(
        "aws-cloudfront-vpc-origin-protocol",
        "aws:cloudfront/vpcOrigin:VpcOrigin",
        "vpcOriginEndpointConfig.originProtocolPolicy",
        OneOf(("http-only", "match-viewer", "https-only")),
        API + "cli/latest/reference/cloudfront/create-vpc-origin.html",
    ),
)

_SCHEDULER = TF + "scheduler/schedule.go"
OPERATIONS_LIMITS = (
    Limit(
        "aws-schedule-name",
        "aws:scheduler/schedule:Schedule",
        "name",
        AllOf([Length(64), Pattern(r"[0-9A-Za-z_.-]+", "letters, digits and _.-")]),
        _SCHEDULER,
    ),
    Limit(
        "aws-schedule-expression",
        "aws:scheduler/schedule:Schedule",
        "scheduleExpression",
        SchedulerExpression(),
        API + "scheduler/latest/UserGuide/schedule-types.html",
        at="up",
    ),
    Limit(
        "aws-schedule-timezone",
        "aws:scheduler/schedule:Schedule",
        "scheduleExpressionTimezone",
        AllOf([Length(50), TimeZone()]),
        _SCHEDULER,
    ),
    Limit(
        "aws-sns-topic-name",
        "aws:sns/topic:Topic",
        "name",
        AllOf([Length(256), Pattern(r"[A-Za-z0-9_-]+", "letters, digits, _ and -")]),
        API + "sns/latest/api/API_CreateTopic.html",
        at="up",
    ),
    Limit(
        "aws-sns-protocol",
        "aws:sns/topicSubscription:TopicSubscription",
        "protocol",
        OneOf(("http", "https", "email", "email-json", "sms", "sqs", "application", "lambda", "firehose")),
        API + "sns/latest/api/API_Subscribe.html",
    ),
    Limit(
        "aws-budget-name",
        "aws:budgets/budget:Budget",
        "name",
        AllOf([Length(100), Pattern(r"[^:\\]+", "no : or \\")]),
        API + "aws-cost-management/latest/APIReference/API_budgets_Budget.html",
        at="up",
    ),
    Limit(
        "aws-budget-time-unit",
        "aws:budgets/budget:Budget",
        "timeUnit",
        OneOf(("DAILY", "MONTHLY", "QUARTERLY", "ANNUALLY")),
        TF + "budgets/budget.go",
    ),
    Limit(
        "aws-cost-tag-status",
        "aws:costexplorer/costAllocationTag:CostAllocationTag",
        "status",
        OneOf(("Active", "Inactive")),
        TF + "ce/cost_allocation_tag.go",
    ),
)

_CLOUDWATCH = TF + "cloudwatch/metric_alarm.go"
ALARM_LIMITS = (
    Limit("aws-alarm-name", ALARM, "name", Length(255), _CLOUDWATCH),
    Limit("aws-alarm-description", ALARM, "alarmDescription", Length(1024, 0), _CLOUDWATCH),
    Limit("aws-alarm-period", ALARM, "period", AlarmPeriod(), _CLOUDWATCH),
    Limit("aws-alarm-evaluation-periods", ALARM, "evaluationPeriods", Between(1), _CLOUDWATCH),
    Limit("aws-alarm-datapoints", ALARM, "datapointsToAlarm", Between(1), _CLOUDWATCH),
    Limit(
        "aws-alarm-datapoints-within-periods",
        ALARM,
        "",
        NotMore("datapointsToAlarm", "evaluationPeriods"),
        API + "AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
        at="up",
    ),
    Limit("aws-alarm-operator", ALARM, "comparisonOperator", OneOf(ALARM_OPERATORS), _CLOUDWATCH),
    Limit(
        "aws-alarm-statistic",
        ALARM,
        "statistic",
        OneOf(("SampleCount", "Average", "Sum", "Minimum", "Maximum")),
        _CLOUDWATCH,
    ),
    Limit(
        "aws-alarm-extended-statistic",
        ALARM,
        "extendedStatistic",
        Pattern(r"(p|tm|wm|tc|ts)(\d{1,2}(\.\d{1,2})?|100)|IQM", "a percentile such as p95"),
        _CLOUDWATCH,
    ),
    Limit(
        "aws-alarm-missing-data",
        ALARM,
        "treatMissingData",
        OneOf(("breaching", "notBreaching", "ignore", "missing")),
        _CLOUDWATCH,
    ),
    Limit(
        "aws-alarm-query-id",
        ALARM,
        "metricQueries[].id",
        Pattern(r"[a-z][a-zA-Z0-9_]*", "a lower-case letter, then letters, digits and _"),
        API + "AmazonCloudWatch/latest/APIReference/API_MetricDataQuery.html",
        at="up",
    ),
    Limit("aws-alarm-query-expression", ALARM, "metricQueries[].expression", Length(1024), _CLOUDWATCH),
    Limit("aws-alarm-query-period", ALARM, "metricQueries[].metric.period", AlarmPeriod(), _CLOUDWATCH),
    Limit("aws-alarm-actions", ALARM, "alarmActions", Count(5), _CLOUDWATCH),
    Limit("aws-alarm-ok-actions", ALARM, "okActions", Count(5), _CLOUDWATCH),
    Limit(
        "aws-composite-alarm-rule",
        "aws:cloudwatch/compositeAlarm:CompositeAlarm",
        "alarmRule",
        Length(10240),
        TF + "cloudwatch/composite_alarm.go",
    ),
    Limit(
        "aws-composite-alarm-name",
        "aws:cloudwatch/compositeAlarm:CompositeAlarm",
        "alarmName",
        Length(255),
        TF + "cloudwatch/composite_alarm.go",
    ),
    Limit(
        "aws-dashboard-name",
        "aws:cloudwatch/dashboard:Dashboard",
        "dashboardName",
        AllOf([Length(255), Pattern(r"[0-9A-Za-z_-]+", "letters, digits, _ and -")]),
        TF + "cloudwatch/validate.go (validDashboardName)",
    ),
)
