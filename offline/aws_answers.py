"""What AWS (and the random and docker-build providers) answer: computed outputs per resource type, in the
shapes the providers return them, for data, network, identity and monitoring (serving resources are in
aws_service_answers, data sources in aws_calls)."""

from __future__ import annotations

import hashlib
import secrets
import string
from collections.abc import Callable
from typing import Any

ACCOUNT_ID = "123456789012"
REGION = "us-east-1"
# us-east-1's six zones as one account sees them: every account maps names to zone IDs differently
# (https://docs.aws.amazon.com/ram/latest/userguide/working-with-az-ids.html); here use1-az3 is the second.
ZONES = {
    "us-east-1a": "use1-az4",
    "us-east-1b": "use1-az3",
    "us-east-1c": "use1-az6",
    "us-east-1d": "use1-az1",
    "us-east-1e": "use1-az2",
    "us-east-1f": "use1-az5",
}
Answer = Callable[[str, dict[str, Any]], tuple[str, dict[str, Any]]]


def hexed(seed: str, length: int) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()[:length]


def arn_of(service: str, resource: str, region: str = REGION) -> str:
    return f"arn:aws:{service}:{region}:{ACCOUNT_ID}:{resource}"


def uuid_of(seed: str) -> str:
    h = hexed(seed, 32)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _generated_password(inputs: dict[str, Any]) -> str:
    """Draws a password the way the random provider does: length, classes, minimums, override_special."""
    length = int(inputs.get("length", 16))
    specials = inputs.get("overrideSpecial") or "!@#$%&*()-_=+[]{}<>:?"
    classes: list[tuple[str, bool, int]] = [
        (string.ascii_uppercase, inputs.get("upper", True), int(inputs.get("minUpper", 0))),
        (string.ascii_lowercase, inputs.get("lower", True), int(inputs.get("minLower", 0))),
        (string.digits, inputs.get("numeric", True), int(inputs.get("minNumeric", 0))),
        (specials, inputs.get("special", True), int(inputs.get("minSpecial", 0))),
    ]
    pool = "".join(chars for chars, enabled, _ in classes if enabled)
    drawn = [secrets.choice(chars) for chars, enabled, minimum in classes if enabled for _ in range(minimum)]
    drawn += [secrets.choice(pool) for _ in range(length - len(drawn))]
    secrets.SystemRandom().shuffle(drawn)
    return "".join(drawn)


def _terraform_unique(name: str) -> str:
    """What Terraform appends to a `name_prefix`: id.PrefixedUniqueId's 26 characters (time and counter)."""
    return "20261201000000" + str(int(hexed(name, 12), 16) % 10**12).zfill(12)


def physical_name(name: str, inputs: dict[str, Any], prop: str = "name", prefix: str = "namePrefix") -> str:
    """The name the resource gets: the program's (or the autoname Check filled in), or its prefix plus
    Terraform's unique suffix. Never shortened: a name over a limit must reach the limit checks whole."""
    if inputs.get(prop):
        return str(inputs[prop])
    if inputs.get(prefix):
        return f"{inputs[prefix]}{_terraform_unique(name)}"
    return f"{name}-{hexed(name, 7)}"


