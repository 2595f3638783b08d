"""Small queries over a recorded program run, in the spirit of CDK's `assertions.Template`."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from offline.mocks import Recorded
from offline.program import ProgramRun
from offline.stack_files import load_stack_config
from stack_config import StackSettings, parse_settings

# Resources whose `policy` input is JSON but not an IAM document.
NOT_IAM_POLICIES = {"aws:ecr/lifecyclePolicy:LifecyclePolicy"}


@dataclass
class Plan:
    run: ProgramRun

    @property
    def resources(self) -> list[Recorded]:
        return self.run.resources

    @property
    def outputs(self) -> dict[str, Any]:
        return self.run.outputs

    def of_type(self, type_: str) -> list[Recorded]:
        return [r for r in self.resources if r.type == type_]

    def count(self, type_: str) -> int:
        return len(self.of_type(type_))

    def one(self, type_: str, name_contains: str = "") -> Recorded:
        found = [r for r in self.of_type(type_) if name_contains in r.name]
        assert len(found) == 1, (
            f"expected one {type_} named *{name_contains}*, found {[r.name for r in found]}"
        )
        return found[0]

    def named(self, name: str) -> Recorded:
        found = [r for r in self.resources if r.name == name]
        assert len(found) == 1, f"expected one resource named {name}, found {len(found)}"
        return found[0]

    def children_of(self, component: Recorded) -> list[Recorded]:
        return [r for r in self.resources if r.parent_urn == component.urn]

    def by_id(self, resource_id: str) -> Recorded:
        """The resource whose computed id (or ARN) is `resource_id`."""
        for r in self.resources:
            if resource_id in (r.id, r.outputs.get("arn")):
                return r
        raise AssertionError(f"no resource has id {resource_id}")

    def policies(self) -> Iterable[tuple[Recorded, str, dict[str, Any]]]:
        """Every IAM-style JSON policy document in the plan, parsed: (resource, input key, document)."""
        for r in self.resources:
            if r.type in NOT_IAM_POLICIES:
                continue
            for key in ("policy", "assumeRolePolicy"):
                if isinstance(r.inputs.get(key), str):
                    yield r, key, json.loads(r.inputs[key])


def assert_properties(resource: Recorded, **expected: Any) -> None:
    """Asserts each input property (camelCase, as the engine sees it) has the expected value."""
    for key, value in expected.items():
        actual = resource.inputs.get(key)
        assert actual == value, f"{resource.name}.{key}: expected {value!r}, got {actual!r}"


def settings_of(stack: str, **overrides: Any) -> StackSettings:
    """The validated settings of a real stack file, with some keys changed; raises ConfigError."""
    values = load_stack_config(stack).with_overrides(overrides).values
    return parse_settings({k.split(":", 1)[1]: v for k, v in values.items() if k.startswith("launchpad:")})
