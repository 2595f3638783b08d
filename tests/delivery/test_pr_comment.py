"""The plan comment: one per stack, found by its marker and edited, never duplicated; cut to GitHub's limit
with a note; stack outputs and the token never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from delivery import github_api
from delivery.pr_comment import (
    GITHUB_COMMENT_LIMIT,
    comment_body,
    main,
    marker,
    upsert_comment,
    without_outputs,
)
from tests.delivery.fakes import FakeGitHub

REPO = "example-org/launchpad"
PLAN = (
    "## Plan for dev\n\n**2 findings**, cost +$12.40/month\n\n### Findings\n- [mandatory] rds-availability\n"
)


def test_the_first_run_creates_and_later_runs_edit_the_same_comment() -> None:
    github = FakeGitHub()
    first = upsert_comment(github, REPO, 7, "dev", comment_body("dev", PLAN))
    second = upsert_comment(github, REPO, 7, "dev", comment_body("dev", PLAN + "\nchanged"))
    assert first.created and not second.created and first.comment_id == second.comment_id
    [comment] = github.comments[7]
    assert comment["body"].endswith("changed")


def test_each_stack_has_its_own_comment_and_other_comments_are_untouched() -> None:
    github = FakeGitHub(comments={7: [{"id": 1, "body": "LGTM, but see <!-- launchpad-plan stack=dev -->"}]})
    upsert_comment(github, REPO, 7, "dev", comment_body("dev", PLAN))
    upsert_comment(github, REPO, 7, "prod", comment_body("prod", PLAN))
    upsert_comment(github, REPO, 7, "dev", comment_body("dev", "again"))
    bodies = [c["body"] for c in github.comments[7]]
    assert len(bodies) == 3 and bodies[0].startswith("LGTM")  # a quote of the marker is not our comment
    assert bodies[1].startswith(marker("dev")) and bodies[1].endswith("again")
    assert bodies[2].startswith(marker("prod"))


def test_the_marker_is_found_past_the_first_page_of_comments() -> None:
    chatter = [{"id": i, "body": f"comment {i}"} for i in range(1, 251)]
    github = FakeGitHub(
        comments={9: [*chatter[:150], {"id": 500, "body": f"{marker('dev')}\nold"}, *chatter[150:]]}
    )
    assert upsert_comment(github, REPO, 9, "dev", comment_body("dev", PLAN)).comment_id == 500


def test_a_body_without_the_marker_is_refused_as_it_would_duplicate_next_time() -> None:
    with pytest.raises(ValueError, match="marker"):
        upsert_comment(FakeGitHub(), REPO, 7, "dev", PLAN)


def test_a_huge_plan_is_cut_at_a_line_to_the_limit_with_a_note() -> None:
    huge = "<details><summary>Inventory</summary>\n\n```\n" + "\n".join(
        f"+ resource {i}" for i in range(20000)
    )
    body = comment_body("dev", huge, run_url="https://github.com/o/r/actions/runs/1")
    assert len(body) <= GITHUB_COMMENT_LIMIT
    assert body.rstrip().endswith(
        "The full plan is in the [workflow run](https://github.com/o/r/actions/runs/1)."
    )
    before_note = body.rsplit("\n\n> **Truncated**", 1)[0]
    assert before_note.endswith("```\n</details>")  # the fence and the collapsed section are closed
    assert comment_body("dev", PLAN) == f"{marker('dev')}\n{PLAN}"  # a small plan is untouched


def test_outputs_sections_never_reach_the_comment() -> None:
    plan = "## Findings\nnone\n## Outputs\nservice_url: https://d1.cloudfront.net\n### db\nx\n## Cost\n$3\n"
    assert without_outputs(plan) == "## Findings\nnone\n## Cost\n$3\n"


def test_stack_names_are_checked_before_they_go_into_markup() -> None:
    with pytest.raises(ValueError):
        marker("dev --><script>")


def test_the_cli_posts_with_the_token_from_the_environment_and_never_prints_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    monkeypatch.setenv("GITHUB_RUN_ID", "42")
    monkeypatch.setenv("GITHUB_TOKEN", "ghs_secret_token_value")
    plan = tmp_path / "plan-dev.md"
    plan.write_text(PLAN)
    github = FakeGitHub()
    assert main(["--pr", "7", "--stack", "dev", "--body-file", str(plan)], api=github) == 0
    assert "/actions/runs/42" not in github.comments[7][0]["body"]  # short plans carry no truncation note
    captured = capsys.readouterr()
    assert "ghs_secret_token_value" not in captured.out + captured.err
    client = github_api.RestClient()
    assert "ghs_secret" not in repr(client)


def test_the_client_refuses_to_run_without_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    with pytest.raises(github_api.GitHubError, match="GITHUB_TOKEN is not set"):
        github_api.RestClient()


def test_the_run_link_is_the_runs_page_in_a_run_and_empty_outside_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GITHUB_RUN_ID", raising=False)
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)  # outside a run nothing else is asked for
    assert github_api.run_url() == ""
    monkeypatch.setenv("GITHUB_RUN_ID", "42")
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.example.com")
    assert github_api.run_url() == f"https://github.example.com/{REPO}/actions/runs/42"
