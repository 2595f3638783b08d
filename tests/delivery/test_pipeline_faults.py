"""Issue 19, faults 12-20: the workflows as GitHub runs them (tests/delivery/workflow_model.py) drive the
delivery scripts against the models of the Pulumi CLI and GitHub (tests/delivery/fakes.py). Each test
names the fault it guards; each failed on the code before the fix."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from contextlib import redirect_stdout
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from bootstrap import github_oidc
from delivery import drift_issue, find_pr, pr_comment, review_stacks
from tests.delivery.fakes import (
    EXIT_NO_CHANGES,
    FALLBACK,
    FakeArtifacts,
    FakeConcurrency,
    FakeGitHub,
    FakePulumi,
    FakeStack,
    codeql_upload_sarif,
    oidc_subject,
    pull,
    pulumi_actions_comment,
)
from tests.delivery.workflow_model import (
    ENVIRONMENTS,
    PER_ENVIRONMENT_VARIABLES,
    PUSH_MAIN,
    REPOSITORY,
    REPOSITORY_VARIABLES,
    SCHEDULE,
    JobRun,
    action,
    all_job_runs,
    condition,
    job_runs,
    load,
    pull_request_event,
    shell_commands,
    uses_credentials,
    workflow_run_event,
)

ROOT = Path(__file__).resolve().parents[2]
KMS = "awskms://alias/launchpad-pulumi-state?region=us-east-1"
PR_HEAD, MAIN_HEAD = "b" * 40, "d" * 40
REVIEW_TAG = "launchpad:review-pr"  # the stack tag review stacks carry
RUNS = all_job_runs()


def only(runs: list[JobRun], job_id: str, **matrix: str) -> JobRun:
    [found] = [
        r
        for r in runs
        if r.job_id == job_id and all(r.context["matrix"].get(k) == v for k, v in matrix.items())
    ]
    return found


def checkout(path: Path) -> Path:
    """A fresh clone: Pulumi.yaml and dev's committed stack file, nothing a previous run wrote."""
    path.mkdir(parents=True)
    (path / "Pulumi.yaml").write_text("name: launchpad\nruntime: python\n")
    dev = {"secretsprovider": KMS, "encryptedkey": "AQIDev", "config": {"launchpad:owner": "platform"}}
    (path / "Pulumi.dev.yaml").write_text(yaml.safe_dump(dev))
    return path


def script_commands(run: JobRun, module: str) -> list[list[str]]:
    """The commands of the job's `run:` steps that invoke `python -m <module>`, with the step's env."""
    found = []
    for step in run.steps():
        for command in shell_commands(str(step.get("run", "")), step["env"]):
            if module in command:
                found.append(command[command.index(module) + 1 :])
    return found


