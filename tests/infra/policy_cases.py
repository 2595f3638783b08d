"""A failing and a passing synthetic plan for every rule of the pack (deploy constraints have their own
table in deploy_violations.py)."""

from __future__ import annotations

from collections.abc import Callable

from tests.infra.policy_plans import (
    AES_RULES,
    ALL_TAGS,
    ALLOW_STAR,
    CACHE,
    FORWARD,
    INGRESS,
    LB,
    RDS,
    REDACTED,
    REDIRECT,
    RUN,
    RUN_MEMBER,
    SCOPED,
    SNS_ARN,
    SPLIT,
    SPOT_STRATEGY,
    TASK,
    Plan,
    alarms_plan,
    bucket_plan,
    budget_plan,
    cloudfront_logs_plan,
    doc,
    joined_plan,
    listener_plan,
    one,
    orphan_plan,
    public_entry_plan,
    rec,
    repo_plan,
    scaling_plan,
    tagged_plan,
    task_plan,
    waf_plan,
    watched_db_plan,
)

SQL = "gcp:sql/databaseInstance:DatabaseInstance"
REDIS = "gcp:redis/instance:Instance"
GCS = "gcp:storage/bucket:Bucket"
GCS_MEMBER = "gcp:storage/bucketIAMMember:BucketIAMMember"
KMS_KEY = "gcp:kms/cryptoKey:CryptoKey"
DISTRIBUTION = "aws:cloudfront/distribution:Distribution"

