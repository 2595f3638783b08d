"""One open issue per drifted stack: opened when the nightly check finds drift, updated while it lasts,
closed with a note when a later check is clean. Found by a hidden marker, like the PR comments.

`python -m delivery.drift_issue --stack dev --preview-file preview.txt --exit-code 1`
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from delivery.github_api import GitHubApi, RestClient, paginated, repository, run_url
from delivery.pr_comment import GITHUB_COMMENT_LIMIT, marker, truncated

LABEL = "drift"
FENCE = "~~~~"  # a tilde fence: backtick fences inside the preview cannot close it


def issue_marker(stack: str) -> str:
    return marker(stack, "drift")


def issue_body(stack: str, preview: str, run_url: str) -> str:
    header = (
        f"{issue_marker(stack)}\n`pulumi preview --refresh --expect-no-changes` on **{stack}** "
        f"reports changes: the cloud no longer matches the last deployment, or the check itself failed. "
        f"Seen by [this run]({run_url}).\n\n{FENCE}\n"
    )
    note = "> **Truncated**: the full preview is in the run's log."
    fence = f"\n{FENCE}\n"
    room = GITHUB_COMMENT_LIMIT - len(header) - len(fence)
    return header + truncated(preview.replace(FENCE, "~ ~ ~ ~"), room, note) + fence


def open_issue(api: GitHubApi, repo: str, stack: str) -> dict | None:
    issues = paginated(api, f"/repos/{repo}/issues", {"state": "open", "labels": LABEL})
    tag = issue_marker(stack)
    return next((i for i in issues if str(i.get("body") or "").startswith(tag)), None)


def report(api: GitHubApi, repo: str, stack: str, *, drifted: bool, preview: str, run_url: str) -> str:
    """What was done: `opened #n`, `updated #n`, `closed #n` or `clean`."""
    existing = open_issue(api, repo, stack)
    if drifted:
        body = issue_body(stack, preview, run_url)
        if existing:
            api.patch(f"/repos/{repo}/issues/{existing['number']}", {"body": body})
            return f"updated #{existing['number']}"
        issue = api.post(
            f"/repos/{repo}/issues", {"title": f"Drift on stack {stack}", "body": body, "labels": [LABEL]}
        )
        return f"opened #{issue['number']}"
    if existing:
        api.post(
            f"/repos/{repo}/issues/{existing['number']}/comments",
            {"body": f"No drift in [this run]({run_url})."},
        )
        api.patch(
            f"/repos/{repo}/issues/{existing['number']}", {"state": "closed", "state_reason": "completed"}
        )
        return f"closed #{existing['number']}"
    return "clean"


def main(argv: list[str] | None = None, api: GitHubApi | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stack", required=True)
    parser.add_argument("--preview-file", type=Path, required=True)
    parser.add_argument("--exit-code", type=int, required=True, help="the preview's exit code")
    options = parser.parse_args(argv)
    link = run_url()
    preview = options.preview_file.read_text() if options.preview_file.exists() else ""
    drifted = options.exit_code != 0
    done = report(
        api or RestClient(), repository(), options.stack, drifted=drifted, preview=preview, run_url=link
    )
    print(f"{options.stack}: {done}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
