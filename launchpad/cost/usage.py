"""The usage file: what a stack does in a month (`launchpad-usage.yml` at the repository root)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from stack_config import ConfigError

DEFAULT_USAGE_FILE = Path(__file__).resolve().parents[2] / "launchpad-usage.yml"


@dataclass(frozen=True)
class Usage:
    requests_per_month: float
    response_kb: float
    nat_gb_per_month: float
    log_gb_per_month: float
    edge_log_kb_per_request: float  # CloudFront's standard log record (v2, JSON, every field)
    s3_gb_stored: float
    ecr_gb_stored: float
    secret_api_calls_per_month: float
    kms_requests_per_month: float
    nightly_task_hours_per_month: float
    worker_busy_hours_per_month: float  # a worker that scales to zero (workerMinCount 0) runs this long
    cloud_run_vcpu_seconds: float
    artifact_gb_stored: float
    web_tasks: float | None = None
    worker_tasks: float | None = None
    ai_tokens_per_month: dict[str, dict[str, float]] = field(default_factory=dict)
    source: str = ""  # "<file> (section <name>)"

    @property
    def gb_out_per_month(self) -> float:
        return self.requests_per_month * self.response_kb / 1024 / 1024


def load_usage(stack: str, path: Path | None = None) -> Usage:
    """The usage of `stack`: its section of the file over `default`. A bad file is a config error."""
    path = path or DEFAULT_USAGE_FILE
    try:
        document = yaml.safe_load(path.read_text()) or {}
    except (OSError, yaml.YAMLError) as error:
        raise ConfigError([f"usage file {path}: {error}"]) from None
    stacks = document.get("stacks") or {}
    section = stack if stack in stacks else "default"
    values: dict[str, Any] = {**(stacks.get("default") or {}), **(stacks.get(section) or {})}
    known = {f.name for f in fields(Usage)} - {"source"}
    problems = [f"usage file {path}: unknown key {key!r}" for key in values if key not in known]
    problems += [f"usage file {path}: {key} is not set" for key in known if key not in values]
    if problems:
        raise ConfigError(problems)
    try:
        return Usage(**values, source=f"{path.name} (section {section})")
    except TypeError as error:
        raise ConfigError([f"usage file {path}: {error}"]) from None
