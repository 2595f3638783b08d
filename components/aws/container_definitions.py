"""ECS container definitions as plain data: the JSON `RegisterTaskDefinition` receives, built in one place.

Every container runs as the image's unprivileged user on a read-only root filesystem with only the paths
the image writes at runtime writable (task-local volumes), drops every Linux capability, runs under an
init process (signals reach the app, zombies are reaped), and logs to its service's KMS-encrypted log
group.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

APP_CONTAINER = "app"
MIGRATE_CONTAINER = "migrate"
# ECS Exec's SSM agent writes here; on a read-only root it crashes unless these are writable volumes
# (aws/containers-roadmap#1359). Mounted only when ECS Exec is on.
EXEC_AGENT_VOLUMES = {
    "exec-agent": "/managed-agents",
    "exec-state": "/var/lib/amazon/ssm",
    "exec-logs": "/var/log/amazon/ssm",
}


def volume_name(path: str) -> str:
    """A task volume's name from its path: /tmp -> tmp, /var/cache/app -> var-cache-app."""
    return path.strip("/").replace("/", "-")


def writable_volumes(paths: Sequence[str], ecs_exec: bool) -> dict[str, str]:
    """Task-local volumes (name -> container path): the only writable places in a container."""
    app_paths = {volume_name(path): path for path in paths}
    return app_paths | (EXEC_AGENT_VOLUMES if ecs_exec else {})


@dataclass(frozen=True)
class ContainerSpec:
    """What the service runs; values already resolved (plain strings)."""

    image: str
    command: Sequence[str] | None
    environment: Mapping[str, str]
    secrets: Mapping[str, str]  # env var name -> valueFrom (secret ARN, optionally with a JSON key)
    stop_timeout: int
    run_as: str  # "uid:gid", the image's unprivileged user; never root
    writable_paths: Sequence[str]  # the only writable paths, each a task-local volume
    port: int | None = None
    health_check: Sequence[str] | None = None  # CMD argv
    migrate_command: Sequence[str] | None = None  # runs to success before the app container starts
    ecs_exec: bool = False
    log_group: str = ""
    region: str = ""
    stream_prefix: str = "app"


def _common(spec: ContainerSpec, name: str) -> dict[str, Any]:
    return {
        "name": name,
        "image": spec.image,
        "environment": [{"name": k, "value": v} for k, v in sorted(spec.environment.items())],
        "secrets": [{"name": k, "valueFrom": v} for k, v in sorted(spec.secrets.items())],
        "readonlyRootFilesystem": True,
        "user": spec.run_as,
        "mountPoints": [
            {"sourceVolume": volume, "containerPath": path, "readOnly": False}
            for volume, path in writable_volumes(spec.writable_paths, spec.ecs_exec).items()
        ],
        "linuxParameters": {"initProcessEnabled": True, "capabilities": {"drop": ["ALL"]}},
        "logConfiguration": {
            "logDriver": "awslogs",
            "options": {
                "awslogs-group": spec.log_group,
                "awslogs-region": spec.region,
                "awslogs-stream-prefix": name if name != APP_CONTAINER else spec.stream_prefix,
            },
        },
    }


def container_definitions(spec: ContainerSpec) -> list[dict[str, Any]]:
    app: dict[str, Any] = _common(spec, APP_CONTAINER) | {"essential": True, "stopTimeout": spec.stop_timeout}
    if spec.command:
        app["command"] = list(spec.command)
    if spec.port is not None:
        app["portMappings"] = [{"containerPort": spec.port, "protocol": "tcp", "name": "http"}]
    if spec.health_check:
        app["healthCheck"] = {
            "command": ["CMD", *spec.health_check],
            "interval": 30,
            "timeout": 5,
            "retries": 3,
            "startPeriod": 30,
        }
    containers = [app]
    if spec.migrate_command:
        # Non-essential: it exits when done; the app starts only if it exited 0, so a task never serves
        # a schema older than its code. Concurrent tasks serialise in app.migrate.
        migrate = _common(spec, MIGRATE_CONTAINER) | {
            "essential": False,
            "command": list(spec.migrate_command),
            "stopTimeout": spec.stop_timeout,
        }
        app["dependsOn"] = [{"containerName": MIGRATE_CONTAINER, "condition": "SUCCESS"}]
        containers.insert(0, migrate)
    return containers
