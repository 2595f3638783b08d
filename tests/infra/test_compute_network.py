"""The security-group graph is exactly CloudFront (or the internet) -> ALB -> web -> (DB, Redis);
placement follows NAT."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from app import contract
from components.aws.cdn import VPC_ORIGIN_SECURITY_GROUP
from offline.mocks import answer_call
from tests.infra.conftest import plan_with
from tests.infra.ecs_plan import INGRESS, SCHEDULE, SG, service
from tests.infra.plan_query import Plan

INTERNET = "internet"
CLOUDFRONT = "cloudfront"
SCALING_TARGET = "aws:appautoscaling/target:Target"


def _group_roles(plan: Plan) -> dict[str, str]:
    """Security group id -> what it guards, from the component that made it."""
    roles = {"-alb-sg": "alb", "-targets-sg": "web", "-app-sg": "app", "-db-sg": "db", "-cache-sg": "cache"}
    named: dict[str, str] = {}
    for group in plan.of_type(SG):
        role = next((r for suffix, r in roles.items() if group.name.endswith(suffix)), None)
        assert role is not None, f"unexpected security group {group.name}"
        named[group.id] = role
    return named


def _edges(plan: Plan) -> set[tuple[str, str, int]]:
    roles = _group_roles(plan)
    edges = set()
    for rule in plan.of_type(INGRESS):
        i = rule.inputs
        referenced = i.get("referencedSecurityGroupId")
        source = CLOUDFRONT if referenced and referenced == _vpc_origin_group(plan) else None
        if referenced and source is None:
            source = roles[referenced]
        if i.get("cidrIpv4") == "0.0.0.0/0" or i.get("cidrIpv6") == "::/0":
            source = INTERNET
        assert source is not None, f"{rule.name} admits a CIDR: {i}"
        assert i["fromPort"] == i["toPort"], f"{rule.name} opens a range"
        edges.add((source, roles[i["securityGroupId"]], i["fromPort"]))
    return edges


def _vpc_origin_group(plan: Plan) -> str | None:
    """The group CloudFront puts its VPC origin's interfaces in, as the program looked it up."""
    lookups = [c for c in plan.run.calls if c[0] == "aws:ec2/getSecurityGroup:getSecurityGroup"]
    assert all(c[1]["name"] == VPC_ORIGIN_SECURITY_GROUP for c in lookups)
    return answer_call(lookups[0][0], lookups[0][1])["id"] if lookups else None


def _reachable(edges: set[tuple[str, str, int]], members: Iterable[str]) -> set[str]:
    return {target for source, target, _ in edges if source in set(members)}


def _members(plan: Plan, group_ids: list[str]) -> set[str]:
    roles = _group_roles(plan)
    return {roles[g] for g in group_ids}


def test_security_group_graph_is_exactly_the_intended_one(stack_plan: Plan) -> None:
    # The default edge: nothing admits the internet; the internal ALB admits only CloudFront's VPC origin.
    assert _edges(stack_plan) == {
        (CLOUDFRONT, "alb", 80),
        ("alb", "web", contract.CONTAINER_PORT),
        ("app", "db", 5432),
        ("app", "cache", 6379),
    }


def test_a_public_alb_with_https_opens_80_and_443_to_the_internet(prod_alb_https: Plan) -> None:
    edges = _edges(prod_alb_https)
    assert {e for e in edges if e[0] in (INTERNET, CLOUDFRONT)} == {
        (INTERNET, "alb", 80),
        (INTERNET, "alb", 443),
    }


def test_each_role_reaches_only_what_it_needs(stack_plan: Plan) -> None:
    edges = _edges(stack_plan)
    web = _members(stack_plan, service(stack_plan, "web").inputs["networkConfiguration"]["securityGroups"])
    worker = _members(
        stack_plan, service(stack_plan, "worker").inputs["networkConfiguration"]["securityGroups"]
    )
    ecs = stack_plan.one(SCHEDULE).inputs["target"]["ecsParameters"]
    nightly = _members(stack_plan, ecs["networkConfiguration"]["securityGroups"])
    assert web == {"web", "app"}
    assert worker == nightly == {"app"}  # no ingress at all
    assert _reachable(edges, {INTERNET}) == set()
    assert _reachable(edges, {CLOUDFRONT}) == {"alb"}
    assert _reachable(edges, {"alb"}) == {"web"}
    assert (
        _reachable(edges, web) == _reachable(edges, worker) == _reachable(edges, nightly) == {"db", "cache"}
    )
    assert not any(target in worker for _, target, _ in edges)


def _subnet_tier(plan: Plan, subnet_ids: list[str]) -> set[str]:
    subnets = {s.id: s for s in plan.of_type("aws:ec2/subnet:Subnet")}
    return {subnets[i].inputs["tags"]["tier"] for i in subnet_ids}


def test_task_placement_follows_the_nat_strategy(stack_plan: Plan) -> None:
    has_nat = stack_plan.count("aws:ec2/natGateway:NatGateway") > 0
    placements = [service(stack_plan, r).inputs["networkConfiguration"] for r in ("web", "worker")]
    placements.append(stack_plan.one(SCHEDULE).inputs["target"]["ecsParameters"]["networkConfiguration"])
    for network in placements:
        assert network["assignPublicIp"] is (not has_nat)
        assert _subnet_tier(stack_plan, network["subnets"]) == ({"private"} if has_nat else {"public"})
    stated = stack_plan.outputs["task_networking"]
    assert stated["subnet_tier"] == ("private" if has_nat else "public")
    assert stated["assign_public_ip"] is (not has_nat)


def test_load_balancer_lives_in_private_subnets_behind_cloudfront(stack_plan: Plan) -> None:
    alb = stack_plan.one("aws:lb/loadBalancer:LoadBalancer").inputs
    assert alb["internal"] is True
    assert _subnet_tier(stack_plan, alb["subnets"]) == {"private"}


def test_a_public_load_balancer_lives_in_public_subnets(prod_alb_https: Plan) -> None:
    alb = prod_alb_https.one("aws:lb/loadBalancer:LoadBalancer").inputs
    assert alb["internal"] is False
    assert _subnet_tier(prod_alb_https, alb["subnets"]) == {"public"}


def test_prod_web_runs_two_tasks_over_zones(prod: Plan) -> None:
    web = service(prod, "web").inputs
    name = service(prod, "web").outputs["name"]
    target = next(t for t in prod.of_type(SCALING_TARGET) if t.inputs["resourceId"].endswith(f"/{name}"))
    assert web["desiredCount"] >= 2 and target.inputs["minCapacity"] >= 2
    subnets = {s.id: s for s in prod.of_type("aws:ec2/subnet:Subnet")}
    zones = {subnets[i].inputs["availabilityZoneId"] for i in web["networkConfiguration"]["subnets"]}
    assert len(zones) >= 2
    assert web["availabilityZoneRebalancing"] == "ENABLED"


@pytest.mark.parametrize("strategy", ["single", "none"])
def test_nat_override_moves_tasks(strategy: str) -> None:
    plan = plan_with("prod", {"natStrategy": strategy})
    network = service(plan, "worker").inputs["networkConfiguration"]
    assert network["assignPublicIp"] is (strategy == "none")
