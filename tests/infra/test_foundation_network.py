"""The network per real stack file: availability, NAT, subnets, endpoints, and who may talk to whom."""

from __future__ import annotations

import json

import pytest

from cloud_facts.aws.ecs import FARGATE_UNSUPPORTED_ZONE_IDS
from policies.base import as_list
from tests.infra.conftest import plan_with
from tests.infra.plan_query import Plan, settings_of

NAT = "aws:ec2/natGateway:NatGateway"
DB = "aws:rds/instance:Instance"
CACHE = "aws:elasticache/replicationGroup:ReplicationGroup"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
SG = "aws:ec2/securityGroup:SecurityGroup"


# --- availability and cost: each stack gets what its file asks for -------------------------------


def test_prod_is_highly_available(prod: Plan) -> None:
    db = prod.one(DB).inputs
    assert db["multiAz"] is True
    assert db["deletionProtection"] is True
    assert db["skipFinalSnapshot"] is False and db["finalSnapshotIdentifier"]
    assert db["backupRetentionPeriod"] >= 14
    cache = prod.one(CACHE).inputs
    assert cache["numCacheClusters"] >= 2
    assert cache["automaticFailoverEnabled"] is True and cache["multiAzEnabled"] is True
    assert cache["snapshotRetentionLimit"] > 0
    assert prod.count(NAT) == settings_of("prod").az_count  # per_az


def test_dev_is_cheap(dev: Plan) -> None:
    assert dev.count(NAT) == 0
    assert dev.count("aws:ec2/eip:Eip") == 0
    db = dev.one(DB).inputs
    assert db["multiAz"] is False
    assert 1 <= db["backupRetentionPeriod"] <= 3
    assert dev.one(CACHE).inputs["numCacheClusters"] == 1
    assert dev.one(CACHE).inputs["automaticFailoverEnabled"] is False


@pytest.mark.parametrize(("strategy", "expected"), [("none", 0), ("single", 1), ("per_az", 3)])
def test_nat_gateways_follow_the_strategy(strategy: str, expected: int) -> None:
    plan = plan_with("prod", {"natStrategy": strategy, "azCount": 3})
    assert plan.count(NAT) == expected
    private_tables = [r for r in plan.of_type("aws:ec2/routeTable:RouteTable") if "-private-rt-" in r.name]
    nat_ids = {r.id for r in plan.of_type(NAT)}
    for table in private_tables:
        targets = {route.get("natGatewayId") for route in table.inputs.get("routes", [])}
        assert (targets <= nat_ids and targets) if expected else not table.inputs.get("routes")


def test_nat_gateways_and_their_addresses_wait_for_the_internet_gateway(prod: Plan) -> None:
    # EC2 refuses an EIP or NAT in a VPC with no attached gateway; nothing else orders them after it.
    igw = prod.one("aws:ec2/internetGateway:InternetGateway")
    waiting = prod.of_type(NAT) + prod.of_type("aws:ec2/eip:Eip")
    assert len(waiting) == 2 * settings_of("prod").az_count
    assert all(igw.urn in r.dependencies for r in waiting), [r.name for r in waiting]


def test_subnets_span_the_configured_zones_in_three_tiers(stack_plan: Plan) -> None:
    az_count = settings_of(stack_plan.run.stack).az_count
    subnets = stack_plan.of_type("aws:ec2/subnet:Subnet")
    assert len(subnets) == 3 * az_count
    for tier in ("public", "private", "isolated"):
        zones = {s.inputs["availabilityZoneId"] for s in subnets if s.inputs["tags"]["tier"] == tier}
        assert len(zones) == az_count
    assert not any(s.inputs.get("mapPublicIpOnLaunch") for s in subnets)
    assert not any("availabilityZone" in s.inputs for s in subnets)  # by ID: a name differs per account


def _zone_ids(plan: Plan) -> list[str]:
    subnets = sorted(plan.of_type("aws:ec2/subnet:Subnet"), key=lambda s: s.name)
    return [s.inputs["availabilityZoneId"] for s in subnets if s.inputs["tags"]["tier"] == "private"]


def test_graviton_tasks_never_get_a_zone_fargate_cannot_run_them_in(prod: Plan) -> None:
    # The mock account maps us-east-1b to use1-az3, where Fargate runs no ARM64 task: prod (arm64) skips it
    # and takes the next zone by name.
    assert settings_of("prod").cpu_architecture == "arm64"
    assert _zone_ids(prod) == ["use1-az4", "use1-az6"]
    assert not set(_zone_ids(plan_with("prod", {"azCount": 3}))) & set(FARGATE_UNSUPPORTED_ZONE_IDS["ARM64"])


