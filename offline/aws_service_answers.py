"""What AWS answers for the serving side: ECR, ECS, load balancing, certificates and DNS, WAF, CloudFront,
EventBridge Scheduler and Application Auto Scaling (the data, network and monitoring side is aws_answers)."""

from __future__ import annotations

from typing import Any

from offline.aws_answers import ACCOUNT_ID, REGION, Answer, arn_of, hexed, physical_name, region_of, uuid_of


def _ecr_repository(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    repo = physical_name(name, inputs)
    return repo, {
        "name": repo,
        "arn": arn_of("ecr", f"repository/{repo}"),
        "registryId": ACCOUNT_ID,
        "repositoryUrl": f"{ACCOUNT_ID}.dkr.ecr.{REGION}.amazonaws.com/{repo}",
    }


def _ecs_cluster(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    cluster = physical_name(name, inputs)
    arn = arn_of("ecs", f"cluster/{cluster}")
    return arn, {"name": cluster, "arn": arn}


def _capacity_providers(_name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    # The association has no ARN of its own; the provider's id is the cluster's name.
    return str(inputs.get("clusterName")), {}


def _task_definition(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    family = inputs.get("family") or name
    return family, {
        "arn": arn_of("ecs", f"task-definition/{family}:1"),
        "arnWithoutRevision": arn_of("ecs", f"task-definition/{family}"),
        "revision": 1,
    }


def _ecs_service(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    service = physical_name(name, inputs)
    cluster = str(inputs.get("cluster", "")).rsplit("/", 1)[-1]
    arn = arn_of("ecs", f"service/{cluster}/{service}")
    return arn, {"name": service, "arn": arn}


def _load_balancer(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    lb = physical_name(name, inputs)
    suffix = f"app/{lb}/{hexed(name, 16)}"
    arn = arn_of("elasticloadbalancing", f"loadbalancer/{suffix}")
    return arn, {
        "name": lb,
        "arn": arn,
        "arnSuffix": suffix,
        "dnsName": f"{lb}-{int(hexed(name, 8), 16)}.{REGION}.elb.amazonaws.com",
        "zoneId": "Z35SXDOTRQ7X7K",  # the ELB hosted zone of us-east-1
    }


def _target_group(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    tg = physical_name(name, inputs)
    suffix = f"targetgroup/{tg}/{hexed(name, 16)}"
    arn = arn_of("elasticloadbalancing", suffix)
    return arn, {"name": tg, "arn": arn, "arnSuffix": suffix}


def _listener(name: str, _inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    arn = arn_of("elasticloadbalancing", f"listener/app/{name}/{hexed(name, 16)}/{hexed(name + 'l', 16)}")
    return arn, {"arn": arn}


def _certificate(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    arn = arn_of("acm", f"certificate/{uuid_of(name)}")
    domain = inputs.get("domainName", "")
    return arn, {
        "arn": arn,
        "status": "PENDING_VALIDATION",
        "domainValidationOptions": [
            {
                "domainName": domain,
                "resourceRecordName": f"_{hexed(name, 32)}.{domain}.",
                "resourceRecordType": "CNAME",
                "resourceRecordValue": f"_{hexed(name + 'v', 32)}.{hexed(name, 10)}.acm-validations.aws.",
            }
        ],
    }


def _dns_record(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    fqdn = str(inputs.get("name", name)).rstrip(".")
    return f"{inputs.get('zoneId')}_{fqdn}_{inputs.get('type')}", {"fqdn": fqdn}


def _web_acl(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    acl, uid = physical_name(name, inputs), uuid_of(name)
    scope = "global" if inputs.get("scope") == "CLOUDFRONT" else "regional"
    arn = arn_of("wafv2", f"{scope}/webacl/{acl}/{uid}", region_of(inputs))
    return uid, {"name": acl, "arn": arn, "capacity": 1500}


def _distribution(name: str, _inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    distribution_id = "E" + hexed(name, 13).upper()
    return distribution_id, {
        "arn": f"arn:aws:cloudfront::{ACCOUNT_ID}:distribution/{distribution_id}",
        "domainName": f"d{hexed(name, 13)}.cloudfront.net",
        "hostedZoneId": "Z2FDTNDATAQYW2",  # every distribution's alias zone
        "status": "Deployed",
        "etag": hexed(name + "etag", 14).upper(),
    }


def _vpc_origin(name: str, _inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    origin_id = "vo_" + hexed(name, 20)
    return origin_id, {"arn": f"arn:aws:cloudfront::{ACCOUNT_ID}:vpcorigin/{origin_id}", "etag": "E1"}


def _response_headers_policy(name: str, _inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return uuid_of(name), {"etag": hexed(name + "etag", 14).upper()}


def _delivery_source(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    source = physical_name(name, inputs)
    service = str(inputs.get("resourceArn", "")).split(":")[2] if inputs.get("resourceArn") else ""
    return source, {"arn": arn_of("logs", f"delivery-source:{source}", region_of(inputs)), "service": service}


def _delivery_destination(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    destination = physical_name(name, inputs)
    target = str((inputs.get("deliveryDestinationConfiguration") or {}).get("destinationResourceArn", ""))
    kind = {"logs": "CWL", "s3": "S3", "firehose": "FH"}.get(target.split(":")[2] if target else "", "")
    return destination, {
        "arn": arn_of("logs", f"delivery-destination:{destination}", region_of(inputs)),
        "deliveryDestinationType": kind,
    }


def _delivery(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    delivery_id = hexed(name, 16)
    return delivery_id, {"arn": arn_of("logs", f"delivery:{delivery_id}", region_of(inputs))}


def _schedule(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    schedule = physical_name(name, inputs)
    return f"default/{schedule}", {
        "name": schedule,
        "arn": arn_of("scheduler", f"schedule/default/{schedule}"),
    }


def _scaling_policy(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    policy = inputs.get("name") or name
    arn = arn_of(
        "autoscaling",
        f"scalingPolicy:{uuid_of(name)}:resource/ecs/{inputs.get('resourceId')}:policyName/{policy}",
    )
    return policy, {"name": policy, "arn": arn, "alarmArns": []}


SERVICE_ANSWERS: dict[str, Answer] = {
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
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": _response_headers_policy,
    "aws:cloudwatch/logDeliverySource:LogDeliverySource": _delivery_source,
    "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": _delivery_destination,
    "aws:cloudwatch/logDelivery:LogDelivery": _delivery,
    "aws:scheduler/schedule:Schedule": _schedule,
    "aws:appautoscaling/policy:Policy": _scaling_policy,
}
