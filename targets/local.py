"""Local target: the whole system on this machine's Docker engine, no cloud account and no cloud config."""

from __future__ import annotations

import uuid
from typing import Any

import pulumi

from app import contract
from components.local.stack import LOOPBACK, REDIS_URL, LocalApp, LocalStack, LocalStackArgs
from stack_config import StackConfig


def deploy(config: StackConfig, image_ref: pulumi.Input[str]) -> dict[str, Any]:
    """Postgres, Valkey, migrations, web and worker around the locally built image."""
    s = config.settings
    stack = LocalStack(
        config.base_name,
        LocalStackArgs(
            image=image_ref,
            app=_app(config),
            postgres_image=s.local_postgres_image,
            redis_image=s.local_redis_image,
            web_port=s.local_web_port,
            postgres_port=s.local_postgres_port,
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


def _app(config: StackConfig) -> LocalApp:
    """How the image runs, from the app's contract; the data stores are the stack's own containers."""
    env = contract.ENV
    return LocalApp(
        port=contract.CONTAINER_PORT,
        uid=contract.APP_UID,
        writable_paths=contract.WRITABLE_PATHS,
        shutdown_grace_seconds=contract.SHUTDOWN_GRACE_SECONDS,
        web_probe=contract.PROBE_COMMAND,
        worker_probe=contract.WORKER_PROBE_COMMAND,
        worker_command=contract.WORKER_COMMAND,
        migrate_command=contract.MIGRATE_COMMAND,
        environment={
            env.DEPLOYMENT_ENV: config.settings.deployment_env,
            env.REDIS_URL: REDIS_URL,
            env.CORS_ORIGINS: ",".join(config.settings.cors_origins),
            env.ALLOWED_HOSTS: f"localhost,{LOOPBACK}",
        },
        database_url_env=env.DATABASE_URL,
    )
