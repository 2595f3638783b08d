"""What the providers and cloud APIs refuse for the monitoring resources: CloudWatch alarms and dashboards
(beyond the rows in `aws/`), alert subscriptions, WAF logging, Cost Anomaly Detection, and Google
Cloud Monitoring alert policies, notification channels, uptime checks and billing budgets."""

from __future__ import annotations

from cloud_facts.aws.api import ApiShape, SameRegion
from cloud_facts.aws.cloudwatch import EvaluationRange
from cloud_facts.aws.dashboard_body import DashboardBody
from cloud_facts.aws.notifications import AWS_BUDGET_EMAILS_MAX, EndpointForProtocol, SnsAlertsAreImmediate
from cloud_facts.checks import Between, Count, Length, OneOf, Pattern
from cloud_facts.gcp.monitoring import (
    GCP_BUDGET_CHANNELS_MAX,
    GCP_BUDGET_DISPLAY_NAME_MAX,
    Duration,
    EmailChannel,
)
from policies.deploy.limit import Limit

TF = "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/"
API = "https://docs.aws.amazon.com/"
GB = "https://github.com/hashicorp/terraform-provider-google-beta/blob/main/google-beta/services/"
GCP = "https://cloud.google.com/"
CW_API = API + "AmazonCloudWatch/latest/APIReference/"
COMPOSITE = "aws:cloudwatch/compositeAlarm:CompositeAlarm"
WAF_LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
MONITOR = "aws:costexplorer/anomalyMonitor:AnomalyMonitor"
ANOMALY_SUBSCRIPTION = "aws:costexplorer/anomalySubscription:AnomalySubscription"
POLICY = "gcp:monitoring/alertPolicy:AlertPolicy"
CHANNEL = "gcp:monitoring/notificationChannel:NotificationChannel"
UPTIME = "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig"
BUDGET = "gcp:billing/budget:Budget"
THRESHOLD = "conditions[].conditionThreshold"
_WAF_LOGS = API + "waf/latest/developerguide/logging-management.html"
# The enumerations of botocore's wafv2 service model (the API's own definition).
_WAF_FILTER = API + "waf/latest/APIReference/"
_ALERT_API = GCP + "monitoring/api/ref_v3/rest/v3/projects.alertPolicies"
_ALIGNERS = (
    "ALIGN_NONE", "ALIGN_DELTA", "ALIGN_RATE", "ALIGN_INTERPOLATE", "ALIGN_NEXT_OLDER", "ALIGN_MIN",
    "ALIGN_MAX", "ALIGN_MEAN", "ALIGN_COUNT", "ALIGN_SUM", "ALIGN_STDDEV", "ALIGN_COUNT_TRUE",
    "ALIGN_COUNT_FALSE", "ALIGN_FRACTION_TRUE", "ALIGN_PERCENTILE_99", "ALIGN_PERCENTILE_95",
    "ALIGN_PERCENTILE_50", "ALIGN_PERCENTILE_05", "ALIGN_PERCENT_CHANGE",
)  # fmt: skip
_REDUCERS = (
    "REDUCE_NONE", "REDUCE_MEAN", "REDUCE_MIN", "REDUCE_MAX", "REDUCE_SUM", "REDUCE_STDDEV", "REDUCE_COUNT",
    "REDUCE_COUNT_TRUE", "REDUCE_COUNT_FALSE", "REDUCE_FRACTION_TRUE", "REDUCE_PERCENTILE_99",
    "REDUCE_PERCENTILE_95", "REDUCE_PERCENTILE_50", "REDUCE_PERCENTILE_05",
)  # fmt: skip

_CLOUDWATCH = (
    Limit(
        "aws-alarm-evaluation-range",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "",
        EvaluationRange(),
        CW_API + "API_PutMetricAlarm.html (EvaluationPeriods)",
        at="up",
    ),
    Limit(
        "aws-composite-alarm-description",
        COMPOSITE,
        "alarmDescription",
        Length(1024, 0),
        CW_API + "API_PutCompositeAlarm.html",
        at="up",
    ),
    Limit(
        "aws-composite-alarm-actions",
        COMPOSITE,
        "alarmActions",
        Count(5),
        CW_API + "API_PutCompositeAlarm.html",
    ),
    Limit(
        "aws-composite-alarm-ok-actions",
        COMPOSITE,
        "okActions",
        Count(5),
        CW_API + "API_PutCompositeAlarm.html",
    ),
    Limit(
        "aws-dashboard-body",
        "aws:cloudwatch/dashboard:Dashboard",
        "dashboardBody(json)",
        DashboardBody(),
        CW_API + "CloudWatch-Dashboard-Body-Structure.html",
        at="up",
    ),
)

