"""`python -m offline.plan --stack dev`: the stack's plan, computed offline under Pulumi's mocks.

Prints every resource the program would create, nested under its component, then the stack outputs.
It runs the real program with the real stack file; no cloud credentials, no Pulumi CLI.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict

from offline.mocks import Recorded
from offline.program import ProgramRun, run_program
from offline.stack_files import available_stacks
from stack_config import ConfigError


def render_tree(run: ProgramRun) -> list[str]:
    children: dict[str, list[Recorded]] = defaultdict(list)
    for resource in run.resources:
        children[resource.parent_urn].append(resource)
    roots = [r for r in run.resources if "pulumi:pulumi:Stack" in r.parent_urn or not r.parent_urn]
    lines: list[str] = []

    def walk(resource: Recorded, depth: int) -> None:
        lines.append(f"{'  ' * depth}+ {resource.type}  {resource.name}")
        for child in children.get(resource.urn, []):
            walk(child, depth + 1)

    for root in roots:
        walk(root, 1)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stack", default="dev", help=f"one of {available_stacks()} (default: dev)")
    parser.add_argument("--json", action="store_true", help="print the inventory as JSON")
    options = parser.parse_args(argv)
    try:
        run = run_program(options.stack)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    custom = [r for r in run.resources if r.custom and not r.type.startswith("pulumi:providers:")]
    if options.json:
        inventory = [{"type": r.type, "name": r.name, "parent": r.parent_type} for r in run.resources]
        print(
            json.dumps(
                {"stack": run.stack, "resources": inventory, "outputs": run.outputs}, indent=2, default=str
            )
        )
        return 0
    print(f"Offline plan for stack '{run.stack}' (mocked cloud; nothing is created)\n")
    print("\n".join(render_tree(run)))
    by_type: dict[str, int] = defaultdict(int)
    for resource in custom:
        by_type[resource.type] += 1
    print(f"\n{len(custom)} cloud resources to create:")
    for type_, count in sorted(by_type.items()):
        print(f"  {count:3d}  {type_}")
    print("\nOutputs:")
    for key, value in sorted(run.outputs.items()):
        print(f"  {key}: {json.dumps(value, default=str)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
