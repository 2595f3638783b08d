"""Lookups the pricers need across a recorded plan: what a property points at, how many tasks run."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from launchpad.cost.prices import HOURS_PER_MONTH
from launchpad.cost.usage import Usage
from offline.mocks import Recorded

SCALING_TARGET = "aws:appautoscaling/target:Target"
DELIVERY_DESTINATION = "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination"


@dataclass(frozen=True)
class Running:
    tasks: float  # average tasks while it runs
    hours: float  # hours a month it runs
    from_usage: bool  # the usage file says so (not the plan alone)


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

    @cached_property
    def vended_log_groups(self) -> frozenset[str]:
        """URNs of the log groups that a delivery destination names: vended logs (CloudFront's standard
        logs), whose volume follows the requests rather than the app's logging. Found once per plan,
        not once per log group priced."""
        urns: set[str] = set()
        for destination in (r for r in self.resources if r.type == DELIVERY_DESTINATION):
            config = destination.inputs.get("deliveryDestinationConfiguration") or {}
            group = self.by_output("arn", config.get("destinationResourceArn"))
            if group is not None:
                urns.add(group.urn)
        return frozenset(urns)

    def by_output(self, key: str, value: Any) -> Recorded | None:
        if value is None:
            return None
        return next((r for r in self.resources if r.outputs.get(key) == value), None)

    def running(self, service: Recorded) -> Running:
        """What an ECS service runs in a month: the usage file's average tasks for its role, else the
        autoscaling minimum (what runs when idle), else its desired count, all month long. A worker whose
        minimum is 0 runs one task for the usage file's busy hours instead: it is not free."""
        worker = not service.inputs.get("loadBalancers")
        from_usage = self.usage.worker_tasks if worker else self.usage.web_tasks
        if from_usage is not None:
            return Running(float(from_usage), HOURS_PER_MONTH, True)
        minimum = float(service.inputs.get("desiredCount") or 1)
        for target in (r for r in self.resources if r.type == SCALING_TARGET):
            if service.urn in target.property_dependencies.get("resourceId", []):
                minimum = float(target.inputs.get("minCapacity") or 0)
        if worker and minimum == 0:
            return Running(1.0, self.usage.worker_busy_hours_per_month, True)
        return Running(minimum, HOURS_PER_MONTH, False)