_ALERTS = (
    Limit(
        "aws-sns-filter-policy-scope",
        SUBSCRIPTION,
        "filterPolicyScope",
        OneOf(("MessageAttributes", "MessageBody")),
        TF + "sns/topic_subscription.go (filter_policy_scope)",
    ),
    Limit(
        "aws-sns-endpoint-for-protocol",
        SUBSCRIPTION,
        "",
        EndpointForProtocol(),
        API + "sns/latest/api/API_Subscribe.html (Endpoint)",
        at="up",
    ),
    Limit(
        "aws-budget-notification-emails",
        "aws:budgets/budget:Budget",
        "notifications[].subscriberEmailAddresses",
        Count(AWS_BUDGET_EMAILS_MAX),
        API + "aws-cost-management/latest/APIReference/API_budgets_NotificationWithSubscribers.html",
        at="up",
    ),
    Limit(
        "aws-waf-log-destination",
        WAF_LOGGING,
        "logDestinationConfigs[]",
        Pattern(
            r"arn:aws[a-z-]*:(logs:[a-z0-9-]+:\d{12}:log-group:aws-waf-logs-[\w./#-]+"
            r"|s3:::aws-waf-logs-[a-z0-9.-]+|firehose:[a-z0-9-]+:\d{12}:deliverystream/aws-waf-logs-[\w.-]+)",
            "a log group, bucket or stream whose name starts with aws-waf-logs-",
        ),
        _WAF_LOGS,
        at="up",
    ),
    Limit(
        "aws-waf-log-destination-count", WAF_LOGGING, "logDestinationConfigs", Count(1), _WAF_LOGS, at="up"
    ),
    Limit(
        "aws-waf-log-same-region",
        WAF_LOGGING,
        "",
        SameRegion("resourceArn", "logDestinationConfigs"),
        API + "waf/latest/developerguide/logging-cw-logs.html",
        at="up",
    ),
    Limit(
        "aws-waf-log-redacted-header",
        WAF_LOGGING,
        "redactedFields[].singleHeader.name",
        Length(64),
        API + "waf/latest/APIReference/API_SingleHeader.html",
        at="up",
    ),
    Limit(
        "aws-waf-log-filter-default",
        WAF_LOGGING,
        "loggingFilter.defaultBehavior",
        OneOf(("KEEP", "DROP")),
        _WAF_FILTER + "API_LoggingFilter.html",
    ),
    Limit(
        "aws-waf-log-filter-behavior",
        WAF_LOGGING,
        "loggingFilter.filters[].behavior",
        OneOf(("KEEP", "DROP")),
        _WAF_FILTER + "API_Filter.html",
    ),
    Limit(
        "aws-waf-log-filter-requirement",
        WAF_LOGGING,
        "loggingFilter.filters[].requirement",
        OneOf(("MEETS_ALL", "MEETS_ANY")),
        _WAF_FILTER + "API_Filter.html",
    ),
    Limit(
        "aws-waf-log-filter-action",
        WAF_LOGGING,
        "loggingFilter.filters[].conditions[].actionCondition.action",
        OneOf(("ALLOW", "BLOCK", "COUNT", "CAPTCHA", "CHALLENGE", "MONETIZE", "EXCLUDED_AS_COUNT")),
        _WAF_FILTER + "API_ActionCondition.html",
    ),
)

_CE = TF + "ce/"
_COST_ANOMALY = (
    Limit("aws-anomaly-monitor-name", MONITOR, "name", Length(1024), _CE + "anomaly_monitor.go"),
    Limit(
        "aws-anomaly-monitor-type",
        MONITOR,
        "monitorType",
        OneOf(("DIMENSIONAL", "CUSTOM")),
        _CE + "anomaly_monitor.go",
    ),
    Limit(
        "aws-anomaly-monitor-dimension",
        MONITOR,
        "monitorDimension",
        OneOf(("SERVICE", "LINKED_ACCOUNT", "TAG", "COST_CATEGORY")),
        _CE + "anomaly_monitor.go",
    ),
    Limit(
        "aws-anomaly-monitor-specification",
        MONITOR,
        "monitorSpecification",
        ApiShape("ce", "Expression"),
        API + "aws-cost-management/latest/APIReference/API_Expression.html",
        at="up",
    ),
    Limit(
        "aws-anomaly-subscription-name",
        ANOMALY_SUBSCRIPTION,
        "name",
        Length(1024),
        _CE + "anomaly_subscription.go",
    ),
    Limit(
        "aws-anomaly-subscription-frequency",
        ANOMALY_SUBSCRIPTION,
        "frequency",
        OneOf(("DAILY", "IMMEDIATE", "WEEKLY")),
        _CE + "anomaly_subscription.go",
    ),
    Limit(
        "aws-anomaly-sns-immediate",
        ANOMALY_SUBSCRIPTION,
        "",
        SnsAlertsAreImmediate(),
        API + "cost-management/latest/userguide/ad-SNS.html",
        at="up",
    ),
)

