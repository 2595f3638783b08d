"""Containers, environment entries and VPC access for Cloud Run services, jobs and worker pools, built with
the provider's typed Args classes.

Each kind has distinct (but identically shaped) Args classes (`RunKind`); these build any of them, so all
get their image, command, limits, plain values, `secret_key_ref` entries and direct VPC egress the same way.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi_gcp import cloudrunv2 as run


@dataclass(frozen=True)
class RunKind:
    """The provider's Args classes of one kind of Cloud Run resource."""

    container: Any
    resources: Any
    env: Any
    source: Any
    ref: Any
    access: Any
    interface: Any


SERVICE = RunKind(
    run.ServiceTemplateContainerArgs,
    run.ServiceTemplateContainerResourcesArgs,
    run.ServiceTemplateContainerEnvArgs,
    run.ServiceTemplateContainerEnvValueSourceArgs,
    run.ServiceTemplateContainerEnvValueSourceSecretKeyRefArgs,
    run.ServiceTemplateVpcAccessArgs,
    run.ServiceTemplateVpcAccessNetworkInterfaceArgs,
)
JOB = RunKind(
    run.JobTemplateTemplateContainerArgs,
    run.JobTemplateTemplateContainerResourcesArgs,
    run.JobTemplateTemplateContainerEnvArgs,
    run.JobTemplateTemplateContainerEnvValueSourceArgs,
    run.JobTemplateTemplateContainerEnvValueSourceSecretKeyRefArgs,
    run.JobTemplateTemplateVpcAccessArgs,
    run.JobTemplateTemplateVpcAccessNetworkInterfaceArgs,
)
WORKER_POOL = RunKind(
    run.WorkerPoolTemplateContainerArgs,
    run.WorkerPoolTemplateContainerResourcesArgs,
    run.WorkerPoolTemplateContainerEnvArgs,
    run.WorkerPoolTemplateContainerEnvValueSourceArgs,
    run.WorkerPoolTemplateContainerEnvValueSourceSecretKeyRefArgs,
    run.WorkerPoolTemplateVpcAccessArgs,
    run.WorkerPoolTemplateVpcAccessNetworkInterfaceArgs,
)


@dataclass(frozen=True)
class DirectVpc:
    """Where Cloud Run instances join the VPC (direct VPC egress) to reach Cloud SQL and Memorystore."""

    network: pulumi.Input[str]
    subnetwork: pulumi.Input[str]


@dataclass(frozen=True)
class RunContainer:
    """What a kind's one container runs: the image by digest, its command, size and environment."""

    image: pulumi.Input[str]
    command: Sequence[str] | None
    cpu: int
    memory: str
    env: Mapping[str, pulumi.Input[str]]
    secret_env: Mapping[str, pulumi.Input[str]]  # env name -> secret id


def check_env(
    env: Mapping[str, pulumi.Input[str]],
    secret_env: Mapping[str, pulumi.Input[str]],
    secret_names: Collection[str],
) -> None:
    """Refuses a secret variable (one of `secret_names`) passed as a plain value, and a name given both
    ways."""
    leaked = sorted(set(env) & set(secret_names))
    if leaked:
        raise ValueError(f"{leaked} hold secrets: pass them in secret_env (Secret Manager), not env")
    both = sorted(set(env) & set(secret_env))
    if both:
        raise ValueError(f"{both} given both as plain and as secret env")


def env_entries(
    kind: RunKind, env: Mapping[str, pulumi.Input[str]], secret_env: Mapping[str, Any]
) -> list[Any]:
    """Plain entries, then one `secret_key_ref` entry (latest version) per secret variable."""
    entries = [kind.env(name=name, value=value) for name, value in sorted(env.items())]
    entries += [
        kind.env(
            name=name, value_source=kind.source(secret_key_ref=kind.ref(secret=secret_id, version="latest"))
        )
        for name, secret_id in sorted(secret_env.items())
    ]
    return entries


def container(
    kind: RunKind, spec: RunContainer, resources: Mapping[str, Any] | None = None, **more: Any
) -> Any:
    """The kind's container Args; `resources` adds to the limits (a service's CPU allocation), `more` to
    the container (ports, probes)."""
    return kind.container(
        image=spec.image,
        commands=list(spec.command) if spec.command else None,
        resources=kind.resources(limits={"cpu": str(spec.cpu), "memory": spec.memory}, **(resources or {})),
        envs=env_entries(kind, spec.env, spec.secret_env),
        **more,
    )


def vpc_access(kind: RunKind, vpc: DirectVpc | None) -> Any:
    """Direct VPC egress for private ranges only: the AI providers stay on Cloud Run's own internet path
    (the VPC has no route out), and no Serverless VPC Access connector runs (or bills)."""
    if vpc is None:
        return None
    return kind.access(
        network_interfaces=[kind.interface(network=vpc.network, subnetwork=vpc.subnetwork)],
        egress="PRIVATE_RANGES_ONLY",
    )
