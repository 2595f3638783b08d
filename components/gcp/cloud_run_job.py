"""A Cloud Run v2 job: the migrations, run by every deploy that changes them, or the nightly maintenance,
run by Cloud Scheduler.

With `run_token`, each new token makes `pulumi up` start an execution and wait until it has succeeded
(the provider's `run_execution_token`): a failed migration fails the deploy before any new revision
serves, as the migrate container does on ECS. With `schedule`, a Cloud Scheduler job calls the Cloud Run
Admin API (`.../jobs/<job>:run`) with an OAuth token of its own service account, which holds
`roles/run.invoker` on this job and nothing else.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_gcp as gcp
from pulumi_gcp import cloudrunv2 as run

from cloud_facts.gcp.cloud_run import RUN_JOB_NAME_MAX
from components.gcp.cloud_run_env import JOB, DirectVpc, RunContainer, check_env, container, vpc_access
from components.gcp.service_account import ServiceAccount, ServiceAccountArgs
from components.naming import fitted_name

INVOKER_ROLE = "roles/run.invoker"
RUN_TOKEN_LENGTH = 12
CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform"


@dataclass(frozen=True)
class JobSchedule:
    cron: str  # five fields, Cloud Scheduler's own format
    time_zone: str
    scheduler_account_id: str  # 6-30 characters: the scheduler's own service account
    depends_on: Sequence[pulumi.Resource] = ()  # the Cloud Scheduler API


@dataclass
class CloudRunJobArgs:
    project: str  # the project of the job
    location: str  # its region
    image: pulumi.Input[str]  # "<repository>@sha256:..."
    command: Sequence[str]  # what the job's container runs
    service_account_email: pulumi.Input[str]  # identity the job's container runs as
    cpu: int  # whole CPUs of the task
    memory: str  # "512Mi" and the like
    deletion_protection: bool  # Cloud Run refuses to delete the job while this is on
    secret_names: Collection[str]  # variables that hold secrets: refused in `env`, only in `secret_env`
    task_timeout_seconds: int = 1800  # a task running longer is stopped and fails
    max_retries: int = 1  # how often a failed task is retried
    vpc: DirectVpc | None = None  # direct VPC egress to Cloud SQL and Memorystore; None: none
    env: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)  # plain variables
    # env name -> secret id, mounted at its latest version
    secret_env: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    # A new value runs the job during `up` (RUN_TOKEN_LENGTH characters); None never does.
    run_token: pulumi.Input[str] | None = None
    schedule: JobSchedule | None = None  # run on a cron by Cloud Scheduler; None: only when started
    # the Run API, and what the job reads (secrets, the database user)
    depends_on: Sequence[pulumi.Resource] = ()


class CloudRunJob(pulumi.ComponentResource):
    job_name: pulumi.Output[str]
    job: run.Job  # what must wait for a run_token execution

    def __init__(self, name: str, args: CloudRunJobArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        _validate(args)
        super().__init__("launchpad:cloud_run_job:CloudRunJob", name, None, opts)
        # The provider refuses a job name and run token together past 62 characters.
        limit = RUN_JOB_NAME_MAX - (RUN_TOKEN_LENGTH + 1 if args.run_token is not None else 0)
        self.job = run.Job(
            f"{name}-job",
            name=fitted_name(name, "job", limit),
            project=args.project,
            location=args.location,
            deletion_protection=args.deletion_protection,
            run_execution_token=args.run_token,
            template=_job_template(args),
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(args.depends_on)),
        )
        if args.schedule is not None:
            self._trigger(name, args, args.schedule)
        self.job_name = self.job.name
        self.register_outputs({"job_name": self.job_name})

    def _trigger(self, name: str, args: CloudRunJobArgs, schedule: JobSchedule) -> None:
        invoker = ServiceAccount(
            f"{name}-scheduler",
            ServiceAccountArgs(
                project=args.project,
                account_id=schedule.scheduler_account_id,
                purpose=f"{name}: Cloud Scheduler trigger (runs this job only)",
                depends_on=args.depends_on,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        binding = run.JobIamMember(
            f"{name}-scheduler-invoker",
            project=args.project,
            location=args.location,
            name=self.job.name,
            role=INVOKER_ROLE,
            member=invoker.member,
            opts=pulumi.ResourceOptions(parent=self),
        )
        run_uri = pulumi.Output.concat(
            f"https://run.googleapis.com/v2/projects/{args.project}/locations/{args.location}/jobs/",
            self.job.name,
            ":run",
        )
        gcp.cloudscheduler.Job(
            f"{name}-trigger",
            project=args.project,
            region=args.location,
            schedule=schedule.cron,
            time_zone=schedule.time_zone,
            attempt_deadline="180s",
            retry_config=gcp.cloudscheduler.JobRetryConfigArgs(retry_count=1),
            http_target=gcp.cloudscheduler.JobHttpTargetArgs(
                uri=run_uri,
                http_method="POST",
                oauth_token=gcp.cloudscheduler.JobHttpTargetOauthTokenArgs(
                    service_account_email=invoker.email, scope=CLOUD_PLATFORM_SCOPE
                ),
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[binding, *schedule.depends_on]),
        )


def _job_template(args: CloudRunJobArgs) -> run.JobTemplateArgs:
    spec = RunContainer(args.image, args.command, args.cpu, args.memory, args.env, args.secret_env)
    return run.JobTemplateArgs(
        task_count=1,
        template=run.JobTemplateTemplateArgs(
            service_account=args.service_account_email,
            execution_environment="EXECUTION_ENVIRONMENT_GEN2",
            timeout=f"{args.task_timeout_seconds}s",
            max_retries=args.max_retries,
            containers=[container(JOB, spec)],
            vpc_access=vpc_access(JOB, args.vpc),
        ),
    )


def _validate(args: CloudRunJobArgs) -> None:
    if not args.command:
        raise ValueError("CloudRunJobArgs.command must not be empty")
    if args.schedule is not None and len(args.schedule.cron.split()) != 5:
        raise ValueError("CloudRunJobArgs.schedule.cron must be a five-field cron expression")
    if not 0 <= args.max_retries <= 10:
        raise ValueError("CloudRunJobArgs.max_retries must be 0-10 (Cloud Run)")
    check_env(args.env, args.secret_env, args.secret_names)
