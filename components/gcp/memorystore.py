"""Memorystore for Redis: the job queue, the shared cache and the rate limits, with AUTH and TLS.

Reached over private services access on the stack's VPC, never publicly. AUTH is on (Google generates the
string, which reaches the app through Secret Manager) and in-transit encryption is SERVER_AUTHENTICATION:
TLS on port 6378 with a CA of the instance's own, which the app is given to verify the server. An RDB
snapshot every hour bounds what a restart (a maintenance, a failover on Basic) can lose of the queue;
the jobs themselves are also recorded in PostgreSQL. `STANDARD_HA` keeps a replica in another zone and
fails over to it. Encrypted at rest with the stack's Cloud KMS key.

Memorystore for Redis rather than for Valkey: Valkey instances authenticate with IAM tokens only and
connect through Private Service Connect, while the app speaks password AUTH (as on ElastiCache) and the
stack already has private services access for Cloud SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pulumi
from pulumi_gcp import redis

from components.naming import fitted_name

INSTANCE_ID_MAX = 40  # redis.Instance name: 1-40 characters, a letter first (Memorystore API)


@dataclass
class MemorystoreCacheArgs:
    project: str  # the project of the instance
    region: str  # its region (beside Cloud Run)
    tier: Literal["BASIC", "STANDARD_HA"]  # BASIC (one node) or STANDARD_HA (a replica that takes over)
    memory_size_gb: int  # the instance's memory
    redis_version: str  # REDIS_7_2 and the like
    network_id: pulumi.Input[str]  # the VPC whose private IP the instance takes
    services_range: pulumi.Input[str]  # the private services access range to take the address from
    kms_key_id: pulumi.Input[str]  # the CMEK that encrypts the instance's data
    deletion_protection: bool  # the provider refuses to delete the instance while this is on
    depends_on: Sequence[pulumi.Resource] = ()  # the peering, the key grant, the API


class MemorystoreCache(pulumi.ComponentResource):
    host: pulumi.Output[str]
    port: pulumi.Output[int]
    auth_string: pulumi.Output[str]  # secret
    ca_cert: pulumi.Output[str]  # PEM of the instance's server CA
    instance_id: pulumi.Output[str]

    def __init__(
        self, name: str, args: MemorystoreCacheArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        if not 1 <= args.memory_size_gb <= 300:
            raise ValueError("MemorystoreCacheArgs.memory_size_gb must be 1-300")
        super().__init__("launchpad:memorystore:MemorystoreCache", name, None, opts)
        instance = redis.Instance(
            f"{name}-instance",
            # Autonaming would overflow the 40 characters; the tier forces a new instance, so it is in
            # the name and a replacement never meets the old one's.
            name=fitted_name(name, "redis", INSTANCE_ID_MAX, keepers=[args.tier]),
            project=args.project,
            region=args.region,
            tier=args.tier,
            memory_size_gb=args.memory_size_gb,
            redis_version=args.redis_version,
            connect_mode="PRIVATE_SERVICE_ACCESS",
            authorized_network=args.network_id,
            reserved_ip_range=args.services_range,
            auth_enabled=True,
            transit_encryption_mode="SERVER_AUTHENTICATION",
            customer_managed_key=args.kms_key_id,
            persistence_config=redis.InstancePersistenceConfigArgs(
                persistence_mode="RDB", rdb_snapshot_period="ONE_HOUR"
            ),
            maintenance_policy=redis.InstanceMaintenancePolicyArgs(
                weekly_maintenance_windows=[
                    redis.InstanceMaintenancePolicyWeeklyMaintenanceWindowArgs(
                        day="SUNDAY",
                        start_time=redis.InstanceMaintenancePolicyWeeklyMaintenanceWindowStartTimeArgs(
                            hours=5, minutes=0
                        ),
                    )
                ]
            ),
            # pulumi-gcp defaults this to true: set per stack so dev can be destroyed.
            deletion_protection=args.deletion_protection,
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(args.depends_on)),
        )
        self.host = instance.host
        self.port = instance.port
        self.auth_string = pulumi.Output.secret(instance.auth_string)
        self.ca_cert = instance.server_ca_certs.apply(lambda certs: (certs[0].cert or "") if certs else "")
        self.instance_id = instance.name
        self.register_outputs({"host": self.host, "port": self.port, "instance_id": self.instance_id})
