"""What AWS and the AWS provider refuse at create time, for every AWS resource type the program makes.

Each row names its source: the terraform-provider-aws schema validator behind the pulumi-aws property
(it runs during `pulumi preview`), or the AWS API reference (only `pulumi up` meets it). Names are
checked as the engine sees them: an autonamed property carries the logical name plus "-" and 7
characters (see autonaming.py), so a logical name too long for the limit fails here as it would there.
"""

from __future__ import annotations

from policies.deploy.checks import (
    AlarmPeriod,
    AllOf,
    Between,
    Count,
    Forbidden,
    JsonSize,
    Length,
    Limit,
    OneOf,
    Pattern,
)
from policies.deploy.facts import FARGATE_CPU_ARCHITECTURES, LOG_RETENTION_DAYS, RDS_MONITORING_INTERVALS
from policies.deploy.formats import (
    DAILY_WINDOW,
    WEEKLY_WINDOW,
    FargateTaskSize,
    NotMore,
    SchedulerExpression,
    Smaller,
    TimeZone,
    Windows,
)

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
ELB_SSL_POLICIES = (
    "ELBSecurityPolicy-2016-08",
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-0-2021-06",
    "ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
)

LB = "aws:lb/loadBalancer:LoadBalancer"
TG = "aws:lb/targetGroup:TargetGroup"
REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup"
DB = "aws:rds/instance:Instance"
TASK = "aws:ecs/taskDefinition:TaskDefinition"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
WEB_ACL = "aws:wafv2/webAcl:WebAcl"
SG = "aws:ec2/securityGroup:SecurityGroup"

_ELBV2 = TF + "elbv2/"
_LOAD_BALANCERS = (
    Limit("aws-lb-name", LB, "name", AllOf([Length(32), ALNUM_HYPHEN]), _ELBV2 + "validate.go (validName)"),
    Limit(
        "aws-lb-name-internal",
        LB,
        "name",
        Forbidden(r"^internal-", "must not begin with internal-"),
        _ELBV2 + "validate.go (validName)",
    ),
    Limit("aws-lb-name-prefix", LB, "namePrefix", Length(6), _ELBV2 + "validate.go (validNamePrefix)"),
    Limit("aws-tg-name", TG, "name", AllOf([Length(32), ALNUM_HYPHEN]), _ELBV2 + "target_group.go"),
    Limit("aws-tg-name-prefix", TG, "namePrefix", Length(6), _ELBV2 + "target_group.go"),
    Limit("aws-tg-port", TG, "port", Between(1, 65535), _ELBV2 + "target_group.go"),
    Limit("aws-tg-deregistration", TG, "deregistrationDelay", Between(0, 3600), _ELBV2 + "target_group.go"),
    Limit(
        "aws-tg-health-path",
        TG,
        "healthCheck.path",
        AllOf([Length(1024), Pattern(r"/.*", "an absolute path starting with /")]),
        _ELBV2 + "target_group.go",
    ),
    Limit("aws-tg-health-interval", TG, "healthCheck.interval", Between(5, 300), _ELBV2 + "target_group.go"),
    Limit("aws-tg-health-timeout", TG, "healthCheck.timeout", Between(2, 120), _ELBV2 + "target_group.go"),
    Limit(
        "aws-tg-health-thresholds",
        TG,
        "healthCheck.healthyThreshold",
        Between(2, 10),
        _ELBV2 + "target_group.go",
    ),
    Limit(
        "aws-tg-unhealthy-threshold",
        TG,
        "healthCheck.unhealthyThreshold",
        Between(2, 10),
        _ELBV2 + "target_group.go",
    ),
    Limit(
        "aws-tg-health-timeout-under-interval",
        TG,
        "",
        Smaller("timeout", "interval", path="healthCheck"),
        API + "elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
        at="up",
    ),
    Limit(
        "aws-tg-health-matcher",
        TG,
        "healthCheck.matcher",
        Pattern(r"[2-4][0-9]{2}(-[2-4][0-9]{2})?(,[2-4][0-9]{2}(-[2-4][0-9]{2})?)*", "HTTP codes 200-499"),
        API + "elasticloadbalancing/latest/APIReference/API_Matcher.html",
        at="up",
    ),
    Limit(
        "aws-listener-ssl-policy",
        "aws:lb/listener:Listener",
        "sslPolicy",
        OneOf(ELB_SSL_POLICIES),
        API + "elasticloadbalancing/latest/application/describe-ssl-policies.html",
        at="up",
    ),
)

