"""Per-PR review stacks `pr-<number>`: made from dev's config, and swept when their PR no longer wants them.

`prepare --pr N` selects (or creates) the stack, gives it dev's config as this checkout has it, keeping the
stack file's own secrets-provider lines, and tags it `launchpad:review-pr=N`; `remove --pr N` destroys and
removes it if it exists; `sweep` destroys and removes the tagged stacks whose PR is closed or no longer
labelled and that have not been updated for the TTL (the PR's own close and unlabel events remove them at
once; the sweeper catches what those missed).

None of them lists every stack: on the S3 backend `pulumi stack ls` reads the checkpoint of every stack it
lists and fails on the first it may not read (prod's, for the dev role). The sweep lists this project's
stacks carrying the review tag: the backend reads only their checkpoints and skips stacks whose tags it
cannot read (pkg/backend/diy/backend.go, ListStacks).

The CLI writes a stack's secrets-provider lines into its stack file only when it creates the stack, and
CI never keeps that file: review-stack.yml sets PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER=true so every
later run takes the secrets manager recorded in the stack's state instead of asking for a passphrase.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from delivery import cli
from delivery.github_api import GitHubApi, GitHubError, RestClient, paginated, repository
from delivery.pulumi_cli import (
    EXIT_STACK_NOT_FOUND,
    PROJECT,
    PulumiError,
    Runner,
    run_pulumi,
    stack_ref,
)

# `pr-3` as `stack ls` names a stack of the current project, `<org>/launchpad/pr-3` when fully qualified;
# another project's `pr-*` never matches.
REVIEW_STACK = re.compile(rf"(?:[^/]+/{PROJECT}/)?pr-([1-9][0-9]{{0,7}})")
DEFAULT_LABEL = "review-stack"
REVIEW_TAG = "launchpad:review-pr"  # stack tag names: [a-zA-Z0-9-_.:]{1,40} (pkg/util/validation/stack.go)


def review_stack_name(pr: int) -> str:
    if not 0 < pr < 10**8:  # `pr-` and 8 digits stay inside stack_config's 20 characters
        raise ValueError(f"{pr} is not a pull request number")
    return f"pr-{pr}"


def review_stack_file(dev_file: Mapping[str, Any], existing: Mapping[str, Any] | None) -> dict[str, Any]:
    """dev's `config:` under the review stack's own keys (secretsprovider, encryptedkey)."""
    own = {k: v for k, v in (existing or {}).items() if k != "config"}
    return {**own, "config": dict(dev_file.get("config") or {})}


def prepare(pr: int, organization: str, run: Runner, root: Path, secrets_provider: str = "") -> str:
    stack = review_stack_name(pr)
    ref = stack_ref(organization, stack)
    select = ["stack", "select", "--create", "--stack", ref]
    run(select + (["--secrets-provider", secrets_provider] if secrets_provider else []))
    run(["stack", "tag", "set", REVIEW_TAG, str(pr), "--stack", ref])
    path = root / f"Pulumi.{stack}.yaml"
    existing = yaml.safe_load(path.read_text()) if path.exists() else None
    dev = yaml.safe_load((root / "Pulumi.dev.yaml").read_text())
    path.write_text(yaml.safe_dump(review_stack_file(dev, existing), sort_keys=False))
    return ref


@dataclass(frozen=True)
class ReviewStack:
    name: str  # as `pulumi stack ls` lists it
    pr: int
    last_update: datetime | None
    busy: bool


def review_stacks(listing: Iterable[Mapping[str, Any]]) -> list[ReviewStack]:
    """The `pr-<n>` stacks of `pulumi stack ls --json`."""
    found = []
    for entry in listing:
        match = REVIEW_STACK.fullmatch(str(entry.get("name", "")))
        if match:
            stamp = entry.get("lastUpdate")
            when = datetime.fromisoformat(str(stamp).replace("Z", "+00:00")) if stamp else None
            found.append(ReviewStack(entry["name"], int(match[1]), when, bool(entry.get("updateInProgress"))))
    return found


def stale(
    stacks: Iterable[ReviewStack], wanted: set[int], now: datetime, ttl: timedelta
) -> list[ReviewStack]:
    """Stacks no open, labelled PR wants, idle for at least `ttl` (never deployed counts as idle)."""
    return [
        s
        for s in stacks
        if s.pr not in wanted and not s.busy and (s.last_update is None or now - s.last_update >= ttl)
    ]


def wanted_prs(api: GitHubApi, repo: str, label: str) -> set[int]:
    pulls = paginated(api, f"/repos/{repo}/pulls", {"state": "open"})
    return {p["number"] for p in pulls if label in {lab["name"] for lab in p.get("labels", [])}}


def tagged_review_stacks(run: Runner) -> list[ReviewStack]:
    """This project's stacks that `prepare` tagged, without reading any other stack's checkpoint."""
    listing = run(["stack", "ls", "--json", "--project", PROJECT, "--tag", REVIEW_TAG])
    return review_stacks(json.loads(listing or "[]"))


def sweep(
    api: GitHubApi, run: Runner, label: str, ttl: timedelta, *, organization: str = "", dry_run: bool = False
) -> list[str]:
    """Destroys and removes the stale review stacks; returns their names. One that fails (its PR's own
    job holds the lock) does not stop the others; the sweep then raises, naming it, after the rest."""
    doomed = stale(tagged_review_stacks(run), wanted_prs(api, repository(), label), datetime.now(UTC), ttl)
    failed: list[str] = []
    for stack in doomed if not dry_run else []:
        try:
            destroy(run, stack_ref(organization, review_stack_name(stack.pr)))
        except PulumiError as error:
            print(f"{stack.name}: {error}", file=sys.stderr)
            failed.append(stack.name)
    if failed:
        raise PulumiError(f"could not remove {', '.join(failed)}; the next sweep tries again")
    return [s.name for s in doomed]


def destroy(run: Runner, ref: str) -> None:
    run(["destroy", "--yes", "--remove", "--stack", ref])


def remove(pr: int, organization: str, run: Runner) -> bool:
    """Destroys and removes pr-<n>; False if there is no such stack (the CLI's exit 6)."""
    try:
        destroy(run, stack_ref(organization, review_stack_name(pr)))
    except PulumiError as error:
        if error.exit_code == EXIT_STACK_NOT_FOUND:
            return False
        raise
    return True


def main(argv: list[str] | None = None, run: Runner = run_pulumi, api: GitHubApi | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    prep = commands.add_parser("prepare", help="select or create pr-<n> with dev's config")
    prep.add_argument("--pr", type=int, required=True)
    gone = commands.add_parser("remove", help="destroy and remove pr-<n> if it exists")
    gone.add_argument("--pr", type=int, required=True)
    sweeper = commands.add_parser("sweep", help="destroy and remove orphaned pr-* stacks")
    sweeper.add_argument("--ttl-hours", type=float, default=24.0)
    sweeper.add_argument("--label", default=DEFAULT_LABEL)
    sweeper.add_argument("--dry-run", action="store_true")
    options = parser.parse_args(argv)
    organization = os.environ.get("PULUMI_ORG", "")
    if options.command == "prepare":
        secrets = os.environ.get("PULUMI_SECRETS_PROVIDER", "")
        print(prepare(options.pr, organization, run, Path.cwd(), secrets))
        return 0
    if options.command == "remove":
        existed = remove(options.pr, organization, run)
        print(f"pr-{options.pr}: {'destroyed and removed' if existed else 'no such stack'}", file=sys.stderr)
        return 0
    ttl = timedelta(hours=options.ttl_hours)
    removed = sweep(
        api or RestClient(), run, options.label, ttl, organization=organization, dry_run=options.dry_run
    )
    verb = "would remove" if options.dry_run else "removed"
    print(f"{verb} {len(removed)} review stack(s): {', '.join(removed) or '-'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(cli.run(main, expected=(PulumiError, GitHubError)))
