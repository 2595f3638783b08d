"""Builders for synthetic plans: each plan is a list of recorded resources, and `rec(..., prop=other)` wires
a property dependency the way the engine reports one, so stack rules join resources as in a real preview."""

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
SPOT_STRATEGY = {"capacityProvider": "FARGATE_SPOT", "weight": 3}
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


def orphan_plan() -> Plan:
    return [rec(SPLIT["versioning"], "v", {"bucket": "someone-elses"})]


def joined_plan() -> Plan:
    bucket = rec(BUCKET, "b", {})
    return [bucket, rec(SPLIT["versioning"], "v", {"bucket": "b-1"}, bucket=bucket)]


def repo_plan(lifecycle: bool) -> Plan:
    repo = rec("aws:ecr/repository:Repository", "repo", {})
    policy = rec("aws:ecr/lifecyclePolicy:LifecyclePolicy", "lc", {}, repository=repo)
    return [repo, policy] if lifecycle else [repo]


def listener_plan(internal: bool, protocol: str, actions: list[dict[str, Any]]) -> Plan:
    alb = rec("aws:lb/loadBalancer:LoadBalancer", "alb", {"internal": internal})
    listener = rec("aws:lb/listener:Listener", "l", {"protocol": protocol, "defaultActions": actions},
                   loadBalancerArn=alb)  # fmt: skip
    return [alb, listener]


REDIRECT = [{"type": "redirect", "redirect": {"protocol": "HTTPS", "port": "443"}}]
FORWARD = [{"type": "forward", "targetGroupArn": "tg"}]


def public_entry_plan(with_waf: bool) -> Plan:
    acl = rec("aws:wafv2/webAcl:WebAcl", "acl", {})
    distribution = rec("aws:cloudfront/distribution:Distribution", "cdn", {},
                       **({"webAclId": acl} if with_waf else {}))  # fmt: skip
    return [acl, distribution]


def cloudfront_logs_plan(logged: bool) -> Plan:
    distribution = rec("aws:cloudfront/distribution:Distribution", "cdn", {})
    source = rec("aws:cloudwatch/logDeliverySource:LogDeliverySource", "src", {"logType": "ACCESS_LOGS"},
                 resourceArn=distribution)  # fmt: skip
    return [distribution, source] if logged else [distribution]


def alarms_plan(alarm_props: dict[str, Any], subscribed: bool = True) -> Plan:
    topic = rec("aws:sns/topic:Topic", "alerts", {"arn": "arn:aws:sns:us-east-1:1:alerts"})
    plan = [topic, rec("aws:rds/instance:Instance", "db", {})]
    if subscribed:
        plan.append(rec("aws:sns/topicSubscription:TopicSubscription", "mail", {}, topic=topic))
    names = ("CPUUtilization", "FreeStorageSpace", "FreeableMemory")
    plan += [rec("aws:cloudwatch/metricAlarm:MetricAlarm", f"db-{n}", {**alarm_props, "metricName": n},
                 alarmActions=topic) for n in names]  # fmt: skip
    return plan


def watched_db_plan(composite: bool) -> Plan:
    db = rec("aws:rds/instance:Instance", "db", {})
    alarm = rec("aws:cloudwatch/metricAlarm:MetricAlarm", "db-cpu", {}, dimensions=db)
    paging = [rec("aws:cloudwatch/compositeAlarm:CompositeAlarm", "paging", {})] if composite else []
    return [db, alarm, *paging]


def budget_plan(notifications: list[dict[str, Any]]) -> Plan:
    return [rec("aws:budgets/budget:Budget", "budget", {"notifications": notifications})]


def scaling_plan(low: int, high: int) -> Plan:
    service = rec("aws:ecs/service:Service", "web", {"loadBalancers": [{"containerPort": 8000}]})
    target = rec("aws:appautoscaling/target:Target", "web-scaling", {"minCapacity": low, "maxCapacity": high},
                 resourceId=service)  # fmt: skip
    return [service, target]


def tagged_plan(tags: dict[str, str]) -> Plan:
    return [rec("aws:kms/key:Key", "key", {"tags": tags})]


ALL_TAGS = {"project": "launchpad", "stack": "prod", "owner": "team", "cost-center": "cc"}


def waf_plan(logging: dict[str, Any] | None) -> Plan:
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


def task_plan(**container: Any) -> Callable[[], Plan]:
    return one(TASK, {"containerDefinitions": json.dumps([{**GOOD_CONTAINER, **container}])})


ALLOW_STAR = {"Sid": "All", "Effect": "Allow", "Action": "*", "Resource": "*"}
SCOPED = {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
RDS = "aws:rds/instance:Instance"
CACHE = "aws:elasticache/replicationGroup:ReplicationGroup"
LB = "aws:lb/loadBalancer:LoadBalancer"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
RUN = "gcp:cloudrunv2/service:Service"
RUN_MEMBER = "gcp:cloudrunv2/serviceIamMember:ServiceIamMember"
