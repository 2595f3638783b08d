"""Security groups: only the public load balancer's 80/443 face the internet; every rule says why."""

from __future__ import annotations

from pulumi_policy import Severity

from policies.base import Props, per_type_rule, require_set, resource_rule
from policies.meta import RuleMeta

GROUP = "aws:ec2/securityGroup:SecurityGroup"
DEFAULT_GROUP = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
OPEN_CIDRS = ("0.0.0.0/0", "::/0")
PUBLIC_WEB_PORTS = (80, 443)


def _open_ports(cidr: object, from_port: object, to_port: object) -> list[str]:
    if cidr not in OPEN_CIDRS or (from_port == to_port and from_port in PUBLIC_WEB_PORTS):
        return []
    return [f"ingress from {cidr} on ports {from_port}-{to_port}; only 80/443 may face the internet"]


def _ingress_rule(props: Props) -> list[str]:
    ports = (props.get("fromPort"), props.get("toPort"))
    return _open_ports(props.get("cidrIpv4"), *ports) + _open_ports(props.get("cidrIpv6"), *ports)


def _inline_ingress(props: Props) -> list[str]:
    """Inline rules list several CIDRs each; every one is judged like a standalone rule."""
    problems: list[str] = []
    for rule in props.get("ingress") or []:
        for cidr in [*(rule.get("cidrBlocks") or []), *(rule.get("ipv6CidrBlocks") or [])]:
            problems += _open_ports(cidr, rule.get("fromPort"), rule.get("toPort"))
    return problems


_rule_described = require_set("description", "the rule has no description")


def _group_described(props: Props) -> list[str]:
    problems = [] if props.get("description") else ["the group has no description"]
    for direction in ("ingress", "egress"):
        problems += [
            f"an inline {direction} rule has no description"
            for rule in props.get(direction) or []
            if not rule.get("description")
        ]
    return problems


def _default_group_closed(props: Props) -> list[str]:
    return [f"the default security group keeps {k} rules" for k in ("ingress", "egress") if props.get(k)]


NETWORK_POLICIES = [
    per_type_rule(
        RuleMeta(
            "sg-no-open-ingress",
            "Only 80/443 are open to the internet.",
            Severity.CRITICAL,
            "Admit a security group or a prefix list instead of 0.0.0.0/0 (the database, cache and "
            "tasks admit only their clients' groups).",
            checkov=("CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277"),
            trivy=("AWS-0107",),
            fsbp=("EC2.18", "EC2.19"),
            cis=("5.2", "5.3"),
        ),
        {INGRESS: _ingress_rule, GROUP: _inline_ingress},
    ),
    per_type_rule(
        RuleMeta(
            "sg-descriptions",
            "Security groups and their rules say what they are for.",
            Severity.LOW,
            "Add a description (EC2's characters only: no quotes or apostrophes).",
            category="operations",
            checkov=("CKV_AWS_23",),
            trivy=("AWS-0099", "AWS-0124"),
        ),
        {GROUP: _group_described, INGRESS: _rule_described, EGRESS: _rule_described},
    ),
    resource_rule(
        RuleMeta(
            "sg-default-closed",
            "The VPC's default security group allows nothing.",
            Severity.MEDIUM,
            "Adopt it with aws.ec2.DefaultSecurityGroup and no rules (components.aws.network does).",
            checkov=("CKV2_AWS_12",),
            fsbp=("EC2.2",),
            cis=("5.4",),
        ),
        DEFAULT_GROUP,
        _default_group_closed,
    ),
]
