"""The workflows, parsed: triggers, permissions, concurrency, timeouts and pins are what issue 12 asks, and
a fork's pull request never reaches a step with credentials or a token."""

from __future__ import annotations

import argparse
import importlib
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.delivery.workflow_model import (
    PUSH_MAIN,
    SAME_REPOSITORY,
    Workflow,
    action,
    all_job_runs,
    all_workflows,
    job_runs,
    load,
    pinned_uses,
    shell_commands,
    steps,
    uses_credentials,
)

ROOT = Path(__file__).resolve().parents[2]
PINS_TABLE = ROOT / "docs" / "actions-pins.md"


def _pins() -> dict[str, tuple[str, str]]:
    """action -> (commit SHA, tag), from the repository's table of verified pins."""
    rows = re.findall(
        r"^\| ([\w/-]+)(?: \([\w-]+\))? \| (v[\d.]+) \| ([0-9a-f]{40}) \|", PINS_TABLE.read_text(), re.M
    )
    return {name: (sha, tag) for name, tag, sha in rows}


PINS = _pins()
WORKFLOWS = all_workflows()
PULL_REQUEST_WORKFLOWS = [w for w in WORKFLOWS if "pull_request" in w.triggers]


def by_name(workflow: Workflow) -> str:
    return workflow.name


def test_the_issues_workflows_exist() -> None:
    names = {w.name for w in WORKFLOWS}
    assert {"pr.yml", "review-stack.yml", "deploy.yml", "drift.yml"} <= names


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=by_name)
def test_every_action_is_pinned_to_its_verified_commit_with_the_tag_beside_it(workflow: Workflow) -> None:
    for name, ref, tag in pinned_uses(workflow.text):
        if name.startswith("./"):
            continue  # a workflow of this repository, at this commit
        assert (ref, tag) == PINS[name], f"{workflow.name}: {name}@{ref} # {tag}"


def test_the_pin_table_lists_every_action_the_workflows_use() -> None:
    used = {name for w in WORKFLOWS for name, _, _ in pinned_uses(w.text) if not name.startswith("./")}
    assert used and used <= set(PINS), sorted(used - set(PINS))


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=by_name)
def test_permissions_are_empty_by_default_and_granted_per_job(workflow: Workflow) -> None:
    assert workflow.data["permissions"] == {}
    for name, job in workflow.jobs.items():
        granted = job.get("permissions")
        assert isinstance(granted, dict), f"{workflow.name}:{name} must list its permissions"
        assert "write-all" not in str(granted)
        oidc = any(uses_credentials(s) for s in steps(job)) or "deploy-stack.yml" in str(job.get("uses"))
        assert (granted.get("id-token") == "write") == oidc, f"{workflow.name}:{name}: id-token only for OIDC"


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=by_name)
def test_every_job_has_a_timeout(workflow: Workflow) -> None:
    for name, job in workflow.jobs.items():
        if "uses" in job:  # a reusable workflow's caller: the called job carries it
            continue
        assert 0 < int(job["timeout-minutes"]) <= 120, f"{workflow.name}:{name}"


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=by_name)
def test_no_expression_is_interpolated_into_a_script(workflow: Workflow) -> None:
    for job in workflow.jobs.values():
        for step in steps(job):
            assert "${{" not in str(step.get("run", "")), (
                f"{workflow.name}: pass it through env: {step.get('name')}"
            )
    assert "secrets." not in workflow.text  # keyless: no stored secret is used anywhere


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=by_name)
def test_checkouts_keep_no_credentials(workflow: Workflow) -> None:
    for job in workflow.jobs.values():
        for step in steps(job):
            if action(step) == "actions/checkout":
                assert step["with"]["persist-credentials"] is False


