"""AWS compute for one stack: the ECR repository the image is pushed to, the ECS cluster, and the web
(behind the edge), worker and nightly Fargate workloads that run the image.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pulumi
import pulumi_aws as aws

from app import contract
from cloud_facts.aws.scheduler import eventbridge_cron
from components.app_image import RegistryTarget
from components.aws.bucket import SecureBucket
from components.aws.capacity import placement
from components.aws.ecr_repository import EcrRepository, EcrRepositoryArgs
from components.aws.ecs_cluster import EcsCluster, EcsClusterArgs
from components.aws.fargate_service import Container, FargateService, FargateServiceArgs
from components.aws.scheduled_run import Schedule
from components.aws.service_scaling import Backlog, Scaling
from components.iam_policy import Condition, Statement
from stack_config import StackConfig
from targets.aws.alarm_catalogue import APP_METRICS, MonitoredStack
from targets.aws.edge import Edge, deploy_edge, edge_warnings
from targets.aws.foundation import Foundation, budget_warnings
from targets.aws.monitoring import deploy_monitoring

REGISTRY_NAME = "ecr"  # the key of this registry's ref in AppImage.refs
# The app drains in-flight requests for SHUTDOWN_GRACE_SECONDS after SIGTERM; Fargate must not SIGKILL
# before that (the load balancer's draining ends within the same budget, see edge.py).
WEB_STOP_TIMEOUT = 2 * contract.SHUTDOWN_GRACE_SECONDS + 4
# RQ's warm shutdown lets the running job finish; Fargate's ceiling is 120 s (longer jobs are requeued).
WORKER_STOP_TIMEOUT = 120
# Long enough for the migrate container and app start-up before ALB health checks count.
HEALTH_CHECK_GRACE = 90
# A worker that scales to zero stops once no job has waited this long: longer than a job may run (the app's
# job timeout, 600 s), so the last worker is rarely stopped in the middle of one.
WORKER_IDLE_MINUTES = 15


@dataclass
class EcrRegistry:
    target: RegistryTarget  # where AppImage pushes, with credentials
    repository_arn: pulumi.Output[str]  # what the execution roles may pull from


def ecr_registry(config: StackConfig, foundation: Foundation) -> EcrRegistry:
    """The stack's ECR repository, with push credentials for AppImage."""
    repository = EcrRepository(
        f"{config.base_name}-app",
        EcrRepositoryArgs(
            kms_key_arn=foundation.encryption.key_arn,
            keep_tagged_images=config.settings.ecr_keep_images,
            force_delete=config.settings.force_destroy_data,
        ),
        opts=foundation.opts,
    )
    token = aws.ecr.get_authorization_token_output(
        registry_id=repository.registry_id, opts=pulumi.InvokeOutputOptions(provider=foundation.provider)
    )
    target = RegistryTarget(
        name=REGISTRY_NAME,
        repository_url=repository.repository_url,
        username=token.user_name,
        password=pulumi.Output.secret(token.password),
    )
    return EcrRegistry(target=target, repository_arn=repository.arn)


def deploy_compute(
    config: StackConfig, foundation: Foundation, image_ref: pulumi.Output[str], ecr: EcrRegistry
) -> dict[str, Any]:
    """ECS cluster, the edge (CloudFront or a public ALB, WAF) and the three Fargate workloads running
    `image_ref` (pinned by digest)."""
    opts, base = foundation.opts, config.base_name
    cluster = EcsCluster(f"{base}-ecs", EcsClusterArgs(), opts=opts)
    edge = deploy_edge(config, foundation)
    worker_args = _worker_args(config, foundation, cluster, image_ref, ecr.repository_arn)
    web = FargateService(f"{base}-web", _web_args(config, foundation, edge, worker_args), opts=opts)
    worker = FargateService(f"{base}-worker", worker_args, opts=opts)
    nightly = FargateService(f"{base}-nightly", _nightly_args(config, worker_args), opts=opts)
    monitoring = deploy_monitoring(
        config, foundation, _monitored(config, foundation, edge, cluster=cluster, web=web, worker=worker)
    )
    warnings = edge_warnings(edge) + budget_warnings(config) + monitoring.warnings
    for warning in warnings:
        pulumi.log.warn(warning)
    return (
        edge.outputs
        | monitoring.outputs
        | {
            "service_url": edge.url,
            "https_enabled": edge.https_enabled,
            "warnings": warnings,
            "cluster_name": cluster.name,
            "web_service_name": web.service_name,
            "worker_service_name": worker.service_name,
            "nightly_task_definition_arn": nightly.task_definition_arn,
            "image_ref": image_ref,
            "task_networking": _task_networking(foundation),
            "synced_token_provider": config.settings.synced_token_provider,
        }
    )


