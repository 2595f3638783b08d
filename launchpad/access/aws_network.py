"""Permission rows for the network: VPC, subnets, routes, gateways, security groups, endpoints, flow logs.

EC2 creates tag on create with TagSpecifications, which EC2 authorises as ec2:CreateTags (condition key
ec2:CreateAction); reads list tags as part of each Describe call, so no separate tag read.
"""

from __future__ import annotations

from launchpad.access.model import ANY, Need, Row, When, row
from launchpad.access.sources import TAG_ON_CREATE, pike, sar

EC2 = sar("amazonec2")
EC2_ARN = "arn:{partition}:ec2:{region}:{account}:"
EC2_TAGS = ("ec2:CreateTags", "ec2:DeleteTags")


def _ec2(
    type_: str,
    pike_path: str,
    kind: str,
    *,
    create: tuple[str | Need, ...],
    read: tuple[str | Need, ...],
    delete: tuple[str | Need, ...],
    update: tuple[str, ...] = (),
    when: tuple[When, ...] = (),
) -> Row:
    """An EC2 resource addressed as `<kind>/<id>`, tagged through ec2:CreateTags/DeleteTags."""
    return row(
        type_,
        sources=(pike(pike_path), EC2, TAG_ON_CREATE),
        arn=EC2_ARN + kind + "/{id}",
        create=create,
        read=read,
        update=update,
        delete=delete,
        tag=EC2_TAGS,
        when=when,
    )


