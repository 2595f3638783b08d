"""The settings of the AWS compute (ECS on Fargate), each key alone, and the rules between them.

`StackSettings` inherits these fields; `rules.py` adds `compute_problems` to its checks. Capacity is
chosen per service: `fargate` (on-demand), `spot` (Fargate Spot: interruptible, priced lower) or `mixed`
(the autoscaling minimum on-demand, tasks above it mostly on Spot). The nightly job runs on the worker's
capacity. Fargate Spot takes ARM64 tasks (Graviton) as well as X86_64 ones (see FARGATE_SPOT_PLATFORMS).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from cloud_facts.aws.ecs import FARGATE_TASK_SIZES
from stack_config.errors import Problem
from stack_config.hints import fix

Capacity = Literal["fargate", "spot", "mixed"]


class ComputeSettings(BaseModel):
    """Task sizes, counts, scaling targets and capacity of the web and worker services."""

    web_cpu: Annotated[int, Field(json_schema_extra=fix("pulumi config set webCpu 512 (Fargate CPU units)"))]
    web_memory: Annotated[
        int, Field(json_schema_extra=fix("pulumi config set webMemory 1024 (MiB, allowed for webCpu)"))
    ]
    web_desired_count: Annotated[
        int,
        Field(ge=0, json_schema_extra=fix("pulumi config set webDesiredCount 2 (webMinCount..webMaxCount)")),
    ]
    # A web service at zero would serve nothing; only the worker may stop entirely.
    web_min_count: Annotated[
        int, Field(ge=1, json_schema_extra=fix("pulumi config set webMinCount 1 (at most webMaxCount)"))
    ]
    web_max_count: Annotated[
        int, Field(ge=1, le=100, json_schema_extra=fix("pulumi config set webMaxCount 4"))
    ]
    web_cpu_target_percent: Annotated[
        int, Field(ge=10, le=90, json_schema_extra=fix("pulumi config set webCpuTargetPercent 60"))
    ]
    web_requests_per_target: Annotated[
        int, Field(ge=1, json_schema_extra=fix("pulumi config set webRequestsPerTarget 600 (per minute)"))
    ]
    web_capacity: Annotated[
        Capacity, Field(json_schema_extra=fix("pulumi config set webCapacity fargate|spot|mixed"))
    ]
    worker_cpu: Annotated[
        int, Field(json_schema_extra=fix("pulumi config set workerCpu 512 (Fargate CPU units)"))
    ]
    worker_memory: Annotated[
        int, Field(json_schema_extra=fix("pulumi config set workerMemory 1024 (MiB, allowed for workerCpu)"))
    ]
    # 0 lets the worker scale to zero: a queued job starts one (targets/aws/compute.py).
    worker_min_count: Annotated[
        int,
        Field(ge=0, json_schema_extra=fix("pulumi config set workerMinCount 1 (0 scales to zero when idle)")),
    ]
    worker_max_count: Annotated[
        int, Field(ge=1, le=100, json_schema_extra=fix("pulumi config set workerMaxCount 4"))
    ]
    worker_jobs_per_task: Annotated[
        int,
        Field(ge=1, json_schema_extra=fix("pulumi config set workerJobsPerTask 10 (queued jobs per worker)")),
    ]
    worker_capacity: Annotated[
        Capacity, Field(json_schema_extra=fix("pulumi config set workerCapacity fargate|spot|mixed"))
    ]


def fargate_memory_choices(cpu: int) -> list[int]:
    """Memory sizes (MiB) Fargate accepts with `cpu` units; empty if `cpu` is not a Fargate size."""
    return list(FARGATE_TASK_SIZES.get(cpu, ()))


def _fargate_size_problems(role: str, cpu: int, memory: int) -> list[Problem]:
    if cpu not in FARGATE_TASK_SIZES:
        return [(f"{role}Cpu", f"{cpu} is not a Fargate size; use one of {sorted(FARGATE_TASK_SIZES)}")]
    choices = FARGATE_TASK_SIZES[cpu]
    if memory not in choices:
        return [
            (
                f"{role}Memory",
                f"{memory} is not allowed with {role}Cpu {cpu}; Fargate takes {', '.join(map(str, choices))} "
                f"MiB. Fix: pulumi config set {role}Memory {choices[0]}",
            )
        ]
    return []


def _count_problems(s: ComputeSettings, production: bool) -> list[Problem]:
    problems: list[Problem] = []
    if s.web_min_count > s.web_max_count:
        problems.append(("webMinCount", f"({s.web_min_count}) exceeds webMaxCount ({s.web_max_count})"))
    elif not s.web_min_count <= s.web_desired_count <= s.web_max_count:
        problems.append(
            (
                "webDesiredCount",
                f"({s.web_desired_count}) must lie within webMinCount..webMaxCount "
                f"({s.web_min_count}..{s.web_max_count})",
            )
        )
    if production and s.web_min_count < 2:
        problems.append(("webMinCount", "must be at least 2 when deploymentEnv is production (one per zone)"))
    if s.worker_min_count > s.worker_max_count:
        problems.append(
            ("workerMinCount", f"({s.worker_min_count}) exceeds workerMaxCount ({s.worker_max_count})")
        )
    return problems


def compute_problems(s: ComputeSettings, *, production: bool) -> list[Problem]:
    """Rules between the compute keys; `production` is deploymentEnv == production."""
    problems = _fargate_size_problems("web", s.web_cpu, s.web_memory)
    problems += _fargate_size_problems("worker", s.worker_cpu, s.worker_memory)
    return problems + _count_problems(s, production)
