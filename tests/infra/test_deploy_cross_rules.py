"""Each cross-resource deploy rule refuses the combination the cloud would refuse, and only that."""

from __future__ import annotations

import json
from typing import Any

from offline.mocks import Recorded
from offline.policy_check import check
from offline.program import ProgramRun
from policies.deploy.cross import CROSS_RULES


def _cross_run(*resources: Recorded) -> ProgramRun:
    return ProgramRun("dev", list(resources), {}, [])


def _record(resource_type: str, name: str, props: dict[str, Any], **deps: list[str]) -> Recorded:
    urn = f"urn:pulumi:dev::launchpad::{resource_type}::{name}"
    recorded = Recorded(resource_type, name, props, props, None, True, name, urn=urn)
    recorded.property_dependencies = deps
    return recorded


def test_a_subnet_outside_its_vpc_or_overlapping_a_sibling_is_refused() -> None:
    vpc = _record("aws:ec2/vpc:Vpc", "vpc", {"cidrBlock": "10.40.0.0/16"})
    subnets = [
        _record("aws:ec2/subnet:Subnet", name, {"cidrBlock": block, "vpcId": "vpc"}, vpcId=[vpc.urn])
        for name, block in (("a", "10.40.0.0/20"), ("b", "10.40.8.0/21"), ("c", "10.41.0.0/20"))
    ]
    messages = [v.message for v in check(_cross_run(vpc, *subnets)) if v.policy == "aws-subnets-in-vpc"]
    assert len(messages) == 2
    assert "10.40.8.0/21 overlaps a" in messages[0] and "10.41.0.0/20 lies outside" in messages[1]


def test_a_role_whose_inline_policies_pass_iams_total_is_refused() -> None:
    policy = json.dumps({"Statement": [{"Sid": "s" * 6000}]})
    docs = [_record("aws:iam/rolePolicy:RolePolicy", n, {"role": "r1", "policy": policy}) for n in "ab"]
    assert [v.policy for v in check(_cross_run(*docs)) if v.policy == "aws-iam-inline-policy-total"] == [
        "aws-iam-inline-policy-total"
    ]


def test_a_role_with_more_managed_policies_than_iams_quota_is_refused() -> None:
    attachments = [
        _record(
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment", f"a{i}", {"role": "r1", "policyArn": f"p{i}"}
        )
        for i in range(11)
    ]
    found = [
        v.policy for v in check(_cross_run(*attachments)) if v.policy == "aws-iam-managed-policies-per-role"
    ]
    assert found == ["aws-iam-managed-policies-per-role"]
    assert not [
        v for v in check(_cross_run(*attachments[:10])) if v.policy == "aws-iam-managed-policies-per-role"
    ]


def test_a_vpc_origin_on_an_internet_facing_load_balancer_is_refused() -> None:
    alb = _record("aws:lb/loadBalancer:LoadBalancer", "alb", {"arn": "arn:alb", "internal": False})
    origin = _record(
        "aws:cloudfront/vpcOrigin:VpcOrigin", "origin", {"vpcOriginEndpointConfig": {"arn": "arn:alb"}}
    )
    found = [v for v in check(_cross_run(alb, origin)) if v.policy == "aws-cloudfront-vpc-origin-internal"]
    assert len(found) == 1


def test_a_policy_that_is_not_json_is_refused() -> None:
    role = _record("aws:iam/role:Role", "role", {"assumeRolePolicy": "{'Version': 1}"})
    assert [v.policy for v in check(_cross_run(role)) if v.policy == "aws-policy-json"] == ["aws-policy-json"]


def _service_on(
    cluster: Recorded, strategy: list[dict[str, Any]], *after: Recorded, **props: Any
) -> Recorded:
    service = _record(
        "aws:ecs/service:Service",
        "svc",
        {"cluster": "arn:c", "capacityProviderStrategies": strategy, **props},
        cluster=[cluster.urn],
    )
    service.dependencies = [cluster.urn, *(a.urn for a in after)]
    return service


def _providers(cluster: Recorded, *providers: str) -> Recorded:
    props = {"clusterName": "c", "capacityProviders": list(providers)}
    return _record(ASSOCIATION, "providers", props, clusterName=[cluster.urn])