def _monitored(
    config: StackConfig,
    f: Foundation,
    edge: Edge,
    *,
    cluster: EcsCluster,
    web: FargateService,
    worker: FargateService,
) -> MonitoredStack:
    """The ids the stack's metrics are published under, for its alarms and dashboard."""
    assert web.service_name is not None and worker.service_name is not None  # services, not schedules
    waf = edge.waf
    return MonitoredStack(
        environment=config.settings.deployment_env,
        cluster_name=cluster.name,
        web_service=web.service_name,
        worker_service=worker.service_name,
        load_balancer=edge.load_balancer.arn_suffix,
        target_group=edge.load_balancer.target_group_arn_suffix,
        database=f.database.identifier,
        cache_nodes=list(f.cache.node_ids),
        cache_replicated=f.cache.replicated,
        region=config.aws_region,
        waf_acl=waf.metric_name if waf else None,
        waf_global=bool(waf and waf.region),
        distribution_id=edge.distribution_id,
    )


def _task_networking(foundation: Foundation) -> dict[str, Any]:
    """Where tasks run, stated in the outputs so a stack without NAT is never silently public."""
    if foundation.network.has_nat:
        return {"subnet_tier": "private", "assign_public_ip": False, "egress": "NAT gateway"}
    return {
        "subnet_tier": "public",
        "assign_public_ip": True,
        "egress": "public IP (natStrategy none); inbound still only through the load balancer",
    }


def _app_environment(config: StackConfig, f: Foundation) -> dict[str, pulumi.Input[str]]:
    """Plain settings only. Provider keys, the synced token, client API keys and the database login
    travel as secret ARNs (an ARN is not a secret): the app reads them at runtime through its task role,
    so a rotated key or password is picked up without a restart, and tasks start before an operator has
    stored the provider keys."""
    env = contract.ENV
    arns = f.secrets.arns
    # The kill switch (aiDisabled) is only written when pulled, so a stack that never uses it keeps its task
    # definitions as they were.
    kill_switch: dict[str, pulumi.Input[str]] = (
        {env.AI_DISABLED: "true"} if config.settings.ai_disabled else {}
    )
    if config.settings.synced_token_provider:  # likewise only when a stack runs a provider on it
        kill_switch[env.SYNCED_TOKEN_PROVIDER] = config.settings.synced_token_provider
    return kill_switch | {
        env.DEPLOYMENT_ENV: config.settings.deployment_env,
        env.DATABASE_HOST: f.database.address,
        env.DATABASE_PORT: f.database.port.apply(str),
        env.DATABASE_NAME: f.database.db_name,
        env.DATABASE_SECRET_ARN: f.database.master_secret_arn,
        env.DATABASE_READONLY_SECRET_ARN: f.database.readonly_secret_arn,
        # RDS forces TLS; verify-full would need the RDS CA bundle in the image.
        env.DATABASE_SSLMODE: "require",
        env.REDIS_HOST: f.cache.primary_endpoint,
        env.REDIS_PORT: f.cache.port.apply(str),
        env.REDIS_TLS: "true",
        env.UPLOADS_BUCKET: f.uploads.bucket_name,
        **{contract.secret_arn_env(secret.env): arns[secret.name] for secret in contract.app_secrets("aws")},
        env.CORS_ORIGINS: ",".join(config.settings.cors_origins),
        # aws-embedded-metrics writes EMF to stdout; awslogs ships it and CloudWatch extracts the metrics.
        env.AWS_EMF_ENVIRONMENT: "Local",
        env.LOG_LEVEL: "INFO",
    }


