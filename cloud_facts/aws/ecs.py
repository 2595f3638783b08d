"""ECS on Fargate: task sizes, CPU architectures, capacity providers, Spot and the zones Fargate serves."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Fargate task sizes: CPU units -> allowed memory in MiB
# (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size).
FARGATE_TASK_SIZES: dict[int, tuple[int, ...]] = {
    256: (512, 1024, 2048),
    512: tuple(range(1024, 4096 + 1, 1024)),
    1024: tuple(range(2048, 8192 + 1, 1024)),
    2048: tuple(range(4096, 16384 + 1, 1024)),
    4096: tuple(range(8192, 30720 + 1, 1024)),
    8192: tuple(range(16384, 61440 + 1, 4096)),
    16384: tuple(range(32768, 122880 + 1, 8192)),
}
FARGATE_CPU_ARCHITECTURES = ("X86_64", "ARM64")
# Fargate's capacity providers: every account has them; a cluster must be associated with one before a
# strategy names it (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html).
FARGATE_ON_DEMAND, FARGATE_SPOT = "FARGATE", "FARGATE_SPOT"
# Fargate Spot runs Linux X86_64 tasks on platform version 1.3.0 or later and Linux ARM64 (Graviton) tasks
# on 1.4.0 or later (the same page). ARM64 on Spot launched on 2024-09-06 ("Amazon ECS now supports AWS
# Graviton-based Spot compute with AWS Fargate", aws.amazon.com/about-aws/whats-new/2024/09/); the
# statements that Spot refuses ARM64 (aws/containers-roadmap#1594, #2202, an old CloudFormation note on
# Batch) predate it, and roadmap issue #2407 on that very error is closed as shipped.
FARGATE_SPOT_MIN_PLATFORM: dict[str, tuple[int, int, int]] = {"X86_64": (1, 3, 0), "ARM64": (1, 4, 0)}
# Zones where Fargate runs no Linux task of an architecture, by zone ID: an ID names the same physical
# zone in every account, a name (us-east-1a) does not
# (https://docs.aws.amazon.com/ram/latest/userguide/working-with-az-ids.html). Every architecture: the
# zones the Fargate Regions table leaves out (us-west-1: usw1-az1 and usw1-az3 only; ap-northeast-1:
# apne1-az1, -az2 and -az4 only; https://docs.aws.amazon.com/AmazonECS/latest/developerguide/AWS_Fargate-Regions.html).
# ARM64 (Graviton) also not in use1-az3, as AWS's review of this stack found (issue 22).
_FARGATE_NO_LINUX_ZONE_IDS = ("usw1-az2", "apne1-az3")
FARGATE_UNSUPPORTED_ZONE_IDS: dict[str, tuple[str, ...]] = {
    "X86_64": _FARGATE_NO_LINUX_ZONE_IDS,
    "ARM64": (*_FARGATE_NO_LINUX_ZONE_IDS, "use1-az3"),
}
# A strategy item's base is 0-100,000 tasks and its weight 0-1,000 (terraform-provider-aws
# internal/service/ecs/service.go and scheduler/schedule.go validators); a schedule takes at most 6 items.
STRATEGY_BASE_MAX, STRATEGY_WEIGHT_MAX, SCHEDULE_STRATEGY_ITEMS = 100_000, 1_000, 6
# ECS ContainerDefinition.stopTimeout on Fargate: at most 120 s
# (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html).
FARGATE_MAX_STOP_TIMEOUT = 120


@dataclass(frozen=True)
class FargateTaskSize:
    """`cpu` and `memory` of a Fargate task definition: one of Fargate's size combinations."""

    def problems(self, props: Mapping[str, Any]) -> list[str]:
        if "FARGATE" not in (props.get("requiresCompatibilities") or []):
            return []
        cpu, memory = int(props.get("cpu") or 0), int(props.get("memory") or 0)
        allowed = FARGATE_TASK_SIZES.get(cpu)
        if allowed is None:
            return [f"cpu {cpu} is not a Fargate size ({', '.join(map(str, FARGATE_TASK_SIZES))})"]
        return [] if memory in allowed else [f"memory {memory} MiB is not offered with cpu {cpu}: {allowed}"]
