"""Recording mocks that answer like the cloud would, so the program can run with no credentials.

Each resource gets the computed outputs the program reads (ARNs, endpoints, ports, DNS names, generated
passwords) in the shape the provider returns them, and every registration is recorded with its inputs,
provider and parent for the tests and the offline plan to inspect.
"""

from __future__ import annotations

import hashlib
import secrets
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pulumi
from google.protobuf import json_format
from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockCallArgs, MockMonitor, MockResourceArgs

from offline.delivery_mocks import ANSWERS as DELIVERY_ANSWERS
from offline.delivery_mocks import CALLS as DELIVERY_CALLS
from offline.gcp_docker_mocks import ANSWERS as GCP_AND_DOCKER_ANSWERS
from offline.gcp_docker_mocks import GCP_PROJECT_NUMBER
from policies.deploy.autonaming import autoname_for, checked_inputs

ACCOUNT_ID = "123456789012"
REGION = "us-east-1"
ZONES = ("us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d")
GCP_PROJECT = "launchpad-offline"


@dataclass
class Recorded:
    """One registered resource: what the program asked for and what the mock answered."""

    type: str
    name: str
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    provider: str | None
    custom: bool
    id: str = ""
    urn: str = ""
    parent_urn: str = ""
    secret_paths: set[str] = field(default_factory=set)  # input paths the program marked secret
    dependencies: list[str] = field(default_factory=list)
    ignore_changes: list[str] = field(default_factory=list)
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    delete_before_replace: bool = False
    protect: bool = False
    retain_on_delete: bool = False
    replacement_trigger: Any = None  # replaced whenever this value changes between deployments
    autonamed: list[str] = field(default_factory=list)  # input properties the provider named
    autoname_error: str | None = None  # the bridge's refusal when the autoname passes Pulumi's maximum

    @property
    def parent_type(self) -> str:
        # A URN's type segment is "<parent type>$<own type>"; the part before the last "$" is the parent's.
        qualified = self.urn.split("::")[2] if self.urn else ""
        return qualified.rsplit("$", 2)[-2] if qualified.count("$") else ""


_SIG_KEY = rpc._special_sig_key  # the wire envelope of a secret: {sig key: secret sig, "value": ...}
_SECRET_SIG = rpc._special_secret_sig


def unwrap_secrets(value: Any, path: str, secret_paths: set[str]) -> Any:
    """Removes Pulumi's secret envelopes, noting the path of each secret value."""
    if isinstance(value, dict):
        if value.get(_SIG_KEY) == _SECRET_SIG:
            secret_paths.add(path)
            return unwrap_secrets(value.get("value"), path, secret_paths)
        return {k: unwrap_secrets(v, f"{path}.{k}" if path else k, secret_paths) for k, v in value.items()}
    if isinstance(value, list):
        return [unwrap_secrets(v, f"{path}[{i}]", secret_paths) for i, v in enumerate(value)]
    return value


def _hex(seed: str, length: int) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()[:length]


def _arn(service: str, resource: str, region: str = REGION) -> str:
    return f"arn:aws:{service}:{region}:{ACCOUNT_ID}:{resource}"


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
    return "20261201000000" + str(int(_hex(name, 12), 16) % 10**12).zfill(12)


