"""`python -m offline.plan --stack dev`: the stack's plan, computed offline under Pulumi's mocks.

Prints every resource the program would create, nested under its component, the stack outputs, and the
policy pack's review. It runs the real program with the real stack file; no cloud credentials, no Pulumi
CLI. Exits 1 when a mandatory policy is violated, 2 when the stack's config is invalid.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict

from offline.lifecycle import destroy_blockers
from offline.mocks import Recorded
from offline.policy_check import Violation, check
from offline.program import ProgramRun, run_program
from offline.stack_files import available_stacks, load_stack_config
from stack_config import ConfigError


def render_tree(run: ProgramRun) -> list[str]:
    children: dict[str, list[Recorded]] = defaultdict(list)
    for resource in run.resources:
        children[resource.parent_urn].append(resource)
    roots = [r for r in run.resources if r.parent_type in ("", "pulumi:pulumi:Stack")]
    lines: list[str] = []

    def walk(resource: Recorded, depth: int) -> None:
        lines.append(f"{'  ' * depth}+ {resource.type}  {resource.name}")
        for child in children.get(resource.urn, []):
            walk(child, depth + 1)

    for root in roots:
        walk(root, 1)
    return lines


def _overrides(assignments: list[str]) -> dict[str, object]:
    overrides: dict[str, object] = {}
    for assignment in assignments:
        key, separator, value = assignment.partition("=")
        if not separator:
            raise SystemExit(f"--set {assignment!r}: expected KEY=VALUE, e.g. --set azCount=3")
        try:
            overrides[key] = json.loads(value)
        except ValueError:
            overrides[key] = value
    return overrides


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--stack", default="dev", help=f"stack to plan (default: dev; stack files: {available_stacks()})"
    )
    parser.add_argument(
        "--config-from",
        metavar="STACK",
        help="plan --stack with another stack's file, as a per-PR stack made from dev's config (pr-123)",
    )
    parser.add_argument("--json", action="store_true", help="print the inventory as JSON")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="try a config change without editing the stack file, e.g. --set natStrategy=single",
    )
    options = parser.parse_args(argv)
    try:
        config = load_stack_config(options.stack, config_from=options.config_from)
        config = config.with_overrides(_overrides(options.set))
        run = run_program(options.stack, config)
    except (ConfigError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    custom = [r for r in run.resources if r.custom and not r.type.startswith("pulumi:providers:")]
    if options.json:
        inventory = [{"type": r.type, "name": r.name, "parent": r.parent_type} for r in run.resources]
        outputs = {k: "[secret]" if k in run.secret_outputs else v for k, v in run.outputs.items()}
        print(
            json.dumps(
                {"stack": run.stack, "resources": inventory, "outputs": outputs}, indent=2, default=str
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
        shown = "[secret]" if key in run.secret_outputs else json.dumps(value, default=str)
        print(f"  {key}: {shown}")
    blockers = destroy_blockers(run.resources)
    print(f"\nWhat would stop destroy or an immediate re-create: {len(blockers) or 'nothing'}")
    for blocker in blockers:
        print(f"  {blocker.resource}: {blocker.reason}")
    violations = check(run)
    print("\n".join(render_policy_review(violations)))
    return 1 if any(v.level == "mandatory" for v in violations) else 0


def render_policy_review(violations: list[Violation]) -> list[str]:
    """What `pulumi preview --policy-pack policies` reports with the stack's policies/config file."""
    if not violations:
        return ["\nPolicy review (policies/): no violations"]
    lines = [f"\nPolicy review (policies/): {len(violations)} violation(s)"]
    for v in sorted(violations, key=lambda v: (v.level != "mandatory", v.policy)):
        resource = v.resource.rsplit("::", 1)[-1] or "(stack)"
        lines.append(f"  [{v.level}] {v.policy}: {resource}: {v.message}")
    return lines


if __name__ == "__main__":
    raise SystemExit(main())
