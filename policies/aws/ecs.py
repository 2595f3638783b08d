"""ECS on Fargate: unprivileged read-only containers, secrets from stores, no public IPs behind a NAT, and
an on-demand floor under any service that serves traffic from Fargate Spot."""

from __future__ import annotations

import json
from typing import Any

from pulumi_policy import Severity

from policies.base import ADVISORY, Props, configured_rule, resource_rule
from policies.meta import RuleMeta

TASK = "aws:ecs/taskDefinition:TaskDefinition"
SERVICE = "aws:ecs/service:Service"
CLUSTER = "aws:ecs/cluster:Cluster"
SECRET_NAME_HINTS = ("KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL")
# Variables that name a resource (a secret's ARN, a bucket) or a provider (SYNCED_TOKEN_PROVIDER: which AI
# provider the synced token is for), not a secret value.
RESOURCE_NAME_SUFFIXES = ("_ARN", "_BUCKET", "_PROVIDER")


def containers(props: Props) -> list[dict[str, Any]]:
    raw = props.get("containerDefinitions")
    return json.loads(raw) if isinstance(raw, str) else list(raw or [])


def _privileged(props: Props) -> list[str]:
    return [f"container {c.get('name', '?')} is privileged" for c in containers(props) if c.get("privileged")]


def _read_only_root(props: Props) -> list[str]:
    return [
        f"container {c.get('name', '?')} has a writable root filesystem"
        for c in containers(props)
        if c.get("readonlyRootFilesystem") is not True
    ]


def _looks_secret(variable: str) -> bool:
    upper = variable.upper()
    return any(hint in upper for hint in SECRET_NAME_HINTS) and not upper.endswith(RESOURCE_NAME_SUFFIXES)


def _no_secrets_in_environment(props: Props) -> list[str]:
    return [
        f"container {c.get('name', '?')} passes {env.get('name')} as plain environment; use `secrets`"
        for c in containers(props)
        for env in c.get("environment") or []
        if _looks_secret(str(env.get("name", "")))
    ]


def _host_namespaces(props: Props) -> list[str]:
    problems = []
    if props.get("networkMode") not in (None, "awsvpc"):
        problems.append(f"network mode {props.get('networkMode')} is not awsvpc")
    if props.get("pidMode") == "host" or props.get("ipcMode") == "host":
        problems.append("the task shares the host's PID or IPC namespace")
    return problems


def _separate_roles(props: Props) -> list[str]:
    execution = props.get("executionRoleArn")
    if execution and execution == props.get("taskRoleArn"):
        return ["the execution role and the task role are the same role"]
    return []


def _public_ip(props: Props, config: Any) -> list[str]:
    network = props.get("networkConfiguration") or {}
    if network.get("assignPublicIp") and not config.get("allowPublicIp", False):
        return ["tasks get public IPs; allowed only where the stack has no NAT (allowPublicIp)"]
    return []


def _container_insights(props: Props) -> list[str]:
    settings = {s.get("name"): s.get("value") for s in props.get("settings") or []}
    return (
        [] if settings.get("containerInsights") in ("enabled", "enhanced") else ["Container Insights is off"]
    )


def _serving_on_spot(props: Props) -> list[str]:
    """Spot capacity can be reclaimed from every task at once, and ECS does not fall back to on-demand:
    a service behind a load balancer keeps an on-demand base (webCapacity mixed) or stays on-demand."""
    strategy = props.get("capacityProviderStrategies") or []
    spot = any(i.get("capacityProvider") == "FARGATE_SPOT" and (i.get("weight") or 0) > 0 for i in strategy)
    floor = sum(int(i.get("base") or 0) for i in strategy if i.get("capacityProvider") == "FARGATE")
    if props.get("loadBalancers") and spot and floor < 1:
        return ["every task behind the load balancer runs on Fargate Spot, with no on-demand base"]
    return []


ECS_POLICIES = [
    resource_rule(
        RuleMeta(
            "ecs-no-privileged",
            "No container runs privileged.",
            Severity.HIGH,
            "Remove `privileged` from the container definition.",
            checkov=("CKV_AWS_334",),
            fsbp=("ECS.4",),
        ),
        TASK,
        _privileged,
    ),
    resource_rule(
        RuleMeta(
            "ecs-read-only-root",
            "Containers have a read-only root filesystem.",
            Severity.HIGH,
            "Set readonlyRootFilesystem true; mount a task volume on each writable path "
            "(app.contract.WRITABLE_PATHS).",
            checkov=("CKV_AWS_336",),
            fsbp=("ECS.5",),
        ),
        TASK,
        _read_only_root,
    ),
    resource_rule(
        RuleMeta(
            "ecs-no-secrets-in-environment",
            "Secrets reach containers from a secret store, not env.",
            Severity.CRITICAL,
            "Move the value to Secrets Manager and pass it in `secrets` (valueFrom) or as <NAME>_SECRET_ARN.",
            trivy=("AWS-0036",),
            fsbp=("ECS.8",),
        ),
        TASK,
        _no_secrets_in_environment,
    ),
    resource_rule(
        RuleMeta(
            "ecs-no-host-namespaces",
            "Tasks use awsvpc networking and never the host's PID or IPC.",
            Severity.HIGH,
            "Use networkMode awsvpc and drop pidMode/ipcMode host.",
            checkov=("CKV_AWS_335",),
            fsbp=("ECS.3",),
        ),
        TASK,
        _host_namespaces,
    ),
    resource_rule(
        RuleMeta(
            "ecs-separate-task-roles",
            "The execution role is not the task role.",
            Severity.MEDIUM,
            "Give the task its own role with only what the app does.",
            checkov=("CKV_AWS_249",),
        ),
        TASK,
        _separate_roles,
    ),
    configured_rule(
        RuleMeta(
            "ecs-no-public-ip",
            "Tasks get no public IP unless the stack has no NAT.",
            Severity.HIGH,
            "Use natStrategy single or per_az (tasks then run in private subnets).",
            checkov=("CKV_AWS_333",),
            fsbp=("ECS.2",),
        ),
        SERVICE,
        _public_ip,
        {"allowPublicIp": {"type": "boolean"}},
    ),
    resource_rule(
        RuleMeta(
            "ecs-latest-platform",
            "Fargate services run the latest platform version.",
            Severity.LOW,
            "Set platformVersion LATEST.",
            checkov=("CKV_AWS_332",),
            fsbp=("ECS.10",),
        ),
        SERVICE,
        lambda p: (
            []
            if p.get("platformVersion") in (None, "LATEST")
            else [f"pinned to platform version {p.get('platformVersion')}"]
        ),
    ),
    resource_rule(
        RuleMeta(
            "ecs-serving-on-spot",
            "A service behind a load balancer keeps an on-demand base under its Spot tasks.",
            Severity.MEDIUM,
            "Set webCapacity mixed (webMinCount tasks on-demand) or fargate; keep spot where an outage "
            "while Spot has no capacity is acceptable (dev).",
            category="availability",
        ),
        SERVICE,
        _serving_on_spot,
        ADVISORY,
    ),
    resource_rule(
        RuleMeta(
            "ecs-container-insights",
            "Clusters have Container Insights.",
            Severity.LOW,
            "Add the containerInsights setting (enabled or enhanced) to the cluster.",
            category="operations",
            checkov=("CKV_AWS_65",),
            trivy=("AWS-0034",),
            fsbp=("ECS.12",),
        ),
        CLUSTER,
        _container_insights,
    ),
]
