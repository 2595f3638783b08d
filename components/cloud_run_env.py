"""Environment entries and VPC access for Cloud Run services, jobs and worker pools, built with the
provider's typed Args classes.

Each kind has distinct (but identically shaped) Args classes; these build any of them, so all get plain
values, `secret_key_ref` entries and direct VPC egress the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi

from app.contract import SECRET_ENV_VARS


def check_env(env: Mapping[str, pulumi.Input[str]], secret_env: Mapping[str, pulumi.Input[str]]) -> None:
    """Refuses a secret variable passed as a plain value, and a name given both ways."""
    leaked = sorted(set(env) & set(SECRET_ENV_VARS))
    if leaked:
        raise ValueError(f"{leaked} hold secrets: pass them in secret_env (Secret Manager), not env")
    both = sorted(set(env) & set(secret_env))
    if both:
        raise ValueError(f"{both} given both as plain and as secret env")


def env_entries(
    env: Mapping[str, pulumi.Input[str]],
    secret_env: Mapping[str, pulumi.Input[str]],
    *,
    env_cls: Any,
    source_cls: Any,
    ref_cls: Any,
) -> list[Any]:
    """Plain entries, then one `secret_key_ref` entry (latest version) per secret variable."""
    entries = [env_cls(name=name, value=value) for name, value in sorted(env.items())]
    entries += [
        env_cls(
            name=name, value_source=source_cls(secret_key_ref=ref_cls(secret=secret_id, version="latest"))
        )
        for name, secret_id in sorted(secret_env.items())
    ]
    return entries


@dataclass(frozen=True)
class DirectVpc:
    """Where Cloud Run instances join the VPC (direct VPC egress) to reach Cloud SQL and Memorystore."""

    network: pulumi.Input[str]
    subnetwork: pulumi.Input[str]


def vpc_access(vpc: DirectVpc | None, *, access_cls: Any, interface_cls: Any) -> Any:
    """Direct VPC egress for private ranges only: the AI providers stay on Cloud Run's own internet path
    (the VPC has no route out), and no Serverless VPC Access connector runs (or bills)."""
    if vpc is None:
        return None
    return access_cls(
        network_interfaces=[interface_cls(network=vpc.network, subnetwork=vpc.subnetwork)],
        egress="PRIVATE_RANGES_ONLY",
    )
