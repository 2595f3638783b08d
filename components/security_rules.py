"""Security-group rules expressed as "this group may reach that group on this port"."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws


def allow_group_to_group(
    name: str,
    *,
    source_group_id: pulumi.Input[str],
    target_group_id: pulumi.Input[str],
    port: int,
    service: str,
    opts: pulumi.ResourceOptions,
) -> None:
    """Admits `source` into `target` on `port`, and lets `source` send there: both sides reference groups,
    never CIDRs, so only members of the source group can connect."""
    aws.vpc.SecurityGroupIngressRule(
        f"{name}-ingress",
        security_group_id=target_group_id,
        referenced_security_group_id=source_group_id,
        ip_protocol="tcp",
        from_port=port,
        to_port=port,
        description=f"{service} from its clients' group",
        opts=opts,
    )
    aws.vpc.SecurityGroupEgressRule(
        f"{name}-egress",
        security_group_id=source_group_id,
        referenced_security_group_id=target_group_id,
        ip_protocol="tcp",
        from_port=port,
        to_port=port,
        description=f"to {service}",
        opts=opts,
    )


def group_admitting(
    name: str,
    *,
    vpc_id: pulumi.Input[str],
    description: str,
    source_group_id: pulumi.Input[str],
    port: int,
    service: str,
    rule_name: str,
    opts: pulumi.ResourceOptions,
) -> aws.ec2.SecurityGroup:
    """A new security group whose only ingress is `source` on `port` (a data store, the web tasks)."""
    group = aws.ec2.SecurityGroup(name, vpc_id=vpc_id, description=description, opts=opts)
    allow_group_to_group(
        rule_name,
        source_group_id=source_group_id,
        target_group_id=group.id,
        port=port,
        service=service,
        opts=opts,
    )
    return group