def physical_name(name: str, inputs: dict[str, Any], prop: str = "name", prefix: str = "namePrefix") -> str:
    """The name the resource gets: the program's (or the autoname Check filled in), or its prefix plus
    Terraform's unique suffix. Never shortened: a name over a limit must reach the limit checks whole."""
    if inputs.get(prop):
        return str(inputs[prop])
    if inputs.get(prefix):
        return f"{inputs[prefix]}{_terraform_unique(name)}"
    return f"{name}-{_hex(name, 7)}"


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
    address = f"{identifier}.c{_hex(name, 10)}.{REGION}.rds.amazonaws.com"
    port = int(inputs.get("port", 5432))
    secret_arn = _arn("secretsmanager", f"secret:rds!db-{_hex(name, 8)}-{_hex(name + 's', 6)}")
    return identifier, {
        "identifier": identifier,
        "address": address,
        "endpoint": f"{address}:{port}",
        "port": port,
        "arn": _arn("rds", f"db:{identifier}"),
        "resourceId": f"db-{_hex(name, 26).upper()}",
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
    host = f"{group_id}.{_hex(name, 6)}.use1.cache.amazonaws.com"
    return group_id, {
        "arn": _arn("elasticache", f"replicationgroup:{group_id}"),
        "primaryEndpointAddress": f"master.{host}",
        "readerEndpointAddress": f"replica.{host}",
        "port": int(inputs.get("port", 6379)),
        "memberClusters": [f"{group_id}-00{i + 1}" for i in range(int(inputs.get("numCacheClusters", 1)))],
    }


def _secret_outputs(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    secret_name = physical_name(name, inputs)
    arn = _arn("secretsmanager", f"secret:{secret_name}-{_hex(name, 6)}")
    return arn, {"arn": arn, "name": secret_name}


def _kms_outputs(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    h = _hex(name, 32)
    key_id = f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"
    return key_id, {"keyId": key_id, "arn": _arn("kms", f"key/{key_id}", _region(inputs))}


def _named(
    service: str, kind: str, prefix: str = ""
) -> Callable[[str, dict[str, Any]], tuple[str, dict[str, Any]]]:
    def outputs(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        own = physical_name(name, inputs)
        return (prefix + _hex(name, 17)) if prefix else own, {
            "name": own,
            "arn": _arn(service, f"{kind}{own}"),
        }

    return outputs


def _ec2(prefix: str, kind: str) -> Callable[[str, dict[str, Any]], tuple[str, dict[str, Any]]]:
    def outputs(name: str, _inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        rid = f"{prefix}-0{_hex(name, 16)}"
        return rid, {"arn": _arn("ec2", f"{kind}/{rid}")}

    return outputs


def _vpc_outputs(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    rid, out = _ec2("vpc", "vpc")(name, inputs)
    return rid, out | {
        "defaultSecurityGroupId": f"sg-0{_hex(name + 'default', 16)}",
        "defaultRouteTableId": f"rtb-0{_hex(name + 'main', 16)}",
        "defaultNetworkAclId": f"acl-0{_hex(name + 'acl', 16)}",
    }


def _role_outputs(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    role = physical_name(name, inputs)
    return role, {
        "name": role,
        "arn": f"arn:aws:iam::{ACCOUNT_ID}:role/{role}",
        "uniqueId": f"AROA{_hex(name, 17).upper()}",
    }


def _log_group_outputs(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    group = physical_name(name, inputs)
    # pulumi-aws 7 (terraform-provider-aws 6) reports the ARN without the ":*" suffix.
    return group, {"name": group, "arn": _arn("logs", f"log-group:{group}", _region(inputs))}


def _region(inputs: dict[str, Any]) -> str:
    """The resource's own region (pulumi-aws 7 `region`), else the provider's."""
    return str(inputs.get("region") or REGION)


def _metric_alarm(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    alarm = physical_name(name, inputs)
    return alarm, {"arn": _arn("cloudwatch", f"alarm:{alarm}", _region(inputs)), "name": alarm}


def _composite_alarm(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    alarm = str(inputs["alarmName"])  # required: CloudWatch does not name composite alarms
    return alarm, {"arn": _arn("cloudwatch", f"alarm:{alarm}", _region(inputs))}


def _dashboard(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    dashboard = str(inputs["dashboardName"])
    return dashboard, {"dashboardArn": f"arn:aws:cloudwatch::{ACCOUNT_ID}:dashboard/{dashboard}"}


def _anomaly(kind: str) -> Callable[[str, dict[str, Any]], tuple[str, dict[str, Any]]]:
    def outputs(name: str, _inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        # Cost Explorer is global: its ARNs carry no region.
        arn = f"arn:aws:ce::{ACCOUNT_ID}:{kind}/{_uuid(name)}"
        return arn, {"arn": arn}

    return outputs


def _waf_logging(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return str(inputs["resourceArn"]), {}


def _topic_subscription(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    arn = f"{inputs['topic']}:{_uuid(name)}"
    # E-mail and HTTPS endpoints stay pending until their owner confirms.
    return arn, {"arn": arn, "pendingConfirmation": inputs.get("protocol") in ("email", "https")}


def _topic_outputs(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    topic = physical_name(name, inputs)
    arn = _arn("sns", topic)
    return arn, {"name": topic, "arn": arn}


def _random_password(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return f"none-{_hex(name, 8)}", {"result": _generated_password(inputs)}


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


def _provider(name: str, _inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return f"{name}-{_hex(name, 8)}", {}


def _uuid(seed: str) -> str:
    h = _hex(seed, 32)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _own_name(name: str, inputs: dict[str, Any]) -> str:
    return physical_name(name, inputs)


def _ecr_repository(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    repo = _own_name(name, inputs)
    return repo, {
        "name": repo,
        "arn": _arn("ecr", f"repository/{repo}"),
        "registryId": ACCOUNT_ID,
        "repositoryUrl": f"{ACCOUNT_ID}.dkr.ecr.{REGION}.amazonaws.com/{repo}",
    }


def _ecs_cluster(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    cluster = _own_name(name, inputs)
    arn = _arn("ecs", f"cluster/{cluster}")
    return arn, {"name": cluster, "arn": arn}


def _capacity_providers(_name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    # The association has no ARN of its own; the provider's id is the cluster's name.
    return str(inputs.get("clusterName")), {}


def _task_definition(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    family = inputs.get("family") or name
    return family, {
        "arn": _arn("ecs", f"task-definition/{family}:1"),
        "arnWithoutRevision": _arn("ecs", f"task-definition/{family}"),
        "revision": 1,
    }


def _ecs_service(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    service = _own_name(name, inputs)
    cluster = str(inputs.get("cluster", "")).rsplit("/", 1)[-1]
    arn = _arn("ecs", f"service/{cluster}/{service}")
    return arn, {"name": service, "arn": arn}


def _load_balancer(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    lb = _own_name(name, inputs)
    suffix = f"app/{lb}/{_hex(name, 16)}"
    arn = _arn("elasticloadbalancing", f"loadbalancer/{suffix}")
    return arn, {
        "name": lb,
        "arn": arn,
        "arnSuffix": suffix,
        "dnsName": f"{lb}-{int(_hex(name, 8), 16)}.{REGION}.elb.amazonaws.com",
        "zoneId": "Z35SXDOTRQ7X7K",  # the ELB hosted zone of us-east-1
    }


def _target_group(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    tg = _own_name(name, inputs)
    suffix = f"targetgroup/{tg}/{_hex(name, 16)}"
    arn = _arn("elasticloadbalancing", suffix)
    return arn, {"name": tg, "arn": arn, "arnSuffix": suffix}


def _listener(name: str, _inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    arn = _arn("elasticloadbalancing", f"listener/app/{name}/{_hex(name, 16)}/{_hex(name + 'l', 16)}")
    return arn, {"arn": arn}


def _certificate(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    arn = _arn("acm", f"certificate/{_uuid(name)}")
    domain = inputs.get("domainName", "")
    return arn, {
        "arn": arn,
        "status": "PENDING_VALIDATION",
        "domainValidationOptions": [
            {
                "domainName": domain,
                "resourceRecordName": f"_{_hex(name, 32)}.{domain}.",
                "resourceRecordType": "CNAME",
                "resourceRecordValue": f"_{_hex(name + 'v', 32)}.{_hex(name, 10)}.acm-validations.aws.",
            }
        ],
    }


def _dns_record(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    fqdn = str(inputs.get("name", name)).rstrip(".")
    return f"{inputs.get('zoneId')}_{fqdn}_{inputs.get('type')}", {"fqdn": fqdn}


def _web_acl(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    acl, uid = _own_name(name, inputs), _uuid(name)
    scope = "global" if inputs.get("scope") == "CLOUDFRONT" else "regional"
    arn = _arn("wafv2", f"{scope}/webacl/{acl}/{uid}", _region(inputs))
    return uid, {"name": acl, "arn": arn, "capacity": 1500}


def _distribution(name: str, _inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    distribution_id = "E" + _hex(name, 13).upper()
    return distribution_id, {
        "arn": f"arn:aws:cloudfront::{ACCOUNT_ID}:distribution/{distribution_id}",
        "domainName": f"d{_hex(name, 13)}.cloudfront.net",
        "hostedZoneId": "Z2FDTNDATAQYW2",  # every distribution's alias zone
        "status": "Deployed",
        "etag": _hex(name + "etag", 14).upper(),
    }


def _vpc_origin(name: str, _inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    origin_id = "vo_" + _hex(name, 20)
    return origin_id, {"arn": f"arn:aws:cloudfront::{ACCOUNT_ID}:vpcorigin/{origin_id}", "etag": "E1"}


def _schedule(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    schedule = _own_name(name, inputs)
    return f"default/{schedule}", {"name": schedule, "arn": _arn("scheduler", f"schedule/default/{schedule}")}


def _scaling_policy(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    policy = inputs.get("name") or name
    arn = _arn(
        "autoscaling",
        f"scalingPolicy:{_uuid(name)}:resource/ecs/{inputs.get('resourceId')}:policyName/{policy}",
    )
    return policy, {"name": policy, "arn": arn, "alarmArns": []}


# Type token -> answer. Anything absent gets an id and an ARN shaped from its token.
_ANSWERS: dict[str, Callable[[str, dict[str, Any]], tuple[str, dict[str, Any]]]] = {
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
    "aws:ecr/repository:Repository": _ecr_repository,
    "aws:ecs/cluster:Cluster": _ecs_cluster,
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": _capacity_providers,
    "aws:ecs/taskDefinition:TaskDefinition": _task_definition,
    "aws:ecs/service:Service": _ecs_service,
    "aws:lb/loadBalancer:LoadBalancer": _load_balancer,
    "aws:lb/targetGroup:TargetGroup": _target_group,
    "aws:lb/listener:Listener": _listener,
    "aws:acm/certificate:Certificate": _certificate,
    "aws:route53/record:Record": _dns_record,
    "aws:wafv2/webAcl:WebAcl": _web_acl,
    "aws:cloudfront/distribution:Distribution": _distribution,
    "aws:cloudfront/vpcOrigin:VpcOrigin": _vpc_origin,
    "aws:scheduler/schedule:Schedule": _schedule,
    "aws:appautoscaling/policy:Policy": _scaling_policy,
    "aws:cloudwatch/metricAlarm:MetricAlarm": _metric_alarm,
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": _composite_alarm,
    "aws:cloudwatch/dashboard:Dashboard": _dashboard,
    "aws:costexplorer/anomalyMonitor:AnomalyMonitor": _anomaly("anomalymonitor"),
    "aws:costexplorer/anomalySubscription:AnomalySubscription": _anomaly("anomalysubscription"),
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": _waf_logging,
    "aws:sns/topicSubscription:TopicSubscription": _topic_subscription,
}
_ANSWERS.update(GCP_AND_DOCKER_ANSWERS)
_ANSWERS.update(DELIVERY_ANSWERS)


def _fallback(type_: str, name: str) -> tuple[str, dict[str, Any]]:
    module = type_.split(":")[1].split("/", maxsplit=1)[0] if ":" in type_ else "unknown"
    rid = f"{name}-{_hex(type_ + name, 8)}"
    return rid, {"arn": _arn(module, f"{module}/{rid}")} if type_.startswith("aws:") else {}


class RecordingMocks(pulumi.runtime.Mocks):
    """Answers registrations and data-source calls, and records every registration."""

    def __init__(self) -> None:
        self.resources: list[Recorded] = []
        self.calls: list[tuple[str, dict[str, Any], str]] = []  # (token, args, provider reference)

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[Any, Any]]:
        secret_paths: set[str] = set()
        given = unwrap_secrets(dict(args.inputs), "", secret_paths)
        # As the provider's Check does before any policy sees the resource: fill in the autoname.
        inputs = checked_inputs(args.typ, args.name, given, _hex(args.typ + args.name, 7))
        autonamed = {k: v for k, v in inputs.items() if k not in given}
        answer = _ANSWERS.get(args.typ)
        if args.typ.startswith("pulumi:providers:"):
            answer = _provider
        rid, computed = answer(args.name, inputs) if answer else _fallback(args.typ, args.name)
        recorded = Recorded(
            args.typ, args.name, inputs, {**inputs, **computed}, args.provider, bool(args.custom), rid
        )
        recorded.secret_paths = secret_paths
        recorded.autonamed = sorted(autonamed)
        rule = autoname_for(args.typ)
        recorded.autoname_error = rule.overflow(args.name) if rule and autonamed else None
        self.resources.append(recorded)
        return rid, {**args.inputs, **autonamed, **computed}

    def call(self, args: MockCallArgs) -> tuple[dict[Any, Any], list[tuple[str, str]] | None]:
        self.calls.append((args.token, dict(args.args), args.provider))
        answer = _CALLS.get(args.token)
        if answer is None:
            raise NotImplementedError(f"offline mocks do not answer data source {args.token}")
        return answer(args.args), []


_CALLS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": lambda _a: {
        "names": list(ZONES),
        "zoneIds": [f"use1-az{i + 1}" for i in range(len(ZONES))],
        "id": REGION,
    },
    "aws:index/getCallerIdentity:getCallerIdentity": lambda _a: {
        "accountId": ACCOUNT_ID,
        "arn": f"arn:aws:iam::{ACCOUNT_ID}:user/offline",
        "userId": "AIDAOFFLINE",
        "id": ACCOUNT_ID,
    },
    "aws:index/getRegion:getRegion": lambda _a: {"region": REGION, "name": REGION, "id": REGION},
    "aws:index/getPartition:getPartition": lambda _a: {
        "partition": "aws",
        "dnsSuffix": "amazonaws.com",
        "id": "aws",
    },
    "aws:ecr/getAuthorizationToken:getAuthorizationToken": lambda a: {
        "userName": "AWS",
        "password": "offline-ecr-token",
        "proxyEndpoint": f"https://{a.get('registryId', ACCOUNT_ID)}.dkr.ecr.{REGION}.amazonaws.com",
        "authorizationToken": "QVdTOm9mZmxpbmU=",
        "id": REGION,
    },
    # The ELB log-delivery account of us-east-1, as the provider's built-in table has it.
    "aws:elb/getServiceAccount:getServiceAccount": lambda _a: {
        "arn": "arn:aws:iam::127311923021:root",
        "id": "127311923021",
    },
    # AWS-managed CloudFront policies have the same ids in every account.
    "aws:cloudfront/getCachePolicy:getCachePolicy": lambda a: {
        "id": {"Managed-CachingDisabled": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"}[a["name"]],
        "name": a["name"],
    },
    "aws:cloudfront/getOriginRequestPolicy:getOriginRequestPolicy": lambda a: {
        "id": {"Managed-AllViewerExceptHostHeader": "b689b0a8-53d0-40ab-baf2-68738e2966ac"}[a["name"]],
        "name": a["name"],
    },
    # The group CloudFront creates in the VPC for its VPC origins' network interfaces.
    "aws:ec2/getSecurityGroup:getSecurityGroup": lambda a: {
        "id": f"sg-0{_hex(str(a.get('vpcId')) + str(a.get('name')), 16)}",
        "name": a["name"],
        "vpcId": a["vpcId"],
        "arn": _arn("ec2", f"security-group/sg-0{_hex(str(a.get('vpcId')) + str(a.get('name')), 16)}"),
    },
    "gcp:organizations/getProject:getProject": lambda a: {
        "projectId": a.get("projectId") or GCP_PROJECT,
        "number": GCP_PROJECT_NUMBER,
        "name": a.get("projectId") or GCP_PROJECT,
        "id": f"projects/{a.get('projectId') or GCP_PROJECT}",
    },
    "gcp:organizations/getClientConfig:getClientConfig": lambda _a: {
        "accessToken": "offline-gcp-access-token",
        "project": GCP_PROJECT,
        "region": "us-central1",
        "id": GCP_PROJECT,
    },
}
_CALLS.update(DELIVERY_CALLS)


def answer_call(token: str, args: dict[str, Any]) -> dict[str, Any]:
    """What the mocks answer a data source with: lets a test name what the program received."""
    return _CALLS[token](args)


class RecordingMonitor(MockMonitor):
    """Adds the URN, parent and dependencies of each registration to its record."""

    def __init__(self, mocks: RecordingMocks) -> None:
        super().__init__(mocks)
        self.recording = mocks

    def ReadResource(self, request: Any) -> Any:
        # A read (a stack reference, a `get`) is recorded as well, with its URN and parent.
        response = super().ReadResource(request)
        for recorded in reversed(self.recording.resources):
            if recorded.type == request.type and recorded.name == request.name and not recorded.urn:
                recorded.urn, recorded.parent_urn = response.urn, request.parent
                break
        return response

    def RegisterResource(self, request: Any) -> Any:
        response = super().RegisterResource(request)
        if request.type != "pulumi:pulumi:Stack" and self.recording.resources:
            for recorded in reversed(self.recording.resources):
                if recorded.type == request.type and recorded.name == request.name and not recorded.urn:
                    recorded.urn = response.urn
                    recorded.parent_urn = request.parent
                    recorded.dependencies = list(request.dependencies)
                    recorded.ignore_changes = list(request.ignoreChanges)
                    recorded.property_dependencies = {
                        key: list(deps.urns) for key, deps in request.propertyDependencies.items()
                    }
                    recorded.delete_before_replace = bool(request.deleteBeforeReplace)
                    recorded.protect = bool(request.protect)
                    recorded.retain_on_delete = bool(request.retainOnDelete)
                    if request.HasField("replacement_trigger"):
                        recorded.replacement_trigger = json_format.MessageToDict(request.replacement_trigger)
                    break
        return response