def running(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_REPOSITORY", REPOSITORY)
    for name, value in env.items():
        monkeypatch.setenv(name, str(value))


# --- 12: every credentialed job runs in its environment and reads that environment's values -------------


CREDENTIALED = [r for r in RUNS if any(uses_credentials(s) for s in r.steps())]


@pytest.mark.parametrize("run", CREDENTIALED, ids=lambda r: r.label)
def test_every_credentialed_job_names_its_environment_and_reads_only_per_environment_values(
    run: JobRun,
) -> None:
    assert run.environment in ENVIRONMENTS, run.label
    assert run.variables_read() <= PER_ENVIRONMENT_VARIABLES | REPOSITORY_VARIABLES, run.label
    # GitHub puts the environment in the token's subject, in both forms: the roles trust exactly that.
    for form, ids in (("name", None), ("immutable", (1001, 2002))):
        minted = oidc_subject(REPOSITORY, environment=run.environment, event_name="pull_request", ids=ids)
        claim = github_oidc.repository_claim(REPOSITORY, *(ids or (0, 0)), form)
        assert minted == github_oidc.environment_subject(claim, run.environment), run.label


def test_pull_request_code_gets_only_dev_shaped_credentials_and_never_googles() -> None:
    from_pull_requests = [r for r in CREDENTIALED if r.context["github"]["event_name"] == "pull_request"]
    assert from_pull_requests
    for run in from_pull_requests:
        assert run.environment in ("dev-preview", "review"), run.label  # nothing that can read prod
        assert not [s for s in run.steps() if action(s) == "google-github-actions/auth"], run.label
    previews = [r for r in from_pull_requests if r.workflow == "pr.yml"]
    assert [r.environment for r in previews] == ["dev-preview"] * len(previews)


def test_the_oidc_subject_forms_github_mints() -> None:
    assert oidc_subject(REPOSITORY, event_name="pull_request") == "repo:example-org/launchpad:pull_request"
    assert (
        oidc_subject(REPOSITORY, event_name="push", ref="refs/heads/main", ids=(11, 22))
        == "repo:example-org-11/launchpad-22:ref:refs/heads/main"
    )


# --- 13: a review stack deploys from a fresh checkout on every push, and goes from one ------------------


def test_a_review_stack_deploys_on_every_push_and_is_removed_from_a_fresh_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    labelled = ("review-stack",)
    up = only(job_runs(load("review-stack.yml"), pull_request_event(7, "synchronize", labelled)), "up")
    env = up.scoped()["env"]
    running(env, monkeypatch)
    backend: list[FakeStack] = []  # the S3 state, shared by every run
    for push in (1, 2):
        clone = checkout(tmp_path / f"push-{push}")
        pulumi = FakePulumi(stacks=backend, cwd=clone, env=env)
        ref = review_stacks.prepare(7, env["PULUMI_ORG"], pulumi, clone, env["PULUMI_SECRETS_PROVIDER"])
        pulumi(["up", "--yes", "--stack", ref])  # the workflow's pulumi/actions `up`
        assert yaml.safe_load((clone / "Pulumi.pr-7.yaml").read_text())["config"] == {
            "launchpad:owner": "platform"
        }
    [stack] = backend
    assert stack.secrets_provider == KMS and stack.tags == {REVIEW_TAG: "7"}

    down = only(job_runs(load("review-stack.yml"), pull_request_event(7, "closed", labelled)), "down")
    pulumi = FakePulumi(stacks=backend, cwd=checkout(tmp_path / "close"), env=down.scoped()["env"])
    [args] = script_commands(down, "delivery.review_stacks")
    assert review_stacks.main(args, run=pulumi) == 0
    assert backend == []


def test_the_cli_writes_the_secrets_provider_lines_only_when_it_creates_the_stack(tmp_path: Path) -> None:
    first, second = checkout(tmp_path / "a"), checkout(tmp_path / "b")
    backend: list[FakeStack] = []
    select = ["stack", "select", "--create", "--stack", "pr-3", "--secrets-provider", KMS]
    FakePulumi(stacks=backend, cwd=first)(select)
    FakePulumi(stacks=backend, cwd=second)(select)
    assert yaml.safe_load((first / "Pulumi.pr-3.yaml").read_text())["secretsprovider"] == KMS
    assert not (second / "Pulumi.pr-3.yaml").exists()
    with pytest.raises(review_stacks.PulumiError, match="PULUMI_CONFIG_PASSPHRASE"):
        FakePulumi(stacks=backend, cwd=second)(["up", "--yes", "--stack", "pr-3"])
    FakePulumi(stacks=backend, cwd=second, env={FALLBACK: "1"})(["up", "--yes", "--stack", "pr-3"])
    assert yaml.safe_load((second / "Pulumi.pr-3.yaml").read_text())["secretsprovider"] == KMS


# --- 14: teardown and sweep read no other stack's checkpoint and leave other projects alone -------------


def _backend(prod_readable: bool = False) -> list[FakeStack]:
    long_ago = datetime.now(UTC) - timedelta(days=3)
    tag = REVIEW_TAG
    return [
        FakeStack("launchpad", "dev", KMS, long_ago),
        FakeStack("launchpad", "prod", KMS, long_ago, readable=prod_readable),  # the dev role may not read it
        FakeStack("launchpad", "pr-3", KMS, long_ago, tags={tag: "3"}),
        FakeStack("other-app", "pr-9", KMS, long_ago, tags={tag: "9"}),  # another project's review stack
    ]


def test_the_teardown_removes_its_stack_without_reading_prods(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = _backend()
    pulumi = FakePulumi(stacks=backend, env={FALLBACK: "true"})
    assert review_stacks.remove(3, "", pulumi) is True
    assert review_stacks.remove(4, "", pulumi) is False  # a PR that never had a stack
    assert [s.name for s in backend] == ["dev", "prod", "pr-9"]


@pytest.mark.parametrize("prod_readable", [False, True])
def test_the_sweep_removes_only_this_projects_review_stacks(
    prod_readable: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_REPOSITORY", REPOSITORY)
    backend = _backend(prod_readable)
    pulumi = FakePulumi(stacks=backend, env={FALLBACK: "true"})
    assert review_stacks.sweep(FakeGitHub(), pulumi, "review-stack", timedelta(hours=24)) == ["pr-3"]
    assert [(s.project, s.name) for s in backend] == [
        ("launchpad", "dev"),
        ("launchpad", "prod"),
        ("other-app", "pr-9"),
    ]


def test_listing_every_stack_on_the_s3_backend_fails_on_one_it_may_not_read() -> None:
    pulumi = FakePulumi(stacks=_backend())
    with pytest.raises(review_stacks.PulumiError, match="failed to load checkpoint"):
        pulumi(["stack", "ls", "--json", "--all"])
    with pytest.raises(review_stacks.PulumiError, match="failed to load checkpoint"):
        pulumi(["stack", "ls", "--json"])  # the project's stacks: prod is one of them
    tagged = json.loads(pulumi(["stack", "ls", "--json", "--project", "launchpad", "--tag", REVIEW_TAG]))
    assert [row["name"] for row in tagged] == ["pr-3"] and "updateInProgress" not in tagged[0]


# --- 15: a closed pull request without a review stack starts no teardown ---------------------------------


def test_only_a_pull_request_with_a_review_stack_starts_a_teardown() -> None:
    review = load("review-stack.yml")
    for event in (pull_request_event(8, "closed"), pull_request_event(8, "unlabeled", ("bug",), label="bug")):
        assert [r.job_id for r in job_runs(review, event)] == []
    closing = pull_request_event(7, "closed", ("review-stack",))
    unlabelling = pull_request_event(7, "unlabeled", (), label="review-stack")
    for event in (closing, unlabelling):
        assert [r.job_id for r in job_runs(review, event)] == ["down"]
    assert [
        r.job_id for r in job_runs(review, pull_request_event(7, "closed", ("review-stack",), fork=True))
    ] == []


# --- 16: a config error gets the comment, from what the plan job kept ------------------------------------


CONFIG_ERROR = (
    "error: Pulumi.dev.yaml: launchpad:dbInstanceClass 'db.x9.huge' is not an instance class; fix: ..."
)


def _plan_job_files(stack: str, status: int, stderr: str) -> dict[str, str]:
    """What the plan step leaves in plan-out/ when `launchpad plan` writes no Markdown: the files its
    script writes whatever the exit code (`> file` or `tee file`), the others only on success."""
    plan = only(job_runs(load("pr.yml"), pull_request_event()), "plan", stack=stack)
    [step] = [s for s in plan.steps() if s.get("id") == "plan"]
    written = {}
    for path in sorted(set(re.findall(r'(?:>|tee)\s+"(plan-out/[^"]+)"', step["run"]))):
        name = path.replace("$STACK", stack)
        written[name] = {".status": str(status), ".stderr": stderr}.get(Path(name).suffix, "")
    return {k: v for k, v in written.items() if not k.endswith((".md", ".sarif"))}


def test_a_config_error_reaches_the_pull_request_as_a_comment_quoting_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = only(job_runs(load("pr.yml"), pull_request_event()), "plan", stack="dev")
    [upload] = [s for s in plan.steps() if action(s) == "actions/upload-artifact"]
    failed = {**plan.context, "job_status": {"success": False, "failure": True}}
    assert condition(upload.get("if"), failed)  # the upload runs after a failed step too
    artifacts = FakeArtifacts()
    artifacts.upload(upload["with"], _plan_job_files("dev", 2, CONFIG_ERROR))

    post = only(job_runs(load("pr-comment.yml"), workflow_run_event()), "post", stack="dev")
    for name, text in artifacts.download("plan-dev").items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    [args] = script_commands(post, "delivery.pr_comment")
    monkeypatch.chdir(tmp_path)
    running({"GITHUB_RUN_ID": "99"}, monkeypatch)
    github = FakeGitHub()
    assert pr_comment.main([a.replace("$PR_NUMBER", "7") for a in args], api=github) == 0
    [comment] = github.comments[7]
    assert "a configuration or usage error (exit 2)" in comment["body"] and CONFIG_ERROR in comment["body"]


@pytest.mark.parametrize(("status", "kind"), [(3, "an internal error"), (None, "did not run")])
def test_every_kind_of_plan_failure_is_named(status: int | None, kind: str) -> None:
    assert kind in pr_comment.failure_markdown("dev", status, "Traceback ...")


# --- 17: re-runs, long pull requests and forks ----------------------------------------------------------


def test_re_running_the_plan_job_replaces_its_artifact() -> None:
    plan = only(job_runs(load("pr.yml"), pull_request_event()), "plan", stack="prod")
    [upload] = [s for s in plan.steps() if action(s) == "actions/upload-artifact"]
    artifacts = FakeArtifacts()
    for attempt in ("1", "2"):  # "Re-run jobs" is the same workflow run
        artifacts.upload(upload["with"], {"plan-out/plan-prod.md": attempt})
    assert artifacts.download("plan-prod") == {"plan-out/plan-prod.md": "2"}


def _post_preview(run: JobRun, github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the preview job does to post its comment: pulumi/actions' comment-on-pr, or our script."""
    for step in run.steps():
        if action(step) == "pulumi/actions" and step["with"].get("comment-on-pr"):
            stack = str(step["with"]["stack-name"]).rsplit("/", 1)[-1]
            pulumi_actions_comment(
                github, 7, f"#### :tropical_drink: `preview` on launchpad/{stack}", "\n..."
            )
    for args in script_commands(run, "delivery.pr_comment"):
        body = tmp_path / args[args.index("--body-file") + 1]
        body.write_text("## `pulumi preview` of dev\n")
        args[args.index("--body-file") + 1] = str(body)
        pr_comment.main([a.replace("$PR_NUMBER", "7") for a in args], api=github)


def test_a_long_pull_request_keeps_one_preview_comment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    running({}, monkeypatch)
    github = FakeGitHub(comments={7: [{"id": i, "body": f"review remark {i}"} for i in range(1, 31)]})
    previews = [r for r in job_runs(load("pr.yml"), pull_request_event()) if r.job_id == "preview"]
    for _push in (1, 2):
        for run in previews:
            _post_preview(run, github, tmp_path, monkeypatch)
    ours = [c for c in github.comments[7] if not c["body"].startswith("review remark")]
    assert len(ours) == len(previews) == 1


def test_a_forks_pull_request_is_found_for_its_comment(monkeypatch: pytest.MonkeyPatch) -> None:
    post = only(job_runs(load("pr-comment.yml"), workflow_run_event(fork=True)), "post", stack="dev")
    [args] = script_commands(post, "delivery.find_pr")
    fork_pr = pull(12, sha=PR_HEAD, head_repo="someone/launchpad", branch="feature", base_repo=REPOSITORY)
    other = pull(13, sha="e" * 40, head_repo="someone/launchpad", branch="other", base_repo=REPOSITORY)
    running({}, monkeypatch)
    printed = io.StringIO()
    with redirect_stdout(printed):
        assert find_pr.main(args, api=FakeGitHub(pulls=[other, fork_pr])) == 0
    assert printed.getvalue() == "number=12\n"


# --- 18: code scanning gets the pull request's commit, our category, and a baseline on main ---------------


SARIF = {
    "version": "2.1.0",
    "runs": [
        {
            "tool": {"driver": {"name": "launchpad"}},
            "results": [],
            "automationDetails": {"id": "chosen-by-the-fork/"},  # the artifact is the pull request's
        }
    ],
}


def _upload_findings(
    run: JobRun, github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, head: str
) -> None:
    """Whatever the job uses to upload SARIF, run against the code-scanning model."""
    for step in run.steps():
        if action(step) == "github/codeql-action/upload-sarif":
            codeql_upload_sarif(github, step["with"], json.loads(json.dumps(SARIF)), checkout_head=head)
    for command in script_commands(run, "delivery.code_scanning"):
        from delivery import code_scanning  # imported here: the module the fix for fault 18 added

        sarif = tmp_path / "findings.sarif"
        sarif.write_text(json.dumps(SARIF))
        command[command.index("--sarif-file") + 1] = str(sarif)
        running({}, monkeypatch)
        args = [
            a.replace("$PR_NUMBER", "7")
            .replace("$GITHUB_REF", "refs/heads/main")
            .replace("$GITHUB_SHA", MAIN_HEAD)
            for a in command
        ]
        assert code_scanning.main(args, api=github) == 0


def test_pull_request_findings_land_on_its_commit_under_the_workflows_category(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = only(job_runs(load("pr-comment.yml"), workflow_run_event(fork=True)), "post", stack="dev")
    github = FakeGitHub()
    _upload_findings(post, github, tmp_path, monkeypatch, head=MAIN_HEAD)  # it checks out the default branch
    [upload] = github.sarifs
    assert upload["commit_sha"] == PR_HEAD and upload["ref"] == "refs/pull/7/head"
    assert upload["categories"] == ["launchpad-plan-dev/"]


def test_main_has_a_baseline_under_the_same_category(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    github = FakeGitHub()
    for run in job_runs(load("deploy.yml"), PUSH_MAIN):
        _upload_findings(run, github, tmp_path, monkeypatch, head=MAIN_HEAD)
    baseline = {(u["ref"], u["commit_sha"], tuple(u["categories"])) for u in github.sarifs}
    assert baseline == {
        ("refs/heads/main", MAIN_HEAD, (f"launchpad-plan-{stack}/",)) for stack in ("dev", "prod")
    }


# --- 19: nothing but a newer deploy of the same stack displaces a pending deploy -------------------------


def writes(run: JobRun) -> str | None:
    """The stack whose lock the job takes: an up, destroy or refresh, or a script that runs one."""
    for step in run.steps():
        options = step["with"]
        if action(step) == "pulumi/actions" and options.get("command") in (
            "up",
            "update",
            "destroy",
            "refresh",
        ):
            return str(options["stack-name"]).rsplit("/", 1)[-1]
        for command in shell_commands(str(step.get("run", "")), step["env"]):
            if "delivery.review_stacks" in command:
                verb = command[command.index("delivery.review_stacks") + 1]
                return "pr-*" if verb == "sweep" else f"pr-{command[command.index('--pr') + 1]}"
            if "delivery.rollback" in command:
                return command[command.index("--stack") + 1]
            if command[:1] == ["pulumi"] and (
                command[1] in ("up", "destroy")
                or (command[1] == "refresh" and "--preview-only" not in command)
            ):
                return command[command.index("--stack") + 1].rsplit("/", 1)[-1]
    return None


DEPLOYS = [r for r in RUNS if writes(r)]


@pytest.mark.parametrize("deploy", DEPLOYS, ids=lambda r: r.label)
def test_no_other_job_cancels_a_pending_deploy(deploy: JobRun) -> None:
    assert deploy.groups() and not any(cancel for _, cancel in deploy.groups()), deploy.label
    for other in RUNS:
        if writes(other) == writes(deploy):
            continue  # a newer deploy of the same stack supersedes a pending one: newest wins
        queue = FakeConcurrency()
        for group, cancel in deploy.groups():
            queue.queue("running deploy", group)
            queue.queue("pending deploy", group, cancel_in_progress=cancel)
        for group, cancel in other.groups():
            queue.queue(other.label, group, cancel_in_progress=cancel)
        assert "pending deploy" not in queue.cancelled, f"{other.label} cancels {deploy.label}"


def test_a_newer_job_replaces_the_pending_one_in_its_group() -> None:
    queue = FakeConcurrency()
    for job in ("running", "pending", "newer"):
        queue.queue(job, "Pulumi-Prod" if job == "newer" else "pulumi-prod")
    assert queue.cancelled == ["pending"] and queue.pending == {"pulumi-prod": "newer"}
    queue.queue("cancelling", "pulumi-prod", cancel_in_progress=True)
    assert queue.cancelled == ["pending", "newer", "running"]


# --- 20: drift is the cloud changing behind the stack, and the issue points at the output ----------------


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_drift_is_reported_for_the_cloud_changing_not_for_undeployed_code(stack: str, tmp_path: Path) -> None:
    run = only(job_runs(load("drift.yml"), SCHEDULE), "check", stack=stack)
    [command] = [
        c for s in run.steps() for c in shell_commands(str(s.get("run", "")), s["env"]) if c[:1] == ["pulumi"]
    ]
    clone = checkout(tmp_path / "clone")
    (clone / "Pulumi.prod.yaml").write_text(yaml.safe_dump({"secretsprovider": KMS, "encryptedkey": "AQIP"}))
    deployed = {"bucket": "v1"}
    target = FakeStack("launchpad", stack, KMS, state=dict(deployed), cloud=dict(deployed))
    pulumi = FakePulumi(stacks=[target], cwd=clone, env=run.scoped()["env"], program={"bucket": "v2"})
    assert "no changes" in pulumi(command[1:])  # merged, not deployed yet: not drift
    target.cloud["bucket"] = "edited in the console"
    with pytest.raises(review_stacks.PulumiError) as drifted:
        pulumi(command[1:])
    assert drifted.value.exit_code == EXIT_NO_CHANGES
    assert target.state == deployed  # the check wrote nothing


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_the_drift_issue_points_at_an_artifact_that_holds_the_output(stack: str) -> None:
    run = only(job_runs(load("drift.yml"), SCHEDULE), "check", stack=stack)
    [args] = script_commands(run, "delivery.drift_issue")
    output_file = args[args.index("--output-file") + 1]
    [upload] = [s for s in run.steps() if action(s) == "actions/upload-artifact"]
    assert (
        upload["with"]["name"] == drift_issue.artifact_name(stack) and upload["with"]["path"] == output_file
    )
    assert condition(upload.get("if"), {**run.context, "job_status": {"success": False, "failure": True}})
    [check] = [s for s in run.steps() if "pulumi refresh" in str(s.get("run", ""))]
    assert f'| tee "{output_file.replace(stack, "$STACK")}"' in check["run"]  # the log holds it too
    assert drift_issue.artifact_name(stack) in drift_issue.issue_body(stack, "~ bucket", "https://x", 7)


# --- every delivery script without its tools: one line, exit 2 ------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [["delivery.rollback", "--stack", "prod"], ["delivery.review_stacks", "remove", "--pr", "3"]],
)
def test_a_script_without_the_pulumi_cli_says_so_in_one_line_and_exits_2(
    argv: list[str], tmp_path: Path
) -> None:
    env = {**os.environ, "PATH": str(tmp_path), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", *argv], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [
        "error: the pulumi CLI is not on PATH (install it, or in CI run pulumi/actions first)"
    ]


def test_a_script_without_its_token_says_so_and_exits_2(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_TOKEN"} | {"GITHUB_REPOSITORY": REPOSITORY}
    argv = ["delivery.pr_comment", "--pr", "7", "--stack", "dev", "--body-file", str(tmp_path / "x.md")]
    done = subprocess.run(
        [sys.executable, "-m", *argv], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stderr.splitlines()) == (
        2,
        ["error: GITHUB_TOKEN is not set; pass it to this step through `env:`"],
    )
