"""Create-time rules across Google Cloud resources: the range reserved for private services access lies
apart from every subnet of its network (Compute refuses an allocation that overlaps one)."""

from __future__ import annotations

import ipaddress
from typing import Any

from pulumi_policy import ReportViolation, StackValidationArgs

RANGE = "gcp:compute/globalAddress:GlobalAddress"
SUBNET = "gcp:compute/subnetwork:Subnetwork"


def _network_of(resource: Any) -> str | None:
    """The network's URN (during a preview its id is unknown; the dependency names the resource)."""
    urns = [d.urn for d in resource.property_dependencies.get("network", [])]
    return urns[0] if urns else None


def services_range_apart_from_subnets(args: StackValidationArgs, report: ReportViolation) -> None:
    subnets = [r for r in args.resources if r.resource_type == SUBNET and r.props.get("ipCidrRange")]
    for reserved in (r for r in args.resources if r.resource_type == RANGE):
        address, prefix = reserved.props.get("address"), reserved.props.get("prefixLength")
        if not address or prefix is None:
            continue
        block = ipaddress.ip_network(f"{address}/{int(prefix)}", strict=False)
        for subnet in subnets:
            if _network_of(subnet) != _network_of(reserved):
                continue
            cidr = ipaddress.ip_network(subnet.props["ipCidrRange"])
            if block.overlaps(cidr):
                report(f"reserved range {block} overlaps subnet {subnet.name} ({cidr})", reserved.urn)


GCP_CROSS_RULES = (
    (
        "gcp-services-range-apart-from-subnets",
        "The range reserved for private services access overlaps no subnet of its network.",
        services_range_apart_from_subnets,
        "https://cloud.google.com/vpc/docs/configure-private-services-access#allocating-range",
    ),
)
