"""The AWS data sources the program calls, answered as the provider would in us-east-1."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from offline.aws_answers import ACCOUNT_ID, REGION, ZONES, arn_of, hexed


def _availability_zones(args: dict[str, Any]) -> dict[str, Any]:
    """As terraform-provider-aws's data source answers: sorted by name, names and zoneIds index-aligned,
    excludeNames and excludeZoneIds dropped from both (ec2_availability_zones_data_source.go)."""
    kept = [
        (name, zone_id)
        for name, zone_id in sorted(ZONES.items())
        if name not in (args.get("excludeNames") or []) and zone_id not in (args.get("excludeZoneIds") or [])
    ]
    return {"names": [n for n, _ in kept], "zoneIds": [z for _, z in kept], "id": REGION}


CALLS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": _availability_zones,
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
        "id": f"sg-0{hexed(str(a.get('vpcId')) + str(a.get('name')), 16)}",
        "name": a["name"],
        "vpcId": a["vpcId"],
        "arn": arn_of("ec2", f"security-group/sg-0{hexed(str(a.get('vpcId')) + str(a.get('name')), 16)}"),
    },
}
