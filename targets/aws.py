"""AWS target for one stack: the foundation (KMS key, network, buckets, secrets, database, cache,
budget), the ECR registry the image is pushed to, and the compute layer that runs it.

`__main__` calls `build_foundation`, `ecr_registry` and `deploy_compute` in that order; each builder
below creates one concern from the validated settings. Nothing here branches on the stack's name.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pulumi
import pulumi_aws as aws

from app import contract
from components.app_image import RegistryTarget
from components.bucket import LogDelivery, SecureBucket, SecureBucketArgs
from components.budget import Budget, BudgetArgs
from components.cache import Cache, CacheArgs
from components.database import Database, DatabaseArgs
from components.ecr_repository import EcrRepository, EcrRepositoryArgs
from components.ecs_cluster import EcsCluster, EcsClusterArgs
from components.encryption import Encryption, EncryptionArgs
from components.fargate_service import Container, FargateService, FargateServiceArgs, Scaling, Schedule
from components.iam_policy import Condition, Statement
from components.load_balancer import HttpsArgs, LoadBalancer, LoadBalancerArgs
from components.network import Network, NetworkArgs
from components.secrets import AppSecrets, AppSecretsArgs
from components.waf import Waf, WafArgs
from stack_config import StackConfig
from targets.cron import eventbridge_cron

REGISTRY_NAME = "ecr"  # the key of this registry's ref in AppImage.refs


@dataclass
class Foundation:
    """What the compute layer builds on."""

    opts: pulumi.ResourceOptions
    encryption: Encryption
    network: Network
    log_bucket: SecureBucket | None
    uploads: SecureBucket
    token_sync: SecureBucket
    secrets: AppSecrets
    database: Database
    cache: Cache
    budget: Budget
    provider: aws.Provider  # the tagged provider behind `opts`, for data-source calls


def foundation_outputs(f: Foundation) -> dict[str, Any]:
    """What the stack exports about its foundation."""
    return {
        "vpc_id": f.network.vpc_id,
        "public_subnet_ids": f.network.public_subnet_ids,
        "private_subnet_ids": f.network.private_subnet_ids,
        "isolated_subnet_ids": f.network.isolated_subnet_ids,
        "kms_key_arn": f.encryption.key_arn,
        "uploads_bucket": f.uploads.bucket_name,
        "token_sync_bucket": f.token_sync.bucket_name,
        "secret_arns": f.secrets.arns,
        "db_endpoint": f.database.address,
        "db_port": f.database.port,
        "db_master_secret_arn": f.database.master_secret_arn,
        "redis_endpoint": f.cache.primary_endpoint,
        "redis_auth_secret_arn": f.cache.auth_secret_arn,
        "alerts_topic_arn": f.budget.topic_arn,
    }


def build_foundation(config: StackConfig) -> Foundation:
    # Every AWS resource goes through this provider, so every one carries the stack's tags.
    provider = aws.Provider(
        "aws", region=config.aws_region, default_tags=aws.ProviderDefaultTagsArgs(tags=config.tags)
    )
    opts = pulumi.ResourceOptions(providers=[provider])
    encryption = Encryption(config.base_name, EncryptionArgs(alias=config.base_name), opts=opts)
    network = _network(config, encryption, opts)
    log_bucket = _log_bucket(config, opts, provider)
    return Foundation(
        opts=opts,
        encryption=encryption,
        network=network,
        log_bucket=log_bucket,
        uploads=_app_bucket(
            config,
            "uploads",
            expire_days=config.settings.uploads_expire_days,
            encryption=encryption,
            log_bucket=log_bucket,
            opts=opts,
        ),
        token_sync=_app_bucket(
            config, "token-sync", expire_days=None, encryption=encryption, log_bucket=log_bucket, opts=opts
        ),
        secrets=_secrets(config, encryption, opts),
        database=_database(config, encryption, network, opts),
        cache=_cache(config, encryption, network, opts),
        budget=_budget(config, encryption, opts),
        provider=provider,
    )


def _network(config: StackConfig, encryption: Encryption, opts: pulumi.ResourceOptions) -> Network:
    s = config.settings
    return Network(
        config.base_name,
        NetworkArgs(
            cidr=str(s.vpc_cidr),
            az_count=s.az_count,
            nat_strategy=s.nat_strategy,
            kms_key_arn=encryption.key_arn,
            flow_log_retention_days=s.flow_log_retention_days,
            subnet_cidrs={
                "public": [str(c) for c in s.public_subnet_cidrs],
                "private": [str(c) for c in s.private_subnet_cidrs],
                "isolated": [str(c) for c in s.isolated_subnet_cidrs],
            },
        ),
        opts=opts,
    )


def _alb_log_delivery(provider: aws.Provider) -> LogDelivery:
    """ALB access logs: regions opened before August 2022 (us-east-1 among them) deliver from the
    region's ELB account, newer ones from the log-delivery service principal; granting both works in
    either kind of region."""
    elb_account = aws.elb.get_service_account_output(opts=pulumi.InvokeOutputOptions(provider=provider))
    return LogDelivery(
        prefix=ALB_LOG_PREFIX,
        service_principals=["logdelivery.elasticloadbalancing.amazonaws.com"],
        account_principals=[elb_account.arn],
    )


def _log_bucket(
    config: StackConfig, opts: pulumi.ResourceOptions, provider: aws.Provider
) -> SecureBucket | None:
    s = config.settings
    if not s.access_logs:
        return None
    return SecureBucket(
        f"{config.base_name}-logs",
        SecureBucketArgs(
            encryption="s3",
            noncurrent_version_expire_days=s.noncurrent_version_expire_days,
            # Keep access logs at least 90 days whatever the uploads keep: they serve investigations.
            expire_days=max(s.uploads_expire_days, 90),
            log_delivery_source_arns=[f"arn:aws:s3:::{config.base_name}-*"],
            log_deliveries=[_alb_log_delivery(provider)],
            force_destroy=s.force_destroy_data,
        ),
        opts=opts,
    )


def _app_bucket(
    config: StackConfig,
    role: str,
    *,
    expire_days: int | None,
    encryption: Encryption,
    log_bucket: SecureBucket | None,
    opts: pulumi.ResourceOptions,
) -> SecureBucket:
    return SecureBucket(
        f"{config.base_name}-{role}",
        SecureBucketArgs(
            encryption="kms",
            kms_key_arn=encryption.key_arn,
            noncurrent_version_expire_days=config.settings.noncurrent_version_expire_days,
            expire_days=expire_days,
            access_log_bucket=log_bucket.bucket_name if log_bucket else None,
            force_destroy=config.settings.force_destroy_data,
        ),
        opts=opts,
    )


def _secrets(config: StackConfig, encryption: Encryption, opts: pulumi.ResourceOptions) -> AppSecrets:
    values = config.secrets
    return AppSecrets(
        f"{config.base_name}-secrets",
        AppSecretsArgs(
            path_prefix=f"{config.project}/{config.stack}",
            kms_key_arn=encryption.key_arn,
            recovery_window_days=config.settings.secret_recovery_days,
            values={
                "huggingface-api-key": values.huggingface_api_key,
                "gemini-api-key": values.gemini_api_key,
                "anthropic-api-key": values.anthropic_api_key,
                "synced-token": values.synced_token,
            },
        ),
        opts=opts,
    )


def _database(
    config: StackConfig, encryption: Encryption, network: Network, opts: pulumi.ResourceOptions
) -> Database:
    s = config.settings
    return Database(
        f"{config.base_name}-db",
        DatabaseArgs(
            vpc_id=network.vpc_id,
            subnet_ids=network.isolated_subnet_ids,
            app_security_group_id=network.app_security_group_id,
            kms_key_arn=encryption.key_arn,
            instance_class=s.db_instance_class,
            engine_version=s.db_engine_version,
            allocated_storage_gb=s.db_allocated_storage_gb,
            max_allocated_storage_gb=s.db_max_allocated_storage_gb,
            multi_az=s.db_multi_az,
            backup_retention_days=s.db_backup_retention_days,
            deletion_protection=s.db_deletion_protection,
            final_snapshot=s.db_final_snapshot,
            performance_insights=s.db_performance_insights,
            monitoring_interval_seconds=s.db_monitoring_interval_seconds,
        ),
        opts=opts,
    )


def _cache(
    config: StackConfig, encryption: Encryption, network: Network, opts: pulumi.ResourceOptions
) -> Cache:
    s = config.settings
    return Cache(
        f"{config.base_name}-cache",
        CacheArgs(
            vpc_id=network.vpc_id,
            subnet_ids=network.isolated_subnet_ids,
            app_security_group_id=network.app_security_group_id,
            kms_key_arn=encryption.key_arn,
            node_type=s.cache_node_type,
            node_count=s.cache_node_count,
            engine_version=s.cache_engine_version,
            snapshot_retention_days=s.cache_snapshot_retention_days,
            auth_secret_name=f"{config.project}/{config.stack}/cache-auth-token",
            secret_recovery_days=s.secret_recovery_days,
        ),
        opts=opts,
    )


def _budget(config: StackConfig, encryption: Encryption, opts: pulumi.ResourceOptions) -> Budget:
    s = config.settings
    # stack_config requires both for AWS targets; BudgetArgs refuses anything else.
    return Budget(
        f"{config.base_name}-budget",
        BudgetArgs(
            monthly_limit_usd=s.monthly_budget_usd or 0,
            alert_email=s.alert_email or "",
            kms_key_arn=encryption.key_arn,
            cost_filter_tag=("stack", config.stack),
        ),
        opts=opts,
    )


# ---- compute: ECR, ECS cluster, ALB (+ WAF), web / worker / nightly Fargate services ----

# The app drains in-flight requests for SHUTDOWN_GRACE_SECONDS after SIGTERM; Fargate must not SIGKILL
# before that, and the ALB's draining (deregistration delay) must end within the same budget so no
# request admitted before deregistration outlives the task.
WEB_STOP_TIMEOUT = 2 * contract.SHUTDOWN_GRACE_SECONDS + 4
DEREGISTRATION_DELAY = contract.SHUTDOWN_GRACE_SECONDS + 2
# RQ's warm shutdown lets the running job finish; Fargate's ceiling is 120 s (longer jobs are requeued).
WORKER_STOP_TIMEOUT = 120
# Long enough for the migrate container and app start-up before ALB health checks count.
HEALTH_CHECK_GRACE = 90
ALB_LOG_PREFIX = "alb"


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
    """ECS cluster, ALB, WAF and the three Fargate roles running `image_ref` (pinned by digest)."""
    s, opts, base = config.settings, foundation.opts, config.base_name
    cluster = EcsCluster(f"{base}-ecs", EcsClusterArgs(), opts=opts)
    lb = _load_balancer(config, foundation)
    if s.waf_enabled:
        Waf(
            f"{base}-waf",
            WafArgs(resource_arn=lb.arn, requests_per_minute=s.waf_requests_per_minute),
            opts=opts,
        )
    common = _service_args(config, foundation, cluster, image_ref, ecr.repository_arn)
    web = FargateService(f"{base}-web", _web_args(config, foundation, lb, common), opts=opts)
    worker = FargateService(f"{base}-worker", _worker_args(config, common), opts=opts)
    nightly = FargateService(
        f"{base}-nightly",
        replace(
            common,
            role="scheduled",
            container=replace(common.container, command=contract.NIGHTLY_COMMAND),
            schedule=Schedule(cron=eventbridge_cron(s.nightly_cron), timezone=s.nightly_timezone),
        ),
        opts=opts,
    )
    warnings = _warnings(lb)
    for warning in warnings:
        pulumi.log.warn(warning)
    return {
        "service_url": lb.url,
        "alb_dns_name": lb.dns_name,
        "https_enabled": lb.https_enabled,
        "warnings": warnings,
        "cluster_name": cluster.name,
        "web_service_name": web.service_name,
        "worker_service_name": worker.service_name,
        "nightly_task_definition_arn": nightly.task_definition_arn,
        "image_ref": image_ref,
        "task_networking": _task_networking(foundation),
    }


def _warnings(lb: LoadBalancer) -> list[str]:
    if lb.https_enabled:
        return []
    return [
        "HTTP ONLY: no domainName is configured, so the load balancer serves plain HTTP and API keys "
        "cross the internet unencrypted. Set domainName with hostedZoneId or certificateArn."
    ]


def _task_networking(foundation: Foundation) -> dict[str, Any]:
    """Where tasks run, stated in the outputs so a stack without NAT is never silently public."""
    if foundation.network.has_nat:
        return {"subnet_tier": "private", "assign_public_ip": False, "egress": "NAT gateway"}
    return {
        "subnet_tier": "public",
        "assign_public_ip": True,
        "egress": "public IP (natStrategy none); inbound still only through the load balancer",
    }


def _load_balancer(config: StackConfig, foundation: Foundation) -> LoadBalancer:
    s = config.settings
    log_bucket = foundation.log_bucket
    https = (
        HttpsArgs(s.domain_name, hosted_zone_id=s.hosted_zone_id, certificate_arn=s.certificate_arn)
        if s.domain_name
        else None
    )
    return LoadBalancer(
        f"{config.base_name}-lb",
        LoadBalancerArgs(
            vpc_id=foundation.network.vpc_id,
            subnet_ids=foundation.network.public_subnet_ids,
            container_port=contract.CONTAINER_PORT,
            # Liveness, not the deep HEALTH_PATH: decisions are served with the database or Redis down,
            # and a deep check would make the ALB fail every task and ECS replace them all in an outage.
            # HEALTH_PATH is for monitoring, where a 503 naming the dependency belongs.
            health_check_path=contract.LIVE_PATH,
            deregistration_delay_seconds=DEREGISTRATION_DELAY,
            deletion_protection=s.alb_deletion_protection,
            https=https,
            access_log_bucket=log_bucket.bucket_name if log_bucket else None,
            access_log_prefix=ALB_LOG_PREFIX,
            depends_on=[log_bucket] if log_bucket else [],
        ),
        opts=foundation.opts,
    )


def _app_environment(config: StackConfig, f: Foundation) -> dict[str, pulumi.Input[str]]:
    """Plain settings only. Provider keys, the synced token, client API keys and the database login
    travel as secret ARNs (an ARN is not a secret): the app reads them at runtime through its task role,
    so a rotated key or password is picked up without a restart, and tasks start before an operator has
    stored the provider keys."""
    env = contract.ENV
    arns = f.secrets.arns
    return {
        env.DEPLOYMENT_ENV: config.settings.deployment_env,
        env.DATABASE_HOST: f.database.address,
        env.DATABASE_PORT: f.database.port.apply(str),
        env.DATABASE_NAME: f.database.db_name,
        env.DATABASE_SECRET_ARN: f.database.master_secret_arn,
        # RDS forces TLS; verify-full would need the RDS CA bundle in the image.
        env.DATABASE_SSLMODE: "require",
        env.REDIS_HOST: f.cache.primary_endpoint,
        env.REDIS_PORT: f.cache.port.apply(str),
        env.REDIS_TLS: "true",
        env.UPLOADS_BUCKET: f.uploads.bucket_name,
        env.TOKEN_SYNC_BUCKET: f.token_sync.bucket_name,
        env.HUGGINGFACE_API_KEY_SECRET_ARN: arns["huggingface-api-key"],
        env.GEMINI_API_KEY_SECRET_ARN: arns["gemini-api-key"],
        env.ANTHROPIC_API_KEY_SECRET_ARN: arns["anthropic-api-key"],
        env.SYNCED_TOKEN_SECRET_ARN: arns["synced-token"],
        env.API_KEYS_SECRET_ARN: arns["api-keys"],
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
        Statement(sid="TokenSyncRead", actions=["s3:GetObject"], resources=[objects(f.token_sync)]),
        Statement(
            sid="ListAppBuckets", actions=["s3:ListBucket"], resources=[f.uploads.arn, f.token_sync.arn]
        ),
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
            resources=[*f.secrets.arns.values(), f.database.master_secret_arn],
        ),
        Statement(
            sid="DecryptRuntimeSecrets",
            actions=["kms:Decrypt"],
            resources=[f.encryption.key_arn],
            conditions=[via("secretsmanager")],
        ),
    ]


def _service_args(
    config: StackConfig,
    f: Foundation,
    cluster: EcsCluster,
    image_ref: pulumi.Output[str],
    repository_arn: pulumi.Output[str],
) -> FargateServiceArgs:
    """What every role shares; each role replaces its own parts."""
    s = config.settings
    has_nat = f.network.has_nat
    return FargateServiceArgs(
        role="worker",
        cluster_arn=cluster.arn,
        cluster_name=cluster.name,
        container=Container(
            image=image_ref,
            command=contract.WORKER_COMMAND,
            environment=_app_environment(config, f),
            secrets=_injected_secrets(f),
            stop_timeout=WORKER_STOP_TIMEOUT,
        ),
        cpu=s.worker_cpu,
        memory=s.worker_memory,
        cpu_architecture="ARM64" if s.cpu_architecture == "arm64" else "X86_64",
        # No NAT (dev): public subnets with a public IP reach ECR, Secrets Manager and the AI providers.
        subnet_ids=f.network.private_subnet_ids if has_nat else f.network.public_subnet_ids,
        security_group_ids=[f.network.app_security_group_id],
        assign_public_ip=not has_nat,
        kms_key_arn=f.encryption.key_arn,
        repository_arn=repository_arn,
        log_retention_days=s.log_retention_days,
        task_statements=_task_statements(f),
        enable_exec=s.ecs_exec,
    )


def _web_args(
    config: StackConfig, f: Foundation, lb: LoadBalancer, common: FargateServiceArgs
) -> FargateServiceArgs:
    s = config.settings
    # The ALB's name and the public domain; ALB health checks use the task IP and the app exempts them.
    hosts = lb.dns_name.apply(lambda dns: ",".join(h for h in (s.domain_name, dns) if h))
    environment = dict(common.container.environment) | {
        contract.ENV.PORT: str(contract.CONTAINER_PORT),
        contract.ENV.ALLOWED_HOSTS: hosts,
    }
    return replace(
        common,
        role="web",
        container=replace(
            common.container,
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
        scaling=Scaling(
            min_count=s.web_min_count,
            max_count=s.web_max_count,
            desired_count=s.web_desired_count,
            cpu_target_percent=s.web_cpu_target_percent,
            requests_per_target=s.web_requests_per_target,
            request_count_label=lb.request_count_label,
        ),
    )


def _worker_args(config: StackConfig, common: FargateServiceArgs) -> FargateServiceArgs:
    s = config.settings
    # The app publishes queue depth under the service's dimensions (see app.contract's catalogue).
    dimensions = {
        contract.DIM.SERVICE: contract.SERVICE_NAME,
        contract.DIM.ENVIRONMENT: s.deployment_env,
    }
    if set(dimensions) != set(contract.QUEUE_DEPTH.dimensions[0]):
        raise ValueError(
            f"queue depth is published under {contract.QUEUE_DEPTH.dimensions}; update _worker_args"
        )
    return replace(
        common,
        scaling=Scaling(
            min_count=s.worker_min_count,
            max_count=s.worker_max_count,
            desired_count=s.worker_min_count,
            per_task_metric=(contract.METRICS_NAMESPACE, contract.QUEUE_DEPTH.name, dimensions),
            per_task_target=s.worker_jobs_per_task,
        ),
    )
