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
        # EC2 takes only a-zA-Z0-9. _-:/()#,@[]+=&;{}!$* here: no apostrophes or quotes.
        description=f"{service} from the client security group",
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


def private_service_group(
    name: str,
    *,
    vpc_id: pulumi.Input[str],
    client_group_id: pulumi.Input[str],
    port: int,
    service: str,
    opts: pulumi.ResourceOptions,
    client: str = "app",  # who the clients are, for the description and the rule's name
) -> aws.ec2.SecurityGroup:
    """A security group for a private service (a data store, the web tasks) that admits only
    `client_group_id`, only on `port`."""
    group = aws.ec2.SecurityGroup(
        f"{name}-sg", vpc_id=vpc_id, description=f"{name}: {service} from the {client} group only", opts=opts
    )
    allow_group_to_group(
        f"{name}-{client}-to-{service.lower()}",
        source_group_id=client_group_id,
        target_group_id=group.id,
        port=port,
        service=service,
        opts=opts,
    )
    return group
