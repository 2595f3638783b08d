"""Reads the real `Pulumi.yaml` and `Pulumi.<stack>.yaml` into the config map the engine would hand over.

Project-level defaults from Pulumi.yaml are merged under the stack's values, as the engine does. Values
are JSON-encoded strings, as in PULUMI_CONFIG. Secure values cannot be decrypted offline; each becomes a
distinctive placeholder so tests can prove it never reaches a resource input in plain text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
PROJECT = "launchpad"


@dataclass(frozen=True)
class StackFileConfig:
    values: dict[str, str]
    secret_keys: tuple[str, ...]

    def with_overrides(
        self, overrides: dict[str, Any], secrets: dict[str, str] | None = None
    ) -> StackFileConfig:
        """Returns a copy with `launchpad:` keys replaced (None removes a key) and secret values added."""
        values = dict(self.values)
        for key, value in overrides.items():
            full = key if ":" in key else f"{PROJECT}:{key}"
            if value is None:
                values.pop(full, None)
            else:
                values[full] = _encode(value)
        secret_keys = set(self.secret_keys)
        for key, value in (secrets or {}).items():
            values[f"{PROJECT}:{key}"] = value
            secret_keys.add(f"{PROJECT}:{key}")
        return StackFileConfig(values, tuple(sorted(secret_keys)))


def placeholder(key: str) -> str:
    return f"OFFLINE-SECRET-PLACEHOLDER<{key}>"


def _encode(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _project_defaults(project_file: dict[str, Any]) -> dict[str, str]:
    defaults: dict[str, str] = {}
    for key, declaration in (project_file.get("config") or {}).items():
        full = key if ":" in key else f"{PROJECT}:{key}"
        if isinstance(declaration, dict) and "default" in declaration:
            defaults[full] = _encode(declaration["default"])
        elif isinstance(declaration, dict) and "value" in declaration:
            defaults[full] = _encode(declaration["value"])
        elif not isinstance(declaration, dict):
            defaults[full] = _encode(declaration)
    return defaults


def load_stack_config(stack: str, root: Path = REPO_ROOT) -> StackFileConfig:
    stack_path = root / f"Pulumi.{stack}.yaml"
    if not stack_path.exists():
        raise FileNotFoundError(f"no stack file {stack_path.name}; stacks here: {available_stacks(root)}")
    project_file = yaml.safe_load((root / "Pulumi.yaml").read_text())
    stack_file = yaml.safe_load(stack_path.read_text()) or {}
    values = _project_defaults(project_file)
    secret_keys: list[str] = []
    for key, value in (stack_file.get("config") or {}).items():
        if isinstance(value, dict) and set(value) == {"secure"}:
            values[key] = placeholder(key)
            secret_keys.append(key)
        else:
            values[key] = _encode(value)
    return StackFileConfig(values, tuple(secret_keys))


def available_stacks(root: Path = REPO_ROOT) -> list[str]:
    return sorted(p.name.removeprefix("Pulumi.").removesuffix(".yaml") for p in root.glob("Pulumi.*.yaml"))
