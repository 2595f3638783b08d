"""Evaluates AWS requests against an identity's real policy documents with a maintained IAM evaluator.

The evaluator is @cloud-copilot/iam-simulate (npm, pinned in package-lock.json), run by
scripts/iam-simulate.mjs under Node: AWS's evaluation logic with every condition operator,
NotAction/NotResource and resource policies, and actions, ARNs and context keys checked against the
Service Authorization Reference. No Python library evaluates IAM policies with conditions (moto's
access control matches actions and resources only, and only StringEquals conditions), so this one runs
in a subprocess; Node 20 and `npm ci` are the same prerequisites as the workflow linters.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from launchpad.access.aws_requests import Request

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
SCRIPT = REPO_ROOT / "scripts" / "iam-simulate.mjs"
LIBRARY = REPO_ROOT / "node_modules" / "@cloud-copilot" / "iam-simulate"
ALLOWED = "Allowed"


class EvaluatorUnavailable(RuntimeError):
    """Node or the npm packages are missing: the check cannot run (say so; never pass it silently)."""


@dataclass(frozen=True)
class AwsIdentity:
    """An IAM role as the evaluator sees it: its ARN and every policy attached to it, as JSON documents."""

    name: str
    arn: str
    account: str
    policies: Mapping[str, Any]  # policy name -> document


@dataclass(frozen=True)
class Verdict:
    request: Request
    identity: str
    result: str  # Allowed, ImplicitlyDenied, ExplicitlyDenied, or Error
    error: str = ""

    @property
    def allowed(self) -> bool:
        return self.result == ALLOWED


def available() -> str:
    """Why the evaluator cannot run here, or "" when it can."""
    if shutil.which("node") is None:
        return "Node.js 20+ is not on PATH"
    if not LIBRARY.is_dir():
        return "the npm packages are not installed (run `npm ci` in the repository)"
    return ""


@dataclass
class PendingEvaluation:
    """An evaluation running in the background: start it early, collect its verdicts when they are needed."""

    checks: Sequence[tuple[AwsIdentity, Request]]
    slots: list[int]  # for each check, its answer's index
    answers: Future[list[dict[str, Any]]] | None

    def verdicts(self) -> list[Verdict]:
        answers = self.answers.result() if self.answers else []
        return [
            Verdict(request, identity.name, answers[slot]["result"], answers[slot].get("error") or "")
            for (identity, request), slot in zip(self.checks, self.slots, strict=True)
        ]


def start(
    checks: Sequence[tuple[AwsIdentity, Request]], resource_policies: Mapping[str, Any]
) -> PendingEvaluation:
    """Starts evaluating (identity, request) pairs; identical ones are evaluated once."""
    missing = available()
    if missing:
        raise EvaluatorUnavailable(missing)
    unique: dict[tuple[str, tuple[str, str, str], str], int] = {}
    batch: list[dict[str, Any]] = []
    validated: set[tuple[str, str]] = set()
    for identity, request in checks:
        key = (identity.name, request.key(), request.resource_policy)
        if key in unique:
            continue
        unique[key] = len(batch)
        shape = (request.permission, request.shape)
        batch.append(
            {
                "identity": identity.name,
                "action": request.permission,
                "resource": request.resource,
                "context": dict(request.context),
                "resourcePolicy": request.resource_policy,
                "validate": shape not in validated,
            }
        )
        validated.add(shape)
    identities = {
        i.name: {
            "principal": i.arn,
            "accountId": i.account,
            "policies": [{"name": n, "policy": d} for n, d in i.policies.items()],
        }
        for i, _ in checks
    }
    slots = [unique[(i.name, r.key(), r.resource_policy)] for i, r in checks]
    document = json.dumps(
        {"identities": identities, "resourcePolicies": dict(resource_policies), "requests": batch}
    )
    # The evaluator runs on the other core while the caller goes on (the policy review, the cost estimate).
    answers = _EVALUATOR.submit(_run, document, len(batch)) if batch else None
    return PendingEvaluation(checks, slots, answers)


def evaluate(
    checks: Sequence[tuple[AwsIdentity, Request]], resource_policies: Mapping[str, Any]
) -> list[Verdict]:
    """One verdict per (identity, request), in order."""
    return start(checks, resource_policies).verdicts()


_EVALUATOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="iam-simulate")


def _run(document: str, expected: int) -> list[dict[str, Any]]:
    done = subprocess.run(  # noqa: S603 - a fixed script of this repository, input on stdin
        ["node", str(SCRIPT)],  # noqa: S607 - node from PATH, checked by available()
        input=document,
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise EvaluatorUnavailable(f"the IAM evaluator failed: {done.stderr.strip()[:500]}")
    answers: list[dict[str, Any]] = json.loads(done.stdout)
    if len(answers) != expected:
        raise EvaluatorUnavailable("the IAM evaluator answered a different number of requests")
    return answers