CLUSTER = "aws:ecs/cluster:Cluster"
ASSOCIATION = "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders"
SPOT_ONLY = [{"capacityProvider": "FARGATE_SPOT", "weight": 1}]


def _cross(rule: str, *resources: Recorded) -> list[str]:
    return [v.message for v in check(_cross_run(*resources)) if v.policy == rule]


def test_a_strategy_naming_a_provider_its_cluster_lacks_or_before_it_is_associated_is_refused() -> None:
    cluster = _record(CLUSTER, "c", {"name": "c"})
    on_demand_only = _providers(cluster, "FARGATE")
    both = _providers(cluster, "FARGATE", "FARGATE_SPOT")
    missing = _cross(
        "aws-ecs-providers-on-cluster",
        cluster,
        on_demand_only,
        _service_on(cluster, SPOT_ONLY, on_demand_only),
    )
    assert len(missing) == 1 and "['FARGATE_SPOT'], not associated with cluster c" in missing[0]
    racing = _cross("aws-ecs-providers-on-cluster", cluster, both, _service_on(cluster, SPOT_ONLY))
    assert len(racing) == 1 and "may be created before they are associated" in racing[0]
    assert _cross("aws-ecs-providers-on-cluster", cluster, both, _service_on(cluster, SPOT_ONLY, both)) == []


def test_fargate_spot_on_a_platform_too_old_for_the_tasks_architecture_is_refused() -> None:
    cluster = _record(CLUSTER, "c", {"name": "c"})
    both = _providers(cluster, "FARGATE", "FARGATE_SPOT")

    def spot_service(arch: str, version: str) -> tuple[Recorded, Recorded]:
        task = _record(
            "aws:ecs/taskDefinition:TaskDefinition", "td", {"runtimePlatform": {"cpuArchitecture": arch}}
        )
        svc = _service_on(cluster, SPOT_ONLY, both, platformVersion=version, taskDefinition="arn:td")
        svc.property_dependencies["taskDefinition"] = [task.urn]
        return svc, task

    for arch, version, refused in (
        ("ARM64", "1.3.0", True),  # ARM64 Spot needs 1.4.0
        ("ARM64", "1.4.0", False),
        ("X86_64", "1.3.0", False),
        ("ARM64", "LATEST", False),
    ):
        svc, task = spot_service(arch, version)
        found = _cross("aws-fargate-spot-platform", cluster, both, task, svc)
        assert bool(found) is refused, (arch, version, found)


def test_every_cross_resource_rule_is_tested() -> None:
    tested = {"aws-subnets-in-vpc", "aws-iam-inline-policy-total", "aws-cloudfront-vpc-origin-internal"}
    tested |= {"aws-iam-managed-policies-per-role"}
    tested |= {"aws-ecs-providers-on-cluster", "aws-fargate-spot-platform"}
    assert {rule[0] for rule in CROSS_RULES} == tested | {"aws-policy-json"}


def test_a_services_range_overlapping_a_subnet_of_its_network_is_refused() -> None:
    vpc = _record("gcp:compute/network:Network", "vpc", {})
    other = _record("gcp:compute/network:Network", "other", {})
    subnet = _record(
        "gcp:compute/subnetwork:Subnetwork", "run", {"ipCidrRange": "10.90.0.0/24"}, network=[vpc.urn]
    )
    elsewhere = _record(
        "gcp:compute/subnetwork:Subnetwork", "far", {"ipCidrRange": "10.91.0.0/24"}, network=[other.urn]
    )

    def reserved(address: str) -> Recorded:
        props = {"address": address, "prefixLength": 20, "purpose": "VPC_PEERING"}
        return _record("gcp:compute/globalAddress:GlobalAddress", "psa", props, network=[vpc.urn])

    def found(address: str) -> list[str]:
        run = _cross_run(vpc, other, subnet, elsewhere, reserved(address))
        return [v.message for v in check(run) if v.policy == "gcp-services-range-apart-from-subnets"]

    assert len(found("10.90.0.0")) == 1 and "overlaps subnet run" in found("10.90.0.0")[0]
    assert found("10.91.0.0") == []  # the overlapping subnet is on another network