def test_no_workflow_runs_pull_request_code_with_a_privileged_trigger() -> None:
    assert not [w.name for w in WORKFLOWS if "pull_request_target" in w.triggers]
    comment = load("pr-comment.yml")
    assert set(comment.triggers) == {"workflow_run"}
    for step in steps(comment.jobs["post"]):
        if action(step) == "actions/checkout":
            assert step["with"]["ref"] == "${{ github.event.repository.default_branch }}"
        assert "head_sha" not in str(step.get("with", {}).get("ref", ""))


@pytest.mark.parametrize("workflow", PULL_REQUEST_WORKFLOWS, ids=by_name)
def test_a_forks_pull_request_never_reaches_credentials_or_a_writable_token(workflow: Workflow) -> None:
    for name, job in workflow.jobs.items():
        condition = str(job.get("if", ""))
        privileged = [s for s in steps(job) if uses_credentials(s) or "github.token" in str(s.get("env", {}))]
        runs_on_pull_requests = "schedule" not in condition and "workflow_dispatch" not in condition
        if privileged and runs_on_pull_requests:
            assert SAME_REPOSITORY in condition, f"{workflow.name}:{name} lacks the same-repository condition"
            for step in (s for s in privileged if uses_credentials(s)):
                assert SAME_REPOSITORY in str(step.get("if", "")), (
                    f"{workflow.name}:{name}: {step.get('name')}"
                )


def test_pr_plans_both_stacks_against_the_base_and_previews_dev_with_the_pack() -> None:
    pr = load("pr.yml")
    assert set(pr.triggers) == {"pull_request"}
    assert pr.data["concurrency"]["cancel-in-progress"] is True
    assert pr.jobs["plan"]["strategy"]["matrix"]["stack"] == ["dev", "prod"]
    plan_script = "\n".join(str(s.get("run", "")) for s in steps(pr.jobs["plan"]))
    assert "launchpad plan" in plan_script and "--compare" in plan_script
    assert "--format markdown" in plan_script and "--format sarif" in plan_script
    assert "id-token" not in pr.jobs["plan"]["permissions"]  # the plan needs no credentials: forks too
    preview = pr.jobs["preview"]
    assert "strategy" not in preview and preview["environment"] == "dev-preview"
    script = "\n".join(str(s.get("run", "")) for s in steps(preview))
    assert "pulumi preview --stack" in script and "--policy-pack policies" in script
    assert "--policy-pack-config policies/config/dev.json" in script and "--suppress-outputs" in script


def test_review_stacks_follow_the_label_and_the_pr_and_are_swept() -> None:
    review = load("review-stack.yml")
    assert {"labeled", "unlabeled", "synchronize", "closed"} <= set(review.triggers["pull_request"]["types"])
    assert "schedule" in review.triggers
    assert "review-stack" in review.jobs["up"]["if"] and "closed" in review.jobs["down"]["if"]
    assert "sweep" in str(list(steps(review.jobs["sweep"]))[-1]["run"])
    for job in ("up", "down", "sweep"):
        assert review.jobs[job]["environment"] == "review"  # the only way to the deploy-dev role


def test_deploy_runs_dev_then_previews_prod_then_deploys_it_behind_its_environment() -> None:
    deploy, stack = load("deploy.yml"), load("deploy-stack.yml")
    assert deploy.triggers["push"] == {"branches": ["main"]} and "workflow_dispatch" in deploy.triggers
    assert deploy.jobs["dev"]["with"]["environment"] == "dev"
    assert deploy.jobs["prod-preview"]["needs"] == "dev"
    # What the reviewers approve: on a push, prod previewed in prod-preview, and nothing there deploys.
    [preview] = [r for r in job_runs(deploy, PUSH_MAIN) if r.environment == "prod-preview"]
    ran = preview.steps()
    assert not [s for s in ran if action(s) == "pulumi/actions" and s["with"].get("command")]
    pulumi = [c for s in ran for c in shell_commands(str(s.get("run", "")), s["env"]) if c[:1] == ["pulumi"]]
    assert [c[1] for c in pulumi] == ["preview"]
    assert pulumi[0][pulumi[0].index("--stack") + 1] == "organization/launchpad/prod"
    assert deploy.jobs["prod"]["needs"] == ["dev", "prod-preview"]
    assert deploy.jobs["prod"]["with"]["environment"] == "prod"
    job = stack.jobs["run"]
    assert job["environment"] == "${{ inputs.environment }}"
    names = [action(s) or s.get("run", "") for s in steps(job)]
    up = names.index("pulumi/actions", names.index("pulumi/actions") + 1)  # the first only installs the CLI
    assert "launchpad verify" in names[up + 1]
    assert any("delivery.rollback" in str(n) for n in names[:up])
    assert any("GITHUB_STEP_SUMMARY" in str(n) and "pulumi preview" in str(n) for n in names)


