"""`launchpad init STACK --from SOURCE`: a new stack in one step, its stack file and its policy config
made from SOURCE's, so `launchpad plan --stack STACK` reviews it as SOURCE is reviewed.

What cannot carry over is left out and said: the source's secure values and secrets-provider lines (they
are encrypted with the source stack's key) and its policy waivers (each names the source's resources and
justifies an exception for that stack alone). Nothing is written unless both files can be.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from launchpad.errors import PASS
from offline.config_check import checked
from offline.policy_check import CONFIG_DIR, read_pack_config
from offline.stack_files import REPO_ROOT, missing_stack_file, read_stack_config, read_yaml
from stack_config import ConfigError, stack_name_problems

# Top-level stack-file keys that belong to the source stack's secrets provider.
PROVIDER_KEYS = ("encryptionsalt", "secretsprovider", "encryptedkey")


def policy_path(stack: str, root: Path) -> Path:
    return root / CONFIG_DIR.relative_to(REPO_ROOT) / f"{stack}.json"


class InitError(ConfigError):
    subject = "cannot create the stack"


def register(commands: Any, defaults_formatter: type[argparse.HelpFormatter]) -> None:
    init = commands.add_parser(
        "init",
        help="add a stack: Pulumi.STACK.yaml and policies/config/STACK.json made from another stack's",
        description=__doc__,
        formatter_class=defaults_formatter,
    )
    init.add_argument("stack", metavar="STACK", help="the new stack's name, e.g. staging")
    init.add_argument("--from", dest="source", default="dev", metavar="SOURCE", help="the stack to copy")


@dataclass(frozen=True)
class NewStack:
    stack_file: str
    policy_config: str | None  # None: the source has none, so neither has the new stack
    left_out: list[str]  # what was not copied, and why


def _refusals(stack: str, source: str, root: Path) -> list[str]:
    problems = stack_name_problems(stack)
    if not (root / f"Pulumi.{source}.yaml").exists():
        problems += missing_stack_file(source, root).problems
    for path in (root / f"Pulumi.{stack}.yaml", policy_path(stack, root)):
        if path.exists():
            problems.append(
                f"{path.relative_to(root)}: already exists; nothing was written. "
                f"Fix: choose another name, or plan the existing stack with `launchpad plan --stack {stack}`"
            )
    return problems


def _without_secure_values(text: str, secure_keys: list[str]) -> str:
    """The stack file's text without the provider lines and each secure entry (its line and the more
    indented lines under it), comments and order kept."""
    lines = text.splitlines()
    dropped: set[int] = set()
    for index, line in enumerate(lines):
        indent = len(line) - len(line.lstrip())
        entry = line.strip()
        provider = indent == 0 and any(entry.startswith(f"{key}:") for key in PROVIDER_KEYS)
        if provider or (indent and any(entry.startswith(f"{key}:") for key in secure_keys)):
            dropped.add(index)
            following = index + 1
            while following < len(lines) and len(lines[following]) - len(lines[following].lstrip()) > indent:
                dropped.add(following)
                following += 1
    return "\n".join(line for i, line in enumerate(lines) if i not in dropped) + "\n"


def make_stack(stack: str, source: str, root: Path = REPO_ROOT) -> NewStack:
    problems = _refusals(stack, source, root)
    if problems:
        raise InitError(problems)
    source_file = root / f"Pulumi.{source}.yaml"
    checked(read_stack_config(stack, root, config_from=source))  # the copy must plan under its new name
    original = read_yaml(source_file) or {}
    secure = [k for k, v in (original.get("config") or {}).items() if isinstance(v, dict) and "secure" in v]
    left_out = [f"{key}: a secure value, encrypted for {source} (set it again with `pulumi config set "
                f"--secret -s {stack} {key.split(':')[-1]} ...`)" for key in secure]  # fmt: skip
    left_out += [f"{key}: {source}'s secrets provider" for key in PROVIDER_KEYS if key in original]
    today = datetime.now(UTC).date().isoformat()
    header = (
        f"# {stack}: made from Pulumi.{source}.yaml by `launchpad init {stack} --from {source}` ({today}).\n"
    )
    copied = header + _without_secure_values(source_file.read_text(), secure)
    _same_entries(copied, original, secure)
    policy = _policy_config(policy_path(source, root), root, left_out)
    (root / f"Pulumi.{stack}.yaml").write_text(copied)
    target = policy_path(stack, root)
    if policy is not None:
        target.write_text(policy)
    return NewStack(f"Pulumi.{stack}.yaml", str(target.relative_to(root)) if policy else None, left_out)


def _same_entries(copied: str, original: dict[str, Any], secure: list[str]) -> None:
    """The copy holds exactly the source's entries less the secure ones (the line edit is checked)."""
    import yaml  # noqa: PLC0415

    expected = {k: v for k, v in (original.get("config") or {}).items() if k not in secure}
    if (yaml.safe_load(copied) or {}).get("config") != expected:
        raise RuntimeError("the copied stack file lost or changed an entry; nothing was written")


def _policy_config(path: Path, root: Path, left_out: list[str]) -> str | None:
    """The source's policy config without its waivers, or None when the source has none."""
    if not path.exists():
        return None
    source = path.stem
    config = read_pack_config(path, str(path.relative_to(root)))
    waived = [name for name, entry in config.items() if isinstance(entry, dict) and entry.get("waivers")]
    if not waived:
        return path.read_text()
    for name in waived:
        entry = {k: v for k, v in config[name].items() if k != "waivers"}
        config[name] = entry if set(entry) != {"enforcementLevel"} else entry["enforcementLevel"]
        left_out.append(f"{name}: {source}'s waivers (a waiver names one stack's resources)")
    return json.dumps(config, indent=2) + "\n"


def run(options: argparse.Namespace) -> int:
    made = make_stack(options.stack, options.source)
    print(f"Created {made.stack_file} from Pulumi.{options.source}.yaml.")
    if made.policy_config:
        print(f"Created {made.policy_config} from policies/config/{options.source}.json.")
    else:
        print(f"{options.source} has no policy config; {options.stack} gets the pack's defaults, as it does.")
    for item in made.left_out:
        print(f"  not copied: {item}")
    print(f"Next: edit what should differ, then `launchpad plan --stack {options.stack}`;")
    print(
        f"      to deploy: `pulumi stack init {options.stack}` (the stack file is already here), `pulumi up`."
    )
    return PASS
