"""What the AWS provider and ECS refuse in a capacity provider strategy (Fargate or Fargate Spot), on an ECS
service and on an EventBridge Scheduler run of an ECS task.

Sources: terraform-provider-aws internal/service/ecs/service.go (base and weight validators; its
CustomizeDiff refuses a change of the strategy at preview unless force_new_deployment is true) and
internal/service/scheduler/schedule.go (at most 6 items; base and weight validators), and the ECS API
(CreateService/RunTask take a launch type or a strategy, not both; CapacityProviderStrategyItem: one base,
a weight above 0 somewhere). The cross-resource rules (providers associated with the cluster, Spot's
platform versions) are in ../cross.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cloud_facts.aws.ecs import SCHEDULE_STRATEGY_ITEMS, STRATEGY_BASE_MAX, STRATEGY_WEIGHT_MAX
from cloud_facts.checks import Between, Count
from policies.deploy.aws.common import TF
from policies.deploy.limit import Limit

ECS_API = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/"
SERVICE = "aws:ecs/service:Service"
SCHEDULE = "aws:scheduler/schedule:Schedule"
ECS_PARAMETERS = "target.ecsParameters"
STRATEGY_ITEM = ECS_API + "API_CapacityProviderStrategyItem.html"


@dataclass(frozen=True)
class StrategyShape:
    """A strategy ECS can place tasks with: a base on one item at most, a weight above 0 on one at least."""

    def problems(self, strategy: Any) -> list[str]:
        items = [i for i in strategy if isinstance(i, Mapping)] if isinstance(strategy, Sequence) else []
        problems = []
        based = [str(i.get("capacityProvider")) for i in items if i.get("base")]
        if len(based) > 1:
            problems.append(f"only one item may have a base; {', '.join(based)} do")
        if items and not any(float(i.get("weight") or 0) > 0 for i in items):
            problems.append("no item has a weight above 0, so ECS places no task")
        return problems


@dataclass(frozen=True)
class Exclusive:
    """At most one of two properties of one object is set."""

    first: str
    second: str

    def problems(self, node: Any) -> list[str]:
        if isinstance(node, Mapping) and node.get(self.first) and node.get(self.second):
            return [f"{self.first} and {self.second} exclude each other; set only {self.second}"]
        return []


@dataclass(frozen=True)
class ForcedWhenSet:
    """`flag` is true wherever `key` is set."""

    key: str
    flag: str
    why: str

    def problems(self, props: Mapping[str, Any]) -> list[str]:
        if props.get(self.key) and props.get(self.flag) is not True:
            return [f"{self.key} is set without {self.flag} true: {self.why}"]
        return []


def _ranges(prefix: str, resource_type: str, path: str, source: str) -> tuple[Limit, ...]:
    return (
        Limit(f"{prefix}-weight", resource_type, f"{path}[].weight", Between(0, STRATEGY_WEIGHT_MAX), source),
        Limit(f"{prefix}-base", resource_type, f"{path}[].base", Between(0, STRATEGY_BASE_MAX), source),
    )


CAPACITY_LIMITS: tuple[Limit, ...] = (
    *_ranges("aws-ecs-strategy", SERVICE, "capacityProviderStrategies", TF + "ecs/service.go"),
    Limit(
        "aws-ecs-strategy-shape",
        SERVICE,
        "capacityProviderStrategies",
        StrategyShape(),
        STRATEGY_ITEM,
        at="up",
    ),
    Limit(
        "aws-ecs-strategy-or-launch-type",
        SERVICE,
        "",
        Exclusive("launchType", "capacityProviderStrategies"),
        ECS_API + "API_CreateService.html (capacityProviderStrategy)",
        at="up",
    ),
    Limit(
        "aws-ecs-strategy-force-deployment",
        SERVICE,
        "",
        ForcedWhenSet(
            "capacityProviderStrategies",
            "forceNewDeployment",
            "the provider refuses any later change of the strategy at preview",
        ),
        TF + "ecs/service.go (capacityProviderStrategyCustomizeDiff)",
    ),
    *_ranges(
        "aws-schedule-strategy",
        SCHEDULE,
        f"{ECS_PARAMETERS}.capacityProviderStrategies",
        TF + "scheduler/schedule.go",
    ),
    Limit(
        "aws-schedule-strategy-items",
        SCHEDULE,
        f"{ECS_PARAMETERS}.capacityProviderStrategies",
        Count(SCHEDULE_STRATEGY_ITEMS),
        TF + "scheduler/schedule.go (MaxItems)",
    ),
    Limit(
        "aws-schedule-strategy-shape",
        SCHEDULE,
        f"{ECS_PARAMETERS}.capacityProviderStrategies",
        StrategyShape(),
        STRATEGY_ITEM,
        at="up",
    ),
    Limit(
        "aws-schedule-strategy-or-launch-type",
        SCHEDULE,
        ECS_PARAMETERS,
        Exclusive("launchType", "capacityProviderStrategies"),
        ECS_API + "API_RunTask.html (capacityProviderStrategy)",
        at="up",
    ),
)
