"""The models in fakes.py hold to the rules they cite, failures included, and the scripts that feed them
(code scanning, the preview report) refuse what GitHub would refuse."""

from __future__ import annotations

import pytest

from delivery import code_scanning, preview_report
from delivery.pr_comment import FENCE, GITHUB_COMMENT_LIMIT
from delivery.pulumi_cli import PulumiError
from tests.delivery.fakes import FakeGitHub, FakePulumi, FakeStack, GitHubRefused, pull
from tests.delivery.workflow_model import REPOSITORY, evaluate

KMS = "awskms://alias/launchpad-pulumi-state?region=us-east-1"


def test_list_endpoints_page_30_by_default_and_100_at_most() -> None:
    github = FakeGitHub(comments={1: [{"id": i, "body": ""} for i in range(250)]})
    path = f"/repos/{REPOSITORY}/issues/1/comments"
    assert len(github.get(path)) == 30
    assert len(github.get(path, {"per_page": "500"})) == 100
    assert len(github.get(path, {"per_page": "100", "page": "3"})) == 50


def test_the_issue_list_filters_by_state_and_by_every_label_named() -> None:
    github = FakeGitHub()
    path = f"/repos/{REPOSITORY}/issues"
    for title, labels in (("a", ["drift"]), ("b", ["drift", "prod"]), ("c", [])):
        github.post(path, {"title": title, "body": "", "labels": labels})
    github.patch(f"{path}/{github.issues[0]['number']}", {"state": "closed"})
    titles = [i["title"] for i in github.get(path)]
    assert titles == ["b", "c"]  # open ones, whatever their labels
    assert [i["title"] for i in github.get(path, {"labels": "drift,prod"})] == ["b"]
    assert [i["title"] for i in github.get(path, {"state": "all", "labels": "drift"})] == ["a", "b"]
    assert github.get(path, {"labels": "drift"})[0]["labels"] == [{"name": "drift"}, {"name": "prod"}]


def test_a_commits_pull_requests_are_only_this_repositorys() -> None:
    sha = "1" * 40
    fork = pull(4, sha=sha, head_repo="someone/launchpad", branch="x", base_repo=REPOSITORY)
    here = pull(5, sha=sha, head_repo=REPOSITORY, branch="y", base_repo=REPOSITORY)
    found = FakeGitHub(pulls=[fork, here]).get(f"/repos/{REPOSITORY}/commits/{sha}/pulls")
    assert [p["number"] for p in found] == [5]


def test_code_scanning_refuses_what_the_endpoint_refuses() -> None:
    github = FakeGitHub()
    sarif = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "launchpad"}}, "results": []}]}
    with pytest.raises(code_scanning.SarifError, match="not a branch, tag or pull request ref"):
        code_scanning.upload(github, REPOSITORY, "dev", sarif, ref="main", sha="a" * 40)
    with pytest.raises(code_scanning.SarifError, match="exactly one run"):
        code_scanning.upload(
            github, REPOSITORY, "dev", {**sarif, "runs": []}, ref="refs/heads/main", sha="a" * 40
        )
    with pytest.raises(GitHubRefused, match="Base64"):
        github.post(
            f"/repos/{REPOSITORY}/code-scanning/sarifs",
            {"commit_sha": "a" * 40, "ref": "refs/heads/main", "sarif": "{}"},
        )
    assert code_scanning.upload(github, REPOSITORY, "dev", sarif, ref="refs/pull/3/merge", sha="a" * 40)
    assert github.sarifs[0]["categories"] == ["launchpad-plan-dev/"]


def test_a_preview_report_fits_its_place_and_says_first_whether_it_failed() -> None:
    output = "\x1b[32m+ aws:s3/bucket:Bucket\x1b[0m\n" + "~~~~\n" + "  + resource\n" * 20000
    report = preview_report.preview_markdown("dev", output, 255, limit=GITHUB_COMMENT_LIMIT)
    assert len(report) <= GITHUB_COMMENT_LIMIT - preview_report.MARKER_ROOM
    assert "The preview **failed** (exit 255)" in report.split("\n\n")[1]
    assert "\x1b[" not in report and report.count(FENCE) == 2 and "**Truncated**" in report


def test_the_pulumi_model_refuses_what_the_cli_refuses() -> None:
    stack = FakeStack("launchpad", "dev", KMS, locked=True)
    pulumi = FakePulumi(stacks=[stack], env={"PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER": "true"})
    assert "no changes" in pulumi(["preview", "--stack", "dev"])  # previews take no lock
    with pytest.raises(PulumiError, match="currently locked"):
        pulumi(["up", "--yes", "--stack", "dev"])
    with pytest.raises(PulumiError, match="--preview-only"):
        pulumi(["refresh", "--stack", "dev"])
    with pytest.raises(PulumiError, match="stack tag names may only contain"):
        pulumi(["stack", "tag", "set", "launchpad review", "1", "--stack", "dev"])
    with pytest.raises(AssertionError, match="does not know the flag"):
        pulumi(["preview", "--stack", "dev", "--target-replace", "x"])


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("contains(github.event.labels.*.name, 'Review-Stack')", True),  # comparisons ignore case
        ("github.event.missing.deeper == null", True),
        ("!inputs.rollback && format('{0}-{1}', 'a', 2) == 'a-2'", True),
        ("inputs.stack || 'organization'", "organization"),
    ],
)
def test_the_expression_model_reads_github_expressions(expression: str, value: object) -> None:
    context = {"github": {"event": {"labels": [{"name": "review-stack"}]}}, "inputs": {"stack": ""}}
    assert evaluate(expression, context) == value