ROWS = (
    _ec2(
        "aws:ec2/vpc:Vpc",
        "ec2/aws_vpc",
        "vpc",
        create=("ec2:CreateVpc", "ec2:ModifyVpcAttribute"),
        read=(
            Need("ec2:DescribeVpcs", ANY),
            Need("ec2:DescribeVpcAttribute"),
            Need("ec2:DescribeNetworkAcls", ANY),
            Need("ec2:DescribeRouteTables", ANY),
            Need("ec2:DescribeSecurityGroups", ANY),
        ),
        update=("ec2:ModifyVpcAttribute",),
        delete=("ec2:DeleteVpc", Need("ec2:DescribeVpcs", ANY)),
    ),
    _ec2(
        "aws:ec2/subnet:Subnet",
        "ec2/aws_subnet",
        "subnet",
        create=("ec2:CreateSubnet", "ec2:ModifySubnetAttribute"),
        read=(Need("ec2:DescribeSubnets", ANY),),
        update=("ec2:ModifySubnetAttribute",),
        delete=(
            "ec2:DeleteSubnet",
            Need("ec2:DescribeSubnets", ANY),
            Need("ec2:DescribeNetworkInterfaces", ANY),
        ),
    ),
    _ec2(
        "aws:ec2/internetGateway:InternetGateway",
        "ec2/aws_internet_gateway",
        "internet-gateway",
        create=("ec2:CreateInternetGateway", "ec2:AttachInternetGateway"),
        read=(Need("ec2:DescribeInternetGateways", ANY),),
        update=("ec2:AttachInternetGateway", "ec2:DetachInternetGateway"),
        delete=("ec2:DetachInternetGateway", "ec2:DeleteInternetGateway"),
    ),
    _ec2(
        "aws:ec2/eip:Eip",
        "ec2/aws_eip",
        "elastic-ip",
        create=("ec2:AllocateAddress",),
        read=(Need("ec2:DescribeAddresses", ANY), Need("ec2:DescribeAddressesAttribute", ANY)),
        delete=("ec2:ReleaseAddress", "ec2:DisassociateAddress"),
    ),
    _ec2(
        "aws:ec2/natGateway:NatGateway",
        "ec2/aws_nat_gateway",
        "natgateway",
        create=("ec2:CreateNatGateway",),
        read=(Need("ec2:DescribeNatGateways", ANY),),
        delete=("ec2:DeleteNatGateway",),
    ),
    _ec2(
        "aws:ec2/routeTable:RouteTable",
        "ec2/aws_route_table",
        "route-table",
        create=("ec2:CreateRouteTable", "ec2:CreateRoute"),
        read=(Need("ec2:DescribeRouteTables", ANY),),
        update=("ec2:CreateRoute", "ec2:ReplaceRoute", "ec2:DeleteRoute"),
        delete=("ec2:DeleteRoute", "ec2:DeleteRouteTable"),
    ),
    row(
        "aws:ec2/routeTableAssociation:RouteTableAssociation",
        sources=(pike("ec2/aws_route_table_association"), EC2),
        arn=EC2_ARN + "route-table/{input:routeTableId}",
        create=("ec2:AssociateRouteTable",),
        read=(Need("ec2:DescribeRouteTables", ANY),),
        update=("ec2:ReplaceRouteTableAssociation",),
        delete=("ec2:DisassociateRouteTable",),
    ),
    _ec2(
        "aws:ec2/securityGroup:SecurityGroup",
        "ec2/aws_security_group",
        "security-group",
        # The provider revokes the default allow-all egress rule of a new group before adding its own.
        create=("ec2:CreateSecurityGroup", "ec2:RevokeSecurityGroupEgress"),
        read=(Need("ec2:DescribeSecurityGroups", ANY), Need("ec2:DescribeSecurityGroupRules", ANY)),
        update=(
            "ec2:AuthorizeSecurityGroupIngress",
            "ec2:AuthorizeSecurityGroupEgress",
            "ec2:RevokeSecurityGroupIngress",
            "ec2:RevokeSecurityGroupEgress",
            "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
            "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
        ),
        delete=("ec2:DeleteSecurityGroup", Need("ec2:DescribeNetworkInterfaces", ANY)),
    ),
    _ec2(
        "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
        "ec2/aws_default_security_group",
        "security-group",
        # Adopting the VPC's default group strips its rules; deleting it only forgets it.
        create=("ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress"),
        read=(Need("ec2:DescribeSecurityGroups", ANY),),
        update=(
            "ec2:AuthorizeSecurityGroupIngress",
            "ec2:AuthorizeSecurityGroupEgress",
            "ec2:RevokeSecurityGroupIngress",
            "ec2:RevokeSecurityGroupEgress",
        ),
        delete=(),
    ),
    row(
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        sources=(pike("ec2/aws_vpc_security_group_ingress_rule"), EC2, TAG_ON_CREATE),
        arn=EC2_ARN + "security-group/{input:securityGroupId}",
        create=("ec2:AuthorizeSecurityGroupIngress",),
        read=(Need("ec2:DescribeSecurityGroupRules", ANY),),
        update=("ec2:ModifySecurityGroupRules",),
        delete=("ec2:RevokeSecurityGroupIngress",),
        tag=(Need("ec2:CreateTags", EC2_ARN + "security-group-rule/{id}"),),
    ),
    row(
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
        sources=(pike("ec2/aws_vpc_security_group_egress_rule"), EC2, TAG_ON_CREATE),
        arn=EC2_ARN + "security-group/{input:securityGroupId}",
        create=("ec2:AuthorizeSecurityGroupEgress",),
        read=(Need("ec2:DescribeSecurityGroupRules", ANY),),
        update=("ec2:ModifySecurityGroupRules",),
        delete=("ec2:RevokeSecurityGroupEgress",),
        tag=(Need("ec2:CreateTags", EC2_ARN + "security-group-rule/{id}"),),
    ),
    _ec2(
        "aws:ec2/vpcEndpoint:VpcEndpoint",
        "ec2/aws_vpc_endpoint",
        "vpc-endpoint",
        create=("ec2:CreateVpcEndpoint",),
        read=(Need("ec2:DescribeVpcEndpoints", ANY), Need("ec2:DescribePrefixLists", ANY)),
        update=("ec2:ModifyVpcEndpoint",),
        delete=("ec2:DeleteVpcEndpoints",),
    ),
    _ec2(
        "aws:ec2/flowLog:FlowLog",
        "ec2/aws_flow_log",
        "vpc-flow-log",
        create=(
            "ec2:CreateFlowLogs",
            Need("iam:PassRole", "input:iamRoleArn", {"iam:PassedToService": "vpc-flow-logs.amazonaws.com"}),
        ),
        read=(Need("ec2:DescribeFlowLogs", ANY),),
        delete=("ec2:DeleteFlowLogs",),
    ),
)
