"""What runs the image on Google Cloud: the web service, and with the managed data tier the migration job,
the RQ worker pool and the nightly job, as ECS runs them on AWS.

Every deploy that changes the image (or the database, or the read-only role's password) runs the
migration job to completion before anything else moves: the service's new revision, the worker pool and
the nightly job all wait for it, so a failed migration stops the deploy with the old revision serving.
They all run as the one runtime identity, join the VPC through direct VPC egress, and get the data tier's
addresses and CAs as env and its logins from Secret Manager.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

import pulumi

from app import contract
from components.gcp.cloud_run_job import RUN_TOKEN_LENGTH, CloudRunJob, CloudRunJobArgs, JobSchedule
from components.gcp.cloud_run_service import CloudRunService, CloudRunServiceArgs
from components.gcp.cloud_run_worker import CloudRunWorker, CloudRunWorkerArgs
from stack_config import StackConfig
from targets.gcp_data import READONLY_PASSWORD, GcpDataTier

MIGRATION_TIMEOUT_SECONDS = 600


@dataclass(frozen=True)
class RunSpec:
    """What every Cloud Run workload of the stack shares."""

    project: str
    location: str
    image: pulumi.Input[str]
    service_account_email: pulumi.Input[str]
    env: dict[str, pulumi.Input[str]]
    secret_env: dict[str, pulumi.Input[str]]
    opts: pulumi.ResourceOptions  # the stack's Google provider
    ready: list[pulumi.Resource] = field(default_factory=list)  # APIs and secret bindings to wait for


@dataclass
class Workloads:
    service: CloudRunService
    worker: CloudRunWorker | None = None
    migrate: CloudRunJob | None = None
    nightly: CloudRunJob | None = None


def web_service(config: StackConfig, spec: RunSpec, data: GcpDataTier | None) -> CloudRunService:
    s = config.settings
    return CloudRunService(
        f"{config.base_name}-web",
        CloudRunServiceArgs(
            project=spec.project,
            location=spec.location,
            image=spec.image,
            service_account_email=spec.service_account_email,
            cpu=s.cloud_run_cpu,
            memory=s.cloud_run_memory,
            concurrency=s.cloud_run_concurrency,
            min_instances=s.cloud_run_min_instances,
            max_instances=s.cloud_run_max_instances,
            cpu_always_allocated=s.cloud_run_cpu_always_allocated,
            ingress=s.cloud_run_ingress,
            public=s.cloud_run_public,
            invokers=list(s.cloud_run_invokers),
            deletion_protection=s.cloud_run_deletion_protection,
            request_timeout_seconds=s.cloud_run_request_timeout_seconds,
            port=contract.CONTAINER_PORT,
            startup_probe_path=contract.HEALTH_PATH,
            liveness_probe_path=contract.LIVE_PATH,
            secret_names=contract.SECRET_ENV_VARS,
            env=spec.env,
            secret_env=spec.secret_env,
            # Embedded: each instance keeps its own SQLite and job threads, so a client should keep
            # reaching the one that holds its jobs (best effort; the plan warns that it is not enough).
            session_affinity=data is None,
            vpc=data.vpc if data is not None else None,
            depends_on=spec.ready,
        ),
        opts=spec.opts,
    )


def managed_workloads(
    config: StackConfig, spec: RunSpec, data: GcpDataTier, scheduler: JobSchedule
) -> Workloads:
    """Migration job first; then the service, the worker pool and the nightly job on the same image."""
    s = config.settings
    shared = replace(
        spec,
        env={**spec.env, **data.env()},
        secret_env={**spec.secret_env, **data.secret_env()},
        # The stores' addresses come from their outputs; these wait for what no output carries: the
        # database's user, the bucket's grant.
        ready=[*spec.ready, data.database, data.cache, data.uploads],
    )
    with_reader = {**shared.secret_env, **data.secret_env(readonly=True)}
    migration = _job_args(config, shared, contract.MIGRATE_COMMAND, with_reader, data)
    migrate = CloudRunJob(
        f"{config.base_name}-migrate",
        replace(
            migration,
            run_token=_migration_token(spec.image, data),
            task_timeout_seconds=MIGRATION_TIMEOUT_SECONDS,
            max_retries=0,  # a failed migration fails the deploy; `pulumi up` again retries it
        ),
        opts=spec.opts,
    )
    after = replace(shared, ready=[*shared.ready, migrate.job])
    worker = CloudRunWorker(
        f"{config.base_name}-worker",
        CloudRunWorkerArgs(
            project=after.project,
            location=after.location,
            image=after.image,
            command=contract.WORKER_COMMAND,
            service_account_email=after.service_account_email,
            cpu=s.gcp_worker_cpu,
            memory=s.gcp_worker_memory,
            instances=s.gcp_worker_instances,
            deletion_protection=s.cloud_run_deletion_protection,
            secret_names=contract.SECRET_ENV_VARS,
            vpc=data.vpc,
            env=after.env,
            secret_env=after.secret_env,
            depends_on=after.ready,
        ),
        opts=spec.opts,
    )
    nightly = CloudRunJob(
        f"{config.base_name}-nightly",
        replace(_job_args(config, after, contract.NIGHTLY_COMMAND, with_reader, data), schedule=scheduler),
        opts=spec.opts,
    )
    return Workloads(web_service(config, after, data), worker, migrate, nightly)


def _job_args(
    config: StackConfig,
    spec: RunSpec,
    command: list[str],
    secret_env: dict[str, pulumi.Input[str]],
    data: GcpDataTier,
) -> CloudRunJobArgs:
    s = config.settings
    return CloudRunJobArgs(
        project=spec.project,
        location=spec.location,
        image=spec.image,
        command=command,
        service_account_email=spec.service_account_email,
        cpu=s.gcp_worker_cpu,
        memory=s.gcp_worker_memory,
        deletion_protection=s.cloud_run_deletion_protection,
        secret_names=contract.SECRET_ENV_VARS,
        vpc=data.vpc,
        env=spec.env,
        secret_env=secret_env,
        depends_on=spec.ready,
    )


def _migration_token(image: pulumi.Input[str], data: GcpDataTier) -> pulumi.Output[str]:
    """Changes when the migrations must run again: a new image, a new instance, a new read-only password
    (the migrations give the role its login)."""
    reader_version = data.secrets.versions[READONLY_PASSWORD].name
    return pulumi.Output.all(image, data.database.instance_name, reader_version).apply(
        lambda parts: hashlib.sha256("\0".join(map(str, parts)).encode()).hexdigest()[:RUN_TOKEN_LENGTH]
    )
