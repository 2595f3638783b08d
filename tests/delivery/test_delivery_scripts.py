"""Drift issues, review-stack preparation and sweeping, the rollback, and finding a PR by commit, each
against the GitHub and Pulumi fakes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from delivery import drift_issue, find_pr, review_stacks, rollback
from delivery.pr_comment import GITHUB_COMMENT_LIMIT
from delivery.pulumi_cli import PulumiError, stack_ref
from tests.delivery.fakes import FakeGitHub, FakePulumi

REPO = "example-org/launchpad"
RUN = "https://github.com/example-org/launchpad/actions/runs/9"
NEW, OLD, OLDER = ("sha256:" + c * 64 for c in "abc")


# --- drift issues ------------------------------------------------------------------------------------


def _report(github: FakeGitHub, stack: str, drifted: bool, preview: str = "~ aws:ec2/vpc:Vpc") -> str:
    return drift_issue.report(github, REPO, stack, drifted=drifted, preview=preview, run_url=RUN)


def test_drift_opens_one_issue_per_stack_and_updates_it_while_it_lasts() -> None:
    github = FakeGitHub()
    assert _report(github, "dev", True).startswith("opened #")
    assert _report(github, "prod", True).startswith("opened #")
    assert _report(github, "dev", True, "~ aws:rds/instance:Instance").startswith("updated #")
    assert len(github.issues) == 2
    [dev] = [i for i in github.issues if i["title"] == "Drift on stack dev"]
    assert "aws:rds/instance:Instance" in dev["body"] and dev["labels"] == ["drift"]


def test_a_clean_night_closes_the_issue_with_a_note_and_a_clean_stack_opens_none() -> None:
    github = FakeGitHub()
    number = int(_report(github, "dev", True).split("#")[1])
    assert _report(github, "dev", False) == f"closed #{number}"
    assert github.issues[0]["state"] == "closed" and "No drift" in github.comments[number][0]["body"]
    assert _report(github, "dev", False) == "clean" and len(github.issues) == 1


def test_a_drift_issue_fits_githubs_limit_and_keeps_its_fence() -> None:
    body = drift_issue.issue_body("dev", "```\n" + "~ resource\n" * 30000, RUN)
    assert len(body) <= GITHUB_COMMENT_LIMIT and body.endswith(f"\n{drift_issue.FENCE}\n")
    assert body.count(drift_issue.FENCE) == 2  # the preview cannot close the fence early


# --- review stacks -----------------------------------------------------------------------------------


def test_a_review_stack_takes_devs_config_and_keeps_its_own_encryption_lines(tmp_path: Path) -> None:
    dev = {"config": {"launchpad:owner": "platform-team", "launchpad:forceDestroyData": True}}
    (tmp_path / "Pulumi.dev.yaml").write_text(yaml.safe_dump(dev))
    own = {
        "secretsprovider": "awskms://alias/x",
        "encryptedkey": "AQID",
        "config": {"launchpad:owner": "stale"},
    }
    (tmp_path / "Pulumi.pr-12.yaml").write_text(yaml.safe_dump(own))
    pulumi = FakePulumi()
    ref = review_stacks.prepare(12, "", pulumi, tmp_path, secrets_provider="awskms://alias/x")
    assert ref == "organization/launchpad/pr-12"
    assert pulumi.commands == [
        ["stack", "select", "--create", "--stack", ref, "--secrets-provider", "awskms://alias/x"]
    ]
    written = yaml.safe_load((tmp_path / "Pulumi.pr-12.yaml").read_text())
    assert written == {"secretsprovider": "awskms://alias/x", "encryptedkey": "AQID", "config": dev["config"]}


def test_review_stack_names_stay_within_the_stack_name_limit() -> None:
    assert review_stacks.review_stack_name(99_999_999) == "pr-99999999"
    with pytest.raises(ValueError):
        review_stacks.review_stack_name(0)


def _stack(name: str, hours_ago: float | None, busy: bool = False) -> dict:
    when = datetime.now(UTC) - timedelta(hours=hours_ago) if hours_ago is not None else None
    return {"name": name, "lastUpdate": when.isoformat() if when else None, "updateInProgress": busy}


def _pull(number: int, labels: list[str]) -> dict:
    return {
        "number": number,
        "state": "open",
        "labels": [{"name": n} for n in labels],
        "head": {"sha": "0" * 40},
    }


def test_the_sweeper_removes_only_orphaned_review_stacks_older_than_the_ttl(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    github = FakeGitHub(pulls=[_pull(1, ["review-stack"]), _pull(2, ["bug"])])
    pulumi = FakePulumi(
        stacks=[
            _stack("dev", 100),  # not a review stack
            _stack("organization/launchpad/pr-1", 100),  # its PR is open and labelled
            _stack("pr-2", 100),  # open, label removed
            _stack("pr-3", 100),  # PR closed
            _stack("pr-4", 1),  # PR closed, but younger than the TTL
            _stack("pr-5", 100, busy=True),  # an update is running
            _stack("pr-6", None),  # never deployed
        ]
    )
    removed = review_stacks.sweep(github, pulumi, "review-stack", timedelta(hours=24))
    assert removed == ["pr-2", "pr-3", "pr-6"]
    destroyed = [c for c in pulumi.commands if c[0] == "destroy"]
    assert destroyed == [["destroy", "--yes", "--remove", "--stack", s] for s in removed]


def test_a_stack_that_fails_to_go_does_not_stop_the_sweep(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)

    class LockedPr3(FakePulumi):
        def __call__(self, args: Sequence[str]) -> str:
            if "pr-3" in args and args[0] == "destroy":
                self.commands.append(list(args))
                raise PulumiError("the stack is locked")
            return super().__call__(args)

    pulumi = LockedPr3(stacks=[_stack("pr-3", 100), _stack("pr-4", 100)])
    with pytest.raises(PulumiError, match="could not remove pr-3"):
        review_stacks.sweep(FakeGitHub(), pulumi, "review-stack", timedelta(hours=1))
    assert pulumi.commands[-1] == ["destroy", "--yes", "--remove", "--stack", "pr-4"]


def test_a_dry_run_sweep_destroys_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    pulumi = FakePulumi(stacks=[_stack("pr-3", 100)])
    assert review_stacks.sweep(FakeGitHub(), pulumi, "review-stack", timedelta(hours=1), dry_run=True) == [
        "pr-3"
    ]
    assert [c[0] for c in pulumi.commands] == ["stack"]


def test_removing_a_review_stack_destroys_it_only_if_it_exists() -> None:
    pulumi = FakePulumi(stacks=[_stack("pr-8", 1)])
    assert review_stacks.remove(9, "acme", pulumi) is False
    assert review_stacks.remove(8, "acme", pulumi) is True
    assert pulumi.commands[-1] == ["destroy", "--yes", "--remove", "--stack", "acme/launchpad/pr-8"]


# --- rollback ----------------------------------------------------------------------------------------


def test_rollback_sets_the_newest_earlier_digest_as_the_stacks_image() -> None:
    pulumi = FakePulumi(outputs={"image_digest": NEW, "image_history": [NEW, OLD, OLDER]})
    assert rollback.roll_back("acme/launchpad/prod", pulumi) == OLD
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
    pulumi = FakePulumi()
    assert rollback.roll_back("s", pulumi, digest=OLDER) == OLDER
    assert [c[:2] for c in pulumi.commands] == [["config", "set"]]
    with pytest.raises(rollback.RollbackError):
        rollback.roll_back("s", pulumi, digest="sha256:short")


def test_the_rollback_cli_writes_the_digest_for_the_next_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "github_output"
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    monkeypatch.delenv("PULUMI_ORG", raising=False)
    pulumi = FakePulumi(outputs={"image_digest": NEW, "image_history": [NEW, OLD]})
    assert rollback.main(["--stack", "prod"], run=pulumi) == 0
    assert output.read_text() == f"digest={OLD}\n"
    assert pulumi.commands[0] == ["stack", "output", "--json", "--stack", stack_ref("", "prod")]
    assert rollback.main(["--stack", "prod"], run=FakePulumi(outputs={"image_history": []})) == 1


# --- the PR behind a workflow_run -----------------------------------------------------------------------

SHA = "1" * 40


def test_the_pr_is_the_open_one_whose_head_is_the_commit_in_this_repository() -> None:
    ours = {"number": 5, "state": "open", "head": {"sha": SHA}, "base": {"repo": {"full_name": REPO}}}
    elsewhere = {"number": 2, "state": "open", "head": {"sha": SHA}, "base": {"repo": {"full_name": "x/y"}}}
    closed = {**ours, "number": 1, "state": "closed"}
    assert find_pr.pull_request_for(FakeGitHub(pulls=[elsewhere, closed, ours]), REPO, SHA) == 5
    assert find_pr.pull_request_for(FakeGitHub(pulls=[elsewhere]), REPO, SHA) is None
    with pytest.raises(ValueError):
        find_pr.pull_request_for(FakeGitHub(), REPO, "main")
