"""Lookups the pricers need across a recorded plan: what a property points at, how many tasks run."""

from __future__ import annotations

from collections import Counter
from typing import Any

from launchpad.cost.usage import Usage
from offline.mocks import Recorded

SCALING_TARGET = "aws:appautoscaling/target:Target"


class PlanIndex:
    def __init__(self, resources: list[Recorded], usage: Usage) -> None:
        self.resources = [r for r in resources if r.custom]
        self.usage = usage
        self._by_urn = {r.urn: r for r in self.resources}
        self._counts = Counter(r.type for r in self.resources)

    def count(self, resource_type: str) -> int:
        return self._counts[resource_type]

    def target_of(self, resource: Recorded, key: str) -> Recorded | None:
        """The resource `resource.<key>` was computed from (its property dependency), or the one whose
        ARN it holds."""
        for urn in resource.property_dependencies.get(key, []):
            if urn in self._by_urn:
                return self._by_urn[urn]
        return self.by_output("arn", resource.inputs.get(key))

    def by_output(self, key: str, value: Any) -> Recorded | None:
        if value is None:
            return None
        return next((r for r in self.resources if r.outputs.get(key) == value), None)

    def running_tasks(self, service: Recorded) -> tuple[float, bool]:
        """Average tasks of an ECS service: the usage file's figure for its role, else the autoscaling
        minimum (what runs when idle), else its desired count. Second: whether usage said so."""
        role = "web_tasks" if service.inputs.get("loadBalancers") else "worker_tasks"
        from_usage = getattr(self.usage, role)
        if from_usage is not None:
            return float(from_usage), True
        for target in (r for r in self.resources if r.type == SCALING_TARGET):
            if service.urn in target.property_dependencies.get("resourceId", []):
                return float(target.inputs.get("minCapacity") or 0), False
        return float(service.inputs.get("desiredCount") or 1), False