def _bucket_outputs(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    bucket = physical_name(name, inputs, "bucket", "bucketPrefix")
    return bucket, {
        "bucket": bucket,
        "arn": f"arn:aws:s3:::{bucket}",
        "bucketDomainName": f"{bucket}.s3.amazonaws.com",
        "bucketRegionalDomainName": f"{bucket}.s3.{REGION}.amazonaws.com",
        "region": REGION,
    }


def _db_outputs(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    identifier = physical_name(name, inputs, "identifier", "identifierPrefix")
    address = f"{identifier}.c{hexed(name, 10)}.{REGION}.rds.amazonaws.com"
    port = int(inputs.get("port", 5432))
    secret_arn = arn_of("secretsmanager", f"secret:rds!db-{hexed(name, 8)}-{hexed(name + 's', 6)}")
    return identifier, {
        "identifier": identifier,
        "address": address,
        "endpoint": f"{address}:{port}",
        "port": port,
        "arn": arn_of("rds", f"db:{identifier}"),
        "resourceId": f"db-{hexed(name, 26).upper()}",
        "masterUserSecrets": [
            {
                "secretArn": secret_arn,
                "kmsKeyId": inputs.get("masterUserSecretKmsKeyId"),
                "secretStatus": "active",
            }
        ],
    }


def _cache_outputs(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    group_id = inputs.get("replicationGroupId") or name
    host = f"{group_id}.{hexed(name, 6)}.use1.cache.amazonaws.com"
    return group_id, {
        "arn": arn_of("elasticache", f"replicationgroup:{group_id}"),
        "primaryEndpointAddress": f"master.{host}",
        "readerEndpointAddress": f"replica.{host}",
        "port": int(inputs.get("port", 6379)),
        "memberClusters": [f"{group_id}-00{i + 1}" for i in range(int(inputs.get("numCacheClusters", 1)))],
    }


def _secret_outputs(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    secret_name = physical_name(name, inputs)
    arn = arn_of("secretsmanager", f"secret:{secret_name}-{hexed(name, 6)}")
    return arn, {"arn": arn, "name": secret_name}


def _kms_outputs(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    key_id = uuid_of(name)
    return key_id, {"keyId": key_id, "arn": arn_of("kms", f"key/{key_id}", region_of(inputs))}


def _named(
    service: str, kind: str, prefix: str = ""
) -> Callable[[str, dict[str, Any]], tuple[str, dict[str, Any]]]:
    def outputs(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        own = physical_name(name, inputs)
        return (prefix + hexed(name, 17)) if prefix else own, {
            "name": own,
            "arn": arn_of(service, f"{kind}{own}"),
        }

    return outputs


def _ec2(prefix: str, kind: str) -> Callable[[str, dict[str, Any]], tuple[str, dict[str, Any]]]:
    def outputs(name: str, _inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        rid = f"{prefix}-0{hexed(name, 16)}"
        return rid, {"arn": arn_of("ec2", f"{kind}/{rid}")}

    return outputs


def _vpc_outputs(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    rid, out = _ec2("vpc", "vpc")(name, inputs)
    return rid, out | {
        "defaultSecurityGroupId": f"sg-0{hexed(name + 'default', 16)}",
        "defaultRouteTableId": f"rtb-0{hexed(name + 'main', 16)}",
        "defaultNetworkAclId": f"acl-0{hexed(name + 'acl', 16)}",
    }


def _role_outputs(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    role = physical_name(name, inputs)
    return role, {
        "name": role,
        "arn": f"arn:aws:iam::{ACCOUNT_ID}:role/{role}",
        "uniqueId": f"AROA{hexed(name, 17).upper()}",
    }


def _log_group_outputs(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    group = physical_name(name, inputs)
    # pulumi-aws 7 (terraform-provider-aws 6) reports the ARN without the ":*" suffix.
    return group, {"name": group, "arn": arn_of("logs", f"log-group:{group}", region_of(inputs))}


def region_of(inputs: dict[str, Any]) -> str:
    """The resource's own region (pulumi-aws 7 `region`), else the provider's."""
    return str(inputs.get("region") or REGION)


def _metric_alarm(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    alarm = physical_name(name, inputs)
    return alarm, {"arn": arn_of("cloudwatch", f"alarm:{alarm}", region_of(inputs)), "name": alarm}


def _composite_alarm(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    alarm = str(inputs["alarmName"])  # required: CloudWatch does not name composite alarms
    return alarm, {"arn": arn_of("cloudwatch", f"alarm:{alarm}", region_of(inputs))}


def _dashboard(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    dashboard = str(inputs["dashboardName"])
    return dashboard, {"dashboardArn": f"arn:aws:cloudwatch::{ACCOUNT_ID}:dashboard/{dashboard}"}


def _anomaly(kind: str) -> Callable[[str, dict[str, Any]], tuple[str, dict[str, Any]]]:
    def outputs(name: str, _inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        # Cost Explorer is global: its ARNs carry no region.
        arn = f"arn:aws:ce::{ACCOUNT_ID}:{kind}/{uuid_of(name)}"
        return arn, {"arn": arn}

    return outputs


def _waf_logging(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return str(inputs["resourceArn"]), {}


def _topic_subscription(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    arn = f"{inputs['topic']}:{uuid_of(name)}"
    # E-mail and HTTPS endpoints stay pending until their owner confirms.
    return arn, {"arn": arn, "pendingConfirmation": inputs.get("protocol") in ("email", "https")}


def _topic_outputs(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    topic = physical_name(name, inputs)
    arn = arn_of("sns", topic)
    return arn, {"name": topic, "arn": arn}


def _random_password(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return f"none-{hexed(name, 8)}", {"result": _generated_password(inputs)}


def _random_id(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    # A fresh id per (logical name, keepers), as the random provider draws a new one when a keeper changes.
    size = int(inputs.get("byteLength", 8))
    drawn = hashlib.sha256(f"{name}{sorted((inputs.get('keepers') or {}).items())}".encode()).digest()[:size]
    return drawn.hex(), {"hex": drawn.hex(), "dec": str(int.from_bytes(drawn, "big")), "b64Url": ""}


def _built_image(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    # The digest of what would be pushed: a function of the build's inputs, like a reproducible build.
    digest = "sha256:" + hashlib.sha256(repr(sorted(inputs.items())).encode()).hexdigest()
    tags = inputs.get("tags") or []
    pushed = bool(inputs.get("push"))
    return digest, {
        "digest": digest if pushed else "",
        "ref": f"{tags[0]}@{digest}" if pushed and tags else "",
    }


def provider_answer(name: str, _inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return f"{name}-{hexed(name, 8)}", {}


FOUNDATION_ANSWERS: dict[str, Answer] = {
    "aws:s3/bucket:Bucket": _bucket_outputs,
    "aws:rds/instance:Instance": _db_outputs,
    "aws:elasticache/replicationGroup:ReplicationGroup": _cache_outputs,
    "aws:secretsmanager/secret:Secret": _secret_outputs,
    "aws:kms/key:Key": _kms_outputs,
    "aws:ec2/vpc:Vpc": _vpc_outputs,
    "aws:ec2/subnet:Subnet": _ec2("subnet", "subnet"),
    "aws:ec2/securityGroup:SecurityGroup": _ec2("sg", "security-group"),
    "aws:ec2/internetGateway:InternetGateway": _ec2("igw", "internet-gateway"),
    "aws:ec2/natGateway:NatGateway": _ec2("nat", "natgateway"),
    "aws:ec2/eip:Eip": _ec2("eipalloc", "elastic-ip"),
    "aws:ec2/routeTable:RouteTable": _ec2("rtb", "route-table"),
    "aws:ec2/vpcEndpoint:VpcEndpoint": _ec2("vpce", "vpc-endpoint"),
    "aws:ec2/flowLog:FlowLog": _ec2("fl", "vpc-flow-log"),
    "aws:iam/role:Role": _role_outputs,
    "aws:cloudwatch/logGroup:LogGroup": _log_group_outputs,
    "aws:sns/topic:Topic": _topic_outputs,
    "aws:rds/parameterGroup:ParameterGroup": _named("rds", "pg:"),
    "aws:rds/subnetGroup:SubnetGroup": _named("rds", "subgrp:"),
    "aws:elasticache/subnetGroup:SubnetGroup": _named("elasticache", "subnetgroup:"),
    "aws:elasticache/parameterGroup:ParameterGroup": _named("elasticache", "parametergroup:"),
    "aws:kms/alias:Alias": _named("kms", "", ""),
    "random:index/randomPassword:RandomPassword": _random_password,
    "random:index/randomId:RandomId": _random_id,
    "docker-build:index:Image": _built_image,
    "aws:cloudwatch/metricAlarm:MetricAlarm": _metric_alarm,
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": _composite_alarm,
    "aws:cloudwatch/dashboard:Dashboard": _dashboard,
    "aws:costexplorer/anomalyMonitor:AnomalyMonitor": _anomaly("anomalymonitor"),
    "aws:costexplorer/anomalySubscription:AnomalySubscription": _anomaly("anomalysubscription"),
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": _waf_logging,
    "aws:sns/topicSubscription:TopicSubscription": _topic_subscription,
}


def fallback(type_: str, name: str) -> tuple[str, dict[str, Any]]:
    module = type_.split(":")[1].split("/", maxsplit=1)[0] if ":" in type_ else "unknown"
    rid = f"{name}-{hexed(type_ + name, 8)}"
    return rid, {"arn": arn_of(module, f"{module}/{rid}")} if type_.startswith("aws:") else {}
