"""A failing and a passing synthetic plan for every rule of the pack (deploy constraints have their own
table in test_deploy_constraints.py). Each plan is a list of recorded resources; `dep` wires a property
dependency the way the engine reports one, so stack rules join resources as in a real preview."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from offline.mocks import Recorded

Plan = list[Recorded]


def rec(resource_type: str, name: str, props: dict[str, Any], **deps: Recorded) -> Recorded:
    recorded = Recorded(resource_type, name, props, props, None, True, name,
                        urn=f"urn:pulumi:prod::launchpad::{resource_type}::{name}")  # fmt: skip
    recorded.property_dependencies = {key: [target.urn] for key, target in deps.items()}
    return recorded


def one(resource_type: str, props: dict[str, Any]) -> Callable[[], Plan]:
    return lambda: [rec(resource_type, "r", props)]


def doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


SNS_ARN = "arn:aws:sns:us-east-1:1:alerts"
_SPOT = {"capacityProvider": "FARGATE_SPOT", "weight": 3}
S3 = "aws:s3/"
BUCKET = "aws:s3/bucket:Bucket"
SPLIT = {
    "ownership": "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "block": "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "encryption": "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "versioning": "aws:s3/bucketVersioning:BucketVersioning",
    "policy": "aws:s3/bucketPolicy:BucketPolicy",
    "lifecycle": "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
}
KMS_RULES = [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}]
AES_RULES = [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]


def bucket_plan(*, skip: str = "", sse: list[dict[str, Any]] = KMS_RULES, logged: bool = True) -> Plan:
    """A bucket, its split resources joined by dependency (minus `skip`), and optionally its logging."""
    bucket = rec(BUCKET, "b", {})
    plan = [bucket]
    for key, resource_type in SPLIT.items():
        if key != skip:
            props = {"bucket": "b-1234", "rules": sse} if key == "encryption" else {"bucket": "b-1234"}
            plan.append(rec(resource_type, f"b-{key}", props, bucket=bucket))
    if logged:
        logs = rec(BUCKET, "logs", {})
        plan += [
            logs,
            rec("aws:s3/bucketLogging:BucketLogging", "b-logging", {}, bucket=bucket, targetBucket=logs),
        ]
        plan += [
            rec(t, f"logs-{k}", {"bucket": "l", "rules": AES_RULES}, bucket=logs) for k, t in SPLIT.items()
        ]
    return plan


def _orphan() -> Plan:
    return [rec(SPLIT["versioning"], "v", {"bucket": "someone-elses"})]


def _joined() -> Plan:
    bucket = rec(BUCKET, "b", {})
    return [bucket, rec(SPLIT["versioning"], "v", {"bucket": "b-1"}, bucket=bucket)]


def _repo(lifecycle: bool) -> Plan:
    repo = rec("aws:ecr/repository:Repository", "repo", {})
    policy = rec("aws:ecr/lifecyclePolicy:LifecyclePolicy", "lc", {}, repository=repo)
    return [repo, policy] if lifecycle else [repo]


def _listener(internal: bool, protocol: str, actions: list[dict[str, Any]]) -> Plan:
    alb = rec("aws:lb/loadBalancer:LoadBalancer", "alb", {"internal": internal})
    listener = rec("aws:lb/listener:Listener", "l", {"protocol": protocol, "defaultActions": actions},
                   loadBalancerArn=alb)  # fmt: skip
    return [alb, listener]


REDIRECT = [{"type": "redirect", "redirect": {"protocol": "HTTPS", "port": "443"}}]
FORWARD = [{"type": "forward", "targetGroupArn": "tg"}]


def _public_entry(with_waf: bool) -> Plan:
    acl = rec("aws:wafv2/webAcl:WebAcl", "acl", {})
    distribution = rec("aws:cloudfront/distribution:Distribution", "cdn", {},
                       **({"webAclId": acl} if with_waf else {}))  # fmt: skip
    return [acl, distribution]


def _alarms(alarm_props: dict[str, Any], subscribed: bool = True) -> Plan:
    topic = rec("aws:sns/topic:Topic", "alerts", {"arn": "arn:aws:sns:us-east-1:1:alerts"})
    plan = [topic, rec("aws:rds/instance:Instance", "db", {})]
    if subscribed:
        plan.append(rec("aws:sns/topicSubscription:TopicSubscription", "mail", {}, topic=topic))
    names = ("CPUUtilization", "FreeStorageSpace", "FreeableMemory")
    plan += [rec("aws:cloudwatch/metricAlarm:MetricAlarm", f"db-{n}", {**alarm_props, "metricName": n},
                 alarmActions=topic) for n in names]  # fmt: skip
    return plan


def _watched_db(composite: bool) -> Plan:
    db = rec("aws:rds/instance:Instance", "db", {})
    alarm = rec("aws:cloudwatch/metricAlarm:MetricAlarm", "db-cpu", {}, dimensions=db)
    paging = [rec("aws:cloudwatch/compositeAlarm:CompositeAlarm", "paging", {})] if composite else []
    return [db, alarm, *paging]


def _budget(notifications: list[dict[str, Any]]) -> Plan:
    return [rec("aws:budgets/budget:Budget", "budget", {"notifications": notifications})]


def _scaling(low: int, high: int) -> Plan:
    service = rec("aws:ecs/service:Service", "web", {"loadBalancers": [{"containerPort": 8000}]})
    target = rec("aws:appautoscaling/target:Target", "web-scaling", {"minCapacity": low, "maxCapacity": high},
                 resourceId=service)  # fmt: skip
    return [service, target]


def _tagged(tags: dict[str, str]) -> Plan:
    return [rec("aws:kms/key:Key", "key", {"tags": tags})]


ALL_TAGS = {"project": "launchpad", "stack": "prod", "owner": "team", "cost-center": "cc"}


def _waf(logging: dict[str, Any] | None) -> Plan:
    acl = rec("aws:wafv2/webAcl:WebAcl", "acl", {})
    config = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"
    return [acl] + ([rec(config, "acl-logging", logging, resourceArn=acl)] if logging is not None else [])


REDACTED = {
    "redactedFields": [{"singleHeader": {"name": "authorization"}}, {"singleHeader": {"name": "x-api-key"}}]
}
TASK = "aws:ecs/taskDefinition:TaskDefinition"
GOOD_CONTAINER = {
    "name": "app",
    "readonlyRootFilesystem": True,
    "environment": [{"name": "X_SECRET_ARN", "value": "a"}],
}


def _task(**container: Any) -> Callable[[], Plan]:
    return one(TASK, {"containerDefinitions": json.dumps([{**GOOD_CONTAINER, **container}])})


ALLOW_STAR = {"Sid": "All", "Effect": "Allow", "Action": "*", "Resource": "*"}
SCOPED = {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
RDS = "aws:rds/instance:Instance"
CACHE = "aws:elasticache/replicationGroup:ReplicationGroup"
LB = "aws:lb/loadBalancer:LoadBalancer"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
RUN = "gcp:cloudrunv2/service:Service"
RUN_MEMBER = "gcp:cloudrunv2/serviceIamMember:ServiceIamMember"

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
    "s3-split-resources-joined": (_orphan, _joined),
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
    "ecs-no-privileged": (_task(privileged=True), _task()),
    "ecs-read-only-root": (_task(readonlyRootFilesystem=False), _task()),
    "ecs-no-secrets-in-environment": (
        _task(environment=[{"name": "ANTHROPIC_API_KEY", "value": "sk"}]),
        _task(),
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
            {"loadBalancers": [{"containerPort": 8000}], "capacityProviderStrategies": [_SPOT]},
        ),
        one(
            "aws:ecs/service:Service",
            {
                "loadBalancers": [{"containerPort": 8000}],
                "capacityProviderStrategies": [
                    {"capacityProvider": "FARGATE", "base": 2, "weight": 1},
                    _SPOT,
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
    "ecr-lifecycle-policy": (lambda: _repo(False), lambda: _repo(True)),
    "alb-https-listeners": (
        lambda: _listener(False, "HTTP", FORWARD),
        lambda: _listener(False, "HTTP", REDIRECT),
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
    "waf-on-public-entry": (lambda: _public_entry(False), lambda: _public_entry(True)),
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
    "gcp-secret-access-per-secret": (
        one("gcp:projects/iAMMember:IAMMember", {"role": "roles/secretmanager.secretAccessor"}),
        one(
            "gcp:secretmanager/secretIamMember:SecretIamMember",
            {"role": "roles/secretmanager.secretAccessor"},
        ),
    ),
    "stack-required-alarms": (
        lambda: _alarms({"namespace": "AWS/RDS"}, subscribed=False),
        lambda: _alarms({"namespace": "AWS/RDS"}),
    ),
    "stack-monitoring-coverage": (lambda: _watched_db(composite=False), lambda: _watched_db(composite=True)),
    "stack-budget-with-subscriber": (
        lambda: [rec("aws:kms/key:Key", "key", {})],
        lambda: _budget([{"subscriberEmailAddresses": ["ops@example.com"]}]),
    ),
    "stack-autoscaling-bounds": (lambda: _scaling(1, 4), lambda: _scaling(2, 4)),
    "stack-health-check-route": (
        one("aws:lb/targetGroup:TargetGroup", {"healthCheck": {"path": "/healthz"}}),
        one("aws:lb/targetGroup:TargetGroup", {"healthCheck": {"path": "/health/live"}}),
    ),
    "stack-cost-tags": (lambda: _tagged({"project": "launchpad"}), lambda: _tagged(ALL_TAGS)),
    "stack-waf-logging": (lambda: _waf({"redactedFields": []}), lambda: _waf(REDACTED)),
}
