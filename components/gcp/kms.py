"""The stack's Cloud KMS key (CMEK) for everything on Google Cloud that stores data, as on AWS.

Cloud SQL, Memorystore and Cloud Storage encrypt with it through their service agents, each granted
Encrypter/Decrypter on this key alone. A service whose agent may not exist yet (Cloud SQL's is made on
first request) gets it made here (`agent_services`).

Cloud KMS never deletes a key ring or a key: destroy schedules the key's versions for destruction
(after `destroy_scheduled_days`) and leaves both names taken for good, so the ring is autonamed (a random
suffix) and a destroyed stack can be created again at once. The key rotates every `rotation_days`; old
versions stay to decrypt what they encrypted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
from pulumi_gcp import kms, projects

ENCRYPTER_DECRYPTER = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
DAY_SECONDS = 86_400


@dataclass
class GcpKeyArgs:
    project: str  # the project of the key ring and key
    location: str  # the region: Cloud SQL and Memorystore need a key in their own region
    # role -> member of a service agent that encrypts with the key ("storage": "serviceAccount:...")
    encrypters: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    # role -> API whose service agent is made here and encrypts with the key ("sql": "sqladmin...")
    agent_services: Mapping[str, str] = field(default_factory=dict)
    rotation_days: int = 90  # a new key version every this many days
    destroy_scheduled_days: int = 30  # Cloud KMS allows 1-120; destroyed versions cannot come back
    depends_on: Sequence[pulumi.Resource] = ()  # the Cloud KMS API and the agents' APIs


class GcpKey(pulumi.ComponentResource):
    key_id: pulumi.Output[str]  # projects/.../locations/.../keyRings/.../cryptoKeys/data
    grants: list[kms.CryptoKeyIAMMember]  # what a resource encrypting with the key must wait for

    def __init__(self, name: str, args: GcpKeyArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        if not 1 <= args.destroy_scheduled_days <= 120:
            raise ValueError("GcpKeyArgs.destroy_scheduled_days must be 1-120 (Cloud KMS)")
        if set(args.encrypters) & set(args.agent_services):
            raise ValueError("GcpKeyArgs: a role is both an encrypter and an agent service")
        if args.rotation_days < 1:
            raise ValueError("GcpKeyArgs.rotation_days must be at least 1 (Cloud KMS: a day or more)")
        super().__init__("launchpad:gcp_kms:GcpKey", name, None, opts)
        ring = kms.KeyRing(
            f"{name}-ring",
            project=args.project,
            location=args.location,
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(args.depends_on)),
        )
        key = kms.CryptoKey(
            f"{name}-key",
            name="data",
            key_ring=ring.id,
            purpose="ENCRYPT_DECRYPT",
            rotation_period=f"{args.rotation_days * DAY_SECONDS}s",
            destroy_scheduled_duration=f"{args.destroy_scheduled_days * DAY_SECONDS}s",
            opts=pulumi.ResourceOptions(parent=self),
        )
        made = {
            role: projects.ServiceIdentity(
                f"{name}-{role}-agent",
                project=args.project,
                service=service,
                opts=pulumi.ResourceOptions(parent=self, depends_on=list(args.depends_on)),
            ).member
            for role, service in args.agent_services.items()
        }
        self.grants = [
            kms.CryptoKeyIAMMember(
                f"{name}-{role}-encrypter",
                crypto_key_id=key.id,
                role=ENCRYPTER_DECRYPTER,
                member=member,
                opts=pulumi.ResourceOptions(parent=self),
            )
            for role, member in {**made, **args.encrypters}.items()
        ]
        self.key_id = key.id
        self.register_outputs({"key_id": self.key_id})
