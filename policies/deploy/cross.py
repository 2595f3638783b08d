"""Create-time rules that span resources: subnets inside their VPC, a role's inline policies within IAM's
total, a CloudFront VPC origin pointing at an internal load balancer."""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from pulumi_policy import ReportViolation, StackValidationArgs

API = "https://docs.aws.amazon.com/"
ROLE_INLINE_TOTAL = 10_240  # characters without whitespace, over all of a role's inline policies


def _of_type(resources: Iterable[Any], resource_type: str) -> Iterator[Any]:
    return (r for r in resources if r.resource_type == resource_type)


def _vpc_of(subnet: Any) -> Any | None:
    # During a preview a new VPC's id is unknown; the dependency names the VPC resource itself.
    vpcs = [d for d in subnet.property_dependencies.get("vpcId", []) if d.resource_type == "aws:ec2/vpc:Vpc"]
    return vpcs[0] if vpcs else None


def subnets_inside_their_vpc(args: StackValidationArgs, report: ReportViolation) -> None:
    """EC2 refuses a subnet outside its VPC's CIDR or overlapping a sibling (CreateSubnet)."""
    seen: dict[str, list[tuple[str, ipaddress.IPv4Network | ipaddress.IPv6Network]]] = {}
    for subnet in _of_type(args.resources, "aws:ec2/subnet:Subnet"):
        vpc, block = _vpc_of(subnet), subnet.props.get("cidrBlock")
        if vpc is None or not block or not vpc.props.get("cidrBlock"):
            continue
        cidr, vpc_cidr = ipaddress.ip_network(block), ipaddress.ip_network(vpc.props["cidrBlock"])
        if not cidr.subnet_of(vpc_cidr):  # type: ignore[arg-type]
            report(f"subnet {block} lies outside its VPC's {vpc_cidr}", subnet.urn)
        for other_name, other in seen.get(vpc.urn, []):
            if cidr.overlaps(other):
                report(f"subnet {block} overlaps {other_name} ({other})", subnet.urn)
        seen.setdefault(vpc.urn, []).append((subnet.name, cidr))


def role_inline_policies_fit(args: StackValidationArgs, report: ReportViolation) -> None:
    """IAM caps the inline policies of one role at 10,240 characters together (whitespace not counted)."""
    totals: dict[str, int] = {}
    for policy in _of_type(args.resources, "aws:iam/rolePolicy:RolePolicy"):
        text = policy.props.get("policy")
        if isinstance(text, str):
            role = str(policy.props.get("role"))
            totals[role] = totals.get(role, 0) + len(re.sub(r"\s", "", text))
    for role, total in totals.items():
        if total > ROLE_INLINE_TOTAL:
            message = f"role {role}'s inline policies total {total} characters; IAM's is {ROLE_INLINE_TOTAL}"
            report(message, None)


def vpc_origins_reach_internal_load_balancers(args: StackValidationArgs, report: ReportViolation) -> None:
    """A CloudFront VPC origin serves from private subnets: its load balancer must be internal."""
    balancers = {r.props.get("arn"): r for r in _of_type(args.resources, "aws:lb/loadBalancer:LoadBalancer")}
    for origin in _of_type(args.resources, "aws:cloudfront/vpcOrigin:VpcOrigin"):
        config = origin.props.get("vpcOriginEndpointConfig") or {}
        balancer = balancers.get(config.get("arn"))
        if balancer is not None and balancer.props.get("internal") is not True:
            report(
                f"VPC origin {origin.name} points at {balancer.name}, which is internet-facing", origin.urn
            )


def policy_documents_parse(args: StackValidationArgs, report: ReportViolation) -> None:
    """IAM refuses a policy that is not JSON (MalformedPolicyDocument)."""
    for resource in args.resources:
        for key in ("policy", "assumeRolePolicy"):
            text = resource.props.get(key)
            if isinstance(text, str) and resource.resource_type.startswith("aws:"):
                try:
                    json.loads(text)
                except ValueError as error:
                    report(f"{key} is not valid JSON: {error}", resource.urn)


CROSS_RULES = (
    (
        "aws-subnets-in-vpc",
        "Subnets lie inside their VPC and do not overlap.",
        subnets_inside_their_vpc,
        API + "AWSEC2/latest/APIReference/API_CreateSubnet.html",
    ),
    (
        "aws-iam-inline-policy-total",
        "A role's inline policies fit IAM's 10,240 characters together.",
        role_inline_policies_fit,
        API + "IAM/latest/UserGuide/reference_iam-quotas.html",
    ),
    (
        "aws-cloudfront-vpc-origin-internal",
        "CloudFront VPC origins point at internal load balancers.",
        vpc_origins_reach_internal_load_balancers,
        API + "AmazonCloudFront/latest/DeveloperGuide/private-content-vpc-origins.html",
    ),
    (
        "aws-policy-json",
        "Policy documents are JSON.",
        policy_documents_parse,
        API + "IAM/latest/UserGuide/reference_policies_grammar.html",
    ),
)