_CACHE = TF + "elasticache/"
_ELASTICACHE = (
    Limit(
        "aws-elasticache-group-id",
        REPLICATION_GROUP,
        "replicationGroupId",
        AllOf([Length(40), LOWER_IDENTIFIER]),
        _CACHE + "replication_group.go (validateReplicationGroupID)",
    ),
    Limit(
        "aws-elasticache-description",
        REPLICATION_GROUP,
        "description",
        Pattern(r".+", "not empty"),
        _CACHE + "replication_group.go (description: StringIsNotEmpty)",
    ),
    Limit(
        "aws-elasticache-auth-token",
        REPLICATION_GROUP,
        "authToken",
        AllOf([Length(128, minimum=16), Pattern(r"[^@\"/]+", 'no @, " or /')]),
        _CACHE + "validate.go (validReplicationGroupAuthToken)",
    ),
    Limit(
        "aws-elasticache-maintenance-window",
        REPLICATION_GROUP,
        "maintenanceWindow",
        Pattern(WEEKLY_WINDOW, "ddd:hh24:mi-ddd:hh24:mi"),
        TF_WINDOWS + " (ValidOnceAWeekWindowFormat)",
    ),
    Limit(
        "aws-elasticache-snapshot-window",
        REPLICATION_GROUP,
        "snapshotWindow",
        Pattern(DAILY_WINDOW, "hh24:mi-hh24:mi"),
        TF_WINDOWS + " (ValidOnceADayWindowFormat)",
    ),
    Limit(
        "aws-elasticache-windows",
        REPLICATION_GROUP,
        "",
        Windows("maintenanceWindow", "snapshotWindow", 60, 60),
        API + "AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html",
        at="up",
    ),
    Limit(
        "aws-elasticache-snapshot-retention",
        REPLICATION_GROUP,
        "snapshotRetentionLimit",
        Between(0, 35),
        _CACHE + "replication_group.go",
    ),
    Limit(
        "aws-elasticache-subnet-group-name",
        "aws:elasticache/subnetGroup:SubnetGroup",
        "name",
        AllOf([Length(255), Pattern(r"[0-9A-Za-z-]+", "letters, digits and hyphens")]),
        API + "AmazonElastiCache/latest/APIReference/API_CreateCacheSubnetGroup.html",
        at="up",
    ),
)

_RDS = TF + "rds/"
_DATABASE = (
    Limit(
        "aws-rds-identifier",
        DB,
        "identifier",
        AllOf([Length(63), LOWER_IDENTIFIER]),
        _RDS + "validate.go (validIdentifier); API_CreateDBInstance: 1-63",
    ),
    Limit(
        "aws-rds-identifier-prefix",
        DB,
        "identifierPrefix",
        AllOf(
            [
                Length(37),
                Pattern(r"[a-z][0-9a-z-]*", "lower-case letters, digits and hyphens, starting with a letter"),
                Forbidden(r"--", "no two hyphens in a row"),
            ]
        ),
        _RDS + "validate.go (validIdentifierPrefix); 63 less the 26 characters Terraform appends",
    ),
    Limit(
        "aws-rds-final-snapshot-identifier",
        DB,
        "finalSnapshotIdentifier",
        AllOf(
            [
                Length(255),
                Pattern(r"[A-Za-z][0-9A-Za-z-]*", "letters, digits and hyphens, starting with a letter"),
                Forbidden(r"--|-$", "no two hyphens in a row and no hyphen last"),
            ]
        ),
        _RDS + "instance.go (final_snapshot_identifier)",
    ),
    Limit(
        "aws-rds-backup-window",
        DB,
        "backupWindow",
        Pattern(DAILY_WINDOW, "hh24:mi-hh24:mi"),
        TF_WINDOWS,
    ),
    Limit(
        "aws-rds-maintenance-window",
        DB,
        "maintenanceWindow",
        Pattern(WEEKLY_WINDOW, "ddd:hh24:mi-ddd:hh24:mi"),
        TF_WINDOWS,
    ),
    Limit(
        "aws-rds-windows-apart",
        DB,
        "",
        Windows("backupWindow", "maintenanceWindow", 30, 30),
        API + "AmazonRDS/latest/APIReference/API_CreateDBInstance.html (PreferredBackupWindow)",
        at="up",
    ),
    Limit(
        "aws-rds-monitoring-interval",
        DB,
        "monitoringInterval",
        OneOf(RDS_MONITORING_INTERVALS),
        _RDS + "instance.go",
    ),
    Limit("aws-rds-backup-retention", DB, "backupRetentionPeriod", Between(0, 35), _RDS + "instance.go"),
    Limit(
        "aws-rds-storage",
        DB,
        "allocatedStorage",
        Between(20, 65536),
        API + "AmazonRDS/latest/UserGuide/CHAP_Storage.html#gp3-storage",
        at="up",
    ),
    Limit(
        "aws-rds-insights-retention",
        DB,
        "performanceInsightsRetentionPeriod",
        OneOf((7, *(31 * month for month in range(1, 24)), 731)),
        API + "AmazonRDS/latest/APIReference/API_CreateDBInstance.html (PerformanceInsightsRetentionPeriod)",
        at="up",
    ),
    Limit(
        "aws-rds-subnet-group-name",
        "aws:rds/subnetGroup:SubnetGroup",
        "name",
        AllOf([Length(255), Pattern(r"[0-9a-z_ .-]+", "lower-case"), Forbidden(r"^default$", "not default")]),
        _RDS + "validate.go (validSubnetGroupName)",
    ),
    Limit(
        "aws-rds-parameter-group-name",
        "aws:rds/parameterGroup:ParameterGroup",
        "name",
        AllOf(
            [Length(255), Pattern(r"[a-z][0-9a-z.-]*", "lower-case"), Forbidden(r"--|-$", "no --, no - last")]
        ),
        _RDS + "validate.go (validParamGroupName)",
    ),
)

