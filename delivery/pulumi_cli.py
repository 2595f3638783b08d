"""Runs the Pulumi CLI for the delivery scripts; tests pass a fake runner instead.

Commands are argument lists (no shell), and their output is returned, not echoed: stack outputs and
config may hold values that do not belong in a CI log. A failed command raises `PulumiError` carrying the
CLI's exit code, which since 3.226 says what went wrong (pkg/cmd/pulumi/cmd/exit_codes.go).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Sequence

from delivery.cli import SetupError

Runner = Callable[[Sequence[str]], str]
PROJECT = "launchpad"  # Pulumi.yaml's `name`: every stack reference and project filter names it

# pulumi/pulumi pkg/cmd/pulumi/cmd/exit_codes.go:28-40 ("part of the contract ... stable once released").
EXIT_ERROR = 1
EXIT_STACK_NOT_FOUND = 6  # StackNotFoundError, exit_codes.go:94-98
EXIT_NO_CHANGES = 7  # NoChangesExpectedError: --expect-no-changes saw changes, exit_codes.go:107-109


class PulumiError(RuntimeError):
    def __init__(self, message: str, exit_code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class PulumiNotFound(SetupError):
    pass


def run_pulumi(args: Sequence[str]) -> str:
    executable = shutil.which("pulumi")
    if executable is None:
        raise PulumiNotFound("the pulumi CLI is not on PATH (install it, or in CI run pulumi/actions first)")
    command = [executable, *args, "--non-interactive"]  # a list, no shell: arguments are never parsed
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        # stderr carries the CLI's error message; stdout (outputs, config) stays private.
        raise PulumiError(
            f"pulumi {' '.join(args[:2])} failed (exit {done.returncode}): {done.stderr.strip()}",
            done.returncode,
        )
    return done.stdout


def stack_ref(organization: str, stack: str, project: str = PROJECT) -> str:
    """`organization/launchpad/dev`: one form for both backends (the S3 backend's organization is
    literally `organization`; Pulumi Cloud's is the account's)."""
    return f"{organization or 'organization'}/{project}/{stack}"
