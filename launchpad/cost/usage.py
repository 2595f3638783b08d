"""The usage file: what a stack does in a month (`launchpad-usage.yml` at the repository root)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from offline.stack_files import yaml_problem
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
    gcs_gb_stored: float  # over every Cloud Storage bucket
    cloud_sql_backup_gb_stored: float
    migration_task_hours_per_month: float  # the Cloud Run migration job, a minute or two per deploy
    web_tasks: float | None = None
    worker_tasks: float | None = None
    ai_tokens_per_month: dict[str, dict[str, float]] = field(default_factory=dict)
    source: str = ""  # "<file> (section <name>)"

    @property
    def gb_out_per_month(self) -> float:
        return self.requests_per_month * self.response_kb / 1024 / 1024


class UsageFileError(ConfigError):
    subject = "invalid usage file"


def _read(path: Path) -> dict[str, Any]:
    try:
        document = yaml.safe_load(path.read_text())
    except OSError as error:
        raise UsageFileError(
            [f"usage file {path}: cannot read it ({error.strerror}). Fix: pass an existing file to --usage"]
        ) from None
    except yaml.YAMLError as error:
        raise UsageFileError([yaml_problem(error, f"usage file {path}")]) from None
    if document is not None and not isinstance(document, dict):
        raise UsageFileError([f"usage file {path}: must be a mapping with `stacks:`. Fix: {_SHAPE}"])
    return document or {}


_SHAPE = "stacks: {default: {requests_per_month: 1000000, ...}, <stack>: {...}} (see launchpad-usage.yml)"


def _value_problem(key: str, value: Any) -> str | None:
    """Each value as the estimate uses it: a number of 0 or more (null where the field allows it), and
    AI tokens as {provider: {in: N, out: N}}."""
    kind = _KINDS.get(key)
    if kind is dict:
        tokens_ok = isinstance(value, dict) and all(
            isinstance(t, dict) and set(t) <= {"in", "out"} and all(_count(n) for n in t.values())
            for t in value.values()
        )
        return None if tokens_ok else "must map each provider to {in: N, out: N} token counts"
    if value is None and kind == "optional":
        return None
    return None if _count(value) else "must be a number, 0 or more" + (" (or null)" if kind else "")


def _count(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


_KINDS: dict[str, Any] = {
    f.name: dict if "dict" in str(f.type) else ("optional" if "None" in str(f.type) else None)
    for f in fields(Usage)
}


def load_usage(stack: str, path: Path | None = None) -> Usage:
    """The usage of `stack`: its section of the file over `default`. A bad file is a config error that
    lists every problem, each naming the file and key."""
    path = path or DEFAULT_USAGE_FILE
    stacks = _read(path).get("stacks") or {}
    if not isinstance(stacks, dict) or not all(isinstance(v, dict | None) for v in stacks.values()):
        raise UsageFileError([f"usage file {path}: `stacks` must map stack names to mappings. Fix: {_SHAPE}"])
    section = stack if stack in stacks else "default"
    values: dict[str, Any] = {**(stacks.get("default") or {}), **(stacks.get(section) or {})}
    known = {f.name for f in fields(Usage)} - {"source"}
    problems = [
        f"usage file {path}: unknown key {key!r} ({_close(str(key), known)}). Fix: remove it"
        for key in values
        if key not in known
    ]
    problems += [
        f"usage file {path}: {key} is not set. Fix: set it under `default`"
        for key in sorted(known - set(values))
    ]
    problems += [
        f"usage file {path}: {key}: {problem} (got {values[key]!r}). Fix: correct it in section {section}"
        for key in sorted(known & set(values))
        if (problem := _value_problem(key, values[key]))
    ]
    if problems:
        raise UsageFileError(problems)
    return Usage(**values, source=f"{path.name} (section {section})")


def _close(key: str, known: set[str]) -> str:
    close = difflib.get_close_matches(key, sorted(known), n=1)
    return f"did you mean {close[0]}?" if close else "not a usage key"
