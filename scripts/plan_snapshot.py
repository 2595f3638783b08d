"""Writes the offline plan of dev, prod, local and dev with gcp as sorted JSON, one file per stack, so a
refactor can prove it changed no resource: every URN, type, parent, provider, option and input (secret
values masked). Take a snapshot before the change and one after, then compare:

    .venv/bin/python scripts/plan_snapshot.py /tmp/plans-before
    .venv/bin/python scripts/plan_snapshot.py /tmp/plans-after --compare /tmp/plans-before

`--compare` prints each stack's resource count and every difference, and exits 1 when there is one.

The image's tag hashes its build context (pyproject.toml, uv.lock and app/: components/app_image.py) with
its build settings. The snapshot hashes the settings alone and writes the context's own hash to
`image-context.txt`, reported apart: a commit that pins a dev tool in uv.lock or edits app/ rebuilds the
image (a new tag and digest in the task definitions and Cloud Run revisions), which is not a change of the
infrastructure's code.
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import sys
import uuid
from pathlib import Path
from typing import Any

from components import app_image
from launchpad.render.json_format import masked_inputs
from offline.mocks import Recorded
from offline.program import run_program
from offline.stack_files import REPO_ROOT, load_stack_config

# dev+gcp is the tests' `plan_with_gcp("dev", {})` (tests/infra/conftest.py): dev's file with both clouds.
GCP_OVERRIDES = {"targets": ["aws", "gcp"], "gcp:project": "launchpad-test-project"}
STACKS: dict[str, tuple[str, dict[str, Any]]] = {
    "dev": ("dev", {}),
    "prod": ("prod", {}),
    "local": ("local", {}),
    "dev+gcp": ("dev", GCP_OVERRIDES),
}


def _entry(resource: Recorded) -> dict[str, Any]:
    return {
        "urn": resource.urn,
        "type": resource.type,
        "parent": resource.parent_urn,
        "provider": resource.provider,
        "inputs": masked_inputs(resource),
        "dependencies": sorted(resource.dependencies),
        "ignoreChanges": sorted(resource.ignore_changes),
        "replaceOnChanges": sorted(resource.replace_on_changes),
        "deleteBeforeReplace": resource.delete_before_replace,
        "protect": resource.protect,
        "retainOnDelete": resource.retain_on_delete,
        "replacementTrigger": resource.replacement_trigger,
    }


def snapshot(label: str) -> str:
    """The plan of one entry of STACKS as JSON text, resources sorted by URN."""
    stack, overrides = STACKS[label]
    # The local stack reruns its migrations on every `up` (targets/local.py: a fresh uuid4 per run);
    # seeded here so two snapshots of the same program agree.
    seeded = random.Random(label)  # noqa: S311 (a stable stand-in, not a key)
    uuid.uuid4 = lambda: uuid.UUID(int=seeded.getrandbits(128), version=4)
    config = load_stack_config(stack).with_overrides(overrides) if overrides else None
    run = run_program(stack, config)
    resources = sorted((_entry(r) for r in run.resources), key=lambda e: (e["urn"], e["type"]))
    text = json.dumps(resources, indent=1, sort_keys=True, default=str) + "\n"
    return text.replace(str(REPO_ROOT), "<repo>")


def _image_context() -> str:
    """The hash of the image's build context files, which the snapshots leave out of the tag."""
    return app_image.content_tag(app_image.REPO_ROOT)


def _compare(label: str, before: Path, after_text: str) -> bool:
    old = (before / f"{label}.json").read_text()
    count = len(json.loads(after_text))
    diff = list(
        difflib.unified_diff(old.splitlines(), after_text.splitlines(), "before", "after", lineterm="")
    )
    print(f"{label}: {count} resources, {'identical' if not diff else f'{len(diff)} diff lines'}")
    for line in diff[:200]:
        print(f"  {line}")
    return not diff


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path, help="folder the <stack>.json files are written into")
    parser.add_argument("--compare", type=Path, help="a folder of an earlier snapshot to compare with")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    context = _image_context()
    (args.out / "image-context.txt").write_text(context + "\n")
    app_image.context_files = lambda root: []  # the tag then hashes the build settings alone
    same = True
    for label in STACKS:
        text = snapshot(label)
        (args.out / f"{label}.json").write_text(text)
        if args.compare:
            same = _compare(label, args.compare, text) and same
    if args.compare:
        was = (args.compare / "image-context.txt").read_text().strip()
        change = "the same" if was == context else f"{was} -> {context}"
        print(f"image build context: {change} (not compared)")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
