"""Local target: the whole system on this machine's Docker engine, no cloud account and no cloud config."""

from __future__ import annotations

import uuid
from typing import Any

import pulumi

from components.local.stack import LocalStack, LocalStackArgs
from stack_config import StackConfig


def deploy(config: StackConfig, image_ref: pulumi.Input[str]) -> dict[str, Any]:
    """Postgres, Valkey, migrations, web and worker around the locally built image."""
    s = config.settings
    stack = LocalStack(
        config.base_name,
        LocalStackArgs(
            image=image_ref,
            postgres_image=s.local_postgres_image,
            redis_image=s.local_redis_image,
            web_port=s.local_web_port,
            postgres_port=s.local_postgres_port,
            deployment_env=s.deployment_env,
            cors_origins=list(s.cors_origins),
            secret_env=config.secrets.provider_keys(),
            labels=config.tags,
            # A new value each run: `pulumi up` always re-runs the (idempotent) migrations.
            migration_run=uuid.uuid4().hex,
        ),
    )
    outputs: dict[str, Any] = {"local_url": stack.url, "local_migrate_exit_code": stack.migrate_exit_code}
    if stack.postgres_url is not None:
        outputs["local_postgres_url"] = stack.postgres_url
    return outputs