def test_drift_refreshes_as_a_preview_expecting_no_changes_nightly() -> None:
    drift = load("drift.yml")
    assert "schedule" in drift.triggers
    script = "\n".join(str(s.get("run", "")) for s in steps(drift.jobs["check"]))
    assert "pulumi refresh" in script and "--preview-only" in script and "--expect-no-changes" in script
    assert "--run-program" not in script and "delivery.drift_issue" in script
    assert drift.jobs["check"]["permissions"]["issues"] == "write"


def test_scripts_run_by_a_bare_python_need_nothing_but_the_standard_library() -> None:
    """pr-comment.yml runs its scripts with setup-python's interpreter and no `make setup`: a module that
    imports a third-party package (yaml, pydantic, ...) would stop every comment with ModuleNotFoundError."""
    bare = sorted(
        {
            command[2]
            for workflow in WORKFLOWS
            for job in workflow.jobs.values()
            for step in steps(job)
            for command in shell_commands(str(step.get("run", "")), {})
            if command[:2] == ["python", "-m"]
        }
    )
    assert bare, "no workflow runs a script with the bare interpreter: this test guards nothing"
    imports = "; ".join(f"import {module}" for module in bare)
    # -S: no site-packages, so only the standard library and this checkout can be imported.
    done = subprocess.run(
        [sys.executable, "-S", "-c", imports], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


# Values the runner or an earlier line of the same script gives (GitHub's default environment variables,
# the exit code a step keeps in `status`).
RUNNER_ENV = {"GITHUB_REF": "refs/heads/main", "GITHUB_SHA": "a" * 40, "status": "0"}


def _delivery_commands() -> list[tuple[str, list[str]]]:
    found = {}
    for run in all_job_runs():
        for step in run.steps():
            for command in shell_commands(str(step.get("run", "")), {**RUNNER_ENV, **step["env"]}):
                at = command.index("-m") + 1 if "-m" in command else 0
                if at and command[at].startswith("delivery."):
                    found[" ".join(command[at:])] = (command[at], command[at + 1 :])
    return sorted(found.values())


class _Parsed(Exception):
    pass


@pytest.mark.parametrize(
    ("module", "args"), [pytest.param(m, a, id=" ".join([m, *a])) for m, a in _delivery_commands()]
)
def test_every_delivery_command_a_workflow_runs_is_one_its_script_accepts(
    module: str, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A flag renamed in a script (--preview-file became --output-file) and missed in one of the workflows
    that copy its call would fail only in CI: each call is parsed by the script's own parser here."""
    parse = argparse.ArgumentParser.parse_args

    def parse_then_stop(parser: argparse.ArgumentParser, *given: Any, **named: Any) -> Any:
        raise _Parsed(parse(parser, *given, **named))

    monkeypatch.setattr(argparse.ArgumentParser, "parse_args", parse_then_stop)
    with pytest.raises(_Parsed):
        importlib.import_module(module).main(args)


def test_every_delivery_script_is_run_by_some_workflow() -> None:
    run = {module for module, _ in _delivery_commands()}
    scripts = {
        f"delivery.{p.stem}"
        for p in (ROOT / "delivery").glob("*.py")
        if 'if __name__ == "__main__"' in p.read_text()
    }
    assert scripts == run
