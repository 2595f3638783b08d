"""Runs a Pulumi program's `__main__.py` under the recording mocks for one stack and returns what it
registered: the repository's own program by default, or another project's (the bootstrap) by directory."""

from __future__ import annotations

import asyncio
import runpy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime import settings as runtime_settings
from pulumi.runtime.mocks import _sync_await
from pulumi.runtime.stack import run_pulumi_func

from offline.mocks import Recorded, RecordingMocks, RecordingMonitor
from offline.stack_files import PROJECT, REPO_ROOT, StackFileConfig, load_stack_config


@dataclass
class ProgramRun:
    stack: str
    resources: list[Recorded]
    outputs: dict[str, Any]
    calls: list[tuple[str, dict[str, Any], str]]
    secret_outputs: set[str] = field(default_factory=set)  # shown as [secret], as `pulumi` does
    config_source: str = ""  # the stack file behind the run: its policy config applies too
    project: str = PROJECT
    regions: dict[str, str] = field(default_factory=dict)  # cloud -> the region its provider deploys to


def ensure_event_loop() -> None:
    # Pulumi's runtime creates futures on the current loop; pytest-asyncio (the app tests) closes its loops
    # and leaves none set, after which the infra tests would fail with "no current event loop".
    policy = asyncio.get_event_loop_policy()
    try:
        loop = policy.get_event_loop()
    except RuntimeError:
        loop = None
    if loop is None or loop.is_closed():
        policy.set_event_loop(policy.new_event_loop())


# The organization of a self-managed (S3) backend; Pulumi Cloud stacks use the account's organization.
ORGANIZATION = "organization"


def run_program(
    stack: str, config: StackFileConfig | None = None, program_dir: Path = REPO_ROOT
) -> ProgramRun:
    """Runs the whole program in `program_dir` for `stack` (its real stack file unless `config` is given),
    fully offline. The project and its config namespace come from that directory's Pulumi.yaml."""
    config = config or load_stack_config(stack, root=program_dir)
    if config.stack != stack:  # a stack made from another's file (pr-<n> from dev): the engine's view of it
        config = config.for_stack(stack)
    ensure_event_loop()
    mocks = RecordingMocks()
    monitor = RecordingMonitor(mocks)
    runtime_settings.ROOT.set(None)
    pulumi.runtime.set_all_config(config.values, list(config.secret_keys))
    pulumi.runtime.set_mocks(
        mocks, project=config.project, stack=stack, preview=False, monitor=monitor, organization=ORGANIZATION
    )
    runtime_settings.SETTINGS.rpc_manager.clear()
    runtime_settings.SETTINGS.outputs.clear()

    def program() -> None:
        runpy.run_path(str(config.root / "__main__.py"), run_name="__main__")

    _sync_await(run_pulumi_func(program))
    # set_mocks finishes the root stack before the program runs, so exports stay on the root object.
    stack_root = runtime_settings.get_root_resource()
    exported = getattr(stack_root, "outputs", {}) or {}
    outputs = _sync_await(pulumi.Output.from_input(exported).future()) or {}
    secret = {
        key for key, value in exported.items() if _sync_await(pulumi.Output.from_input(value).is_secret())
    }
    source = config.source or stack
    regions = {
        cloud: config.values[f"{cloud}:region"]
        for cloud in ("aws", "gcp")
        if config.values.get(f"{cloud}:region")
    }
    return ProgramRun(
        stack,
        mocks.resources,
        outputs,
        mocks.calls,
        secret,
        config_source=source,
        project=config.project,
        regions=regions,
    )
