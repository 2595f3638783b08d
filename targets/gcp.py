"""GCP target: Cloud Run (the web service, and with the managed data tier the RQ worker pool, the
migration job and the nightly job), Artifact Registry, Secret Manager, the runtime identity, and the data
tier (`gcp_data.py`): Cloud SQL, Memorystore, Cloud Storage.

`gcpDataTier: managed` (the default) is the production profile AWS runs. `embedded` keeps the app's
stateless profile: each Cloud Run instance its own SQLite in memory and its jobs in threads, lost when the
instance stops (a scale-in, a new revision, a crash); the plan and the stack's `gcp_warnings` say so.

`prepare` creates everything that does not need the image (APIs, repository, runtime identity, secrets,
the data tier); `registry` says where the image goes and how to log in; `deploy` runs the pushed image by
digest (`gcp_workloads.py`). Nothing here branches on the stack's name: every difference comes from the
stack's settings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_gcp as gcp

from app import contract
from app.contract import ENV
from components.app_image import RegistryTarget
from components.gcp.apis import ProjectApis, ProjectApisArgs
from components.gcp.artifact_registry import ArtifactRegistry, ArtifactRegistryArgs
from components.gcp.cloud_run_job import JobSchedule
from components.gcp.secrets import GcpSecrets, GcpSecretsArgs
from components.gcp.service_account import ServiceAccount, ServiceAccountArgs
from components.naming import fitted_name
from stack_config import StackConfig
from targets.gcp_data import DATA_APIS, GcpDataTier, build_data_tier
from targets.gcp_monitoring import deploy_alerting, monitoring_apis
from targets.gcp_workloads import RunSpec, Workloads, managed_workloads, web_service

RUN_API = "run.googleapis.com"
REGISTRY_API = "artifactregistry.googleapis.com"
SECRETS_API = "secretmanager.googleapis.com"
IAM_API = "iam.googleapis.com"
SCHEDULER_API = "cloudscheduler.googleapis.com"
LOGGING_API = "logging.googleapis.com"
APIS = (RUN_API, REGISTRY_API, SECRETS_API, IAM_API)
MANAGED_APIS = (*DATA_APIS, SCHEDULER_API, LOGGING_API)

RUNTIME_ROLE = "run"  # the service's identity
REGISTRY_NAME = "artifact-registry"
REGISTRY_USERNAME = "oauth2accesstoken"  # Artifact Registry's user for an OAuth access token
SERVICE_ACCOUNT_ID_MAX = 30


@dataclass
class GcpBase:
    """What exists before the image: the deploy step builds on it."""

    provider: gcp.Provider
    opts: pulumi.ResourceOptions
    apis: ProjectApis
    registry: ArtifactRegistry
    runtime_account: ServiceAccount
    secrets: GcpSecrets
    data: GcpDataTier | None  # None: the embedded profile


def prepare(config: StackConfig) -> GcpBase:
    """APIs, the image repository, the service's identity and its secrets."""
    s = config.settings
    # The Billing Budget API takes user credentials only with a quota project (403 otherwise), so a stack
    # with a budget bills its API calls to its own project.
    budget = bool(s.gcp_billing_account)
    provider = gcp.Provider(
        "gcp",
        project=config.gcp_project,
        region=config.gcp_region,
        default_labels=labels(config.tags),
        user_project_override=True if budget else None,
        billing_project=config.gcp_project if budget else None,
    )
    opts = pulumi.ResourceOptions(providers=[provider])
    managed = s.gcp_data_tier == "managed"
    apis = ProjectApis(
        f"{config.base_name}-apis",
        ProjectApisArgs(
            config.gcp_project, (*APIS, *monitoring_apis(config), *(MANAGED_APIS if managed else ()))
        ),
        opts=opts,
    )
    registry = ArtifactRegistry(
        f"{config.base_name}-registry",
        ArtifactRegistryArgs(
            project=config.gcp_project,
            location=config.gcp_region,
            repository_id=config.base_name,
            keep_count=s.artifact_keep_count,
            depends_on=apis.needed_by(REGISTRY_API),
        ),
        opts=opts,
    )
    # Dedicated identity with no project roles (Cloud Run ships stdout to Cloud Logging itself): it may
    # read only its own secrets, bound on each secret, and write only the uploads bucket's objects.
    account = ServiceAccount(
        f"{config.base_name}-run-identity",
        ServiceAccountArgs(
            project=config.gcp_project,
            account_id=account_id(config.base_name, RUNTIME_ROLE),
            purpose=f"{config.base_name}: Cloud Run service, worker pool and jobs",
            depends_on=apis.needed_by(IAM_API),
        ),
        opts=opts,
    )
    secrets = GcpSecrets(
        f"{config.base_name}-gcp-secrets",
        GcpSecretsArgs(
            project=config.gcp_project,
            id_prefix=config.base_name,
            roles=[secret.name for secret in contract.app_secrets("gcp")],
            accessor_member=account.member,
            values=config.secrets.kept_by("gcp"),
            write_version=s.gcp_secret_write_version,
            depends_on=apis.needed_by(SECRETS_API),
        ),
        opts=opts,
    )
    data = build_data_tier(config, provider, apis, account, labels(config.tags)) if managed else None
    return GcpBase(provider, opts, apis, registry, account, secrets, data)


