"""The stack's private network on Google Cloud: a VPC with one subnet for Cloud Run, and private services
access for Cloud SQL and Memorystore.

Cloud Run reaches the subnet through direct VPC egress (no Serverless VPC Access connector to pay for),
only for private ranges: calls to the AI providers keep Cloud Run's own internet path, and the VPC has no
route out. Cloud SQL and Memorystore live in Google's producer network, peered with this VPC over the
reserved range (`services_cidr`); they have no public address.

Service Networking refuses to delete the connection for days after Cloud SQL has left it (Cloud SQL keeps
its side to restore a deleted instance; hashicorp/terraform-provider-google#16275), and a VPC with a
peering cannot be deleted. `REMOVE_PEERING` deletes the connection and, when Service Networking refuses,
removes the peering from the VPC instead (GoogleCloudPlatform/magic-modules#18476), so destroy completes;
`ABANDON` would leave the peering and the network stuck behind it. `update_on_creation_fail` adopts a
connection Service Networking still remembers for the network rather than failing to create it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
from pulumi_gcp import compute, servicenetworking

SERVICE_NETWORKING = "servicenetworking.googleapis.com"


@dataclass
class GcpNetworkArgs:
    project: str  # the project of the VPC
    region: str  # the region of its subnet
    subnet_cidr: ipaddress.IPv4Network  # Cloud Run's addresses (direct VPC egress)
    services_cidr: ipaddress.IPv4Network  # reserved for Cloud SQL and Memorystore (private services access)
    depends_on: Sequence[pulumi.Resource] = ()  # the Compute and Service Networking APIs


class GcpNetwork(pulumi.ComponentResource):
    network_id: pulumi.Output[str]
    subnet_id: pulumi.Output[str]
    services_range: pulumi.Output[str]  # the reserved range's name, as Memorystore wants it
    services_connection: servicenetworking.Connection  # what Cloud SQL and Memorystore must wait for

    def __init__(self, name: str, args: GcpNetworkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        if args.subnet_cidr.overlaps(args.services_cidr):
            raise ValueError("GcpNetworkArgs.subnet_cidr overlaps services_cidr")
        super().__init__("launchpad:gcp_network:GcpNetwork", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        network = compute.Network(
            f"{name}-vpc",
            project=args.project,
            auto_create_subnetworks=False,  # one subnet, in the stack's region only
            routing_mode="REGIONAL",
            description=f"{name}: Cloud Run egress to Cloud SQL and Memorystore",
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(args.depends_on)),
        )
        subnet = compute.Subnetwork(
            f"{name}-run",
            project=args.project,
            region=args.region,
            network=network.id,
            ip_cidr_range=str(args.subnet_cidr),
            private_ip_google_access=True,  # Google APIs (Secret Manager, Storage) without public egress
            opts=child,
        )
        reserved = compute.GlobalAddress(
            f"{name}-services",
            project=args.project,
            network=network.id,
            purpose="VPC_PEERING",
            address_type="INTERNAL",
            address=str(args.services_cidr.network_address),
            prefix_length=args.services_cidr.prefixlen,
            opts=child,
        )
        self.services_connection = servicenetworking.Connection(
            f"{name}-services-peering",
            network=network.id,
            service=SERVICE_NETWORKING,
            reserved_peering_ranges=[reserved.name],
            deletion_policy="REMOVE_PEERING",
            update_on_creation_fail=True,
            opts=child,
        )
        self.network_id = network.id
        self.subnet_id = subnet.id
        self.services_range = reserved.name
        self.register_outputs({"network_id": self.network_id, "subnet_id": self.subnet_id})
