"""Per deploy constraint, inputs that break exactly that constraint (run by test_deploy_constraints)."""

from __future__ import annotations

import json
from typing import Any

LONG = "x" * 300


def _containers(**fields: Any) -> str:
    return json.dumps([{"name": "app", "image": "i", **fields}])


def _limits(cpu: str, memory: str) -> dict[str, str]:
    return {"cpu": cpu, "memory": memory}


def _alarm(**fields: Any) -> dict[str, Any]:
    return {"evaluationPeriods": 1, **fields}


def _run(**ecs_parameters: Any) -> dict[str, Any]:
    """A schedule whose target runs an ECS task with these parameters."""
    return {"target": {"ecsParameters": {"taskDefinitionArn": "arn:td", **ecs_parameters}}}


# One violating set of inputs per constraint id: each must be reported by exactly that rule.
VIOLATIONS: dict[str, dict[str, Any]] = {
    "aws-lb-name": {"name": "launchpad-staging-eu-central-1-lb-alb-43a3679"},
    "aws-lb-name-internal": {"name": "internal-web"},
    "aws-lb-name-prefix": {"namePrefix": "launchpad-"},
    "aws-tg-name": {"name": "web_tg"},
    "aws-tg-name-prefix": {"namePrefix": "toolong"},
    "aws-tg-port": {"port": 70000},
    "aws-tg-deregistration": {"deregistrationDelay": 3601},
    "aws-tg-health-path": {"healthCheck": {"path": "health/live"}},
    "aws-tg-health-interval": {"healthCheck": {"interval": 301}},
    "aws-tg-health-timeout": {"healthCheck": {"timeout": 1}},
    "aws-tg-health-thresholds": {"healthCheck": {"healthyThreshold": 11}},
    "aws-tg-unhealthy-threshold": {"healthCheck": {"unhealthyThreshold": 1}},
    "aws-tg-health-timeout-under-interval": {"healthCheck": {"timeout": 30, "interval": 15}},
    "aws-tg-health-matcher": {"healthCheck": {"matcher": "200,503"}},
    "aws-listener-ssl-policy": {"sslPolicy": "ELBSecurityPolicy-Strongest"},
    "aws-elasticache-group-id": {"replicationGroupId": "launchpad--cache"},
    "aws-elasticache-description": {"description": ""},
    "aws-elasticache-auth-token": {"authToken": "short@token"},
    "aws-elasticache-maintenance-window": {"maintenanceWindow": "sunday:05:00-sunday:06:00"},
    "aws-elasticache-snapshot-window": {"snapshotWindow": "3:00-4:00"},
    "aws-elasticache-windows": {"maintenanceWindow": "sun:03:30-sun:04:30", "snapshotWindow": "03:00-04:00"},
    "aws-elasticache-snapshot-retention": {"snapshotRetentionLimit": 36},
    "aws-elasticache-subnet-group-name": {"name": "cache_subnets"},
    "aws-rds-identifier": {"identifier": "Launchpad-db"},
    "aws-rds-identifier-prefix": {"identifierPrefix": "launchpad-staging-eu-central-1-db-xyz-"},
    "aws-rds-final-snapshot-identifier": {"finalSnapshotIdentifier": "1-final"},
    "aws-rds-backup-window": {"backupWindow": "3am-4am"},
    "aws-rds-maintenance-window": {"maintenanceWindow": "sun:25:00-sun:26:00"},
    "aws-rds-windows-apart": {"backupWindow": "04:00-04:45", "maintenanceWindow": "sun:04:30-sun:05:30"},
    "aws-rds-monitoring-interval": {"monitoringInterval": 7},
    "aws-rds-backup-retention": {"backupRetentionPeriod": 36},
    "aws-rds-storage": {"allocatedStorage": 10},
    "aws-rds-max-storage-headroom": {"allocatedStorage": 100, "maxAllocatedStorage": 109},
    "aws-rds-insights-retention": {"performanceInsightsRetentionPeriod": 30},
    "aws-rds-subnet-group-name": {"name": "Launchpad-DB-Subnets"},
    "aws-rds-parameter-group-name": {"name": "launchpad-dev-db-params-"},
    "aws-iam-role-name": {"name": "launchpad-staging-eu-central-1-nightly-scheduler-role-extra-abc1234"},
    "aws-iam-role-name-prefix": {"namePrefix": "launchpad-staging-eu-central-1-nightly-"},
    "aws-iam-trust-policy-size": {"assumeRolePolicy": json.dumps({"Statement": [{"Sid": "x" * 2100}]})},
    "aws-iam-role-policy-name": {"name": "policy with spaces"},
    "aws-iam-policy-name": {"name": "p" * 129},
    "aws-iam-policy-description": {"description": "d" * 1001},
    "aws-iam-managed-policy-size": {"policy": json.dumps({"Statement": [{"Sid": "x" * 6200}]})},
    "aws-iam-role-description": {"description": "d" * 1001},
    "aws-iam-role-description-chars": {"description": "Deploys “prod” stacks"},
    "aws-iam-role-session-duration": {"maxSessionDuration": 86400},
    "aws-iam-policy-attachment-arn": {"policyArn": "ReadOnlyAccess"},
    "aws-oidc-provider-url": {"url": "token.actions.githubusercontent.com"},
    "aws-oidc-client-id-count": {"clientIdLists": [f"client-{i}" for i in range(101)]},
    "aws-oidc-client-id": {"clientIdLists": ["c" * 256]},
    "aws-kms-alias": {"name": "alias/aws/launchpad"},
    "aws-kms-description": {"description": "x" * 8193},
    "aws-kms-deletion-window": {"deletionWindowInDays": 5},
    "aws-secret-name": {"name": "launchpad/dev/api key"},
    "aws-secret-description": {"description": "x" * 2049},
    "aws-secret-recovery-window": {"recoveryWindowInDays": 3},
    "aws-s3-bucket-name": {"bucket": "Launchpad_Uploads"},
    "aws-s3-bucket-prefix": {"bucketPrefix": "launchpad-staging-eu-central-1-token-sync-"},
    "aws-s3-lifecycle-rule-id": {"rules": [{"id": LONG}]},
    "aws-ecr-repository-name": {"name": "Launchpad-App"},
    "aws-log-group-name": {"name": "launchpad dev logs"},
    "aws-log-retention": {"retentionInDays": 10},
    "aws-ecs-cluster-name": {"name": "launchpad.dev"},
    "aws-ecs-service-name": {"name": "web service"},
    "aws-ecs-family": {"family": "launchpad.dev.web"},
    "aws-ecs-container-name": {"containerDefinitions": json.dumps([{"name": "app server"}])},
    "aws-ecs-stop-timeout": {"containerDefinitions": _containers(stopTimeout=300)},
    "aws-ecs-health-interval": {"containerDefinitions": _containers(healthCheck={"interval": 1})},
    "aws-ecs-health-timeout": {"containerDefinitions": _containers(healthCheck={"timeout": 90})},
    "aws-ecs-health-retries": {"containerDefinitions": _containers(healthCheck={"retries": 11})},
    "aws-ecs-health-start-period": {"containerDefinitions": _containers(healthCheck={"startPeriod": 600})},
    "aws-fargate-task-size": {"requiresCompatibilities": ["FARGATE"], "cpu": "512", "memory": "512"},
    "aws-fargate-architecture": {"runtimePlatform": {"cpuArchitecture": "arm64"}},
    "aws-scaling-policy-name": {"name": LONG},
    "aws-scaling-adjustment-type": {"stepScalingPolicyConfiguration": {"adjustmentType": "SetCapacity"}},
    "aws-scaling-metric-aggregation": {"stepScalingPolicyConfiguration": {"metricAggregationType": "Sum"}},
    "aws-ecs-strategy-weight": {
        "capacityProviderStrategies": [{"capacityProvider": "FARGATE", "weight": 1001}]
    },
    "aws-ecs-strategy-base": {"capacityProviderStrategies": [{"capacityProvider": "FARGATE", "base": -1}]},
    "aws-ecs-strategy-shape": {
        "capacityProviderStrategies": [
            {"capacityProvider": "FARGATE", "base": 1, "weight": 1},
            {"capacityProvider": "FARGATE_SPOT", "base": 1, "weight": 3},
        ]
    },
    "aws-ecs-strategy-or-launch-type": {
        "launchType": "FARGATE",
        "capacityProviderStrategies": [{"capacityProvider": "FARGATE_SPOT", "weight": 1}],
        "forceNewDeployment": True,
    },
    "aws-ecs-strategy-force-deployment": {
        "capacityProviderStrategies": [{"capacityProvider": "FARGATE_SPOT", "weight": 1}]
    },
    "aws-schedule-strategy-weight": _run(
        capacityProviderStrategies=[{"capacityProvider": "FARGATE", "weight": -1}]
    ),
    "aws-schedule-strategy-base": _run(
        capacityProviderStrategies=[{"capacityProvider": "FARGATE", "base": 100001}]
    ),
    "aws-schedule-strategy-items": _run(capacityProviderStrategies=[{"capacityProvider": "FARGATE"}] * 7),
    "aws-schedule-strategy-shape": _run(
        capacityProviderStrategies=[{"capacityProvider": "FARGATE_SPOT", "weight": 0}]
    ),
    "aws-schedule-strategy-or-launch-type": _run(
        launchType="FARGATE", capacityProviderStrategies=[{"capacityProvider": "FARGATE", "weight": 1}]
    ),
    "aws-sg-name": {"name": "sg-web"},
    "aws-sg-description": {"description": "the app's tasks"},
    "aws-sg-inline-ingress-description": {"ingress": [{"description": 'from "the" ALB'}]},
    "aws-sg-inline-egress-description": {"egress": [{"description": "to Valkey <6379>"}]},
    "aws-sg-ingress-rule-description": {"description": "PostgreSQL from its clients' group"},
    "aws-sg-egress-rule-description": {"description": "x" * 256},
    "aws-waf-acl-name": {"name": "launchpad.dev.waf"},
    "aws-waf-acl-metric": {"visibilityConfig": {"metricName": "launchpad:dev"}},
    "aws-waf-rule-name": {"rules": [{"name": "r" * 129}]},
    "aws-waf-rule-metric": {"rules": [{"visibilityConfig": {"metricName": "per ip"}}]},
    "aws-waf-rate-limit": {"rules": [{"statement": {"rateBasedStatement": {"limit": 50}}}]},
    "aws-waf-rate-window": {"rules": [{"statement": {"rateBasedStatement": {"evaluationWindowSec": 30}}}]},
    "aws-cloudfront-comment": {"comment": "c" * 129},
    "aws-cloudfront-tls": {"viewerCertificate": {"minimumProtocolVersion": "TLSv1.3"}},
    "aws-cloudfront-price-class": {"priceClass": "PriceClass_50"},
    "aws-cloudfront-vpc-origin-protocol": {"vpcOriginEndpointConfig": {"originProtocolPolicy": "http"}},
    "aws-cloudfront-headers-comment": {"comment": "c" * 129},
    "aws-cloudfront-frame-option": {"securityHeadersConfig": {"frameOptions": {"frameOption": "ALLOW-FROM"}}},
    "aws-cloudfront-referrer-policy": {
        "securityHeadersConfig": {"referrerPolicy": {"referrerPolicy": "none"}}
    },
    "aws-log-delivery-source-name": {"name": "launchpad.prod.cdn.access"},
    "aws-log-delivery-source-region": {
        "resourceArn": "arn:aws:cloudfront::123456789012:distribution/E1",
        "region": "eu-west-1",
    },
    "aws-log-delivery-destination-name": {"name": "d" * 61},
    "aws-log-delivery-destination-format": {"outputFormat": "JSON"},
    "aws-schedule-name": {"name": "launchpad-staging-eu-central-1-nightly-schedule-with-more-words-1234567"},
    "aws-schedule-expression": {"scheduleExpression": "cron(0 2 * * *)"},
    "aws-schedule-timezone": {"scheduleExpressionTimezone": "Mars/Olympus"},
    "aws-sns-topic-name": {"name": "alerts.topic"},
    "aws-sns-protocol": {"protocol": "e-mail"},
    "aws-budget-name": {"name": "launchpad:dev"},
    "aws-budget-time-unit": {"timeUnit": "WEEKLY"},
    "aws-cost-tag-status": {"status": "Enabled"},
    "aws-alarm-name": {"name": LONG},
    "aws-alarm-description": {"alarmDescription": "d" * 1025},
    "aws-alarm-period": _alarm(period=90),
    "aws-alarm-evaluation-periods": {"evaluationPeriods": 0},
    "aws-alarm-datapoints": {"datapointsToAlarm": 0},
    "aws-alarm-datapoints-within-periods": {"datapointsToAlarm": 3, "evaluationPeriods": 2},
    "aws-alarm-operator": _alarm(comparisonOperator="GreaterThan"),
    "aws-alarm-statistic": _alarm(statistic="Mean"),
    "aws-alarm-extended-statistic": _alarm(extendedStatistic="95th"),
    "aws-alarm-missing-data": _alarm(treatMissingData="zero"),
    "aws-alarm-query-id": _alarm(metricQueries=[{"id": "ErrorRate"}]),
    "aws-alarm-query-expression": _alarm(metricQueries=[{"id": "e", "expression": "m" * 1025}]),
    "aws-alarm-query-period": _alarm(metricQueries=[{"id": "m", "metric": {"period": 45}}]),
    "aws-alarm-actions": _alarm(alarmActions=[f"arn:{i}" for i in range(6)]),
    "aws-alarm-ok-actions": _alarm(okActions=[f"arn:{i}" for i in range(6)]),
    "aws-composite-alarm-rule": {"alarmRule": "r" * 10241},
    "aws-composite-alarm-name": {"alarmName": LONG},
    "aws-dashboard-name": {"dashboardName": "launchpad dev"},
    "aws-alarm-evaluation-range": _alarm(period=300, evaluationPeriods=289),
    "aws-composite-alarm-description": {"alarmDescription": "d" * 1025},
    "aws-composite-alarm-actions": {"alarmActions": [f"arn:{i}" for i in range(6)]},
    "aws-composite-alarm-ok-actions": {"okActions": [f"arn:{i}" for i in range(6)]},
    "aws-dashboard-body": {"dashboardBody": json.dumps({"widgets": [{"type": "metric", "properties": {}}]})},
    "aws-sns-filter-policy-scope": {"filterPolicyScope": "Body"},
    "aws-sns-endpoint-for-protocol": {"protocol": "https", "endpoint": "http://events.example.com"},
    "aws-budget-notification-emails": {
        "notifications": [{"subscriberEmailAddresses": [f"p{i}@example.com" for i in range(11)]}]
    },
    "aws-waf-log-destination": {
        "logDestinationConfigs": ["arn:aws:logs:us-east-1:123456789012:log-group:launchpad-dev-waf"]
    },
    "aws-waf-log-destination-count": {"logDestinationConfigs": ["a", "b"]},
    "aws-waf-log-same-region": {
        "resourceArn": "arn:aws:wafv2:us-east-1:123456789012:global/webacl/acl/1",
        "logDestinationConfigs": ["arn:aws:logs:eu-central-1:123456789012:log-group:aws-waf-logs-x"],
    },
    "aws-waf-log-redacted-header": {"redactedFields": [{"singleHeader": {"name": "h" * 65}}]},
    "aws-waf-log-filter-default": {"loggingFilter": {"defaultBehavior": "ALLOW"}},
    "aws-waf-log-filter-behavior": {"loggingFilter": {"filters": [{"behavior": "LOG"}]}},
    "aws-waf-log-filter-requirement": {"loggingFilter": {"filters": [{"requirement": "ANY"}]}},
    "aws-waf-log-filter-action": {
        "loggingFilter": {"filters": [{"conditions": [{"actionCondition": {"action": "DENY"}}]}]}
    },
    "aws-anomaly-monitor-name": {"name": LONG * 4},
    "aws-anomaly-monitor-type": {"monitorType": "TAGGED"},
    "aws-anomaly-monitor-dimension": {"monitorDimension": "REGION"},
    "aws-anomaly-monitor-specification": {
        "monitorSpecification": json.dumps({"Tags": {"Key": "stack", "Values": "dev"}})
    },
    "aws-anomaly-subscription-name": {"name": LONG * 4},
    "aws-anomaly-subscription-frequency": {"frequency": "HOURLY"},
    "aws-anomaly-sns-immediate": {"frequency": "DAILY", "subscribers": [{"type": "SNS", "address": "arn:t"}]},
    "gcp-alert-policy-display-name": {"displayName": "d" * 513},
    "gcp-alert-policy-conditions": {"conditions": [{}] * 7},
    "gcp-alert-policy-combiner": {"combiner": "ANY"},
    "gcp-alert-policy-severity": {"severity": "HIGH"},
    "gcp-alert-comparison": {"conditions": [{"conditionThreshold": {"comparison": "GREATER"}}]},
    "gcp-alert-duration": {"conditions": [{"conditionThreshold": {"duration": "90s"}}]},
    "gcp-alert-alignment-period": {
        "conditions": [{"conditionThreshold": {"aggregations": [{"alignmentPeriod": "30s"}]}}]
    },
    "gcp-alert-aligner": {
        "conditions": [{"conditionThreshold": {"aggregations": [{"perSeriesAligner": "ALIGN_P95"}]}}]
    },
    "gcp-alert-reducer": {
        "conditions": [{"conditionThreshold": {"aggregations": [{"crossSeriesReducer": "REDUCE_P95"}]}}]
    },
    "gcp-alert-documentation": {"documentation": {"content": "c" * 8193}},
    "gcp-notification-channel-name": {"displayName": "d" * 513},
    "gcp-notification-channel-email": {"type": "email", "labels": {"email_address": "ops"}},
    "gcp-uptime-period": {"period": "120s"},
    "gcp-uptime-timeout": {"timeout": "90s"},
    "gcp-budget-display-name": {
        "displayName": "launchpad-staging-eu-central-1 monthly budget for the project"
    },
    "gcp-budget-billing-account": {"billingAccount": "billingAccounts/012345-6789AB-CDEF01"},
    "gcp-budget-threshold-basis": {"thresholdRules": [{"spendBasis": "ACTUAL"}]},
    "gcp-budget-threshold-percent": {"thresholdRules": [{"thresholdPercent": -0.5}]},
    "gcp-budget-channels": {
        "allUpdatesRule": {"monitoringNotificationChannels": [f"c{i}" for i in range(6)]}
    },
    "gcp-budget-projects": {"budgetFilter": {"projects": ["projects/launchpad-test-project"]}},
    "gcp-service-account-id": {"accountId": "launchpad-staging-eu-central-1-run"},
    "gcp-service-account-display-name": {"displayName": "d" * 101},
    "gcp-secret-id": {"secretId": "launchpad/dev/api-keys"},
    "gcp-wif-pool-id": {"workloadIdentityPoolId": "gcp-github"},
    "gcp-wif-pool-display-name": {"displayName": "GitHub Actions workflows of example-org"},
    "gcp-wif-pool-description": {"description": "d" * 257},
    "gcp-wif-provider-id": {"workloadIdentityPoolProviderId": "GitHub_OIDC"},
    "gcp-wif-provider-display-name": {"displayName": "p" * 33},
    "gcp-wif-provider-description": {"description": "d" * 257},
    "gcp-service-account-description": {"description": "d" * 257},
    "gcp-labels": {"defaultLabels": {"cost-center": "CC-1"}},
    "gcp-run-service-name": {"name": "launchpad-staging-eu-central-1-web-service-708df3d"},
    "gcp-run-service-limits": {
        "template": {"containers": [{"resources": {"limits": {"cpu": "4", "memory": "1Gi"}}}]}
    },
    "gcp-run-service-probes": {"template": {"containers": [{"startupProbe": {"periodSeconds": 300}}]}},
    "gcp-run-port": {"template": {"containers": [{"ports": {"containerPort": 0}}]}},
    "gcp-run-timeout": {"template": {"timeout": "3601s"}},
    "gcp-artifact-repository-id": {"repositoryId": "Launchpad_Dev"},
    "gcp-image-path-build": {"tags": ["us-central1-docker.pkg.dev/launchpad-test/launchpad-dev:ctx-1"]},
    "gcp-image-path-service": {
        "template": {"containers": [{"image": "us-central1-docker.pkg.dev/p/launchpad-dev@sha256:ab"}]}
    },
    "gcp-network-name": {"name": "Launchpad_VPC"},
    "gcp-subnet-name": {"name": "run-"},
    "gcp-services-range-name": {"name": "1-services"},
    "gcp-services-range-prefix": {"prefixLength": 28},
    "gcp-services-peering-service": {"service": "redis.googleapis.com"},
    "gcp-kms-key-ring-name": {"name": "launchpad/dev"},
    "gcp-kms-key-name": {"name": "data key"},
    "gcp-kms-rotation-period": {"rotationPeriod": "3600s"},
    "gcp-kms-destroy-duration": {"destroyScheduledDuration": "31536000s"},
    "gcp-sql-instance-name": {"name": "Launchpad-db", "project": "p"},
    "gcp-sql-machine": {"databaseVersion": "POSTGRES_17", "settings": {"tier": "db-f1-micro"}},
    "gcp-sql-version": {"databaseVersion": "MYSQL_8_0"},
    "gcp-sql-availability": {"settings": {"availabilityType": "MULTI_ZONE"}},
    "gcp-sql-disk-size": {"settings": {"diskSize": 5}},
    "gcp-sql-backup-start": {"settings": {"backupConfiguration": {"startTime": "3:00"}}},
    "gcp-sql-retained-backups": {
        "settings": {"backupConfiguration": {"backupRetentionSettings": {"retainedBackups": 0}}}
    },
    "gcp-sql-maintenance-day": {"settings": {"maintenanceWindow": {"day": 0}}},
    "gcp-sql-maintenance-hour": {"settings": {"maintenanceWindow": {"hour": 24}}},
    "gcp-redis-name": {"name": "launchpad-staging-eu-central-1-cache-redis-0a1b2c"},
    "gcp-redis-memory": {"memorySizeGb": 0},
    "gcp-redis-tier": {"tier": "STANDARD"},
    "gcp-redis-version": {"redisVersion": "REDIS_8_0"},
    "gcp-redis-transit-encryption": {"transitEncryptionMode": "TLS"},
    "gcp-redis-connect-mode": {"connectMode": "PRIVATE_SERVICE_CONNECT"},
    "gcp-redis-snapshot-period": {"persistenceConfig": {"rdbSnapshotPeriod": "ONE_MINUTE"}},
    "gcp-redis-maintenance-day": {"maintenancePolicy": {"weeklyMaintenanceWindows": [{"day": "SUN"}]}},
    "gcp-bucket-name": {"name": "google-launchpad-uploads"},
    "gcp-bucket-public-access-prevention-value": {"publicAccessPrevention": "unspecified"},
    "gcp-bucket-soft-delete": {"softDeletePolicy": {"retentionDurationSeconds": 86400}},
    "gcp-bucket-lifecycle-state": {"lifecycleRules": [{"condition": {"withState": "CURRENT"}}]},
    "gcp-run-job-name": {"name": "Launchpad-Nightly"},
    "gcp-run-job-token": {"name": "j" * 51, "runExecutionToken": "t" * 12},
    "gcp-run-job-limits": {
        "template": {"template": {"containers": [{"resources": {"limits": _limits("0.5", "1Gi")}}]}}
    },
    "gcp-run-job-retries": {"template": {"template": {"maxRetries": 11}}},
    "gcp-image-path-job": {
        "template": {"template": {"containers": [{"image": "us-central1-docker.pkg.dev/p/r@sha256:ab"}]}}
    },
    "gcp-run-worker-pool-name": {"name": "launchpad-staging-eu-central-1-worker-pool-0a1b2c3"},
    "gcp-run-worker-pool-limits": {
        "template": {"containers": [{"resources": {"limits": _limits("1", "5Gi")}}]}
    },
    "gcp-image-path-worker-pool": {
        "template": {"containers": [{"image": "us-central1-docker.pkg.dev/p/r:1"}]}
    },
    "gcp-scheduler-job-name": {"name": "nightly job"},
    "gcp-scheduler-schedule": {"schedule": "0 2 * * ? *"},
    "gcp-scheduler-time-zone": {"timeZone": "CET+1"},
    "gcp-scheduler-attempt-deadline": {"attemptDeadline": "3600s"},
    "gcp-log-metric-name": {"name": "queue depth"},
    "docker-container-name": {"name": "-web"},
    "docker-volume-name": {"name": "pg data"},
    "docker-network-name": {"name": "_data"},
    "image-tag": {"tags": ["registry/launchpad-app:ctx/abc"]},
}