# rule id -> (failing plan, passing plan)
CASES: dict[str, tuple[Callable[[], Plan], Callable[[], Plan]]] = {
    "s3-public-access-block": (
        one(
            SPLIT["block"],
            dict.fromkeys(("blockPublicAcls", "ignorePublicAcls", "restrictPublicBuckets"), True),
        ),
        one(
            SPLIT["block"],
            dict.fromkeys(
                ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"), True
            ),
        ),
    ),
    "s3-acls-disabled": (
        one(SPLIT["ownership"], {"rule": {"objectOwnership": "ObjectWriter"}}),
        one(SPLIT["ownership"], {"rule": {"objectOwnership": "BucketOwnerEnforced"}}),
    ),
    "s3-default-encryption": (
        one(SPLIT["encryption"], {"rules": []}),
        one(SPLIT["encryption"], {"rules": AES_RULES}),
    ),
    "s3-encryption-kms": (lambda: bucket_plan(sse=AES_RULES), bucket_plan),
    "s3-versioning": (
        one(SPLIT["versioning"], {"versioningConfiguration": {"status": "Suspended"}}),
        one(SPLIT["versioning"], {"versioningConfiguration": {"status": "Enabled"}}),
    ),
    "s3-tls-only": (
        one(SPLIT["policy"], {"policy": doc(SCOPED)}),
        one(
            SPLIT["policy"],
            {
                "policy": doc(
                    {
                        "Effect": "Deny",
                        "Action": "s3:*",
                        "Principal": "*",
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                    }
                )
            },
        ),
    ),
    "s3-bucket-hardening-complete": (lambda: bucket_plan(skip="block"), bucket_plan),
    "s3-split-resources-joined": (orphan_plan, joined_plan),
    "s3-access-logging": (lambda: bucket_plan(logged=False), bucket_plan),
    "s3-lifecycle": (lambda: bucket_plan(skip="lifecycle"), bucket_plan),
    "rds-not-public": (one(RDS, {"publiclyAccessible": True}), one(RDS, {"publiclyAccessible": False})),
    "rds-storage-encrypted": (one(RDS, {}), one(RDS, {"storageEncrypted": True})),
    "rds-iam-auth": (one(RDS, {}), one(RDS, {"iamDatabaseAuthenticationEnabled": True})),
    "rds-auto-minor-upgrade": (
        one(RDS, {"autoMinorVersionUpgrade": False}),
        one(RDS, {"autoMinorVersionUpgrade": True}),
    ),
    "rds-managed-master-password": (
        one(RDS, {"password": "x"}),
        one(RDS, {"manageMasterUserPassword": True}),
    ),
    "rds-log-exports": (
        one(RDS, {"enabledCloudwatchLogsExports": ["upgrade"]}),
        one(RDS, {"enabledCloudwatchLogsExports": ["postgresql"]}),
    ),
    "rds-performance-insights-encrypted": (
        one(RDS, {"performanceInsightsEnabled": True}),
        one(RDS, {"performanceInsightsEnabled": True, "performanceInsightsKmsKeyId": "arn:key"}),
    ),
    "rds-performance-insights": (one(RDS, {}), one(RDS, {"performanceInsightsEnabled": True})),
    "rds-enhanced-monitoring": (one(RDS, {"monitoringInterval": 0}), one(RDS, {"monitoringInterval": 60})),
    "rds-multi-az": (one(RDS, {"multiAz": False}), one(RDS, {"multiAz": True})),
    "rds-deletion-protection": (one(RDS, {}), one(RDS, {"deletionProtection": True})),
    "rds-backup-retention": (one(RDS, {"backupRetentionPeriod": 3}), one(RDS, {"backupRetentionPeriod": 7})),
    "rds-final-snapshot": (one(RDS, {"skipFinalSnapshot": True}), one(RDS, {"skipFinalSnapshot": False})),
    "rds-force-tls": (
        one("aws:rds/parameterGroup:ParameterGroup", {"family": "postgres17", "parameters": []}),
        one(
            "aws:rds/parameterGroup:ParameterGroup",
            {"family": "postgres17", "parameters": [{"name": "rds.force_ssl", "value": "1"}]},
        ),
    ),
    "elasticache-at-rest-encryption": (one(CACHE, {}), one(CACHE, {"atRestEncryptionEnabled": True})),
    "elasticache-transit-encryption": (
        one(CACHE, {"transitEncryptionEnabled": True, "transitEncryptionMode": "preferred"}),
        one(CACHE, {"transitEncryptionEnabled": True, "transitEncryptionMode": "required"}),
    ),
    "elasticache-auth-token": (one(CACHE, {}), one(CACHE, {"authToken": "t" * 32})),
    "elasticache-kms": (one(CACHE, {}), one(CACHE, {"kmsKeyId": "arn:key"})),
    "elasticache-auto-minor-upgrade": (one(CACHE, {}), one(CACHE, {"autoMinorVersionUpgrade": True})),
    "elasticache-own-subnet-group": (one(CACHE, {}), one(CACHE, {"subnetGroupName": "cache-subnets"})),
    "elasticache-automatic-failover": (one(CACHE, {}), one(CACHE, {"automaticFailoverEnabled": True})),
    "elasticache-snapshots": (
        one(CACHE, {"snapshotRetentionLimit": 0}),
        one(CACHE, {"snapshotRetentionLimit": 7}),
    ),
    "ecs-no-privileged": (task_plan(privileged=True), task_plan()),
    "ecs-read-only-root": (task_plan(readonlyRootFilesystem=False), task_plan()),
    "ecs-no-secrets-in-environment": (
        task_plan(environment=[{"name": "ANTHROPIC_API_KEY", "value": "sk"}]),
        task_plan(),
    ),
    "ecs-no-host-namespaces": (one(TASK, {"networkMode": "host"}), one(TASK, {"networkMode": "awsvpc"})),
    "ecs-separate-task-roles": (
        one(TASK, {"executionRoleArn": "a", "taskRoleArn": "a"}),
        one(TASK, {"executionRoleArn": "a", "taskRoleArn": "b"}),
    ),
    "ecs-no-public-ip": (
        one("aws:ecs/service:Service", {"networkConfiguration": {"assignPublicIp": True}}),
        one("aws:ecs/service:Service", {"networkConfiguration": {"assignPublicIp": False}}),
    ),
    "ecs-latest-platform": (
        one("aws:ecs/service:Service", {"platformVersion": "1.3.0"}),
        one("aws:ecs/service:Service", {"platformVersion": "LATEST"}),
    ),
    "ecs-serving-on-spot": (
        one(
            "aws:ecs/service:Service",
            {"loadBalancers": [{"containerPort": 8000}], "capacityProviderStrategies": [SPOT_STRATEGY]},
        ),
        one(
            "aws:ecs/service:Service",
            {
                "loadBalancers": [{"containerPort": 8000}],
                "capacityProviderStrategies": [
                    {"capacityProvider": "FARGATE", "base": 2, "weight": 1},
                    SPOT_STRATEGY,
                ],
            },
        ),
    ),
    "ecs-container-insights": (
        one("aws:ecs/cluster:Cluster", {"settings": []}),
        one("aws:ecs/cluster:Cluster", {"settings": [{"name": "containerInsights", "value": "enabled"}]}),
    ),
    "ecr-scan-on-push": (
        one("aws:ecr/repository:Repository", {}),
        one("aws:ecr/repository:Repository", {"imageScanningConfiguration": {"scanOnPush": True}}),
    ),
    "ecr-immutable-tags": (
        one("aws:ecr/repository:Repository", {"imageTagMutability": "MUTABLE"}),
        one("aws:ecr/repository:Repository", {"imageTagMutability": "IMMUTABLE"}),
    ),
    "ecr-kms": (
        one("aws:ecr/repository:Repository", {"encryptionConfigurations": [{"encryptionType": "AES256"}]}),
        one("aws:ecr/repository:Repository", {"encryptionConfigurations": [{"encryptionType": "KMS"}]}),
    ),
    "ecr-lifecycle-policy": (lambda: repo_plan(False), lambda: repo_plan(True)),
    "alb-https-listeners": (
        lambda: listener_plan(False, "HTTP", FORWARD),
        lambda: listener_plan(False, "HTTP", REDIRECT),
    ),
    "alb-tls-policy": (
        one("aws:lb/listener:Listener", {"protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-2016-08"}),
        one(
            "aws:lb/listener:Listener",
            {"protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06"},
        ),
    ),
    "alb-drop-invalid-headers": (one(LB, {}), one(LB, {"dropInvalidHeaderFields": True})),
    "alb-desync-mitigation": (
        one(LB, {"desyncMitigationMode": "monitor"}),
        one(LB, {"desyncMitigationMode": "strictest"}),
    ),
    "alb-access-logs": (one(LB, {}), one(LB, {"accessLogs": {"bucket": "logs", "enabled": True}})),
    "alb-deletion-protection": (one(LB, {}), one(LB, {"enableDeletionProtection": True})),
    "waf-on-public-entry": (lambda: public_entry_plan(False), lambda: public_entry_plan(True)),
    "cloudfront-security-headers": (
        one(
            DISTRIBUTION,
            {
                "defaultCacheBehavior": {"responseHeadersPolicyId": "p"},
                "orderedCacheBehaviors": [{"pathPattern": "/docs*"}],
            },
        ),
        one(DISTRIBUTION, {"defaultCacheBehavior": {"responseHeadersPolicyId": "p"}}),
    ),
    "cloudfront-access-logs": (lambda: cloudfront_logs_plan(False), lambda: cloudfront_logs_plan(True)),
    "sg-no-open-ingress": (
        one(INGRESS, {"cidrIpv4": "0.0.0.0/0", "fromPort": 22, "toPort": 22}),
        one(INGRESS, {"cidrIpv4": "0.0.0.0/0", "fromPort": 443, "toPort": 443}),
    ),
    "sg-descriptions": (one(INGRESS, {}), one(INGRESS, {"description": "HTTPS from the ALB"})),
    "sg-default-closed": (
        one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", {"ingress": [{"fromPort": 0}]}),
        one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", {}),
    ),
    "iam-no-star-actions": (
        one("aws:iam/rolePolicy:RolePolicy", {"policy": doc(ALLOW_STAR)}),
        one("aws:iam/rolePolicy:RolePolicy", {"policy": doc(SCOPED)}),
    ),
    "iam-scoped-resources": (
        one("aws:iam/policy:Policy", {"policy": doc({**SCOPED, "Resource": "*"})}),
        one(
            "aws:iam/policy:Policy",
            {"policy": doc({"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"})},
        ),
    ),
    "iam-no-escalation-or-exfiltration": (
        one(
            "aws:iam/rolePolicy:RolePolicy",
            {"policy": doc({"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"})},
        ),
        one(
            "aws:iam/rolePolicy:RolePolicy",
            {
                "policy": doc(
                    {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::1:role/task"}
                )
            },
        ),
    ),
    "kms-rotation": (one("aws:kms/key:Key", {}), one("aws:kms/key:Key", {"enableKeyRotation": True})),
    "log-group-retention": (
        one("aws:cloudwatch/logGroup:LogGroup", {}),
        one("aws:cloudwatch/logGroup:LogGroup", {"retentionInDays": 30}),
    ),
    "log-group-kms": (
        one("aws:cloudwatch/logGroup:LogGroup", {}),
        one("aws:cloudwatch/logGroup:LogGroup", {"kmsKeyId": "arn:key"}),
    ),
    "alarm-actions": (
        one("aws:cloudwatch/metricAlarm:MetricAlarm", {"alarmActions": []}),
        one("aws:cloudwatch/metricAlarm:MetricAlarm", {"alarmActions": [SNS_ARN], "okActions": [SNS_ARN]}),
    ),
    "secrets-cmk": (
        one("aws:secretsmanager/secret:Secret", {}),
        one("aws:secretsmanager/secret:Secret", {"kmsKeyId": "arn:key"}),
    ),
    "sns-kms": (one("aws:sns/topic:Topic", {}), one("aws:sns/topic:Topic", {"kmsMasterKeyId": "arn:key"})),
    "sns-policy-not-public": (
        one(
            "aws:sns/topicPolicy:TopicPolicy",
            {"policy": doc({"Effect": "Allow", "Principal": "*", "Action": "sns:Publish"})},
        ),
        one(
            "aws:sns/topicPolicy:TopicPolicy",
            {
                "policy": doc(
                    {
                        "Effect": "Allow",
                        "Action": "sns:Publish",
                        "Principal": {"Service": "budgets.amazonaws.com"},
                        "Condition": {"StringEquals": {"aws:SourceAccount": "1"}},
                    }
                )
            },
        ),
    ),
    "gcp-cloud-run-dedicated-identity": (
        one(RUN, {"template": {"serviceAccount": "1-compute@developer.gserviceaccount.com"}}),
        one(RUN, {"template": {"serviceAccount": "run@p.iam.gserviceaccount.com"}}),
    ),
    "gcp-cloud-run-ingress": (one(RUN, {}), one(RUN, {"ingress": "INGRESS_TRAFFIC_INTERNAL_ONLY"})),
    "gcp-cloud-run-no-public-invoker": (
        one(RUN_MEMBER, {"member": "allUsers", "role": "roles/run.invoker"}),
        one(RUN_MEMBER, {"member": "group:team@example.com", "role": "roles/run.invoker"}),
    ),
    "gcp-no-basic-roles": (
        one("gcp:projects/iAMMember:IAMMember", {"role": "roles/editor"}),
        one("gcp:projects/iAMMember:IAMMember", {"role": "roles/logging.logWriter"}),
    ),
    "gcp-artifact-registry-private": (
        one("gcp:artifactregistry/repositoryIamMember:RepositoryIamMember", {"member": "allUsers"}),
        one(
            "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember", {"member": "serviceAccount:run@p"}
        ),
    ),
    "gcp-cloud-run-durable-data": (
        one(
            RUN, {"template": {"containers": [{"envs": [{"name": "DEPLOYMENT_ENV", "value": "production"}]}]}}
        ),
        one(RUN, {"template": {"containers": [{"envs": [{"name": "DATABASE_HOST", "value": "10.91.0.3"}]}]}}),
    ),
    "gcp-cloud-sql-no-public-ip": (
        one(SQL, {"settings": {"ipConfiguration": {"privateNetwork": "vpc"}}}),
        one(SQL, {"settings": {"ipConfiguration": {"ipv4Enabled": False}}}),
    ),
    "gcp-cloud-sql-tls-only": (
        one(SQL, {"settings": {"ipConfiguration": {"sslMode": "ALLOW_UNENCRYPTED_AND_ENCRYPTED"}}}),
        one(SQL, {"settings": {"ipConfiguration": {"sslMode": "ENCRYPTED_ONLY"}}}),
    ),
    "gcp-cloud-sql-backups": (
        one(SQL, {"settings": {"backupConfiguration": {"enabled": True}}}),
        one(
            SQL, {"settings": {"backupConfiguration": {"enabled": True, "pointInTimeRecoveryEnabled": True}}}
        ),
    ),
    "gcp-cloud-sql-cmek": (one(SQL, {}), one(SQL, {"encryptionKeyName": "projects/p/.../cryptoKeys/data"})),
    "gcp-cloud-sql-deletion-protection": (
        one(SQL, {"deletionProtection": True, "settings": {"deletionProtectionEnabled": False}}),
        one(SQL, {"settings": {"deletionProtectionEnabled": True}}),
    ),
    "gcp-cloud-sql-high-availability": (
        one(SQL, {"settings": {"availabilityType": "ZONAL"}}),
        one(SQL, {"settings": {"availabilityType": "REGIONAL"}}),
    ),
    "gcp-cloud-sql-dedicated-core": (
        one(SQL, {"settings": {"tier": "db-g1-small"}}),
        one(SQL, {"settings": {"tier": "db-custom-1-3840"}}),
    ),
    "gcp-memorystore-auth": (one(REDIS, {"authEnabled": False}), one(REDIS, {"authEnabled": True})),
    "gcp-memorystore-tls": (
        one(REDIS, {"transitEncryptionMode": "DISABLED"}),
        one(REDIS, {"transitEncryptionMode": "SERVER_AUTHENTICATION"}),
    ),
    "gcp-memorystore-cmek": (one(REDIS, {}), one(REDIS, {"customerManagedKey": "projects/p/.../data"})),
    "gcp-memorystore-high-availability": (
        one(REDIS, {"tier": "BASIC"}),
        one(REDIS, {"tier": "STANDARD_HA"}),
    ),
    "gcp-bucket-public-access-prevention": (
        one(GCS, {"publicAccessPrevention": "inherited"}),
        one(GCS, {"publicAccessPrevention": "enforced"}),
    ),
    "gcp-bucket-uniform-access": (one(GCS, {}), one(GCS, {"uniformBucketLevelAccess": True})),
    "gcp-bucket-cmek": (
        one(GCS, {"encryption": {}}),
        one(GCS, {"encryption": {"defaultKmsKeyName": "projects/p/.../data"}}),
    ),
    "gcp-bucket-versioning": (
        one(GCS, {"versioning": {"enabled": False}}),
        one(GCS, {"versioning": {"enabled": True}}),
    ),
    "gcp-bucket-not-public": (
        one(GCS_MEMBER, {"member": "allUsers", "role": "roles/storage.objectViewer"}),
        one(GCS_MEMBER, {"member": "serviceAccount:run@p.iam.gserviceaccount.com", "role": "x"}),
    ),
    "gcp-kms-rotation": (
        one(KMS_KEY, {"rotationPeriod": "31536000s"}),
        one(KMS_KEY, {"rotationPeriod": "7776000s"}),
    ),
    "gcp-secret-access-per-secret": (
        one("gcp:projects/iAMMember:IAMMember", {"role": "roles/secretmanager.secretAccessor"}),
        one(
            "gcp:secretmanager/secretIamMember:SecretIamMember",
            {"role": "roles/secretmanager.secretAccessor"},
        ),
    ),
    "stack-required-alarms": (
        lambda: alarms_plan({"namespace": "AWS/RDS"}, subscribed=False),
        lambda: alarms_plan({"namespace": "AWS/RDS"}),
    ),
    "stack-monitoring-coverage": (
        lambda: watched_db_plan(composite=False),
        lambda: watched_db_plan(composite=True),
    ),
    "stack-budget-with-subscriber": (
        lambda: [rec("aws:kms/key:Key", "key", {})],
        lambda: budget_plan([{"subscriberEmailAddresses": ["ops@example.com"]}]),
    ),
    "stack-autoscaling-bounds": (lambda: scaling_plan(1, 4), lambda: scaling_plan(2, 4)),
    "stack-health-check-route": (
        one("aws:lb/targetGroup:TargetGroup", {"healthCheck": {"path": "/healthz"}}),
        one("aws:lb/targetGroup:TargetGroup", {"healthCheck": {"path": "/health/live"}}),
    ),
    "stack-cost-tags": (lambda: tagged_plan({"project": "launchpad"}), lambda: tagged_plan(ALL_TAGS)),
    "stack-waf-logging": (lambda: waf_plan({"redactedFields": []}), lambda: waf_plan(REDACTED)),
}
