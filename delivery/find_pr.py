"""The open pull request whose head is a given commit of a given branch:
`python -m delivery.find_pr --head-sha SHA --head-owner OWNER --head-branch BRANCH`.

A workflow_run event lists no pull requests when the run came from a fork, and an artifact from the pull
request's run could claim any number; GitHub's own record cannot be forged by the pull request. The
"pull requests of a commit" endpoint knows only commits of this repository, so a fork's head commit finds
nothing there; the pull-request list filtered by `head=<owner>:<branch>` (the event's head repository
owner and branch) finds forks and branches of this repository alike, and the head SHA must match.
Prints `number=<n>` (for $GITHUB_OUTPUT), or nothing if none.
"""

from __future__ import annotations

import argparse
import re

from delivery import cli
from delivery.github_api import GitHubApi, GitHubError, RestClient, paginated, repository

SHA = re.compile(r"[0-9a-f]{40}")
OWNER = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})")


def pull_request_for(
    api: GitHubApi, repo: str, head_sha: str, head_owner: str, head_branch: str
) -> int | None:
    if not SHA.fullmatch(head_sha):
        raise ValueError(f"{head_sha!r} is not a commit SHA")
    if not OWNER.fullmatch(head_owner) or not head_branch:
        raise ValueError(f"{head_owner!r}:{head_branch!r} is not an owner and a branch")
    pulls = paginated(api, f"/repos/{repo}/pulls", {"state": "open", "head": f"{head_owner}:{head_branch}"})
    base = repo.lower()
    mine = [
        p["number"]
        for p in pulls
        if p.get("state") == "open"
        and p.get("head", {}).get("sha") == head_sha
        and str(p.get("base", {}).get("repo", {}).get("full_name", "")).lower() == base
    ]
    return min(mine) if mine else None


def main(argv: list[str] | None = None, api: GitHubApi | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--head-sha", required=True)
    parser.add_argument("--head-owner", required=True, help="the head repository's owner (login)")
    parser.add_argument("--head-branch", required=True)
    options = parser.parse_args(argv)
    number = pull_request_for(
        api or RestClient(), repository(), options.head_sha, options.head_owner, options.head_branch
    )
    if number is not None:
        print(f"number={number}")
    return 0


if __name__ == "__main__":
    raise SystemExit(cli.run(main, expected=(GitHubError, ValueError)))
