"""Reads `Pulumi.yaml` and a `Pulumi.<stack>.yaml` into the config map the engine hands the program,
applying the Pulumi CLI's project-config rules, so a stack the CLI would refuse is refused here too.

The rules are the engine's own (pulumi/pulumi `pkg/workspace/config.go` `mergeConfig` and
`validateStackConfigValue`, `sdk/go/common/workspace/project.go` `Project.Validate` and
`ValidateConfigValue`), checked before the program runs:
- a project key declared without `default` (or `value`) and absent from the stack is REQUIRED:
  "Stack 'dev' is missing configuration values 'a' and 'b'";
- a stack value must have the declared type (`integer` also takes whole numbers written as text,
  `boolean` also "true"/"false", arrays are checked item by item);
- a key declared `secret: true` must hold a secure value; a plain `default` does not count
  (so a secret key with a default is refused: pulumi/pulumi#21865);
- keys outside the project's namespace (`aws:region`) may declare only a `value`, never a type or default.

Values come out as PULUMI_CONFIG has them: text, with arrays and objects JSON-encoded. Secure values
cannot be decrypted offline; each becomes a distinctive placeholder so tests can prove it never reaches
a resource input in plain text.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from stack_config.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parent.parent
PROJECT = "launchpad"


class ProjectConfigError(ConfigError):
    """What the Pulumi CLI says before the program runs, when the stack's config breaks the project's."""


@dataclass(frozen=True)
class StackValue:
    """One entry of a stack file as the engine stores it: its YAML value and whether it is `secure`."""

    value: Any
    secure: bool = False


@dataclass(frozen=True)
class Declaration:
    """One key of `Pulumi.yaml`'s `config:` block."""

    key: str  # fully qualified, e.g. "launchpad:azCount" or "aws:region"
    type: str | None = None
    items: Mapping[str, Any] | None = None
    default: Any = None
    value: Any = None
    secret: bool = False

    @property
    def type_name(self) -> str:
        """As the CLI prints it: `array<string>`."""
        return _full_type_name(self.type or "", self.items)


def placeholder(key: str) -> str:
    return f"OFFLINE-SECRET-PLACEHOLDER<{key}>"


def _qualified(key: str, project: str = PROJECT) -> str:
    return key if ":" in key else f"{project}:{key}"


def _short(key: str, project: str = PROJECT) -> str:
    return key.removeprefix(f"{project}:")


def project_of(project_file: Mapping[str, Any]) -> str:
    """The project's name from its parsed `Pulumi.yaml`: the namespace of its config keys."""
    return str(project_file.get("name") or PROJECT)


def _full_type_name(type_name: str, items: Mapping[str, Any] | None) -> str:
    if items is not None:
        return f"array<{_full_type_name(items.get('type', ''), items.get('items'))}>"
    return type_name


def _as_config_text(value: Any) -> str:
    """A value the way the engine stores it: scalars as their text, arrays and maps as JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value)
    return "" if value is None else str(value)


def _type_ok(type_name: str, items: Mapping[str, Any] | None, value: Any) -> bool:
    """`ValidateConfigValue`: a scalar arrives as text, so integers and booleans may be text too."""
    scalar_checks = {
        "string": lambda v: isinstance(v, str),
        "integer": _integer_ok,
        "boolean": lambda v: isinstance(v, bool) or v in ("true", "false"),
        "object": lambda v: isinstance(v, dict),
    }
    if type_name in scalar_checks:
        return bool(scalar_checks[type_name](value))
    if not isinstance(value, list) or items is None:
        return False
    return all(_type_ok(items.get("type", ""), items.get("items"), item) for item in value)


def _integer_ok(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int) or (isinstance(value, float) and value == math.trunc(value)):
        return True
    return isinstance(value, str) and _parses_as_int(value)


def _parses_as_int(text: str) -> bool:
    try:
        int(text, 10)
    except ValueError:
        return False
    return True


def _stack_content(entry: StackValue) -> Any:
    """What the CLI type-checks: scalars as text (how the stack file stores them), objects decoded."""
    if isinstance(entry.value, list | dict):
        return entry.value
    return _as_config_text(entry.value)


def parse_declarations(project_file: Mapping[str, Any]) -> list[Declaration]:
    """`Pulumi.yaml`'s config block, checked as `Project.Validate` checks it."""
    declarations: list[Declaration] = []
    problems: list[str] = []
    project = project_of(project_file)
    for key, given in (project_file.get("config") or {}).items():
        namespaced_by_project = ":" not in key or key.startswith(f"{project}:")
        # Shorthand: a bare value is a default for project keys, a value for the others.
        raw = given if isinstance(given, dict) else {"default" if namespaced_by_project else "value": given}
        declaration = Declaration(
            key=_qualified(key, project),
            type=raw.get("type"),
            items=raw.get("items"),
            default=raw.get("default"),
            value=raw.get("value"),
            secret=bool(raw.get("secret", False)),
        )
        problems += _declaration_problems(key, declaration, namespaced_by_project)
        declarations.append(declaration)
    if problems:
        raise ProjectConfigError(problems)
    return declarations


