"""`launchpad plan --stack S`: what a stack will create, which rules it breaks and what it will cost,
computed offline under Pulumi's mocks.

Every input is checked before the program runs, and every problem in them is reported in one round:
`--set`, the stack file (with the Pulumi CLI's rules and the program's own), the policy config, the usage
file, `--out` and `--compare`. Any of them wrong is exit 2; a mandatory finding is exit 1.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from launchpad import progress
from launchpad.access.closure import stack_region, start_review
from launchpad.access.identities import BOOTSTRAP_DIR, DEFAULT_BOOTSTRAP_STACK, Bootstrap
from launchpad.cost.estimate import estimate
from launchpad.cost.usage import DEFAULT_USAGE_FILE, Usage, load_usage
from launchpad.diff import compare
from launchpad.errors import FINDING, PASS
from launchpad.render import json_format, markdown, sarif, text
from launchpad.report import PlanReport, build_report
from offline.config_check import checked
from offline.policy_check import load_pack_config, review
from offline.program import run_program
from offline.stack_files import StackFileConfig, available_stacks, load_stack_config, read_stack_config
from stack_config import ConfigError
from stack_config.hints import for_set_keys

RENDERERS: dict[str, Callable[[PlanReport], str]] = {
    "text": text.render,
    "json": json_format.render,
    "markdown": markdown.render,
    "sarif": sarif.render,
}
SET_EXAMPLE = "--set natStrategy=single, --set 'targets=[aws, gcp]'"


class UsageError(ConfigError):
    subject = "invalid input"


def register(commands: Any, defaults_formatter: type[argparse.HelpFormatter]) -> None:
    plan = commands.add_parser(
        "plan",
        help="plan a stack offline: findings, diff, cost and inventory (no cloud, no Pulumi CLI)",
        description=(__doc__ or "").split("\n\n")[0],
        formatter_class=defaults_formatter,
    )
    plan.add_argument("--stack", default="dev", help=f"stack to plan; stack files here: {available_stacks()}")
    plan.add_argument(
        "--config-from",
        metavar="STACK",
        help="plan STACK's file under --stack's name (a per-PR stack: --stack pr-123 --config-from dev)",
    )
    plan.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="try a config change without editing the stack file; VALUE is written as in the stack file "
        f"(YAML: {SET_EXAMPLE}); repeatable; recorded in the report",
    )
    plan.add_argument(
        "--bootstrap-stack",
        default=DEFAULT_BOOTSTRAP_STACK,
        metavar="NAME",
        help="check the deploy identities of bootstrap/Pulumi.NAME.yaml against the plan (default: the "
        "shipped sample)",
    )
    plan.add_argument("--format", choices=sorted(RENDERERS), default="text", help="report format")
    plan.add_argument("--out", type=Path, metavar="FILE", help="write the report to FILE instead of stdout")
    plan.add_argument(
        "--usage",
        type=Path,
        default=DEFAULT_USAGE_FILE,
        metavar="FILE",
        help=f"what the stack does in a month, for the cost (default: {DEFAULT_USAGE_FILE.name})",
    )
    plan.add_argument(
        "--inventory",
        action="store_true",
        help="text format: add every resource, grouped by component, and the outputs",
    )
    base = plan.add_mutually_exclusive_group()
    base.add_argument(
        "--compare", type=Path, metavar="BASE.json", help="diff against a saved --format json plan"
    )
    base.add_argument("--compare-stack", metavar="STACK", help="diff against another stack planned now")


def parse_assignments(assignments: list[str]) -> tuple[dict[str, Any], list[str]]:
    """`KEY=VALUE` pairs, each VALUE read as YAML like a stack file's value, and a problem per bad one."""
    overrides: dict[str, Any] = {}
    problems: list[str] = []
    for assignment in assignments:
        key, separator, written = assignment.partition("=")
        if not separator or not key.strip():
            problems.append(f"--set {assignment!r}: expected KEY=VALUE. Fix: e.g. {SET_EXAMPLE}")
            continue
        try:
            value = yaml.safe_load(written)
        except yaml.YAMLError as error:
            problem = getattr(error, "problem", None) or "not a YAML value"
            problems.append(
                f"--set {key}: the value is not YAML ({problem}). "
                f"Fix: quote it as in a stack file, e.g. --set \"{key}='...'\""
            )
            continue
        # A stack file's empty value (`key:`) is the empty string to the engine; so is `--set key=`.
        overrides[key.strip()] = "" if value is None else value
    return overrides, problems


@dataclass(frozen=True)
class PlanInputs:
    config: StackFileConfig  # its `stack` is the stack planned (pr-123 for dev's file)
    overrides: dict[str, Any]
    usage: Usage
    pack_config: dict[str, Any]  # the policy config its review uses, read and checked once
    base_file: tuple[dict[str, Any], str] | None = None  # --compare: a saved plan and its label
    base_stack: PlanInputs | None = None  # --compare-stack: another stack to plan now
    bootstrap: StackFileConfig | None = None  # the bootstrap stack whose identities are checked


def _collect(problems: list[str], check: Callable[[], Any], rewrite: Callable[[str], str] = str) -> Any:
    try:
        return check()
    except ConfigError as error:
        problems.extend(rewrite(p) for p in error.problems)
        return None


