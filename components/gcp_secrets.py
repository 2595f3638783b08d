"""Secret Manager containers for the app's secrets, each readable only by one service account.

As on AWS, Pulumi normally creates only the containers and values are added out of band, so no key
enters Pulumi state. A value given in `values` is written with `secret_data_wo`: the provider never
reads it back into outputs, but Pulumi still records the value it sent, encrypted, in the state's inputs
(pulumi-terraform-bridge#3201), so it is passed as a secret. Bump `write_version` to push a changed
value: write-only data is not diffed. The accessor role is bound on each secret, never on the project.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_gcp as gcp

ACCESSOR_ROLE = "roles/secretmanager.secretAccessor"


@dataclass
class GcpSecretsArgs:
    project: str
    id_prefix: str  # secret ids are "<id_prefix>-<role>"
    roles: Sequence[str]
    accessor_member: pulumi.Input[str]  # "serviceAccount:<email>" of the one identity that reads them
    values: Mapping[str, pulumi.Output[str] | None] = field(default_factory=dict)
    write_version: int = 1
    depends_on: Sequence[pulumi.Resource] = ()


class GcpSecrets(pulumi.ComponentResource):
    secret_ids: dict[str, pulumi.Output[str]]  # role -> secret id, as `secret_key_ref.secret` wants it
    versions: dict[str, gcp.secretmanager.SecretVersion]  # roles whose value Pulumi wrote

    def __init__(self, name: str, args: GcpSecretsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        unknown = set(args.values) - set(args.roles)
        if unknown:
            raise ValueError(f"GcpSecretsArgs.values has unknown roles {sorted(unknown)}")
        if args.write_version < 1:
            raise ValueError("GcpSecretsArgs.write_version must be >= 1")
        super().__init__("launchpad:gcp_secrets:GcpSecrets", name, None, opts)
        self.secret_ids, self.versions = {}, {}
        for role in args.roles:
            secret = self._secret(name, role, args)
            self.secret_ids[role] = secret.secret_id
            value = args.values.get(role)
            if value is not None:
                self.versions[role] = gcp.secretmanager.SecretVersion(
                    f"{name}-{role}-value",
                    secret=secret.id,
                    secret_data_wo=pulumi.Output.secret(value),  # type: ignore[arg-type]
                    secret_data_wo_version=str(args.write_version),
                    opts=pulumi.ResourceOptions(parent=self),
                )
        self.register_outputs({"secret_ids": self.secret_ids})

    def _secret(self, name: str, role: str, args: GcpSecretsArgs) -> gcp.secretmanager.Secret:
        secret = gcp.secretmanager.Secret(
            f"{name}-{role}",
            project=args.project,
            secret_id=f"{args.id_prefix}-{role}",
            replication=gcp.secretmanager.SecretReplicationArgs(
                auto=gcp.secretmanager.SecretReplicationAutoArgs()
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(args.depends_on)),
        )
        gcp.secretmanager.SecretIamMember(
            f"{name}-{role}-accessor",
            project=args.project,
            secret_id=secret.secret_id,
            role=ACCESSOR_ROLE,
            member=args.accessor_member,
            opts=pulumi.ResourceOptions(parent=self),
        )
        return secret