def _declaration_problems(key: str, d: Declaration, namespaced_by_project: bool) -> list[str]:
    if d.default is not None and d.value is not None:
        return [f"project config '{key}' cannot have both a 'default' and 'value' attribute"]
    if not namespaced_by_project:
        return _foreign_key_problems(key, d)
    if d.type == "array" and d.items is None:
        return [f"The configuration key '{key}' declares an array but does not specify the 'items' type"]
    if d.type is not None and d.default is not None and not _type_ok(d.type, d.items, d.default):
        return [
            f"The default value specified for configuration key '{key}' is not of the expected type "
            f"'{d.type_name}'"
        ]
    return []


def _foreign_key_problems(key: str, d: Declaration) -> list[str]:
    """Keys of another namespace (`aws:region`) carry no schema, only a value."""
    if d.type is not None:
        return [f"Configuration key '{key}' is not namespaced by the project and should not define a type"]
    if d.default is not None or d.value is None:
        return [f"Configuration key '{key}' is namespaced and must provide an attribute 'value'"]
    return []


def _missing_message(stack: str, missing: list[str], project: str = PROJECT) -> str:
    names = [f"'{_short(k, project)}'" for k in sorted(missing)]
    listing = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    noun = "value" if len(names) == 1 else "values"
    fixes = "; ".join(f"pulumi config set {_short(k, project)} <value>" for k in sorted(missing))
    return f"Stack '{stack}' is missing configuration {noun} {listing}. Fix: {fixes}"


def resolve(
    stack: str, declarations: list[Declaration], entries: Mapping[str, StackValue], project: str = PROJECT
) -> dict[str, str]:
    """Merges project defaults under the stack's entries and validates them as the CLI does; returns
    PULUMI_CONFIG's text values (secure ones as given: placeholders or test values). Every problem is
    raised at once: the missing keys and the values of the wrong type together."""
    found = resolution(stack, declarations, entries, project)
    if found.problems:
        raise ProjectConfigError(found.problems)
    return found.values


@dataclass(frozen=True)
class Resolution:
    values: dict[str, str]  # PULUMI_CONFIG's text values, the faulty ones included
    problems: list[str]
    faulty: frozenset[str]  # the keys the problems are about (fully qualified)


def resolution(
    stack: str, declarations: list[Declaration], entries: Mapping[str, StackValue], project: str = PROJECT
) -> Resolution:
    """The merged values and every problem the CLI would refuse them for (the CLI itself stops at the
    missing keys; listing the wrong types with them saves a round)."""
    merged = dict(entries)
    missing: list[str] = []
    for d in declarations:
        if d.key in merged:
            continue
        if d.value is not None or d.default is not None:
            merged[d.key] = StackValue(d.value if d.value is not None else d.default)
        elif d.key.startswith(f"{project}:"):
            missing.append(d.key)
    problems = [_missing_message(stack, missing, project)] if missing else []
    faulty = set(missing)
    for d in sorted(declarations, key=lambda d: d.key):
        if d.key in merged and (problem := _value_problem(stack, d, merged[d.key], project)):
            problems.append(problem)
            faulty.add(d.key)
    values = {key: _as_config_text(entry.value) for key, entry in merged.items()}
    return Resolution(values, problems, frozenset(faulty))


def _value_problem(stack: str, d: Declaration, entry: StackValue, project: str = PROJECT) -> str | None:
    name = _short(d.key, project)
    if d.secret and not entry.secure:
        return (
            f"Stack '{stack}' with configuration key '{name}' must be encrypted as it's secret. "
            f"Fix: pulumi config set --secret {name} <value> (a secret key cannot rely on a default)"
        )
    if d.type is not None and not _type_ok(d.type, d.items, _stack_content(entry)):
        return (
            f"Stack '{stack}' with configuration key '{name}' must be of type '{d.type_name}'. "
            f"Fix: pulumi config set {'--path ' if d.items else ''}{name} <{d.type_name}>"
        )
    return None


