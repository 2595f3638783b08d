"""Secrets Manager containers for the secrets the app reads whose values an operator provides (the AI
provider keys, the synced token, the client API keys: the app's contract lists them, `targets/` passes them).

By default only the containers exist and their values are written out of band
(`aws secretsmanager put-secret-value`), so no key ever enters Pulumi state. A value passed in `values`
(from `pulumi config set --secret`) is written as a secret version instead: convenient, but then the key
lives, encrypted, in the stack's config and state as well.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws


@dataclass
class AppSecretsArgs:
    path_prefix: str  # secrets are named "<path_prefix>/<role>"
    kms_key_arn: pulumi.Input[str]  # encrypts every secret
    descriptions: Mapping[str, str]  # role -> the secret's description: one secret per role, in this order
    # role -> a value to store (from `pulumi config set --secret`); None or absent: set out of band.
    values: Mapping[str, pulumi.Output[str] | None] = field(default_factory=dict)
    # Days a deleted secret stays recoverable, and its name taken; 0 deletes at once, so a destroyed stack
    # can be created again the same day under the same names.
    recovery_window_days: int = 7


def check_recovery_window(days: int) -> int:
    """Secrets Manager takes 0 (delete at once) or 7-30 days."""
    if days != 0 and not 7 <= days <= 30:
        raise ValueError(f"a secret's recovery window is 0 or 7-30 days, not {days}")
    return days


def stored_secret(
    name: str,
    *,
    secret_name: str,
    description: str,
    kms_key_arn: pulumi.Input[str],
    recovery_window_days: int,
    value: pulumi.Output[str],
    parent: pulumi.Resource,
) -> aws.secretsmanager.Secret:
    """A secret holding a value the stack generates (a token, a login), encrypted with the stack key: the
    resource `name` and its version `name-value`."""
    child = pulumi.ResourceOptions(parent=parent)
    secret = aws.secretsmanager.Secret(
        name,
        name=secret_name,
        description=description,
        kms_key_id=kms_key_arn,
        recovery_window_in_days=check_recovery_window(recovery_window_days),
        opts=child,
    )
    aws.secretsmanager.SecretVersion(f"{name}-value", secret_id=secret.id, secret_string=value, opts=child)
    return secret


class AppSecrets(pulumi.ComponentResource):
    arns: dict[str, pulumi.Output[str]]

    def __init__(self, name: str, args: AppSecretsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        unknown = set(args.values) - set(args.descriptions)
        if unknown:
            raise ValueError(
                f"AppSecretsArgs.values has unknown secrets {sorted(unknown)}; "
                f"known: {list(args.descriptions)}"
            )
        check_recovery_window(args.recovery_window_days)
        super().__init__("launchpad:secrets:AppSecrets", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.arns = {}
        for role, description in args.descriptions.items():
            secret = aws.secretsmanager.Secret(
                f"{name}-{role}",
                name=f"{args.path_prefix}/{role}",
                description=description,
                kms_key_id=args.kms_key_arn,
                recovery_window_in_days=args.recovery_window_days,
                opts=child,
            )
            value = args.values.get(role)
            if value is not None:
                aws.secretsmanager.SecretVersion(
                    f"{name}-{role}-value",
                    secret_id=secret.id,
                    secret_string=pulumi.Output.secret(value),  # type: ignore[arg-type]
                    opts=child,
                )
            self.arns[role] = secret.arn
        self.register_outputs({"arns": self.arns})