def test_without_an_excluded_zone_each_subnet_keeps_the_zone_its_name_chose() -> None:
    # x86 excludes nothing in us-east-1: the IDs are those of the first names (us-east-1a, -1b), so a stack
    # created when subnets were placed by name sees no change.
    assert _zone_ids(plan_with("prod", {"cpuArchitecture": "x86_64"})) == ["use1-az4", "use1-az3"]


def test_isolated_subnets_have_no_route_out_and_hold_the_data_stores(stack_plan: Plan) -> None:
    isolated_rt = stack_plan.one("aws:ec2/routeTable:RouteTable", "-isolated-rt")
    assert not isolated_rt.inputs.get("routes")
    isolated_ids = {
        s.id for s in stack_plan.of_type("aws:ec2/subnet:Subnet") if s.inputs["tags"]["tier"] == "isolated"
    }
    assert set(stack_plan.one("aws:rds/subnetGroup:SubnetGroup").inputs["subnetIds"]) == isolated_ids
    assert set(stack_plan.one("aws:elasticache/subnetGroup:SubnetGroup").inputs["subnetIds"]) == isolated_ids
    assert stack_plan.one(DB).inputs["publiclyAccessible"] is False


def test_s3_gateway_endpoint_serves_every_route_table(stack_plan: Plan) -> None:
    endpoint = stack_plan.one("aws:ec2/vpcEndpoint:VpcEndpoint").inputs
    assert endpoint["vpcEndpointType"] == "Gateway" and endpoint["serviceName"].endswith(".s3")
    assert set(endpoint["routeTableIds"]) == {
        r.id for r in stack_plan.of_type("aws:ec2/routeTable:RouteTable")
    }


def test_default_security_group_is_stripped(stack_plan: Plan) -> None:
    default = stack_plan.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup").inputs
    assert not default.get("ingress") and not default.get("egress")


def test_flow_logs_follow_the_stack_file(dev: Plan, prod: Plan) -> None:
    assert dev.count("aws:ec2/flowLog:FlowLog") == 0
    flow_log = prod.one("aws:ec2/flowLog:FlowLog").inputs
    group = prod.one("aws:cloudwatch/logGroup:LogGroup", "flow-logs")
    assert flow_log["logDestination"] == group.outputs["arn"] and flow_log["trafficType"] == "ALL"
    assert group.inputs["retentionInDays"] == settings_of("prod").flow_log_retention_days
    assert group.inputs["kmsKeyId"] == prod.one("aws:kms/key:Key").outputs["arn"]


def test_flow_log_role_has_what_awss_documented_role_has(prod: Plan) -> None:
    # docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html: writes to the group and streams,
    # and DescribeLogGroups, which has no resource-level permissions (only "*").
    group_arn = prod.one("aws:cloudwatch/logGroup:LogGroup", "flow-logs").outputs["arn"]
    statements = json.loads(prod.one("aws:iam/rolePolicy:RolePolicy", "flow-logs-policy").inputs["policy"])
    granted = {
        (action, resource)
        for s in statements["Statement"]
        for action in as_list(s["Action"])
        for resource in as_list(s["Resource"])
    }
    assert ("logs:DescribeLogGroups", "*") in granted
    assert {r for a, r in granted if a != "logs:DescribeLogGroups"} == {group_arn, f"{group_arn}:*"}


# --- who may talk to whom ----------------------------------------------------------------------------


def test_data_stores_admit_only_the_app_group_on_their_own_port(stack_plan: Plan) -> None:
    app_sg = stack_plan.one(SG, "-app-sg").id
    for store_sg, port in ((stack_plan.one(SG, "-db-sg"), 5432), (stack_plan.one(SG, "-cache-sg"), 6379)):
        rules = [r.inputs for r in stack_plan.of_type(INGRESS) if r.inputs["securityGroupId"] == store_sg.id]
        assert rules, f"{store_sg.name} admits nothing"
        for rule in rules:
            assert rule["referencedSecurityGroupId"] == app_sg
            assert (rule["fromPort"], rule["toPort"]) == (port, port)
            assert "cidrIpv4" not in rule and "cidrIpv6" not in rule
        assert not store_sg.inputs.get("ingress"), "inline rules would bypass the graph"


def test_nothing_admits_the_internet(stack_plan: Plan) -> None:
    # The one exception, the public load balancer on 80/443, is covered by test_compute_network.
    alb_groups = {g.id for g in stack_plan.of_type(SG) if g.name.endswith("-alb-sg")}
    for rule in stack_plan.of_type(INGRESS):
        if rule.inputs["securityGroupId"] in alb_groups and rule.inputs["fromPort"] in (80, 443):
            continue
        assert rule.inputs.get("cidrIpv4") not in ("0.0.0.0/0",) and rule.inputs.get("cidrIpv6") != "::/0", (
            rule.name
        )
    for group in stack_plan.of_type(SG):
        assert not group.inputs.get("ingress"), group.name