def _injected_secrets(f: Foundation) -> dict[str, pulumi.Input[str]]:
    """Read by the execution role when a task starts. The database password is not among them: RDS
    rotates it, so the app reads the managed secret at connect time (DATABASE_SECRET_ARN) instead."""
    return {contract.ENV.REDIS_AUTH_TOKEN: f.cache.auth_secret_arn}


def _task_statements(f: Foundation) -> list[Statement]:
    region = aws.get_region_output(opts=pulumi.InvokeOutputOptions(provider=f.provider)).region

    def via(service: str) -> Condition:
        return Condition(
            "StringEquals", "kms:ViaService", [region.apply(lambda r: f"{service}.{r}.amazonaws.com")]
        )

    def objects(bucket: SecureBucket) -> pulumi.Output[str]:
        return bucket.arn.apply(lambda arn: f"{arn}/*")

    return [
        Statement(
            sid="UploadsReadWrite",
            actions=["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            resources=[objects(f.uploads)],
        ),
        # Nothing at runtime reads the token-sync bucket: `launchpad token-sync push` writes the token there
        # (history) and into the synced-token secret, which is what tasks read. So no grant on it.
        Statement(sid="ListAppBuckets", actions=["s3:ListBucket"], resources=[f.uploads.arn]),
        Statement(
            sid="BucketObjectsWithStackKey",
            actions=["kms:Decrypt", "kms:GenerateDataKey"],
            resources=[f.encryption.key_arn],
            conditions=[via("s3")],
        ),
        Statement(
            # aws-secretsmanager-caching calls DescribeSecret to notice a new version.
            sid="ReadRuntimeSecrets",
            actions=["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
            resources=[
                *f.secrets.arns.values(),
                f.database.master_secret_arn,
                f.database.readonly_secret_arn,
            ],
        ),
        Statement(
            sid="DecryptRuntimeSecrets",
            actions=["kms:Decrypt"],
            resources=[f.encryption.key_arn],
            conditions=[via("secretsmanager")],
        ),
    ]


def _worker_args(
    config: StackConfig,
    f: Foundation,
    cluster: EcsCluster,
    image_ref: pulumi.Output[str],
    repository_arn: pulumi.Output[str],
) -> FargateServiceArgs:
    """The RQ worker's arguments. The web and nightly workloads are made from them (`_web_args`,
    `_nightly_args`), keeping the cluster, network, image, environment, key and task role, and replacing
    everything that is the worker's own: command, health check, stop timeout, sizes, capacity, scaling."""
    s = config.settings
    has_nat = f.network.has_nat
    return FargateServiceArgs(
        workload="worker",
        cluster_arn=cluster.arn,
        cluster_name=cluster.name,
        container=Container(
            image=image_ref,
            command=contract.WORKER_COMMAND,
            environment=_app_environment(config, f),
            secrets=_injected_secrets(f),
            stop_timeout=WORKER_STOP_TIMEOUT,
            run_as=f"{contract.APP_UID}:{contract.APP_UID}",
            writable_paths=contract.WRITABLE_PATHS,
            # Registered and heartbeating in Redis; a hung worker is replaced like a dead one.
            health_check=contract.WORKER_PROBE_COMMAND,
        ),
        cpu=s.worker_cpu,
        memory=s.worker_memory,
        cpu_architecture=s.fargate_architecture,
        # No NAT (dev): public subnets with a public IP reach ECR, Secrets Manager and the AI providers.
        subnet_ids=f.network.private_subnet_ids if has_nat else f.network.public_subnet_ids,
        security_group_ids=[f.network.app_security_group_id],
        assign_public_ip=not has_nat,
        kms_key_arn=f.encryption.key_arn,
        repository_arn=repository_arn,
        log_retention_days=s.log_retention_days,
        task_statements=_task_statements(f),
        enable_exec=s.ecs_exec,
        capacity=placement(s.worker_capacity, on_demand_floor=s.worker_min_count),
        scaling=_worker_scaling(config),
        after=[cluster.capacity_providers],
    )


def _worker_scaling(config: StackConfig) -> Scaling:
    """Workers follow the queue's backlog, from zero when the stack allows it."""
    s = config.settings
    # The app publishes queue depth under the service's dimensions (see app.contract's catalogue).
    dimensions = {
        contract.DIM.SERVICE: contract.SERVICE_NAME,
        contract.DIM.ENVIRONMENT: s.deployment_env,
    }
    for spec in (contract.QUEUE_DEPTH, contract.QUEUE_WORKERS):
        if set(dimensions) != set(spec.dimensions[0]):
            raise ValueError(f"{spec.name} is published under {spec.dimensions}; update _worker_scaling")
    return Scaling(
        min_count=s.worker_min_count,
        max_count=s.worker_max_count,
        desired_count=s.worker_min_count,
        backlog=Backlog(
            published=APP_METRICS,
            metric_name=contract.QUEUE_DEPTH.name,
            consumers_metric_name=contract.QUEUE_WORKERS.name,
            dimensions=dimensions,
            per_task=s.worker_jobs_per_task,
        ),
        idle_minutes=WORKER_IDLE_MINUTES,
    )


def _nightly_args(config: StackConfig, worker: FargateServiceArgs) -> FargateServiceArgs:
    """The nightly maintenance run: the worker's sizes, started by EventBridge Scheduler."""
    s = config.settings
    return replace(
        worker,
        workload="scheduled",
        # A one-shot run: ECS judges it by its exit code, not a health check.
        container=replace(worker.container, command=contract.NIGHTLY_COMMAND, health_check=None),
        schedule=Schedule(cron=eventbridge_cron(s.nightly_cron), timezone=s.nightly_timezone),
        # The worker's capacity; `mixed` runs the single nightly task on-demand.
        capacity=placement(s.worker_capacity, on_demand_floor=1),
        scaling=None,  # a scheduled run is not a service: nothing to scale
    )


def _web_args(
    config: StackConfig, f: Foundation, edge: Edge, worker: FargateServiceArgs
) -> FargateServiceArgs:
    s, lb = config.settings, edge.load_balancer
    # The ALB's name (CloudFront sends it as Host) and the public domain; ALB health checks use the task
    # IP and the app exempts them.
    hosts = lb.dns_name.apply(lambda dns: ",".join(h for h in (s.domain_name, dns) if h))
    environment = dict(worker.container.environment) | {
        contract.ENV.PORT: str(contract.CONTAINER_PORT),
        contract.ENV.ALLOWED_HOSTS: hosts,
        contract.ENV.TRUSTED_PROXY_HOPS: str(edge.proxy_hops),
    }
    return replace(
        worker,
        workload="web",
        container=replace(
            worker.container,
            command=None,  # the image's CMD serves HTTP
            environment=environment,
            stop_timeout=WEB_STOP_TIMEOUT,
            port=contract.CONTAINER_PORT,
            health_check=contract.PROBE_COMMAND,
            migrate_command=contract.MIGRATE_COMMAND,
        ),
        cpu=s.web_cpu,
        memory=s.web_memory,
        security_group_ids=[lb.targets_security_group_id, f.network.app_security_group_id],
        target_group_arn=lb.target_group_arn,
        health_check_grace_seconds=HEALTH_CHECK_GRACE,
        capacity=placement(s.web_capacity, on_demand_floor=s.web_min_count),
        scaling=Scaling(
            min_count=s.web_min_count,
            max_count=s.web_max_count,
            desired_count=s.web_desired_count,
            cpu_target_percent=s.web_cpu_target_percent,
            requests_per_target=s.web_requests_per_target,
            request_count_label=lb.request_count_label,
        ),
    )