def deploy(config: StackConfig, base: GcpBase, image_ref: pulumi.Input[str]) -> dict[str, Any]:
    """The Cloud Run workloads on the pushed image, their alerts; returns the outputs to export."""
    spec = RunSpec(
        project=config.gcp_project,
        location=config.gcp_region,
        image=image_ref,
        service_account_email=base.runtime_account.email,
        env=app_env(config),
        secret_env=dict(mounted_secret_env(config, base.secrets)),
        opts=base.opts,
        # Depending on the secrets component waits for every accessor binding: a revision whose account
        # cannot read its secrets never becomes ready.
        ready=[*base.apis.needed_by(RUN_API), base.secrets, *([base.data.secrets] if base.data else [])],
    )
    if base.data is None:
        workloads, warnings = Workloads(web_service(config, spec, None)), embedded_warnings(config)
    else:
        schedule = JobSchedule(
            cron=config.settings.nightly_cron,
            time_zone=config.settings.nightly_timezone,
            scheduler_account_id=account_id(config.base_name, "nightly"),
            depends_on=base.apis.needed_by(SCHEDULER_API),
        )
        workloads, warnings = managed_workloads(config, spec, base.data, schedule), []
    for warning in warnings:
        pulumi.log.warn(warning)
    service = workloads.service
    watched = {"service_name": service.name, "service_url": service.url}
    return (
        deploy_alerting(config, base.provider, base.apis, watched, base.data)
        | _data_outputs(base.data, workloads)
        | {
            # Where `launchpad verify` and `launchpad secrets` find the service and its secrets.
            "gcp_project": config.gcp_project,
            "gcp_region": config.gcp_region,
            "gcp_service_name": service.name,
            "gcp_secret_ids": base.secrets.secret_ids,
            "gcp_service_url": service.url,
            "gcp_image_digest": pulumi.Output.from_input(image_ref).apply(lambda ref: ref.partition("@")[2]),
            "gcp_service_account": base.runtime_account.email,
            "gcp_registry": base.registry.repository_url,
            "gcp_data_tier": config.settings.gcp_data_tier,
            "gcp_warnings": warnings,
        }
    )


def embedded_warnings(config: StackConfig) -> list[str]:
    return [
        f"DATA LOSS: gcpDataTier is embedded: every Cloud Run instance of {config.base_name} keeps its own "
        "SQLite database, job queue and uploads in memory, and loses them when it stops (a scale-in, a new "
        "revision, a crash); a client may reach an instance that never saw its job. For throwaway stacks "
        "only. Fix: pulumi config set gcpDataTier managed"
    ]


def _data_outputs(data: GcpDataTier | None, workloads: Workloads) -> dict[str, Any]:
    if data is None or workloads.worker is None or workloads.nightly is None or workloads.migrate is None:
        return {}
    return {
        "gcp_database_instance": data.database.instance_name,
        "gcp_redis_instance": data.cache.instance_id,
        "gcp_uploads_bucket": data.uploads.bucket_name,
        "gcp_data_secret_ids": data.secrets.secret_ids,
        "gcp_worker_pool": workloads.worker.name,
        "gcp_migrate_job": workloads.migrate.job_name,
        "gcp_nightly_job": workloads.nightly.job_name,
    }


def app_env(config: StackConfig) -> dict[str, pulumi.Input[str]]:
    """Plain env every workload gets; the data tier adds where its stores are (gcp_data.py). Without them
    the app runs its stateless (embedded) profile."""
    env: dict[str, pulumi.Input[str]] = {ENV.DEPLOYMENT_ENV: config.settings.deployment_env}
    if config.settings.ai_disabled:  # the AI spend kill switch
        env[ENV.AI_DISABLED] = "true"
    if config.settings.cors_origins:
        env[ENV.CORS_ORIGINS] = ",".join(config.settings.cors_origins)
    return env


def mounted_secret_env(config: StackConfig, secrets: GcpSecrets) -> dict[str, pulumi.Output[str]]:
    """Secrets that have a version (written by Pulumi or declared populated), as env name -> secret id.

    Cloud Run refuses a revision that references a secret with no version, so empty containers stay
    unmounted until `gcpPopulatedSecrets` lists them.
    """
    ready = set(config.settings.gcp_populated_secrets) | set(secrets.versions)
    env = {secret.name: secret.env for secret in contract.app_secrets("gcp")}
    return {env[role]: secret_id for role, secret_id in secrets.secret_ids.items() if role in ready}


def labels(tags: dict[str, str]) -> dict[str, str]:
    """GCP labels allow lowercase letters, digits, `_` and `-`, at most 63 characters."""
    return {_label(key): _label(value) for key, value in tags.items()}


def _label(text: str) -> str:
    return re.sub(r"[^a-z0-9_-]", "-", text.lower())[:63]


def account_id(base_name: str, role: str) -> str:
    """A service account id (6-30 characters) from the stack's base name, shortened with a hash when
    `<base>-<role>` would not fit (ServiceAccount checks the rule)."""
    return fitted_name(base_name, role, SERVICE_ACCOUNT_ID_MAX)


def registry(config: StackConfig, base: GcpBase) -> RegistryTarget:
    """Where AppImage pushes for Cloud Run: the stack's repository, logged in with an access token."""
    del config  # the repository already carries project and region
    client = gcp.organizations.get_client_config_output(opts=pulumi.InvokeOptions(provider=base.provider))
    return RegistryTarget(
        name=REGISTRY_NAME,
        repository_url=base.registry.image_url,
        username=REGISTRY_USERNAME,
        password=pulumi.Output.secret(client.access_token),
    )