_IAM = TF + "iam/"
IAM_NAME = Pattern(r"[\w+=,.@-]+", "letters, digits and +=,.@_-")
_IDENTITY = (
    Limit("aws-iam-role-name", "aws:iam/role:Role", "name", AllOf([Length(64), IAM_NAME]), _IAM + "role.go"),
    Limit("aws-iam-role-name-prefix", "aws:iam/role:Role", "namePrefix", Length(38), _IAM + "role.go"),
    Limit(
        "aws-iam-trust-policy-size",
        "aws:iam/role:Role",
        "assumeRolePolicy",
        JsonSize(2048, "the trust policy"),
        API + "IAM/latest/UserGuide/reference_iam-quotas.html",
        at="up",
    ),
    Limit(
        "aws-iam-role-description",
        "aws:iam/role:Role",
        "description",
        Length(1000, 0),
        _IAM + "role.go (description: StringLenBetween(0, 1000))",
    ),
    Limit(
        "aws-iam-role-description-chars",
        "aws:iam/role:Role",
        "description",
        Pattern(r"[\t\n\r\x20-\x7e\xa1-\xff]*", "printable Latin-1 only (tab, newline allowed)"),
        API + "IAM/latest/APIReference/API_CreateRole.html (Description)",
        at="up",
    ),
    Limit(
        "aws-iam-role-session-duration",
        "aws:iam/role:Role",
        "maxSessionDuration",
        Between(3600, 43200),
        _IAM + "role.go (max_session_duration: IntBetween(3600, 43200))",
    ),
    Limit(
        "aws-iam-policy-attachment-arn",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "policyArn",
        Pattern(r"arn:aws[a-z-]*:iam::(aws|[0-9]{12}):policy/[\w+=,.@/-]+", "an IAM managed policy ARN"),
        _IAM + "role_policy_attachment.go (policy_arn: verify.ValidARN)",
    ),
    Limit(
        "aws-oidc-provider-url",
        "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
        "url",
        AllOf([Length(255), Pattern(r"https://[^\s?#]+", "an https:// URL without query or fragment")]),
        _IAM + "openid_connect_provider.go (url: validOpenIDURL)",
    ),
    Limit(
        "aws-oidc-client-id-count",
        "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
        "clientIdLists",
        Count(100),
        API + "IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html (ClientIDList)",
        at="up",
    ),
    Limit(
        "aws-oidc-client-id",
        "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
        "clientIdLists[]",
        Length(255),
        _IAM + "openid_connect_provider.go (client_id_list: StringLenBetween(1, 255))",
    ),
    Limit(
        "aws-iam-role-policy-name",
        "aws:iam/rolePolicy:RolePolicy",
        "name",
        AllOf([Length(128), IAM_NAME]),
        _IAM + "role_policy.go",
    ),
    Limit(
        "aws-kms-alias",
        "aws:kms/alias:Alias",
        "name",
        AllOf(
            [
                Length(256),
                Pattern(r"alias/[a-zA-Z0-9:/_-]+", "alias/ then letters, digits and :/_-"),
                Forbidden(r"^alias/aws", "alias/aws is reserved for AWS"),
            ]
        ),
        TF + "kms/validate.go (validName)",
    ),
    Limit("aws-kms-description", "aws:kms/key:Key", "description", Length(8192, 0), TF + "kms/key.go"),
    Limit(
        "aws-kms-deletion-window",
        "aws:kms/key:Key",
        "deletionWindowInDays",
        Between(7, 30),
        TF + "kms/key.go",
    ),
    Limit(
        "aws-secret-name",
        "aws:secretsmanager/secret:Secret",
        "name",
        AllOf([Length(512), Pattern(r"[0-9A-Za-z/_+=.@-]+", "letters, digits and /_+=.@-")]),
        TF + "secretsmanager/validate.go",
    ),
    Limit(
        "aws-secret-description",
        "aws:secretsmanager/secret:Secret",
        "description",
        Length(2048, 0),
        API + "secretsmanager/latest/apireference/API_CreateSecret.html",
        at="up",
    ),
    Limit(
        "aws-secret-recovery-window",
        "aws:secretsmanager/secret:Secret",
        "recoveryWindowInDays",
        OneOf((0, *range(7, 31))),
        TF + "secretsmanager/secret.go",
    ),
)