@dataclass(frozen=True)
class StackFileConfig:
    """A stack's config as the engine resolves it, and the entries it was resolved from."""

    stack: str
    declarations: tuple[Declaration, ...]
    entries: Mapping[str, StackValue]
    values: dict[str, str] = field(default_factory=dict)
    source: str = ""  # the stack whose file the entries came from (dev for a pr-<n> stack)
    project: str = PROJECT  # the project whose namespace unqualified keys belong to
    root: Path = REPO_ROOT  # the directory of the project's Pulumi.yaml (its program runs from there)

    @property
    def secret_keys(self) -> tuple[str, ...]:
        return tuple(sorted(key for key, entry in self.entries.items() if entry.secure))

    def with_overrides(
        self, overrides: Mapping[str, Any], secrets: Mapping[str, str] | None = None
    ) -> StackFileConfig:
        """A copy with stack-file entries replaced (None removes one) and secure values added, resolved
        again under the same rules, as `pulumi config set` followed by `pulumi up` would be."""
        return _resolved(self.with_entries(overrides, secrets))

    def with_entries(
        self, overrides: Mapping[str, Any], secrets: Mapping[str, str] | None = None
    ) -> StackFileConfig:
        """The same copy, not resolved yet: `resolution` lists its problems."""
        entries = dict(self.entries)
        for key, value in overrides.items():
            if value is None:
                entries.pop(_qualified(key, self.project), None)
            else:
                entries[_qualified(key, self.project)] = StackValue(value)
        for key, value in (secrets or {}).items():
            entries[_qualified(key, self.project)] = StackValue(value, secure=True)
        return replace(self, entries=entries)

    def for_stack(self, stack: str) -> StackFileConfig:
        """The same entries for another stack name (a per-PR stack created from dev's config)."""
        return _resolved(replace(self, stack=stack))


def _resolved(config: StackFileConfig) -> StackFileConfig:
    values = resolve(config.stack, list(config.declarations), config.entries, config.project)
    return replace(config, values=values)


def yaml_problem(error: yaml.YAMLError, shown: str) -> str:
    """A YAML syntax error as one problem: the file as `shown`, the line and column, and the fix."""
    mark = getattr(error, "problem_mark", None)
    where = f" line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    return f"{shown}{where}: {problem} (not valid YAML). Fix: correct the YAML there"


def read_yaml(path: Path) -> Any:
    """A YAML file, or a ProjectConfigError naming the file, line and column of its syntax error."""
    try:
        return yaml.safe_load(path.read_text())
    except yaml.YAMLError as error:
        raise ProjectConfigError([yaml_problem(error, path.name)]) from None


def _mapping(value: Any, where: str, example: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ProjectConfigError(
            [f"{where}: must be a mapping of keys to values, not {type(value).__name__}. Fix: {example}"]
        )
    return value


def read_entries(path: Path, project: str = PROJECT) -> dict[str, StackValue]:
    """A stack file's `config:` block; secure values become placeholders (they cannot be decrypted here)."""
    example = "write `config:` then one `launchpad:<key>: <value>` per line"
    stack_file = _mapping(read_yaml(path), path.name, example)
    entries: dict[str, StackValue] = {}
    for key, value in _mapping(stack_file.get("config"), f"{path.name} config", example).items():
        qualified = _qualified(str(key), project)
        if isinstance(value, dict) and set(value) == {"secure"}:
            entries[qualified] = StackValue(placeholder(qualified), secure=True)
        else:
            entries[qualified] = StackValue(value)
    return entries


def missing_stack_file(stack: str, root: Path) -> ProjectConfigError:
    """No `Pulumi.<stack>.yaml`: a per-PR stack is planned from the file it is made from."""
    stacks = available_stacks(root)
    source = "dev" if "dev" in stacks else (stacks[0] if stacks else "dev")
    return ProjectConfigError(
        [
            f"stack {stack}: no stack file Pulumi.{stack}.yaml (stacks here: {', '.join(stacks)}). "
            f"Fix: plan it from another stack's file with --config-from {source} (as per-PR stacks are "
            f"made), or add it with `launchpad init {stack} --from {source}`"
        ]
    )


def load_stack_config(stack: str, root: Path = REPO_ROOT, config_from: str | None = None) -> StackFileConfig:
    """`stack`'s config from its own stack file, or from `config_from`'s (per-PR stacks copy dev's)."""
    return _resolved(read_stack_config(stack, root, config_from))


def read_stack_config(stack: str, root: Path = REPO_ROOT, config_from: str | None = None) -> StackFileConfig:
    """The same, read but not resolved: syntax and shape errors raise, the rest is `resolution`'s."""
    source = config_from or stack
    stack_path = root / f"Pulumi.{source}.yaml"
    if not stack_path.exists():
        raise missing_stack_file(source, root)
    project_file = _mapping(read_yaml(root / "Pulumi.yaml"), "Pulumi.yaml", "see Pulumi's project format")
    project = project_of(project_file)
    declarations = parse_declarations(project_file)
    entries = read_entries(stack_path, project)
    return StackFileConfig(stack, tuple(declarations), entries, source=source, project=project, root=root)


def available_stacks(root: Path = REPO_ROOT) -> list[str]:
    return sorted(p.name.removeprefix("Pulumi.").removesuffix(".yaml") for p in root.glob("Pulumi.*.yaml"))
