"""What a change does to a stack: resources added, removed and changed (by type and logical name, with
the stack's own name neutralised) and the cost delta, from two plan JSON documents."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ResourceChange:
    key: str
    paths: list[str]  # input paths whose value differs


@dataclass
class PlanDiff:
    base: str  # what the plan is compared with (a file, or "stack <name>")
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[ResourceChange] = field(default_factory=list)
    base_cost: float = 0.0
    head_cost: float = 0.0

    @property
    def cost_delta(self) -> float:
        return self.head_cost - self.base_cost


def resource_key(resource: dict[str, Any], stack: str) -> str:
    """`type::name`, with the stack's base name made generic so `dev` and `prod` plans line up."""
    return f"{resource['type']}::{resource['name'].replace(f'launchpad-{stack}', 'launchpad-<stack>')}"


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        flat: dict[str, Any] = {}
        for key, item in value.items():
            flat.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(value, list):
        flat = {}
        for index, item in enumerate(value):
            flat.update(_flatten(item, f"{prefix}[{index}]"))
        return flat or {prefix: []}
    return {prefix: value}


def _neutral(value: Any, stack: str) -> Any:
    if isinstance(value, str):
        return value.replace(f"launchpad-{stack}", "launchpad-<stack>").replace(
            f"launchpad/{stack}/", "launchpad/<stack>/"
        )
    return value


def _changed_paths(base: dict[str, Any], head: dict[str, Any], stacks: tuple[str, str]) -> list[str]:
    before = {k: _neutral(v, stacks[0]) for k, v in _flatten(base).items()}
    after = {k: _neutral(v, stacks[1]) for k, v in _flatten(head).items()}
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


def compare(base: dict[str, Any], head: dict[str, Any], label: str) -> PlanDiff:
    """Two `launchpad plan --format json` documents: base (before the change) and head."""
    before = {resource_key(r, base["stack"]): r for r in base["resources"] if r.get("custom")}
    after = {resource_key(r, head["stack"]): r for r in head["resources"] if r.get("custom")}
    costs = (base["cost"]["cloudMonthlyUsd"], head["cost"]["cloudMonthlyUsd"])
    diff = PlanDiff(label, base_cost=costs[0], head_cost=costs[1])
    diff.added = sorted(after.keys() - before.keys())
    diff.removed = sorted(before.keys() - after.keys())
    for key in sorted(before.keys() & after.keys()):
        stacks = (base["stack"], head["stack"])
        paths = _changed_paths(before[key].get("inputs") or {}, after[key].get("inputs") or {}, stacks)
        if paths:
            diff.changed.append(ResourceChange(key, paths))
    return diff