_STORAGE = (
    Limit(
        "aws-s3-bucket-name",
        "aws:s3/bucket:Bucket",
        "bucket",
        AllOf(
            [
                Length(63, minimum=3),
                Pattern(r"[a-z0-9][a-z0-9.-]*[a-z0-9]", "lower-case letters, digits, . and -"),
                Forbidden(r"\.\.|^\d+\.\d+\.\d+\.\d+$", "no .. and not an IP address"),
            ]
        ),
        TF + "s3/bucket.go (validBucketName, at create)",
        at="up",
    ),
    Limit(
        "aws-s3-bucket-prefix",
        "aws:s3/bucket:Bucket",
        "bucketPrefix",
        AllOf([Length(37), Pattern(r"[a-z0-9][a-z0-9.-]*", "lower-case letters, digits, . and -")]),
        TF + "s3/bucket.go (bucket_prefix: 63 less the 26 characters Terraform appends)",
    ),
    Limit(
        "aws-s3-lifecycle-rule-id",
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "rules[].id",
        Length(255),
        API + "AmazonS3/latest/API/API_LifecycleRule.html",
        at="up",
    ),
    Limit(
        "aws-ecr-repository-name",
        "aws:ecr/repository:Repository",
        "name",
        AllOf(
            [
                Length(256, minimum=2),
                Pattern(
                    r"(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*",
                    "lower-case letters and digits, separated by single . _ - or /",
                ),
            ]
        ),
        API + "AmazonECR/latest/APIReference/API_CreateRepository.html",
        at="up",
    ),
    Limit(
        "aws-log-group-name",
        "aws:cloudwatch/logGroup:LogGroup",
        "name",
        AllOf([Length(512), Pattern(r"[0-9A-Za-z_./#-]+", "letters, digits and _./#-")]),
        TF + "logs/validate.go",
    ),
    Limit(
        "aws-log-retention",
        "aws:cloudwatch/logGroup:LogGroup",
        "retentionInDays",
        OneOf((0, *LOG_RETENTION_DAYS)),
        TF + "logs/group.go",
    ),
)

_ECS_NAME = AllOf([Length(255), Pattern(r"[0-9A-Za-z_-]+", "letters, digits, _ and -")])
_ECS_API = API + "AmazonECS/latest/APIReference/"
_CONTAINERS = "containerDefinitions(json)[]"
_ECS = (
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
)

_EC2 = TF + "ec2/vpc_security_group.go"
_NETWORK = (
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

_WAF = TF + "wafv2/schemas.go"
WAF_NAME = AllOf([Length(128), Pattern(r"[0-9A-Za-z_-]+", "letters, digits, _ and -")])
_EDGE = (
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
        "aws-cloudfront-vpc-origin-protocol",
        "aws:cloudfront/vpcOrigin:VpcOrigin",
        "vpcOriginEndpointConfig.originProtocolPolicy",
        OneOf(("http-only", "match-viewer", "https-only")),
        API + "cli/latest/reference/cloudfront/create-vpc-origin.html",
    ),
)

_SCHEDULER = TF + "scheduler/schedule.go"
_OPERATIONS = (
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
_ALARMS = (
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

AWS_LIMITS: tuple[Limit, ...] = (
    *_LOAD_BALANCERS,
    *_ELASTICACHE,
    *_DATABASE,
    *_IDENTITY,
    *_STORAGE,
    *_ECS,
    *_NETWORK,
    *_EDGE,
    *_OPERATIONS,
    *_ALARMS,
)
