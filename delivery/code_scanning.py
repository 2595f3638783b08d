"""Uploads a stack's plan findings (SARIF) to code scanning for a given commit and ref:
`python -m delivery.code_scanning --stack dev --sarif-file plan-dev.sarif --ref refs/pull/12/head --sha SHA`.

Why not github/codeql-action/upload-sarif: it records the commit of `git rev-parse HEAD` in its checkout
path (src/upload-lib.ts:766, src/git-utils.ts:103-124, v4.36.2), which in pr-comment.yml's workflow_run
job is the default branch, not the pull request; and a category the SARIF file itself carries
(`runs[].automationDetails.id`) takes precedence over the one the workflow gives (upload-lib.ts:192-211),
so a fork's artifact would choose it. This calls GitHub's "Upload an analysis as SARIF data" endpoint
with the commit and ref the workflow names, and sets the category itself: `launchpad-plan-<stack>/`, the
same on main's baseline and on every pull request, so code scanning shows what a pull request adds.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import json
import re
import sys
from pathlib import Path
from typing import Any

from delivery import cli
from delivery.github_api import GitHubApi, GitHubError, RestClient, repository
from delivery.pr_comment import STACK_NAME

SHA = re.compile(r"[0-9a-f]{40}")
# The endpoint's `ref`: refs/heads/<branch>, refs/tags/<tag>, refs/pull/<n>/merge or refs/pull/<n>/head.
REF = re.compile(r"refs/(heads|tags)/[^\s~^:?*\[\\]+|refs/pull/[1-9][0-9]*/(merge|head)")
MAX_GZIPPED_BYTES = 10 * 1024 * 1024  # the endpoint refuses a larger gzip-compressed SARIF file
MAX_RESULTS = 25_000  # uploads with more results in a run are rejected


class SarifError(ValueError):
    pass


def category(stack: str) -> str:
    if not STACK_NAME.fullmatch(stack):
        raise SarifError(f"{stack!r} is not a stack name")
    return f"launchpad-plan-{stack}/"


def normalised(sarif: Any, stack: str) -> dict[str, Any]:
    """The one run of `launchpad plan`'s SARIF, under this stack's category whatever the file said."""
    if not isinstance(sarif, dict) or sarif.get("version") != "2.1.0":
        raise SarifError("not a SARIF 2.1.0 log")
    runs = sarif.get("runs")
    if not isinstance(runs, list) or len(runs) != 1 or not isinstance(runs[0], dict):
        raise SarifError("launchpad plan writes exactly one run; this file has another shape")
    if len(runs[0].get("results") or []) > MAX_RESULTS:
        raise SarifError(f"more than {MAX_RESULTS} results: code scanning would refuse it")
    run = {**runs[0], "automationDetails": {"id": category(stack)}}
    return {**sarif, "runs": [run]}


def encoded(sarif: dict[str, Any]) -> str:
    """gzip, then Base64, as the endpoint takes it."""
    packed = gzip.compress(json.dumps(sarif, separators=(",", ":")).encode())
    if len(packed) > MAX_GZIPPED_BYTES:
        raise SarifError(f"{len(packed)} bytes gzipped: code scanning takes at most {MAX_GZIPPED_BYTES}")
    return base64.b64encode(packed).decode()


def upload(api: GitHubApi, repo: str, stack: str, sarif: Any, *, ref: str, sha: str) -> str:
    """Uploads the plan's findings for `sha` on `ref`; returns the SARIF id GitHub gives back."""
    if not SHA.fullmatch(sha):
        raise SarifError(f"{sha!r} is not a commit SHA")
    if not REF.fullmatch(ref):
        raise SarifError(f"{ref!r} is not a branch, tag or pull request ref")
    body = {
        "commit_sha": sha,
        "ref": ref,
        "sarif": encoded(normalised(sarif, stack)),
        "tool_name": "launchpad",
    }
    return str(api.post(f"/repos/{repo}/code-scanning/sarifs", body)["id"])


def main(argv: list[str] | None = None, api: GitHubApi | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stack", required=True)
    parser.add_argument("--sarif-file", type=Path, required=True)
    parser.add_argument("--ref", required=True, help="refs/heads/main, refs/pull/<n>/head, ...")
    parser.add_argument("--sha", required=True, help="the commit the findings are about")
    options = parser.parse_args(argv)
    if not options.sarif_file.is_file():
        print(f"{options.sarif_file}: no findings file; nothing uploaded", file=sys.stderr)
        return 0
    try:
        sarif = json.loads(options.sarif_file.read_text())
    except ValueError as error:
        raise SarifError(f"{options.sarif_file}: {error}") from None
    uploaded = upload(
        api or RestClient(), repository(), options.stack, sarif, ref=options.ref, sha=options.sha
    )
    print(
        f"uploaded {options.stack}'s findings for {options.sha[:12]} on {options.ref}: {uploaded}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(cli.run(main, expected=(GitHubError, SarifError)))
