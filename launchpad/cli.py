"""`launchpad plan --stack S`: what a stack will create, which rules it breaks, and what it will cost,
computed offline under Pulumi's mocks (no cloud credentials, no Pulumi CLI).

Exit status: 0 when no mandatory finding stands, 1 when one does, 2 for a configuration error (the stack's,
the policy pack's config or the usage file's), every problem listed.

Operating a deployed stack: `launchpad verify` (exit 1 when a check fails), `launchpad secrets set|list`
and `launchpad token-sync push|status`; each exits 2 with the field and the fix when it cannot run.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from launchpad import secrets_cmd, token_sync
from launchpad.access.closure import stack_region, start_review
from launchpad.access.identities import DEFAULT_BOOTSTRAP_STACK, load_bootstrap
from launchpad.clouds import Clouds
from launchpad.cost.estimate import estimate
from launchpad.cost.usage import DEFAULT_USAGE_FILE, load_usage
from launchpad.diff import PlanDiff, compare
from launchpad.errors import OperateError
from launchpad.render import json_format, markdown, sarif, text
from launchpad.report import PlanReport, build_report
from launchpad.secret_input import refuse_value_argument
from launchpad.verify import command as verify_command
from offline.policy_check import review
from offline.program import ProgramRun, run_program
from offline.stack_files import available_stacks, load_stack_config
from stack_config import ConfigError

RENDERERS: dict[str, Callable[[PlanReport], str]] = {
    "text": text.render,
    "json": json_format.render,
    "markdown": markdown.render,
    "sarif": sarif.render,
}


def parse_assignments(assignments: list[str]) -> dict[str, object]:
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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="launchpad", description=(__doc__ or "").splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    plan = commands.add_parser("plan", help="plan a stack offline: inventory, findings, cost, diff")
    plan.add_argument("--stack", default="dev", help=f"stack to plan (stack files: {available_stacks()})")
    plan.add_argument("--config-from", metavar="STACK", help="use another stack's file (pr-123 from dev)")
    plan.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="try a config change without editing the stack file, e.g. --set natStrategy=single",
    )
    plan.add_argument(
        "--bootstrap-stack",
        default=DEFAULT_BOOTSTRAP_STACK,
        metavar="NAME",
        help="bootstrap/Pulumi.NAME.yaml: whose deploy identities the plan is checked against (default: the "
        "shipped sample, example)",
    )
    plan.add_argument("--format", choices=sorted(RENDERERS), default="text")
    plan.add_argument("--out", type=Path, help="write the report here instead of standard output")
    plan.add_argument(
        "--usage", type=Path, default=DEFAULT_USAGE_FILE, help="usage file for the cost estimate"
    )
    base = plan.add_mutually_exclusive_group()
    base.add_argument(
        "--compare", type=Path, metavar="BASE.json", help="diff against a saved --format json plan"
    )
    base.add_argument("--compare-stack", metavar="STACK", help="diff against another stack planned now")
    verify_command.register(commands)
    secrets_cmd.register(commands)
    token_sync.register(commands)
    return parser


def _plan(stack: str, config_from: str | None, overrides: dict[str, object]) -> ProgramRun:
    config = load_stack_config(stack, config_from=config_from).with_overrides(overrides)
    return run_program(stack, config)


def _report(
    run: ProgramRun,
    usage_file: Path,
    bootstrap_stack: str = DEFAULT_BOOTSTRAP_STACK,
    diff: PlanDiff | None = None,
) -> PlanReport:
    usage = load_usage(run.config_source or run.stack, usage_file)
    # The permission closure's evaluation runs beside the policy review and the cost estimate.
    access = start_review(run, load_bootstrap(bootstrap_stack), stack_region(run))
    findings, cost = review(run), estimate(run, usage)
    return build_report(run, findings, cost, diff, access.finish())


def _base_document(options: argparse.Namespace) -> tuple[dict[str, Any], str] | None:
    if options.compare is not None:
        return json.loads(options.compare.read_text()), str(options.compare)
    if options.compare_stack:
        base_run = _plan(options.compare_stack, None, {})
        base_report = _report(base_run, options.usage, options.bootstrap_stack)
        return json_format.document(base_report), f"stack {options.compare_stack}"
    return None


def plan(options: argparse.Namespace) -> int:
    try:
        base = _base_document(options)
        run = _plan(options.stack, options.config_from, parse_assignments(options.set))
        report = _report(run, options.usage, options.bootstrap_stack)
    except (ConfigError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if base is not None:
        report.diff = compare(base[0], json_format.document(report), base[1])
    rendered = RENDERERS[options.format](report)
    if options.out is not None:
        options.out.write_text(rendered)
    else:
        sys.stdout.write(rendered)
    return 1 if report.blocking else 0


# Commands that take a secret: an argument they do not know may be a value, so it is refused unrepeated.
SECRET_COMMANDS = ("secrets", "token-sync")


def _operate(options: argparse.Namespace, clouds: Clouds) -> int:
    if options.command == "verify":
        return verify_command.run(options, clouds)
    if options.command == "secrets":
        return secrets_cmd.run(options, clouds)
    return token_sync.run(options, clouds)


def main(argv: list[str] | None = None, clouds: Clouds | None = None) -> int:
    parser = _parser()
    options, unknown = parser.parse_known_args(argv)
    if unknown and options.command in SECRET_COMMANDS:
        sys.stderr.write(
            refuse_value_argument(f"{options.command} {options.action} --stack {options.stack}").render()
        )
        return 2
    if unknown:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    if options.command == "plan":
        return plan(options)
    try:
        return _operate(options, clouds or Clouds())
    except OperateError as error:
        sys.stderr.write(error.render())
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("interrupted: nothing more was written\n")
        return 130