def stack_inputs(stack: str, config_from: str | None, overrides: dict[str, Any]) -> StackFileConfig:
    config = read_stack_config(stack, config_from=config_from).with_entries(overrides)
    return checked(config)


def read_inputs(options: argparse.Namespace) -> PlanInputs:
    """Every input checked, every problem of all of them raised together."""
    overrides, problems = parse_assignments(options.set)
    config = _collect(
        problems,
        lambda: stack_inputs(options.stack, options.config_from, overrides),
        lambda p: for_set_keys(p, overrides),
    )
    source = options.config_from or options.stack
    usage = _collect(problems, lambda: load_usage(source, options.usage))
    pack_config = _collect(problems, lambda: load_pack_config(source))
    bootstrap = _collect(
        problems,
        lambda: load_stack_config(options.bootstrap_stack, root=BOOTSTRAP_DIR),
        lambda p: f"--bootstrap-stack {options.bootstrap_stack}: {p}",
    )
    problems += _out_problems(options.out)
    base_file = _collect(problems, lambda: read_plan_file(options.compare)) if options.compare else None
    base_stack = None
    if options.compare_stack:
        name = options.compare_stack
        base_config = _collect(
            problems, lambda: stack_inputs(name, None, {}), lambda p: f"--compare-stack {name}: {p}"
        )
        base_usage = _collect(problems, lambda: load_usage(name, options.usage))
        base_pack_config = _collect(
            problems, lambda: load_pack_config(name), lambda p: f"--compare-stack {name}: {p}"
        )
        base_stack = PlanInputs(base_config, {}, base_usage, base_pack_config)
    if problems:
        raise UsageError(problems)
    labelled = (base_file, str(options.compare)) if base_file else None
    return PlanInputs(config, overrides, usage, pack_config, labelled, base_stack, bootstrap)


def _out_problems(out: Path | None) -> list[str]:
    if out is None:
        return []
    folder = out.parent
    if out.is_dir():
        return [f"--out {out}: is a folder. Fix: name a file in it, e.g. --out {out / 'plan.txt'}"]
    if not folder.is_dir():
        return [f"--out {out}: the folder {folder} does not exist. Fix: mkdir -p {shlex.quote(str(folder))}"]
    return []


def read_plan_file(path: Path) -> dict[str, Any]:
    """A saved `launchpad plan --format json` document, with what `compare` reads of it."""
    fix = f"Fix: save the base plan with `launchpad plan --stack S --format json --out {path}`"
    try:
        document = json.loads(path.read_text())
    except OSError as error:
        raise UsageError([f"--compare {path}: cannot read it ({error.strerror}). {fix}"]) from None
    except ValueError as error:
        raise UsageError([f"--compare {path}: not JSON ({error}). {fix}"]) from None
    shape_ok = (
        isinstance(document, dict)
        and isinstance(document.get("stack"), str)
        and isinstance(document.get("resources"), list)
        and all(isinstance(r, dict) and {"type", "name"} <= r.keys() for r in document["resources"])
        and isinstance(document.get("cost"), dict)
        and isinstance(document["cost"].get("cloudMonthlyUsd"), int | float)
    )
    if not shape_ok:
        raise UsageError([f"--compare {path}: not a `launchpad plan --format json` document. {fix}"])
    return document


def build(inputs: PlanInputs, bootstrap: Bootstrap | None) -> PlanReport:
    stack = inputs.config.stack
    with progress.status(f"Planning stack {stack} offline under Pulumi's mocks"):
        run = run_program(stack, inputs.config)
        # The permission closure's IAM evaluation runs beside the policy review and the cost estimate.
        access = start_review(run, bootstrap, stack_region(run)) if bootstrap else None
        findings, cost = review(run, inputs.pack_config), estimate(run, inputs.usage)
        return build_report(
            run, findings, cost, overrides=inputs.overrides, access=access.finish() if access else None
        )


def _plan_bootstrap(config: StackFileConfig | None) -> Bootstrap | None:
    """The bootstrap program planned once per command, for both stacks of --compare-stack."""
    if config is None:
        return None
    with progress.status(f"Planning the deploy identities of bootstrap stack {config.stack}"):
        return Bootstrap.planned(config)


def run(options: argparse.Namespace) -> int:
    inputs = read_inputs(options)
    bootstrap = _plan_bootstrap(inputs.bootstrap)
    base = inputs.base_file
    if inputs.base_stack is not None:
        base_report = build(inputs.base_stack, bootstrap)
        base = json_format.document(base_report), f"stack {inputs.base_stack.config.stack}"
    report = build(inputs, bootstrap)
    if base is not None:
        report.diff = compare(base[0], json_format.document(report), base[1])
    write(report, options)
    return FINDING if report.blocking else PASS


def write(report: PlanReport, options: argparse.Namespace) -> None:
    if options.format == "text" and options.out is None:
        text.print_report(report, inventory=options.inventory)
        return
    rendered = (
        text.render(report, inventory=options.inventory)
        if options.format == "text"
        else RENDERERS[options.format](report)
    )
    if options.out is None:
        sys.stdout.write(rendered)
        return
    try:
        options.out.write_text(rendered)
    except OSError as error:
        raise UsageError(
            [f"--out {options.out}: cannot write it ({error.strerror}). Fix: pick a writable path"]
        ) from None
