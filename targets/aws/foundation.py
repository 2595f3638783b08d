"""The AWS foundation of a stack: KMS key, network, buckets, secrets, database, cache and budget.

Each builder below creates one concern from the validated settings. Nothing here branches on the
stack's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import pulumi
import pulumi_aws as aws

from app import contract
from cloud_facts.aws.ecs import FARGATE_UNSUPPORTED_ZONE_IDS
from components.aws.bucket import LogDelivery, SecureBucket, SecureBucketArgs
from components.aws.budget import Budget, BudgetArgs, topic_publishers
from components.aws.cache import Cache, CacheArgs
from components.aws.cost_anomaly import CostAnomalyArgs, CostAnomalyMonitor
from components.aws.database import Database, DatabaseArgs
from components.aws.encryption import Encryption, EncryptionArgs
from components.aws.network import Network, NetworkArgs
from components.aws.secrets import AppSecrets, AppSecretsArgs
from stack_config import StackConfig
from targets.generated_secrets import AWS_CACHE_AUTH, AWS_DB_READONLY

ALB_LOG_PREFIX = "alb"


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
        "db_readonly_secret_arn": f.database.readonly_secret_arn,
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
    monitor = config.settings.cost_anomaly_monitor
    anomaly_mode = None if monitor == "off" else monitor  # Cost Anomaly Detection alerts the topic when set
    anomaly_alerts = anomaly_mode is not None
    encryption = Encryption(
        config.base_name,
        EncryptionArgs(alias=config.base_name, topic_publishers=topic_publishers(anomaly_alerts)),
        opts=opts,
    )
    network = _network(config, encryption, opts)
    log_bucket = _log_bucket(config, opts, provider)
    budget = _budget(config, encryption, opts, anomaly_alerts=anomaly_alerts)
    foundation = Foundation(
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
        budget=budget,
        provider=provider,
    )
    if anomaly_mode:
        _cost_anomaly(config, budget, opts, anomaly_mode)
    return foundation


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
            # Every task runs in these subnets: leave out the zones where Fargate cannot run its architecture.
            excluded_zone_ids=FARGATE_UNSUPPORTED_ZONE_IDS[s.fargate_architecture],
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
    return AppSecrets(
        f"{config.base_name}-secrets",
        AppSecretsArgs(
            path_prefix=f"{config.project}/{config.stack}",
            kms_key_arn=encryption.key_arn,
            recovery_window_days=config.settings.secret_recovery_days,
            descriptions={secret.name: secret.description for secret in contract.app_secrets("aws")},
            values=config.secrets.kept_by("aws"),
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
            readonly_secret_name=f"{config.project}/{config.stack}/{AWS_DB_READONLY}",
            readonly_username=contract.READONLY_DATABASE_ROLE,
            secret_recovery_days=s.secret_recovery_days,
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
            auth_secret_name=f"{config.project}/{config.stack}/{AWS_CACHE_AUTH}",
            secret_recovery_days=s.secret_recovery_days,
        ),
        opts=opts,
    )


def paging_alarm_name(config: StackConfig) -> str:
    """The composite alarm that means users are affected: the one a pager should be woken by."""
    return f"{config.base_name}-service-unhealthy"


def _budget(
    config: StackConfig, encryption: Encryption, opts: pulumi.ResourceOptions, *, anomaly_alerts: bool
) -> Budget:
    s = config.settings
    # stack_config requires an address and an amount for AWS targets; BudgetArgs refuses anything else.
    return Budget(
        f"{config.base_name}-budget",
        BudgetArgs(
            monthly_limit_usd=s.monthly_budget_usd or 0,
            alert_emails=list(s.alert_addresses),
            kms_key_arn=encryption.key_arn,
            cost_filter_tag=("stack", config.stack) if s.budget_scope == "stack" else None,
            activate_tag=s.activate_cost_allocation_tag,
            https_endpoint=s.alert_https_endpoint,
            paging_alarm_names=[paging_alarm_name(config)],
            anomaly_alerts=anomaly_alerts,
        ),
        opts=opts,
    )


def _cost_anomaly(
    config: StackConfig, budget: Budget, opts: pulumi.ResourceOptions, mode: Literal["stack", "account"]
) -> CostAnomalyMonitor:
    s = config.settings
    # stack_config lets `stack` through only with the tag activated here (the budget activates it then).
    return CostAnomalyMonitor(
        f"{config.base_name}-cost-anomaly",
        CostAnomalyArgs(
            mode=mode,
            topic_arn=budget.topic_arn,
            threshold_usd=s.cost_anomaly_threshold_usd,
            tag=("stack", config.stack) if mode == "stack" else None,
            depends_on=[budget],
        ),
        opts=opts,
    )


def budget_warnings(config: StackConfig) -> list[str]:
    s = config.settings
    if s.budget_scope != "stack" or s.activate_cost_allocation_tag:
        return []
    return [
        f"BUDGET: the budget counts spend tagged stack={config.stack}, which Billing ignores until `stack` "
        "is an active cost allocation tag. Activate it once in the payer account's Billing console, or set "
        "activateCostAllocationTag true (payer account, a day after the first deploy)."
    ]
