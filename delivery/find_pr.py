"""The open pull request whose head is a given commit: `python -m delivery.find_pr --head-sha SHA`.

A workflow_run event lists no pull requests when the run came from a fork, and an artifact from the
pull request's run could claim any number; GitHub's own record of which pull requests carry the commit
cannot be forged by the pull request. Prints `number=<n>` (for $GITHUB_OUTPUT), or nothing if none.
"""

from __future__ import annotations

import argparse
import re

from delivery.github_api import GitHubApi, RestClient, repository

SHA = re.compile(r"[0-9a-f]{40}")


def pull_request_for(api: GitHubApi, repo: str, head_sha: str) -> int | None:
    if not SHA.fullmatch(head_sha):
        raise ValueError(f"{head_sha!r} is not a commit SHA")
    pulls = api.get(f"/repos/{repo}/commits/{head_sha}/pulls") or []
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
    options = parser.parse_args(argv)
    number = pull_request_for(api or RestClient(), repository(), options.head_sha)
    if number is not None:
        print(f"number={number}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
