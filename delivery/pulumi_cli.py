"""Runs the Pulumi CLI for the delivery scripts; tests pass a fake runner instead.

Commands are argument lists (no shell), and their output is returned, not echoed: stack outputs and
config may hold values that do not belong in a CI log.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Sequence

Runner = Callable[[Sequence[str]], str]


class PulumiError(RuntimeError):
    pass


def run_pulumi(args: Sequence[str]) -> str:
    executable = shutil.which("pulumi")
    if executable is None:
        raise PulumiError("the pulumi CLI is not on PATH (pulumi/actions installs it)")
    command = [executable, *args, "--non-interactive"]  # a list, no shell: arguments are never parsed
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        # stderr carries the CLI's error message; stdout (outputs, config) stays private.
        raise PulumiError(
            f"pulumi {args[0]} {args[1] if len(args) > 1 else ''} failed: {done.stderr.strip()}"
        )
    return done.stdout


def stack_ref(organization: str, stack: str, project: str = "launchpad") -> str:
    """`organization/launchpad/dev`: one form for both backends (the S3 backend's organization is
    literally `organization`; Pulumi Cloud's is the account's)."""
    return f"{organization or 'organization'}/{project}/{stack}"
