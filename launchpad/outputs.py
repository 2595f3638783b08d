"""A stack's outputs, from `pulumi stack output --json` or a file holding that command's output.

Only non-secret outputs are needed: without `--show-secrets` Pulumi prints secret ones as "[secret]".
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from launchpad.errors import OperateError

PULUMI_TIMEOUT_SECONDS = 120
Runner = Callable[..., subprocess.CompletedProcess[str]]


@dataclass(frozen=True)
class StackOutputs:
    stack: str
    values: dict[str, Any]
    source: str  # where they were read, for error messages

    def has(self, name: str) -> bool:
        value = self.values.get(name)
        return value not in (None, "", [], {}, "[secret]")

    def require(self, name: str) -> Any:
        if not self.has(name):
            raise OperateError(
                f"output {name}",
                f"{self.source} has no {name!r}",
                "deploy the stack with this version of the program (`pulumi up`), which exports it, "
                "or pass --outputs FILE holding `pulumi stack output --json` of a stack that has it",
            )
        return self.values[name]

    def secret_arn(self, role: str) -> str:
        arns = self.require("secret_arns")
        if not isinstance(arns, dict) or not arns.get(role):
            raise OperateError(
                f"output secret_arns.{role}",
                f"{self.source} lists no secret {role!r}",
                "run `pulumi up` so the stack creates it and exports its ARN",
            )
        return str(arns[role])

    @property
    def region(self) -> str:
        """The AWS region, from the stack key's ARN (arn:aws:kms:<region>:<account>:key/<id>)."""
        parts = str(self.require("kms_key_arn")).split(":")
        if len(parts) < 6 or not parts[3]:
            raise OperateError(
                "output kms_key_arn", "is not a KMS key ARN", "pass the outputs of an AWS stack"
            )
        return parts[3]

    @property
    def has_gcp(self) -> bool:
        return self.has("gcp_project")

    @property
    def has_aws(self) -> bool:
        return self.has("kms_key_arn")


def load_outputs(stack: str, outputs_file: Path | None, runner: Runner = subprocess.run) -> StackOutputs:
    if outputs_file is not None:
        return _from_file(stack, outputs_file)
    return _from_pulumi(stack, runner)


def _from_file(stack: str, path: Path) -> StackOutputs:
    try:
        text = path.read_text()
    except OSError as error:
        raise OperateError(
            "--outputs",
            f"cannot read {path}: {error.strerror}",
            f"write it with `pulumi stack output --json --stack {stack} > {path}`",
        ) from None
    return StackOutputs(stack, _parse(text, str(path), stack), str(path))


def _from_pulumi(stack: str, runner: Runner) -> StackOutputs:
    command = ["pulumi", "stack", "output", "--json", "--stack", stack]
    try:
        done = runner(command, capture_output=True, text=True, timeout=PULUMI_TIMEOUT_SECONDS, check=False)
    except FileNotFoundError:
        raise OperateError(
            "pulumi",
            "the Pulumi CLI is not on PATH",
            "install it (https://www.pulumi.com/docs/install/) or pass --outputs FILE",
        ) from None
    except subprocess.TimeoutExpired:
        raise OperateError(
            "pulumi",
            f"`pulumi stack output` did not answer within {PULUMI_TIMEOUT_SECONDS} s",
            "check `pulumi whoami` (the backend must be reachable) or pass --outputs FILE",
        ) from None
    if done.returncode != 0:
        raise _pulumi_error(stack, done.stderr)
    return StackOutputs(stack, _parse(done.stdout, "`pulumi stack output`", stack), f"stack {stack}")


def _pulumi_error(stack: str, stderr: str) -> OperateError:
    if "no stack named" in stderr or "not found" in stderr:
        return OperateError(
            "--stack",
            f"Pulumi has no stack named {stack!r} in the current backend",
            "list them with `pulumi stack ls`; log in to the right backend with `pulumi login`",
        )
    if "pulumi login" in stderr or "not logged in" in stderr.lower():
        return OperateError("pulumi", "not logged in to a Pulumi backend", "run `pulumi login`")
    last = stderr.strip().splitlines()[-1] if stderr.strip() else "no message"
    return OperateError("pulumi", f"`pulumi stack output` failed: {last}", "run it yourself to see why")


def _parse(text: str, source: str, stack: str) -> dict[str, Any]:
    try:
        values = json.loads(text)
    except ValueError:
        raise OperateError(
            "--outputs",
            f"{source} is not JSON",
            f"use the output of `pulumi stack output --json --stack {stack}`",
        ) from None
    if not isinstance(values, dict):
        raise OperateError(
            "--outputs",
            f"{source} is not a JSON object of outputs",
            f"use the output of `pulumi stack output --json --stack {stack}`",
        )
    return values
