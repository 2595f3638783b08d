"""The deploy identities as the bootstrap program would create them: its plan, run under the same mocks as the
stack's, read for each role's policy documents and each service account's granted roles."""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from launchpad.access.aws_evaluate import AwsIdentity
from offline.aws_answers import ACCOUNT_ID
from offline.mocks import Recorded
from offline.program import ProgramRun, run_program
from offline.stack_files import REPO_ROOT, StackFileConfig, load_stack_config

BOOTSTRAP_DIR = REPO_ROOT / "bootstrap"
DEFAULT_BOOTSTRAP_STACK = "example"
DATA = Path(__file__).resolve().parent / "data"


@cache
def aws_managed_policies() -> dict[str, Any]:
    """The AWS managed policies the bootstrap attaches, by ARN (vendored copies, each naming its version)."""
    found = {}
    for path in DATA.glob("*Access.json"):
        record = json.loads(path.read_text())
        found[record["arn"]] = record["document"]
    return found


@dataclass(frozen=True)
class Family:
    name: str
    stacks: tuple[str, ...]
    aws_deploy: str  # role names
    aws_preview: str
    gcp_deploy: str  # service account emails, "" without gcp
    gcp_preview: str

    def serves(self, stack: str) -> bool:
        return any(fnmatch.fnmatchcase(stack, pattern) for pattern in self.stacks)

    def names(self, stack: str) -> bool:
        """Named outright, not through a pattern: pattern stacks (pr-*) are review stacks, whose jobs run
        pull-request branches, which Google's provider refuses (bootstrap/gcp_access.py)."""
        return stack in self.stacks


@dataclass
class Bootstrap:
    """The bootstrap's planned identities, and the state backend they use (None with Pulumi Cloud)."""

    run: ProgramRun
    stack_file: str

    @property
    def access(self) -> dict[str, Any]:
        return dict(self.run.outputs["access"])

    def families(self) -> list[Family]:
        found = []
        for name, family in self.access["families"].items():
            gcp = family.get("gcp") or {}
            found.append(
                Family(
                    name,
                    tuple(family["stacks"]),
                    family["aws"]["deploy"],
                    family["aws"]["preview"],
                    gcp.get("deploy", ""),
                    gcp.get("preview", ""),
                )
            )
        return found

    def family_of(self, stack: str) -> Family | None:
        return next((f for f in self.families() if f.serves(stack)), None)

    def aws_identity(self, role: str) -> AwsIdentity:
        policies: dict[str, Any] = {}
        for r in self.run.resources:
            if r.type == "aws:iam/rolePolicy:RolePolicy" and r.inputs["role"] == role:
                policies[r.inputs["name"]] = json.loads(r.inputs["policy"])
            elif r.type == "aws:iam/rolePolicyAttachment:RolePolicyAttachment" and r.inputs["role"] == role:
                arn = r.inputs["policyArn"]
                policies[arn] = self._managed_policy(role, arn)
        return AwsIdentity(role, f"arn:aws:iam::{ACCOUNT_ID}:role/{role}", ACCOUNT_ID, policies)

    def _managed_policy(self, role: str, arn: str) -> Any:
        """A customer managed policy the bootstrap plans, or an AWS one of which a copy is vendored."""
        for r in self.resources_of("aws:iam/policy:Policy"):
            if r.outputs.get("arn") == arn:
                return json.loads(r.inputs["policy"])
        if arn not in aws_managed_policies():
            raise ValueError(f"{role}: no copy of managed policy {arn} to evaluate (launchpad/access/data)")
        return aws_managed_policies()[arn]

    def resources_of(self, type_: str) -> list[Recorded]:
        return [r for r in self.run.resources if r.type == type_]

    @classmethod
    def planned(cls, config: StackFileConfig) -> Bootstrap:
        """The bootstrap program planned for an already loaded (and checked) stack file."""
        return cls(run_program(config.stack, config, program_dir=BOOTSTRAP_DIR), config.stack)


def load_bootstrap(
    stack_file: str = DEFAULT_BOOTSTRAP_STACK, overrides: dict[str, Any] | None = None
) -> Bootstrap:
    """Plans the bootstrap program for its stack file `bootstrap/Pulumi.<stack_file>.yaml` (the shipped
    sample by default; a user passes their own bootstrap stack's file name)."""
    return Bootstrap.planned(
        load_stack_config(stack_file, root=BOOTSTRAP_DIR).with_overrides(overrides or {})
    )
