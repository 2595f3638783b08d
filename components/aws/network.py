"""A VPC over N zones with public, private (app) and isolated (data) subnets and a chosen NAT strategy."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import pulumi
import pulumi_aws as aws

from components.iam_policy import Statement, assume_role_policy, policy_json

NatStrategy = Literal["none", "single", "per_az"]
TIERS = ("public", "private", "isolated")


@dataclass
class NetworkArgs:
    cidr: str  # the VPC's range; the subnets are carved from it unless given
    az_count: int  # how many zones the subnets span, one subnet per tier in each
    nat_strategy: NatStrategy  # none, one NAT gateway, or one per zone
    kms_key_arn: pulumi.Input[str]  # encrypts the flow logs' log group
    flow_log_retention_days: int = 0  # 0: no flow logs
    # Zone IDs the subnets must avoid (where the stack's tasks cannot run); the rest are taken in name order.
    excluded_zone_ids: Sequence[str] = ()
    # Optional explicit CIDRs per tier, one per zone; derived from `cidr` when empty.
    subnet_cidrs: dict[str, Sequence[str]] = field(default_factory=dict)


def plan_subnets(cidr: str, az_count: int, explicit: dict[str, Sequence[str]]) -> dict[str, list[str]]:
    """Splits the VPC into 16 equal blocks: tier t, zone z gets block 4*t + z (room for a 4th zone)."""
    blocks = list(ipaddress.ip_network(cidr).subnets(prefixlen_diff=4))
    return {
        tier: list(explicit.get(tier) or [str(blocks[4 * t + z]) for z in range(az_count)])
        for t, tier in enumerate(TIERS)
    }


class Network(pulumi.ComponentResource):
    vpc_id: pulumi.Output[str]
    public_subnet_ids: pulumi.Output[list[str]]
    private_subnet_ids: pulumi.Output[list[str]]
    isolated_subnet_ids: pulumi.Output[list[str]]
    app_security_group_id: pulumi.Output[str]
    has_nat: bool

    def __init__(self, name: str, args: NetworkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        _validate(args)
        super().__init__("launchpad:network:Network", name, None, opts)
        self._name = name
        self._child = pulumi.ResourceOptions(parent=self)
        vpc = aws.ec2.Vpc(
            f"{name}-vpc",
            cidr_block=args.cidr,
            enable_dns_hostnames=True,
            enable_dns_support=True,
            opts=self._child,
        )
        # Adopting the default security group with no rules strips the allow-all rules AWS puts on it.
        aws.ec2.DefaultSecurityGroup(f"{name}-default-sg", vpc_id=vpc.id, opts=self._child)
        subnets = self._subnets(vpc, args)
        route_tables = self._routing(vpc, subnets, args.nat_strategy)
        region = aws.get_region_output(opts=pulumi.InvokeOutputOptions(parent=self)).region
        aws.ec2.VpcEndpoint(
            f"{name}-s3-endpoint",
            vpc_id=vpc.id,
            service_name=region.apply(lambda r: f"com.amazonaws.{r}.s3"),
            vpc_endpoint_type="Gateway",
            route_table_ids=[rt.id for rt in route_tables],
            opts=self._child,
        )
        if args.flow_log_retention_days > 0:
            self._flow_logs(vpc, args)
        app_sg = self._app_security_group(vpc)

        self.vpc_id = vpc.id
        self.public_subnet_ids = pulumi.Output.all(*[s.id for s in subnets["public"]])
        self.private_subnet_ids = pulumi.Output.all(*[s.id for s in subnets["private"]])
        self.isolated_subnet_ids = pulumi.Output.all(*[s.id for s in subnets["isolated"]])
        self.app_security_group_id = app_sg.id
        self.has_nat = args.nat_strategy != "none"
        self.register_outputs(
            {
                "vpc_id": self.vpc_id,
                "public_subnet_ids": self.public_subnet_ids,
                "private_subnet_ids": self.private_subnet_ids,
                "isolated_subnet_ids": self.isolated_subnet_ids,
                "app_security_group_id": self.app_security_group_id,
            }
        )

    def _subnets(self, vpc: aws.ec2.Vpc, args: NetworkArgs) -> dict[str, list[aws.ec2.Subnet]]:
        zones = self._zone_ids(args)
        cidrs = plan_subnets(args.cidr, args.az_count, args.subnet_cidrs)
        name = self._name
        return {
            tier: [
                aws.ec2.Subnet(
                    f"{name}-{tier}-{z}",
                    vpc_id=vpc.id,
                    cidr_block=cidrs[tier][z],
                    availability_zone_id=zones[z],
                    map_public_ip_on_launch=False,
                    tags={"Name": f"{name}-{tier}-{z}", "tier": tier},
                    opts=self._child,
                )
                for z in range(args.az_count)
            ]
            for tier in TIERS
        }

    def _zone_ids(self, args: NetworkArgs) -> list[pulumi.Output[str]]:
        """The first `az_count` zones by name, as zone IDs, skipping the excluded ones and any Local or
        Wavelength Zone the account opted into. The data source lists names and IDs in the same order, so
        where nothing is excluded each ID is the zone its name chose before: no subnet moves."""
        zones = aws.get_availability_zones_output(
            state="available",
            exclude_zone_ids=list(args.excluded_zone_ids) or None,
            filters=[aws.GetAvailabilityZonesFilterArgs(name="zone-type", values=["availability-zone"])],
            opts=pulumi.InvokeOutputOptions(parent=self),
        )

        def enough(zone_ids: list[str]) -> list[str]:
            if len(zone_ids) < args.az_count:
                raise ValueError(
                    f"azCount {args.az_count} needs {args.az_count} zones; the region offers "
                    f"{zone_ids} once {list(args.excluded_zone_ids)} are left out"
                )
            return zone_ids

        chosen = zones.zone_ids.apply(enough)
        return [chosen[z] for z in range(args.az_count)]

    def _app_security_group(self, vpc: aws.ec2.Vpc) -> aws.ec2.SecurityGroup:
        name = self._name
        app_sg = aws.ec2.SecurityGroup(
            f"{name}-app-sg",
            vpc_id=vpc.id,
            description="Launchpad app tasks; the database and cache admit only this group",
            opts=self._child,
        )
        # Outbound HTTPS only: AI providers and AWS APIs. Data-store egress is added by their components.
        aws.vpc.SecurityGroupEgressRule(
            f"{name}-app-https-out",
            security_group_id=app_sg.id,
            ip_protocol="tcp",
            from_port=443,
            to_port=443,
            cidr_ipv4="0.0.0.0/0",
            description="HTTPS to AI providers and AWS APIs",
            opts=self._child,
        )
        return app_sg

    def _routing(
        self, vpc: aws.ec2.Vpc, subnets: dict[str, list[aws.ec2.Subnet]], nat: NatStrategy
    ) -> list[aws.ec2.RouteTable]:
        name, child = self._name, self._child
        igw = aws.ec2.InternetGateway(f"{name}-igw", vpc_id=vpc.id, opts=child)
        public_rt = aws.ec2.RouteTable(
            f"{name}-public-rt",
            vpc_id=vpc.id,
            routes=[aws.ec2.RouteTableRouteArgs(cidr_block="0.0.0.0/0", gateway_id=igw.id)],
            opts=child,
        )
        nat_ids = [
            self._nat_gateway(z, subnets["public"][z], igw).id
            for z in range({"none": 0, "single": 1, "per_az": len(subnets["public"])}[nat])
        ]
        private_rts = [
            aws.ec2.RouteTable(
                f"{name}-private-rt-{z}",
                vpc_id=vpc.id,
                routes=[
                    aws.ec2.RouteTableRouteArgs(
                        cidr_block="0.0.0.0/0", nat_gateway_id=nat_ids[z % len(nat_ids)]
                    )
                ]
                if nat_ids
                else [],
                opts=child,
            )
            for z in range(len(subnets["private"]))
        ]
        isolated_rt = aws.ec2.RouteTable(f"{name}-isolated-rt", vpc_id=vpc.id, opts=child)
        for tier, tables in (("public", [public_rt]), ("private", private_rts), ("isolated", [isolated_rt])):
            for z, subnet in enumerate(subnets[tier]):
                aws.ec2.RouteTableAssociation(
                    f"{name}-{tier}-rta-{z}",
                    subnet_id=subnet.id,
                    route_table_id=tables[z % len(tables)].id,
                    opts=child,
                )
        return [public_rt, *private_rts, isolated_rt]

    def _nat_gateway(
        self, zone: int, subnet: aws.ec2.Subnet, igw: aws.ec2.InternetGateway
    ) -> aws.ec2.NatGateway:
        # Nothing references the gateway, so without depends_on the EIP and NAT may be created before it
        # is attached, and EC2 refuses them ("Network vpc-... has no Internet gateway attached").
        after_igw = pulumi.ResourceOptions(parent=self, depends_on=[igw])
        eip = aws.ec2.Eip(f"{self._name}-nat-eip-{zone}", domain="vpc", opts=after_igw)
        return aws.ec2.NatGateway(
            f"{self._name}-nat-{zone}", allocation_id=eip.id, subnet_id=subnet.id, opts=after_igw
        )

    def _flow_logs(self, vpc: aws.ec2.Vpc, args: NetworkArgs) -> None:
        name, child = self._name, self._child
        group = aws.cloudwatch.LogGroup(
            f"{name}-flow-logs",
            retention_in_days=args.flow_log_retention_days,
            kms_key_id=args.kms_key_arn,
            opts=child,
        )
        role = aws.iam.Role(
            f"{name}-flow-logs-role",
            assume_role_policy=assume_role_policy("vpc-flow-logs.amazonaws.com"),
            opts=child,
        )
        aws.iam.RolePolicy(
            f"{name}-flow-logs-policy",
            role=role.id,
            policy=policy_json(
                [
                    Statement(
                        sid="WriteFlowLogs",
                        actions=["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                        resources=[group.arn, group.arn.apply(lambda a: f"{a}:*")],
                    ),
                    # In AWS's documented flow-log role (flow-logs-iam-role.html); it lists names only and
                    # has no resource-level permissions, so "*" is the only way to grant it.
                    Statement(sid="FindLogGroup", actions=["logs:DescribeLogGroups"], resources=["*"]),
                ]
            ),
            opts=child,
        )
        aws.ec2.FlowLog(
            f"{name}-flow-log",
            vpc_id=vpc.id,
            traffic_type="ALL",
            log_destination_type="cloud-watch-logs",
            log_destination=group.arn,
            iam_role_arn=role.arn,
            opts=child,
        )


def _validate(args: NetworkArgs) -> None:
    if args.az_count not in (2, 3):
        raise ValueError("NetworkArgs.az_count must be 2 or 3")
    if args.nat_strategy not in ("none", "single", "per_az"):
        raise ValueError("NetworkArgs.nat_strategy must be none, single or per_az")
    unknown = set(args.subnet_cidrs) - set(TIERS)
    if unknown:
        raise ValueError(f"NetworkArgs.subnet_cidrs has unknown tiers {sorted(unknown)}; use {TIERS}")
