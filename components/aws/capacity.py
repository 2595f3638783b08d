"""Where a Fargate workload's tasks run: on-demand Fargate, Fargate Spot, or a mix, as an ECS capacity
provider strategy.

A strategy places `base` tasks on one provider first, then splits the rest by `weight`. Spot tasks cost less
and may be reclaimed with a two-minute warning (SIGTERM, then SIGKILL at the container's stop timeout); ECS
does not fall back to on-demand when Spot has no capacity, so a floor that must always run stays on-demand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from cloud_facts.aws.ecs import FARGATE_ON_DEMAND, FARGATE_SPOT, STRATEGY_BASE_MAX, STRATEGY_WEIGHT_MAX

CapacityMode = Literal["fargate", "spot", "mixed"]
# `mixed`: of the tasks above the on-demand floor, three in four run on Spot.
MIXED_SPOT_WEIGHT, MIXED_ON_DEMAND_WEIGHT = 3, 1


@dataclass(frozen=True)
class CapacityShare:
    """One item of a capacity provider strategy."""

    provider: str  # FARGATE or FARGATE_SPOT
    weight: int
    base: int = 0


def placement(mode: CapacityMode, on_demand_floor: int) -> tuple[CapacityShare, ...]:
    """The strategy for `mode`; `mixed` keeps `on_demand_floor` tasks (the autoscaling minimum) on-demand."""
    if mode == "fargate":
        return (CapacityShare(FARGATE_ON_DEMAND, 1),)
    if mode == "spot":
        return (CapacityShare(FARGATE_SPOT, 1),)
    return (
        CapacityShare(FARGATE_ON_DEMAND, MIXED_ON_DEMAND_WEIGHT, base=on_demand_floor),
        CapacityShare(FARGATE_SPOT, MIXED_SPOT_WEIGHT),
    )


def uses_spot(shares: Sequence[CapacityShare]) -> bool:
    return any(share.provider == FARGATE_SPOT and share.weight > 0 for share in shares)


def strategy_problems(shares: Sequence[CapacityShare]) -> list[str]:
    """What ECS refuses in a strategy (CapacityProviderStrategyItem): unknown providers, one provider
    twice, a base on more than one item, no positive weight, values past their ranges."""
    known = (FARGATE_ON_DEMAND, FARGATE_SPOT)
    problems = [f"{s.provider} is not a Fargate capacity provider" for s in shares if s.provider not in known]
    providers = [s.provider for s in shares]
    if not shares or len(set(providers)) != len(providers):
        problems.append(f"a strategy names each provider once, at least one: {providers}")
    if sum(1 for s in shares if s.base) > 1:
        problems.append("only one item of a strategy may have a base")
    if not any(s.weight > 0 for s in shares):
        problems.append("at least one item needs a weight above 0")
    problems += [
        f"{s.provider}: base {s.base} or weight {s.weight} out of range"
        for s in shares
        if not (0 <= s.base <= STRATEGY_BASE_MAX and 0 <= s.weight <= STRATEGY_WEIGHT_MAX)
    ]
    return problems