_GCP_ALERTING = (
    Limit("gcp-alert-policy-display-name", POLICY, "displayName", Length(512), _ALERT_API, at="up"),
    Limit(
        "gcp-alert-policy-conditions",
        POLICY,
        "conditions",
        Count(6),
        _ALERT_API + " (conditions: 1-6)",
        at="up",
    ),
    Limit(
        "gcp-alert-policy-combiner",
        POLICY,
        "combiner",
        OneOf(("AND", "OR", "AND_WITH_MATCHING_RESOURCE")),
        GB + "monitoring/resource_monitoring_alert_policy.go",
    ),
    Limit(
        "gcp-alert-policy-severity",
        POLICY,
        "severity",
        OneOf(("CRITICAL", "ERROR", "WARNING")),
        GB + "monitoring/resource_monitoring_alert_policy.go (severity: ValidateEnum)",
    ),
    Limit(
        "gcp-alert-comparison",
        POLICY,
        f"{THRESHOLD}.comparison",
        OneOf(
            (
                "COMPARISON_GT",
                "COMPARISON_GE",
                "COMPARISON_LT",
                "COMPARISON_LE",
                "COMPARISON_EQ",
                "COMPARISON_NE",
            )
        ),
        GB + "monitoring/resource_monitoring_alert_policy.go",
    ),
    Limit(
        "gcp-alert-duration",
        POLICY,
        f"{THRESHOLD}.duration",
        Duration(0, 86_400, multiple=60),
        _ALERT_API + "#MetricThreshold (duration: a multiple of a minute)",
        at="up",
    ),
    Limit(
        "gcp-alert-alignment-period",
        POLICY,
        f"{THRESHOLD}.aggregations[].alignmentPeriod",
        Duration(60, 90_000),
        GCP + "monitoring/api/ref_v3/rest/v3/projects.alertPolicies#Aggregation (60 s to 25 h for alerting)",
        at="up",
    ),
    Limit(
        "gcp-alert-aligner",
        POLICY,
        f"{THRESHOLD}.aggregations[].perSeriesAligner",
        OneOf(_ALIGNERS),
        GB + "monitoring/resource_monitoring_alert_policy.go",
    ),
    Limit(
        "gcp-alert-reducer",
        POLICY,
        f"{THRESHOLD}.aggregations[].crossSeriesReducer",
        OneOf(_REDUCERS),
        GB + "monitoring/resource_monitoring_alert_policy.go",
    ),
    Limit(
        "gcp-alert-documentation",
        POLICY,
        "documentation.content",
        Length(8192, 0),
        GB + "monitoring/resource_monitoring_alert_policy.go (documentation.content)",
        at="up",
    ),
    Limit(
        "gcp-notification-channel-name",
        CHANNEL,
        "displayName",
        Length(512),
        GB + "monitoring/resource_monitoring_notification_channel.go",
        at="up",
    ),
    Limit(
        "gcp-notification-channel-email",
        CHANNEL,
        "",
        EmailChannel(),
        GCP + "monitoring/support/notification-options#email",
        at="up",
    ),
    Limit(
        "gcp-uptime-period",
        UPTIME,
        "period",
        OneOf(("60s", "300s", "600s", "900s")),
        GB + "monitoring/resource_monitoring_uptime_check_config.go (period)",
        at="up",
    ),
    Limit(
        "gcp-uptime-timeout",
        UPTIME,
        "timeout",
        Duration(1, 60),
        GB + "monitoring/resource_monitoring_uptime_check_config.go (timeout)",
        at="up",
    ),
)

_BUDGETS = GB + "billingbudgets/resource_billing_budget.go"
_GCP_BUDGET = (
    Limit(
        "gcp-budget-display-name",
        BUDGET,
        "displayName",
        Length(GCP_BUDGET_DISPLAY_NAME_MAX),
        _BUDGETS,
        at="up",
    ),
    Limit(
        "gcp-budget-billing-account",
        BUDGET,
        "billingAccount",
        Pattern(r"[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}", "a billing account id such as 012345-6789AB-CDEF01"),
        GCP + "billing/docs/how-to/find-billing-account-id",
        at="up",
    ),
    Limit(
        "gcp-budget-threshold-basis",
        BUDGET,
        "thresholdRules[].spendBasis",
        OneOf(("CURRENT_SPEND", "FORECASTED_SPEND")),
        _BUDGETS,
    ),
    Limit(
        "gcp-budget-threshold-percent",
        BUDGET,
        "thresholdRules[].thresholdPercent",
        Between(0),
        _BUDGETS,
        at="up",
    ),
    Limit(
        "gcp-budget-channels",
        BUDGET,
        "allUpdatesRule.monitoringNotificationChannels",
        Count(GCP_BUDGET_CHANNELS_MAX),
        _BUDGETS,
    ),
    Limit(
        "gcp-budget-projects",
        BUDGET,
        "budgetFilter.projects[]",
        Pattern(r"projects/\d+", "projects/<project NUMBER> (not the project id)"),
        _BUDGETS,
        at="up",
    ),
)

MONITORING_LIMITS: tuple[Limit, ...] = (*_CLOUDWATCH, *_ALERTS, *_COST_ANOMALY, *_GCP_ALERTING, *_GCP_BUDGET)
