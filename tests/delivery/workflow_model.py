"""The repository's GitHub workflows as data, for the structure tests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

WORKFLOWS = Path(__file__).resolve().parents[2] / ".github" / "workflows"
SAME_REPOSITORY = "github.event.pull_request.head.repo.full_name == github.repository"
# Actions that receive cloud or Pulumi credentials through OIDC.
CREDENTIAL_ACTIONS = (
    "aws-actions/configure-aws-credentials",
    "pulumi/auth-actions",
    "google-github-actions/auth",
)


@dataclass(frozen=True)
class Workflow:
    name: str
    text: str
    data: dict[str, Any]

    @property
    def triggers(self) -> dict[str, Any]:
        on = self.data.get("on", self.data.get(True))  # YAML 1.1 reads a bare `on` as true
        return on if isinstance(on, dict) else {on: None}

    @property
    def jobs(self) -> dict[str, dict[str, Any]]:
        return self.data["jobs"]


def load(name: str) -> Workflow:
    path = WORKFLOWS / name
    return Workflow(name, path.read_text(), yaml.safe_load(path.read_text()))


def all_workflows() -> list[Workflow]:
    return [load(p.name) for p in sorted(WORKFLOWS.glob("*.yml"))]


def steps(job: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from job.get("steps", [])


def action(step: dict[str, Any]) -> str:
    return str(step.get("uses", "")).split("@")[0]


def uses_credentials(step: dict[str, Any]) -> bool:
    return action(step) in CREDENTIAL_ACTIONS


def runs_pulumi(step: dict[str, Any]) -> bool:
    """A step that takes a stack's lock: pulumi/actions with a command, or the CLI and its wrappers."""
    if action(step) == "pulumi/actions":
        return "command" in (step.get("with") or {})
    script = str(step.get("run", ""))
    return bool(re.search(r"(^|\s)pulumi\s|delivery\.(rollback|review_stacks)", script))


def pinned_uses(text: str) -> list[tuple[str, str, str]]:
    """(action, sha, tag comment) of every `uses:` line."""
    return re.findall(r"uses:\s*([\w./-]+)@(\S+)(?:\s*#\s*(\S+))?", text)
