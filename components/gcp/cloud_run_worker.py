"""The RQ worker on Cloud Run: a worker pool of a fixed number of instances pulling from Memorystore.

Why a worker pool and not a service with CPU always allocated: neither scales on a queue's depth. A worker
pool scales manually or on CPU (Cloud Run's only autoscaling signal for pools); queue-driven scaling needs
an external autoscaler (Cloud Run External Metrics Autoscaling, a service of its own that rewrites the
instance count). A service scales on requests and CPU, needs an HTTP port the worker does not have, and
Cloud Run may stop an instance that serves no requests even mid-job. The jobs here wait on AI providers,
so CPU says little about the backlog. So: a pool of `instances` (manual scaling, billed all month like
instance-based CPU; it cannot scale to zero), the queue depth and oldest-job alerts saying when to raise
it, and RQ's own guarantees for the rest: Cloud Run stops an instance with SIGTERM and kills it 10 s
later, RQ finishes or abandons the current job, and the next worker's maintenance pass reruns an
abandoned one (app/worker.py).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
from pulumi_gcp import cloudrunv2 as run

from cloud_facts.gcp.cloud_run import RUN_NAME_MAX
from components.gcp.cloud_run_env import (
    WORKER_POOL,
    DirectVpc,
    RunContainer,
    check_env,
    container,
    vpc_access,
)
from components.naming import fitted_name


@dataclass
class CloudRunWorkerArgs:
    project: str  # the project of the worker pool
    location: str  # its region
    image: pulumi.Input[str]  # "<repository>@sha256:..."
    command: Sequence[str]  # what the worker's container runs
    service_account_email: pulumi.Input[str]  # the identity the worker runs as
    cpu: int  # whole CPUs per instance (a pool always holds its CPU)
    memory: str  # "512Mi" and the like
    instances: int  # the fixed number of instances pulling from the queue
    deletion_protection: bool  # Cloud Run refuses to delete the pool while this is on
    secret_names: Collection[str]  # variables that hold secrets: refused in `env`, only in `secret_env`
    vpc: DirectVpc | None = None  # direct VPC egress to Cloud SQL and Memorystore; None: none
    env: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)  # plain variables
    secret_env: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)  # env name -> secret id
    # the Run API, and what the worker reads (secrets, the database user)
    depends_on: Sequence[pulumi.Resource] = ()


class CloudRunWorker(pulumi.ComponentResource):
    name: pulumi.Output[str]

    def __init__(
        self, name: str, args: CloudRunWorkerArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        if not args.command:
            raise ValueError("CloudRunWorkerArgs.command must not be empty")
        if not 1 <= args.instances <= 100:
            raise ValueError("CloudRunWorkerArgs.instances must be 1-100: a pool of none runs no job")
        check_env(args.env, args.secret_env, args.secret_names)
        super().__init__("launchpad:cloud_run_worker:CloudRunWorker", name, None, opts)
        pool = run.WorkerPool(
            f"{name}-pool",
            name=fitted_name(name, "pool", RUN_NAME_MAX),
            project=args.project,
            location=args.location,
            deletion_protection=args.deletion_protection,
            scaling=run.WorkerPoolScalingArgs(scaling_mode="MANUAL", manual_instance_count=args.instances),
            template=run.WorkerPoolTemplateArgs(
                service_account=args.service_account_email,
                containers=[
                    container(
                        WORKER_POOL,
                        RunContainer(
                            args.image, args.command, args.cpu, args.memory, args.env, args.secret_env
                        ),
                    )
                ],
                vpc_access=vpc_access(WORKER_POOL, args.vpc),
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(args.depends_on)),
        )
        self.name = pool.name
        self.register_outputs({"name": self.name})
