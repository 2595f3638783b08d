"""Launchpad: one program, every stack. Stacks differ only in their Pulumi.<stack>.yaml."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

import stack_config
from components.bucket import SecureBucket, SecureBucketArgs
from components.budget import Budget, BudgetArgs
from components.cache import Cache, CacheArgs
from components.database import Database, DatabaseArgs
from components.encryption import Encryption, EncryptionArgs
from components.network import Network, NetworkArgs
from components.secrets import AppSecrets, AppSecretsArgs

config = stack_config.load()  # raises one ConfigError listing every problem, before any resource exists
s = config.settings
base = config.base_name

if "aws" in s.targets:
    # Every AWS resource goes through this provider, so every one carries the stack's tags.
    aws_provider = aws.Provider(
        "aws",
        region=config.aws_region,
        default_tags=aws.ProviderDefaultTagsArgs(tags=config.tags),
    )
    on_aws = pulumi.ResourceOptions(providers=[aws_provider])

    encryption = Encryption(base, EncryptionArgs(alias=base), opts=on_aws)
    network = Network(
        base,
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
        opts=on_aws,
    )

    log_bucket = None
    if s.access_logs:
        log_bucket = SecureBucket(
            f"{base}-logs",
            SecureBucketArgs(
                encryption="s3",
                noncurrent_version_expire_days=s.noncurrent_version_expire_days,
                expire_days=max(s.uploads_expire_days, 90),
                log_delivery_source_arns=[f"arn:aws:s3:::{base}-*"],
            ),
            opts=on_aws,
        )

    def app_bucket(role: str, expire_days: int | None) -> SecureBucket:
        return SecureBucket(
            f"{base}-{role}",
            SecureBucketArgs(
                encryption="kms",
                kms_key_arn=encryption.key_arn,
                noncurrent_version_expire_days=s.noncurrent_version_expire_days,
                expire_days=expire_days,
                access_log_bucket=log_bucket.bucket_name if log_bucket else None,
            ),
            opts=on_aws,
        )

    uploads = app_bucket("uploads", s.uploads_expire_days)
    token_sync = app_bucket("token-sync", None)

    secrets = AppSecrets(
        f"{base}-secrets",
        AppSecretsArgs(
            path_prefix=f"{config.project}/{config.stack}",
            kms_key_arn=encryption.key_arn,
            values={
                "huggingface-api-key": config.secrets.huggingface_api_key,
                "gemini-api-key": config.secrets.gemini_api_key,
                "anthropic-api-key": config.secrets.anthropic_api_key,
                "synced-token": config.secrets.synced_token,
            },
        ),
        opts=on_aws,
    )

    database = Database(
        f"{base}-db",
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
        opts=on_aws,
    )

    cache = Cache(
        f"{base}-cache",
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
        ),
        opts=on_aws,
    )

    budget = Budget(
        f"{base}-budget",
        BudgetArgs(
            monthly_limit_usd=s.monthly_budget_usd,
            alert_email=str(s.alert_email),
            kms_key_arn=encryption.key_arn,
            cost_filter_tag=("stack", config.stack),
        ),
        opts=on_aws,
    )

    pulumi.export("vpc_id", network.vpc_id)
    pulumi.export("public_subnet_ids", network.public_subnet_ids)
    pulumi.export("private_subnet_ids", network.private_subnet_ids)
    pulumi.export("isolated_subnet_ids", network.isolated_subnet_ids)
    pulumi.export("kms_key_arn", encryption.key_arn)
    pulumi.export("uploads_bucket", uploads.bucket_name)
    pulumi.export("token_sync_bucket", token_sync.bucket_name)
    pulumi.export("secret_arns", secrets.arns)
    pulumi.export("db_endpoint", database.address)
    pulumi.export("db_port", database.port)
    pulumi.export("db_master_secret_arn", database.master_secret_arn)
    pulumi.export("redis_endpoint", cache.primary_endpoint)
    pulumi.export("redis_auth_secret_arn", cache.auth_secret_arn)
    pulumi.export("alerts_topic_arn", budget.topic_arn)
