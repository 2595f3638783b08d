"""A Cloud Run v2 job on a Cloud Scheduler trigger, run by a scheduler identity that can invoke only it.

The scheduler calls the Cloud Run Admin API (`.../jobs/<job>:run`) with an OAuth token of its own
service account; that account holds `roles/run.invoker` on this job and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_gcp as gcp
from pulumi_gcp import cloudrunv2 as run

from components.cloud_run_env import check_env, env_entries
from components.naming import fitted_name
from components.service_account import ServiceAccount, ServiceAccountArgs

INVOKER_ROLE = "roles/run.invoker"
JOB_NAME_MAX = 63
CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform"


@dataclass
class ScheduledJobArgs:
    project: str
    location: str
    image: pulumi.Input[str]
    command: Sequence[str]
    service_account_email: pulumi.Input[str]  # identity the job's container runs as
    scheduler_account_id: str  # 6-30 chars; the scheduler's own service account
    cron: str
    time_zone: str
    cpu: int
    memory: str
    deletion_protection: bool
    task_timeout_seconds: int = 1800
    max_retries: int = 1
    env: Mapping[str, str] = field(default_factory=dict)
    secret_env: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    depends_on: Sequence[pulumi.Resource] = ()


class ScheduledJob(pulumi.ComponentResource):
    job_name: pulumi.Output[str]
    scheduler_email: pulumi.Output[str]

    def __init__(self, name: str, args: ScheduledJobArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        _validate(args)
        super().__init__("launchpad:cloud_run_job:ScheduledJob", name, None, opts)
        child = pulumi.ResourceOptions(parent=self, depends_on=list(args.depends_on))
        job = run.Job(
            f"{name}-job",
            name=fitted_name(name, "job", JOB_NAME_MAX),
            project=args.project,
            location=args.location,
            deletion_protection=args.deletion_protection,
            template=_job_template(args),
            opts=child,
        )
        invoker = ServiceAccount(
            f"{name}-scheduler",
            ServiceAccountArgs(
                project=args.project,
                account_id=args.scheduler_account_id,
                purpose=f"{name}: Cloud Scheduler trigger (runs this job only)",
                depends_on=args.depends_on,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        binding = run.JobIamMember(
            f"{name}-scheduler-invoker",
            project=args.project,
            location=args.location,
            name=job.name,
            role=INVOKER_ROLE,
            member=invoker.member,
            opts=pulumi.ResourceOptions(parent=self),
        )
        run_uri = pulumi.Output.concat(
            f"https://run.googleapis.com/v2/projects/{args.project}/locations/{args.location}/jobs/",
            job.name,
            ":run",
        )
        gcp.cloudscheduler.Job(
            f"{name}-trigger",
            project=args.project,
            region=args.location,
            schedule=args.cron,
            time_zone=args.time_zone,
            attempt_deadline="180s",
            retry_config=gcp.cloudscheduler.JobRetryConfigArgs(retry_count=1),
            http_target=gcp.cloudscheduler.JobHttpTargetArgs(
                uri=run_uri,
                http_method="POST",
                oauth_token=gcp.cloudscheduler.JobHttpTargetOauthTokenArgs(
                    service_account_email=invoker.email, scope=CLOUD_PLATFORM_SCOPE
                ),
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[binding, *args.depends_on]),
        )
        self.job_name = job.name
        self.scheduler_email = invoker.email
        self.register_outputs({"job_name": self.job_name, "scheduler_email": self.scheduler_email})


def _job_template(args: ScheduledJobArgs) -> run.JobTemplateArgs:
    container = run.JobTemplateTemplateContainerArgs(
        image=args.image,
        commands=list(args.command),
        resources=run.JobTemplateTemplateContainerResourcesArgs(
            limits={"cpu": str(args.cpu), "memory": args.memory}
        ),
        envs=env_entries(
            args.env,
            args.secret_env,
            env_cls=run.JobTemplateTemplateContainerEnvArgs,
            source_cls=run.JobTemplateTemplateContainerEnvValueSourceArgs,
            ref_cls=run.JobTemplateTemplateContainerEnvValueSourceSecretKeyRefArgs,
        ),
    )
    return run.JobTemplateArgs(
        task_count=1,
        template=run.JobTemplateTemplateArgs(
            service_account=args.service_account_email,
            execution_environment="EXECUTION_ENVIRONMENT_GEN2",
            timeout=f"{args.task_timeout_seconds}s",
            max_retries=args.max_retries,
            containers=[container],
        ),
    )


def _validate(args: ScheduledJobArgs) -> None:
    if not args.command:
        raise ValueError("ScheduledJobArgs.command must not be empty")
    if len(args.cron.split()) != 5:
        raise ValueError("ScheduledJobArgs.cron must be a five-field cron expression")
    check_env(args.env, args.secret_env)
