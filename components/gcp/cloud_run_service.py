"""A Cloud Run v2 service running the app image by digest, and who may invoke it.

Second-generation execution environment, a dedicated service account, secrets as env through
`secret_key_ref`, startup probe on the readiness route (dependencies up) and liveness probe on the
liveness route (process up: a database outage must not restart every instance). Invokers are allUsers
only when `public` is set; otherwise exactly the listed members.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import pulumi
from pulumi_gcp import cloudrunv2 as run

from cloud_facts.gcp.cloud_run import RUN_NAME_MAX, RUN_PORT_ENV
from components.gcp.cloud_run_env import SERVICE, DirectVpc, RunContainer, check_env, container, vpc_access
from components.naming import fitted_name, stable_key

INVOKER_ROLE = "roles/run.invoker"
INGRESS = {
    "all": "INGRESS_TRAFFIC_ALL",
    "internal": "INGRESS_TRAFFIC_INTERNAL_ONLY",
    "internal-and-cloud-load-balancing": "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
}


@dataclass
class CloudRunServiceArgs:
    project: str  # the project of the service
    location: str  # its region
    image: pulumi.Input[str]  # "<repository>@sha256:..."
    service_account_email: pulumi.Input[str]  # the identity the service runs as
    cpu: int  # whole CPUs per instance
    memory: str  # "512Mi" and the like
    concurrency: int  # requests one instance serves at once
    min_instances: int  # instances kept warm (billed while idle)
    max_instances: int  # the ceiling Cloud Run scales to
    cpu_always_allocated: bool  # CPU also between requests (instance billing)
    # which networks may reach the service
    ingress: Literal["all", "internal", "internal-and-cloud-load-balancing"]
    public: bool  # anyone may invoke it (allUsers); excludes `invokers`
    invokers: Sequence[str]  # the principals granted roles/run.invoker
    deletion_protection: bool  # Cloud Run refuses to delete the service while this is on
    request_timeout_seconds: int  # a request running longer is answered 504
    port: int  # the port the container listens on; Cloud Run sends requests there and sets PORT to it
    startup_probe_path: str  # GET until it answers 2xx before the instance takes requests
    liveness_probe_path: str  # GET every 30 s; three failures restart the instance
    secret_names: Collection[str]  # variables that hold secrets: refused in `env`, only in `secret_env`
    # plain variables (PORT is Cloud Run's own)
    env: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    secret_env: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)  # env name -> secret id
    # Best-effort stickiness, for state kept per instance (the embedded profile's SQLite and job threads).
    session_affinity: bool = False
    vpc: DirectVpc | None = None  # direct VPC egress to Cloud SQL and Memorystore
    # the Run API, and the secrets' bindings a revision needs to start
    depends_on: Sequence[pulumi.Resource] = ()


class CloudRunService(pulumi.ComponentResource):
    url: pulumi.Output[str]
    name: pulumi.Output[str]

    def __init__(
        self, name: str, args: CloudRunServiceArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        _validate(args)
        super().__init__("launchpad:cloud_run_service:CloudRunService", name, None, opts)
        service = run.Service(
            f"{name}-service",
            # Autonaming overflows Cloud Run's service-name limit for long stack names.
            name=fitted_name(name, "service", RUN_NAME_MAX),
            project=args.project,
            location=args.location,
            ingress=INGRESS[args.ingress],
            deletion_protection=args.deletion_protection,
            template=run.ServiceTemplateArgs(
                service_account=args.service_account_email,
                execution_environment="EXECUTION_ENVIRONMENT_GEN2",
                max_instance_request_concurrency=args.concurrency,
                session_affinity=args.session_affinity,
                timeout=f"{args.request_timeout_seconds}s",
                scaling=run.ServiceTemplateScalingArgs(
                    min_instance_count=args.min_instances, max_instance_count=args.max_instances
                ),
                containers=[_container(args)],
                vpc_access=vpc_access(SERVICE, args.vpc),
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(args.depends_on)),
        )
        members = ["allUsers"] if args.public else list(args.invokers)
        for member in members:
            # Keyed by the member, never by list position: `member` forces replacement, so a positional
            # name would hand one member's binding to the next when an earlier one is removed.
            run.ServiceIamMember(
                f"{name}-invoker-{stable_key(member)}",
                project=args.project,
                location=args.location,
                name=service.name,
                role=INVOKER_ROLE,
                member=member,
                opts=pulumi.ResourceOptions(parent=self),
            )
        self.url = service.uri
        self.name = service.name
        self.register_outputs({"url": self.url, "name": self.name})


def _container(args: CloudRunServiceArgs) -> run.ServiceTemplateContainerArgs:
    spec = RunContainer(args.image, None, args.cpu, args.memory, args.env, args.secret_env)
    return container(
        SERVICE,
        spec,
        resources={"cpu_idle": not args.cpu_always_allocated, "startup_cpu_boost": True},
        # v8+: one port object, not a list. Cloud Run injects PORT from it.
        ports=run.ServiceTemplateContainerPortsArgs(name="http1", container_port=args.port),
        startup_probe=run.ServiceTemplateContainerStartupProbeArgs(
            http_get=run.ServiceTemplateContainerStartupProbeHttpGetArgs(path=args.startup_probe_path),
            period_seconds=5,
            timeout_seconds=3,
            failure_threshold=24,  # two minutes: the embedded profile migrates its SQLite on first start
        ),
        liveness_probe=run.ServiceTemplateContainerLivenessProbeArgs(
            http_get=run.ServiceTemplateContainerLivenessProbeHttpGetArgs(path=args.liveness_probe_path),
            period_seconds=30,
            timeout_seconds=3,
            failure_threshold=3,
        ),
    )


def _validate(args: CloudRunServiceArgs) -> None:
    if args.min_instances > args.max_instances:
        raise ValueError("CloudRunServiceArgs.min_instances exceeds max_instances")
    if args.public and args.invokers:
        raise ValueError("CloudRunServiceArgs: public and invokers are mutually exclusive")
    if any(m in ("allUsers", "allAuthenticatedUsers") for m in args.invokers):
        raise ValueError("CloudRunServiceArgs.invokers must name principals; use public=True for allUsers")
    if RUN_PORT_ENV in args.env:
        raise ValueError(f"Cloud Run reserves {RUN_PORT_ENV}; it is set from the container port")
    check_env(args.env, args.secret_env, args.secret_names)
