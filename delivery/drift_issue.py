"""One open issue per stack whose nightly drift check did not come back clean: opened when it finds drift
(or the check itself fails), updated while that lasts, closed with a note when a later check is clean.
Found by a hidden marker, like the PR comments.

The check is `pulumi refresh --preview-only --expect-no-changes`: it compares the cloud with the stack's
state and runs no program, so code merged but not yet deployed, or a rollback, is not drift. The CLI
exits 7 when the refresh would change the state (drift), 0 when it would not, anything else when the
check could not be made (exit_codes.go). The full output is in the run's log and its artifact.

`python -m delivery.drift_issue --stack dev --output-file drift-dev.txt --exit-code 7`
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from delivery import cli
from delivery.github_api import GitHubApi, GitHubError, RestClient, paginated, repository, run_url
from delivery.pr_comment import GITHUB_COMMENT_LIMIT, fenced, marker, read_if_written
from delivery.pulumi_cli import EXIT_NO_CHANGES

LABEL = "drift"
CHECK = "pulumi refresh --preview-only --expect-no-changes"


def issue_marker(stack: str) -> str:
    return marker(stack, "drift")


def artifact_name(stack: str) -> str:
    """The artifact drift.yml keeps the check's output in (its log holds it too)."""
    return f"drift-{stack}"


def issue_body(stack: str, output: str, run_url: str, exit_code: int = EXIT_NO_CHANGES) -> str:
    if exit_code == EXIT_NO_CHANGES:
        finding = "found drift: the cloud no longer matches the stack's last deployment"
    else:
        finding = f"could not check the stack (exit {exit_code}): the check itself failed"
    header = (
        f"{issue_marker(stack)}\n`{CHECK}` on **{stack}** {finding}. Seen by [this run]({run_url}); "
        f"its log and its `{artifact_name(stack)}` artifact hold the whole output.\n\n"
    )
    note = f"> **Truncated**: the whole output is in the run's `{artifact_name(stack)}` artifact."
    return header + fenced(output, GITHUB_COMMENT_LIMIT - len(header), note)


def open_issue(api: GitHubApi, repo: str, stack: str) -> dict | None:
    issues = paginated(api, f"/repos/{repo}/issues", {"state": "open", "labels": LABEL})
    tag = issue_marker(stack)
    return next((i for i in issues if str(i.get("body") or "").startswith(tag)), None)


def report(api: GitHubApi, repo: str, stack: str, *, exit_code: int, output: str, run_url: str) -> str:
    """What was done: `opened #n`, `updated #n`, `closed #n` or `clean`."""
    existing = open_issue(api, repo, stack)
    if exit_code != 0:
        body = issue_body(stack, output, run_url, exit_code)
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
    parser.add_argument("--output-file", type=Path, required=True, help="what the check printed")
    parser.add_argument("--exit-code", type=int, required=True, help="the check's exit code")
    options = parser.parse_args(argv)
    output = read_if_written(options.output_file) or ""
    done = report(
        api or RestClient(),
        repository(),
        options.stack,
        exit_code=options.exit_code,
        output=output,
        run_url=run_url(),
    )
    print(f"{options.stack}: {done}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(cli.run(main, expected=(GitHubError,)))
