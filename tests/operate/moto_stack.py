"""A deployed stack in moto, made from the outputs of the real program planned under Pulumi's mocks.

Every resource the outputs name is created in moto as `pulumi up` would leave it (private, encrypted with
the stack key, versioned, steady, healthy), and the outputs are rewritten to moto's own names and ARNs.
The `break_*` helpers then damage one thing each, for the checklist's failure lines.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.ecs.models import ecs_backends
from moto.elbv2.models import FakeHealthStatus, elbv2_backends

from app import contract

REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's default account
GENERATED = {"db_readonly_secret_arn": "db-readonly", "redis_auth_secret_arn": "cache-auth-token"}


def client(service: str) -> Any:
    return boto3.client(service, region_name=REGION)


def deploy(template: dict[str, Any], *, with_values: tuple[str, ...] = ("api-keys",)) -> dict[str, Any]:
    """Creates the stack's resources in moto (inside `mock_aws`); returns the outputs naming them."""
    out = copy.deepcopy(template)
    out["kms_key_arn"] = client("kms").create_key(Description="stack key")["KeyMetadata"]["Arn"]
    for name in ("uploads_bucket", "token_sync_bucket"):
        _bucket(out[name], out["kms_key_arn"])
    sm = client("secretsmanager")
    arns = {}
    for role in out["secret_arns"]:
        arns[role] = sm.create_secret(Name=f"launchpad/dev/{role}", KmsKeyId=out["kms_key_arn"])["ARN"]
        if role in with_values:
            sm.put_secret_value(SecretId=arns[role], SecretString=f"value-of-{role}")
    out["secret_arns"] = arns
    for key, role in GENERATED.items():
        out[key] = sm.create_secret(Name=f"launchpad/dev/{role}", SecretString="generated")["ARN"]
    out["db_master_secret_arn"] = sm.create_secret(Name="rds!db-1", SecretString='{"password": "x"}')["ARN"]
    out["alarm_names"] = _alarms(out["alarm_names"])
    _services(out)
    out["target_group_arn"] = _target_group()
    return out


def _bucket(name: str, key_arn: str) -> None:
    s3 = client("s3")
    s3.create_bucket(Bucket=name)
    s3.put_public_access_block(
        Bucket=name,
        PublicAccessBlockConfiguration=dict.fromkeys(
            ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"), True
        ),
    )
    s3.put_bucket_encryption(
        Bucket=name,
        ServerSideEncryptionConfiguration={
            "Rules": [
                {
                    "ApplyServerSideEncryptionByDefault": {
                        "SSEAlgorithm": "aws:kms",
                        "KMSMasterKeyID": key_arn,
                    },
                    "BucketKeyEnabled": True,
                }
            ]
        },
    )
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})


def _alarms(names: list[str]) -> list[str]:
    """The metric alarms; moto has no PutCompositeAlarm, so the composite (not `-alarms-`) is left out."""
    cloudwatch = client("cloudwatch")
    metric_alarms = [name for name in names if "-alarms-" in name]
    for name in metric_alarms:
        cloudwatch.put_metric_alarm(
            AlarmName=name,
            Namespace="Launchpad",
            MetricName="requests",
            Statistic="Sum",
            Period=300,
            EvaluationPeriods=1,
            Threshold=1,
            ComparisonOperator="GreaterThanThreshold",
        )
    return metric_alarms


def _services(out: dict[str, Any]) -> None:
    ecs = client("ecs")
    ecs.create_cluster(clusterName=out["cluster_name"])
    ecs.register_task_definition(
        family="app", containerDefinitions=[{"name": "app", "image": "i", "memory": 512}]
    )
    for key in ("web_service_name", "worker_service_name"):
        ecs.create_service(
            cluster=out["cluster_name"], serviceName=out[key], taskDefinition="app", desiredCount=2
        )
        set_service(out, key, running=2, rollout="COMPLETED")


def set_service(
    out: dict[str, Any], key: str, *, running: int, rollout: str, extra_deployment: bool = False
) -> None:
    """What ECS reports once tasks run (moto starts none): running count and rollout state."""
    service = ecs_backends[ACCOUNT][REGION].services[f"{out['cluster_name']}:{out[key]}"]
    service.running_count, service.pending_count = running, 0
    primary = service.deployments[0]
    primary.update(runningCount=running, pendingCount=0, rolloutState=rollout)
    primary["rolloutStateReason"] = "ECS deployment circuit breaker: tasks failed to start."
    del service.deployments[1:]
    if extra_deployment:
        service.deployments.append(dict(primary, status="ACTIVE", rolloutState="COMPLETED"))


def _target_group() -> str:
    vpc = client("ec2").create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    elbv2 = client("elbv2")
    arn = elbv2.create_target_group(
        Name="launchpad-dev-web", Protocol="HTTP", Port=8000, VpcId=vpc, TargetType="ip"
    )["TargetGroups"][0]["TargetGroupArn"]
    elbv2.register_targets(TargetGroupArn=arn, Targets=[{"Id": "10.0.1.5", "Port": 8000}])
    return arn


def mark_targets_unhealthy(out: dict[str, Any]) -> None:
    """moto reports IP targets healthy; this is the health a crashing task gets from the load balancer."""
    group = elbv2_backends[ACCOUNT][REGION].target_groups[out["target_group_arn"]]
    group.health_for = lambda target, _ec2: FakeHealthStatus(
        target["Id"], target["Port"], "traffic-port", "unhealthy", "Target.FailedHealthChecks", "failed"
    )


def write(out: dict[str, Any], directory: Path) -> Path:
    path = directory / "outputs.json"
    path.write_text(json.dumps(out))
    return path


def published_token_ages() -> list[float]:
    """The synced-token ages CloudWatch holds for dev, as token-sync and the nightly job publish them."""
    data = client("cloudwatch").get_metric_statistics(
        Namespace=contract.METRICS_NAMESPACE,
        MetricName=contract.SYNCED_TOKEN_AGE.name,
        Dimensions=[
            {"Name": "Service", "Value": "launchpad"},
            {"Name": "Environment", "Value": "development"},
        ],
        StartTime=datetime.now(UTC) - timedelta(hours=1),
        EndTime=datetime.now(UTC) + timedelta(hours=1),
        Period=60,
        Statistics=["Maximum"],
    )
    return [p["Maximum"] for p in data["Datapoints"]]


def drop_aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """No credential anywhere boto3 looks: environment, files or instance metadata."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
