"""Drift issues, review-stack preparation and sweeping, the rollback, and finding a PR by commit, each
against the GitHub and Pulumi fakes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from delivery import drift_issue, find_pr, preview_report, review_stacks, rollback
from delivery.github_api import GitHubError
from delivery.pr_comment import FENCE, GITHUB_COMMENT_LIMIT
from delivery.pulumi_cli import PulumiError, stack_ref
from tests.delivery.fakes import EXIT_NO_CHANGES, FakeGitHub, FakePulumi, FakeStack, pull

REPO = "example-org/launchpad"
KMS = "awskms://alias/launchpad-pulumi-state?region=us-east-1"
RUN = "https://github.com/example-org/launchpad/actions/runs/9"
NEW, OLD, OLDER = ("sha256:" + c * 64 for c in "abc")


# --- drift issues ------------------------------------------------------------------------------------


def _report(github: FakeGitHub, stack: str, drifted: bool, output: str = "~ aws:ec2/vpc:Vpc") -> str:
    exit_code = EXIT_NO_CHANGES if drifted else 0
    return drift_issue.report(github, REPO, stack, exit_code=exit_code, output=output, run_url=RUN)


def test_drift_opens_one_issue_per_stack_and_updates_it_while_it_lasts() -> None:
    github = FakeGitHub()
    assert _report(github, "dev", True).startswith("opened #")
    assert _report(github, "prod", True).startswith("opened #")
    assert _report(github, "dev", True, "~ aws:rds/instance:Instance").startswith("updated #")
    assert len(github.issues) == 2
    [dev] = [i for i in github.issues if i["title"] == "Drift on stack dev"]
    assert "aws:rds/instance:Instance" in dev["body"] and [label["name"] for label in dev["labels"]] == [
        "drift"
    ]


def test_a_clean_night_closes_the_issue_with_a_note_and_a_clean_stack_opens_none() -> None:
    github = FakeGitHub()
    number = int(_report(github, "dev", True).split("#")[1])
    assert _report(github, "dev", False) == f"closed #{number}"
    assert github.issues[0]["state"] == "closed" and "No drift" in github.comments[number][0]["body"]
    assert _report(github, "dev", False) == "clean" and len(github.issues) == 1


def test_a_drift_issue_fits_githubs_limit_and_keeps_its_fence() -> None:
    body = drift_issue.issue_body("dev", "```\n~~~~\n" + "~ resource\n" * 30000, RUN)
    assert len(body) <= GITHUB_COMMENT_LIMIT and body.endswith(f"\n{FENCE}\n")
    assert body.count(FENCE) == 2  # the output cannot close the fence early


def test_a_failed_check_is_not_called_drift() -> None:
    github = FakeGitHub()
    assert _report(github, "prod", True).startswith("opened #")
    drift_issue.report(github, REPO, "prod", exit_code=3, output="error: [403] AccessDenied", run_url=RUN)
    [issue] = github.issues
    assert "could not check the stack (exit 3)" in issue["body"] and "found drift" not in issue["body"]


def test_the_drift_and_preview_scripts_read_whatever_the_check_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    monkeypatch.delenv("GITHUB_RUN_ID", raising=False)
    raw = tmp_path / "drift-dev.txt"
    raw.write_bytes(b"~ aws:s3/bucket:Bucket \xff\xfe\n")  # a tool's bytes that are not UTF-8
    github = FakeGitHub()
    argv = ["--stack", "dev", "--output-file", str(raw), "--exit-code", str(EXIT_NO_CHANGES)]
    assert drift_issue.main(argv, api=github) == 0
    assert "~ aws:s3/bucket:Bucket \ufffd\ufffd" in github.issues[0]["body"]
    missing = tmp_path / "never-written.txt"  # the check died before writing anything
    assert (
        drift_issue.main(["--stack", "prod", "--output-file", str(missing), "--exit-code", "255"], api=github)
        == 0
    )
    assert "could not check the stack (exit 255)" in github.issues[1]["body"]
    assert preview_report.main(["--stack", "dev", "--output-file", str(missing), "--exit-code", "1"]) == 0
    report = capsys.readouterr().out
    assert "**failed** (exit 1)" in report and "(no output)" in report


# --- review stacks -----------------------------------------------------------------------------------


def test_a_review_stack_takes_devs_config_and_keeps_its_own_encryption_lines(tmp_path: Path) -> None:
    dev = {"config": {"launchpad:owner": "platform-team", "launchpad:forceDestroyData": True}}
    (tmp_path / "Pulumi.dev.yaml").write_text(yaml.safe_dump(dev))
    pulumi = FakePulumi(cwd=tmp_path)
    ref = review_stacks.prepare(12, "", pulumi, tmp_path, secrets_provider=KMS)
    assert ref == "organization/launchpad/pr-12"
    assert pulumi.commands == [
        ["stack", "select", "--create", "--stack", ref, "--secrets-provider", KMS],
        ["stack", "tag", "set", "launchpad:review-pr", "12", "--stack", ref],
    ]
    written = yaml.safe_load((tmp_path / "Pulumi.pr-12.yaml").read_text())
    assert written == {"secretsprovider": KMS, "encryptedkey": "AQICAHh=", "config": dev["config"]}


def test_stack_references_name_the_project_pulumi_yaml_declares() -> None:
    declared = yaml.safe_load((Path(__file__).resolve().parents[2] / "Pulumi.yaml").read_text())["name"]
    assert stack_ref("", "pr-3") == f"organization/{declared}/pr-3"
    assert review_stacks.review_stacks([{"name": f"organization/{declared}/pr-3"}])[0].pr == 3


def test_review_stack_names_stay_within_the_stack_name_limit() -> None:
    assert review_stacks.review_stack_name(99_999_999) == "pr-99999999"
    with pytest.raises(ValueError):
        review_stacks.review_stack_name(0)


def _stack(name: str, hours_ago: float | None, locked: bool = False) -> FakeStack:
    when = datetime.now(UTC) - timedelta(hours=hours_ago) if hours_ago is not None else None
    pr = {"launchpad:review-pr": name.removeprefix("pr-")} if name.startswith("pr-") else {}
    return FakeStack("launchpad", name, KMS, when, locked=locked, tags=pr)


def _pull(number: int, labels: list[str]) -> dict:
    return pull(number, sha="0" * 40, head_repo=REPO, branch=f"b{number}", base_repo=REPO, labels=labels)


def _pulumi(*stacks: FakeStack, backend: str = "diy") -> FakePulumi:
    return FakePulumi(
        stacks=list(stacks), env={"PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER": "true"}, backend=backend
    )


def test_the_sweeper_removes_only_orphaned_review_stacks_older_than_the_ttl(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    github = FakeGitHub(pulls=[_pull(1, ["review-stack"]), _pull(2, ["bug"])])
    pulumi = _pulumi(
        _stack("dev", 100),  # not a review stack
        _stack("pr-1", 100),  # its PR is open and labelled
        _stack("pr-2", 100),  # open, label removed
        _stack("pr-3", 100),  # PR closed
        _stack("pr-4", 1),  # PR closed, but younger than the TTL
        _stack("pr-6", None),  # never deployed
    )
    removed = review_stacks.sweep(github, pulumi, "review-stack", timedelta(hours=24))
    assert removed == ["pr-2", "pr-3", "pr-6"]
    destroyed = [c for c in pulumi.commands if c[0] == "destroy"]
    assert destroyed == [["destroy", "--yes", "--remove", "--stack", stack_ref("", s)] for s in removed]


def test_on_pulumi_cloud_a_stack_with_an_update_running_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    pulumi = _pulumi(_stack("pr-5", 100, locked=True), _stack("pr-6", 100), backend="cloud")
    assert review_stacks.sweep(FakeGitHub(), pulumi, "review-stack", timedelta(hours=1)) == ["pr-6"]


def test_a_stack_that_fails_to_go_does_not_stop_the_sweep(monkeypatch: pytest.MonkeyPatch) -> None:
    # On the S3 backend `stack ls` cannot say an update is running; its lock refuses the destroy.
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    pulumi = _pulumi(_stack("pr-3", 100, locked=True), _stack("pr-4", 100))
    with pytest.raises(PulumiError, match="could not remove pr-3"):
        review_stacks.sweep(FakeGitHub(), pulumi, "review-stack", timedelta(hours=1))
    assert pulumi.commands[-1] == ["destroy", "--yes", "--remove", "--stack", stack_ref("", "pr-4")]
    assert [s.name for s in pulumi.stacks] == ["pr-3"]


def test_a_sweep_that_cannot_list_every_open_pull_request_destroys_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Ten pages of 100 are all `paginated` reads; the labelled PR 1001 is on the eleventh.
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    github = FakeGitHub(pulls=[_pull(n, ["bug"]) for n in range(1, 1001)] + [_pull(1001, ["review-stack"])])
    pulumi = _pulumi(_stack("pr-1001", 100))
    with pytest.raises(GitHubError, match="more than 1000 items"):
        review_stacks.sweep(github, pulumi, "review-stack", timedelta(hours=1))
    assert not [c for c in pulumi.commands if c[0] == "destroy"]


def test_a_dry_run_sweep_destroys_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    pulumi = _pulumi(_stack("pr-3", 100))
    assert review_stacks.sweep(FakeGitHub(), pulumi, "review-stack", timedelta(hours=1), dry_run=True) == [
        "pr-3"
    ]
    assert [c[0] for c in pulumi.commands] == ["stack"]


def test_removing_a_review_stack_destroys_it_only_if_it_exists() -> None:
    pulumi = _pulumi(_stack("pr-8", 1))
    pulumi.backend, pulumi.organization = "cloud", "acme"
    assert review_stacks.remove(9, "acme", pulumi) is False
    assert review_stacks.remove(8, "acme", pulumi) is True
    assert pulumi.commands[-1] == ["destroy", "--yes", "--remove", "--stack", "acme/launchpad/pr-8"]
    with pytest.raises(PulumiError, match="organization name must be 'organization'"):
        review_stacks.remove(8, "acme", _pulumi(_stack("pr-8", 1)))  # PULUMI_ORG set on the S3 backend


# --- rollback ----------------------------------------------------------------------------------------


def _deployed(outputs: dict, tmp_path: Path | None = None) -> FakePulumi:
    """prod on Pulumi Cloud (organization acme), deployed with these outputs."""
    prod = FakeStack("launchpad", "prod", "service", datetime.now(UTC), outputs=outputs)
    return FakePulumi(stacks=[prod], backend="cloud", organization="acme", cwd=tmp_path)


def test_rollback_sets_the_newest_earlier_digest_as_the_stacks_image(tmp_path: Path) -> None:
    pulumi = _deployed({"image_digest": NEW, "image_history": [NEW, OLD, OLDER]}, tmp_path)
    assert rollback.roll_back("acme/launchpad/prod", pulumi) == OLD
    assert yaml.safe_load((tmp_path / "Pulumi.prod.yaml").read_text())["config"] == {
        "launchpad:imageDigest": OLD
    }
    assert pulumi.commands[-1] == [
        "config",
        "set",
        "--stack",
        "acme/launchpad/prod",
        "launchpad:imageDigest",
        OLD,
    ]


def test_after_a_rollback_the_previous_image_is_the_one_rolled_back_from() -> None:
    # A rollback deploys OLD, so history becomes [OLD, NEW, ...]: rolling back again undoes it.
    assert rollback.previous_digest({"image_digest": OLD, "image_history": [OLD, NEW, OLDER]}) == NEW


@pytest.mark.parametrize(
    "outputs",
    [{"image_digest": NEW}, {"image_digest": NEW, "image_history": [NEW]}, {"image_history": ["latest"]}],
)
def test_rollback_refuses_when_there_is_nothing_to_roll_back_to(outputs: dict) -> None:
    with pytest.raises(rollback.RollbackError):
        rollback.previous_digest(outputs)


def test_a_named_digest_is_checked_and_used_without_reading_outputs() -> None:
    pulumi = _deployed({})
    assert rollback.roll_back("prod", pulumi, digest=OLDER) == OLDER
    assert [c[:2] for c in pulumi.commands] == [["config", "set"]]
    with pytest.raises(rollback.RollbackError):
        rollback.roll_back("prod", pulumi, digest="sha256:short")


def test_the_rollback_cli_writes_the_digest_for_the_next_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "github_output"
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    monkeypatch.setenv("PULUMI_ORG", "acme")
    pulumi = _deployed({"image_digest": NEW, "image_history": [NEW, OLD]})
    assert rollback.main(["--stack", "prod"], run=pulumi) == 0
    assert output.read_text() == f"digest={OLD}\n"
    assert pulumi.commands[0] == ["stack", "output", "--json", "--stack", stack_ref("acme", "prod")]
    assert rollback.main(["--stack", "prod"], run=_deployed({"image_history": []})) == 1
    with pytest.raises(PulumiError, match="no stack named"):  # the CLI's exit 6, for cli.run to report
        rollback.main(["--stack", "staging"], run=pulumi)


# --- the PR behind a workflow_run -----------------------------------------------------------------------

SHA = "1" * 40


def test_the_pr_is_the_open_one_of_that_branch_whose_head_is_the_commit_in_this_repository() -> None:
    ours = pull(5, sha=SHA, head_repo="fork-owner/launchpad", branch="fix", base_repo=REPO)
    elsewhere = pull(2, sha=SHA, head_repo="fork-owner/launchpad", branch="fix", base_repo="x/y")
    moved_on = pull(3, sha="2" * 40, head_repo="fork-owner/launchpad", branch="fix", base_repo=REPO)
    closed = {**ours, "number": 1, "state": "closed"}
    github = FakeGitHub(pulls=[elsewhere, closed, moved_on, ours])
    assert find_pr.pull_request_for(github, REPO, SHA, "fork-owner", "fix") == 5
    assert find_pr.pull_request_for(github, REPO, SHA, "someone-else", "fix") is None
    with pytest.raises(ValueError):
        find_pr.pull_request_for(FakeGitHub(), REPO, "main", "fork-owner", "fix")
