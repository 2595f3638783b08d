"""Roll a stack back to the image it ran before, without rebuilding: `python -m delivery.rollback --stack S`.

Each deployment exports `image_history`, the digests the stack has run, newest first (the program reads
its previous deployment's list back through a reference to itself, so this works with Pulumi Cloud and
the S3 backend alike). The rollback picks the newest digest other than the one running now, sets it as
the stack's `imageDigest` config (the program then runs that image from the registries and builds
nothing) and leaves the `pulumi up` to the caller: deploy.yml's rollback job, or a person. A digest can
also be named (`--digest`), e.g. to undo a rollback. Unset `imageDigest` to build from main again.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Mapping
from typing import Any

from delivery import cli
from delivery.pulumi_cli import PulumiError, Runner, run_pulumi, stack_ref

DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
CONFIG_KEY = "launchpad:imageDigest"


class RollbackError(RuntimeError):
    pass


def previous_digest(outputs: Mapping[str, Any]) -> str:
    """The newest digest in `image_history` that is not the running `image_digest`."""
    current = outputs.get("image_digest")
    history = outputs.get("image_history")
    if not isinstance(history, list):
        raise RollbackError("the stack has no image_history output: deploy it once with this version first")
    for digest in history:
        if digest != current and isinstance(digest, str) and DIGEST.fullmatch(digest):
            return digest
    raise RollbackError(
        f"no earlier image in image_history ({len(history)} entr(y/ies)); nothing to roll back to"
    )


def roll_back(stack: str, run: Runner, digest: str | None = None) -> str:
    """Sets the stack's imageDigest to `digest` or the previous one; returns it. `pulumi up` applies it."""
    if digest is None:
        outputs = json.loads(run(["stack", "output", "--json", "--stack", stack]) or "{}")
        digest = previous_digest(outputs)
    elif not DIGEST.fullmatch(digest):
        raise RollbackError(f"{digest!r} is not an image digest (sha256:<64 hex>)")
    run(["config", "set", "--stack", stack, CONFIG_KEY, digest])
    return digest


def main(argv: list[str] | None = None, run: Runner = run_pulumi) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stack", required=True, help="stack name, e.g. prod")
    parser.add_argument("--organization", default=os.environ.get("PULUMI_ORG", ""))
    parser.add_argument("--digest", help="roll to this digest instead of the previous one")
    options = parser.parse_args(argv)
    try:
        digest = roll_back(stack_ref(options.organization, options.stack), run, options.digest)
    except RollbackError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(digest)
    if os.environ.get("GITHUB_OUTPUT"):
        with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as github_output:
            github_output.write(f"digest={digest}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(cli.run(main, expected=(PulumiError,)))
