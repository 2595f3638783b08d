"""Create-time rules that span resources: subnets inside their VPC, a role's inline policies within IAM's
total, a CloudFront VPC origin pointing at an internal load balancer, capacity providers associated with
the cluster that uses them, Fargate Spot on a platform version that runs the task's architecture."""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pulumi_policy import ReportViolation, StackValidationArgs

from cloud_facts.aws.ecs import FARGATE_SPOT, FARGATE_SPOT_MIN_PLATFORM

API = "https://docs.aws.amazon.com/"
STRATEGY_ITEM = API + "AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html"
CLUSTER = "aws:ecs/cluster:Cluster"
ASSOCIATION = "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders"
TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition"
ROLE_INLINE_TOTAL = 10_240  # characters without whitespace, over all of a role's inline policies
ROLE_MANAGED_POLICIES = 10  # managed policies attached to one role: IAM's default quota (adjustable to 20)


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


def role_managed_policies_fit(args: StackValidationArgs, report: ReportViolation) -> None:
    """IAM attaches at most 10 managed policies to a role unless the account's quota was raised."""
    counts: dict[str, int] = {}
    for attachment in _of_type(args.resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment"):
        role = str(attachment.props.get("role"))
        counts[role] = counts.get(role, 0) + 1
    for role, count in counts.items():
        if count > ROLE_MANAGED_POLICIES:
            report(
                f"role {role} has {count} managed policies; IAM's default is {ROLE_MANAGED_POLICIES}", None
            )


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


@dataclass(frozen=True)
class StrategyUser:
    """A service or scheduled run with a capacity provider strategy; where it names its cluster and task."""

    resource: Any
    strategy: list[dict[str, Any]]
    platform: Any
    cluster_key: str
    task_key: str


def _dependency(resource: Any, key: str, resource_type: str) -> Any | None:
    found = [d for d in resource.property_dependencies.get(key, []) if d.resource_type == resource_type]
    return found[0] if found else None


def _strategy_users(resources: Iterable[Any]) -> Iterator[StrategyUser]:
    for r in resources:
        if r.resource_type == "aws:ecs/service:Service" and r.props.get("capacityProviderStrategies"):
            yield StrategyUser(
                r,
                r.props["capacityProviderStrategies"],
                r.props.get("platformVersion"),
                "cluster",
                "taskDefinition",
            )
        if r.resource_type == "aws:scheduler/schedule:Schedule":
            ecs = (r.props.get("target") or {}).get("ecsParameters") or {}
            if ecs.get("capacityProviderStrategies"):
                yield StrategyUser(
                    r, ecs["capacityProviderStrategies"], ecs.get("platformVersion"), "target", "target"
                )


def providers_on_the_cluster(args: StackValidationArgs, report: ReportViolation) -> None:
    """CreateService and RunTask refuse a capacity provider the cluster is not associated with, so the
    association exists first: the service or schedule depends on it."""
    associations = list(_of_type(args.resources, ASSOCIATION))
    for user in _strategy_users(args.resources):
        cluster = _dependency(user.resource, user.cluster_key, CLUSTER)
        if cluster is None:
            continue  # a cluster of another stack: nothing here to check against
        linked = [a for a in associations if (_dependency(a, "clusterName", CLUSTER) or a).urn == cluster.urn]
        offered = {str(p) for a in linked for p in a.props.get("capacityProviders") or []}
        missing = sorted({str(i.get("capacityProvider")) for i in user.strategy} - offered)
        waits = {d.urn for d in user.resource.dependencies} & {a.urn for a in linked}
        if missing:
            report(
                f"{user.resource.name} names {missing}, not associated with cluster {cluster.name}",
                user.resource.urn,
            )
        elif not waits:
            report(
                f"{user.resource.name} does not depend on {cluster.name}'s capacity providers: it may be "
                "created before they are associated",
                user.resource.urn,
            )


def _version(text: Any) -> tuple[int, ...] | None:
    return (
        tuple(int(part) for part in str(text).split(".")) if re.fullmatch(r"\d+(\.\d+)*", str(text)) else None
    )


def spot_platform_versions(args: StackValidationArgs, report: ReportViolation) -> None:
    """Fargate Spot runs X86_64 tasks on platform 1.3.0 and later, ARM64 tasks on 1.4.0 and later."""
    for user in _strategy_users(args.resources):
        pinned = _version(user.platform)
        if pinned is None or not any(i.get("capacityProvider") == FARGATE_SPOT for i in user.strategy):
            continue  # LATEST, or no Spot
        task = _dependency(user.resource, user.task_key, TASK_DEFINITION)
        arch = ((task.props.get("runtimePlatform") or {}) if task else {}).get("cpuArchitecture") or "X86_64"
        needed = FARGATE_SPOT_MIN_PLATFORM.get(str(arch), FARGATE_SPOT_MIN_PLATFORM["ARM64"])
        if pinned < needed:
            wanted = ".".join(map(str, needed))
            report(
                f"{user.resource.name} runs {arch} tasks on Fargate Spot on platform {user.platform}; "
                f"Spot needs {wanted} or later (or LATEST)",
                user.resource.urn,
            )


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
        "aws-iam-managed-policies-per-role",
        "A role has at most IAM's 10 managed policies attached.",
        role_managed_policies_fit,
        API + "IAM/latest/UserGuide/reference_iam-quotas.html (Managed policies attached to an IAM role)",
    ),
    (
        "aws-cloudfront-vpc-origin-internal",
        "CloudFront VPC origins point at internal load balancers.",
        vpc_origins_reach_internal_load_balancers,
        API + "AmazonCloudFront/latest/DeveloperGuide/private-content-vpc-origins.html",
    ),
    (
        "aws-ecs-providers-on-cluster",
        "Capacity providers a strategy names are associated with its cluster first.",
        providers_on_the_cluster,
        STRATEGY_ITEM,
    ),
    (
        "aws-fargate-spot-platform",
        "Fargate Spot runs on a platform version that supports the task's architecture.",
        spot_platform_versions,
        STRATEGY_ITEM,
    ),
    (
        "aws-policy-json",
        "Policy documents are JSON.",
        policy_documents_parse,
        API + "IAM/latest/UserGuide/reference_policies_grammar.html",
    ),
)
