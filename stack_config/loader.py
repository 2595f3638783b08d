"""Turns the stack's config into one immutable `StackConfig`, or one `ConfigError` listing every problem.

Pulumi.yaml is the single source of defaults: the engine merges them into the stack's config before the
program runs. This module decodes what the engine hands over, validates it with `settings.py` and
`rules.py`, checks the stack name and the provider keys, and reads the optional secrets.
"""

from __future__ import annotations

import difflib
import json
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

import pulumi
from pulumi.runtime import config as runtime_config
from pydantic import ValidationError
from pydantic.alias_generators import to_camel
from pydantic_core import ErrorDetails

from app import contract
from stack_config.errors import ConfigError, Problem
from stack_config.regions import region_problems
from stack_config.rules import cross_field_problems
from stack_config.settings import StackSettings

PROJECT = "launchpad"
# The stack name is part of most physical names; 20 characters keep every one inside its limit.
STACK_NAME_MAX = 20
STACK_NAME_PATTERN = r"[a-z0-9]+(-[a-z0-9]+)*"


# Optional secrets, read with get_secret so their values stay Outputs marked secret. They are NOT declared
# in Pulumi.yaml: the CLI requires every declared key without a default, and a secret key cannot have a
# plain default (pulumi/pulumi#21865), so declaring them would make every stack set them.
def secret_keys() -> tuple[str, ...]:
    """The stack keys of the app's secrets (app/contract.py APP_SECRETS) that config may set."""
    return tuple(secret.config_key for secret in contract.APP_SECRETS if secret.config_key)


UNSET = "unset"  # a value valid for any text key, for checking the rules between keys around a faulty one


@dataclass(frozen=True)
class SecretInputs:
    """Optional secret values from `pulumi config set --secret`, by the secret's name (every app secret with
    a config key); None means "set out of band"."""

    values: Mapping[str, pulumi.Output[str] | None]

    def provider_keys(self) -> dict[str, pulumi.Output[str] | None]:
        """The AI provider keys, by the env variable the app reads each from."""
        return {s.env: self.values.get(s.name) for s in contract.APP_SECRETS if s.provider is not None}

    def kept_by(self, cloud: str) -> dict[str, pulumi.Output[str] | None]:
        """The values config gave, by secret name, for the secrets `cloud`'s secret store keeps."""
        return {s.name: self.values[s.name] for s in contract.app_secrets(cloud) if s.config_key}


@dataclass(frozen=True)
class StackConfig:
    """Everything the program needs to know about the stack it deploys."""

    project: str
    stack: str
    aws_region: str
    settings: StackSettings
    secrets: SecretInputs
    gcp_project: str = ""
    gcp_region: str = ""

    @property
    def base_name(self) -> str:
        return f"{self.project}-{self.stack}"

    @property
    def tags(self) -> dict[str, str]:
        return {
            "project": self.project,
            "stack": self.stack,
            "owner": self.settings.owner,
            "cost-center": self.settings.cost_center,
            "managed-by": "pulumi",
        }


def _all_project_config() -> dict[str, Any]:
    # pulumi.Config offers no way to list keys; the runtime keeps them in PULUMI_CONFIG (a real run) and
    # in its config context (set_all_config in tests). Unknown keys can only be found by listing them.
    merged = {**(runtime_config.get_config_env() or {}), **runtime_config.CONFIG.get()}
    prefix = f"{PROJECT}:"
    return {key[len(prefix) :]: value for key, value in merged.items() if key.startswith(prefix)}


def _wants_string(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _wants_string(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return all(_wants_string(a) for a in typing.get_args(annotation) if a is not type(None))
    # str, Literal of strings, EmailStr and IPv4Network are all given as text.
    return not (origin is tuple or annotation in (int, bool, float))


_STRING_KEYS = frozenset(
    field.alias
    for field in StackSettings.model_fields.values()
    if field.alias and _wants_string(field.annotation)
)


def _decode(value: Any) -> Any:
    # The engine hands every value over as a string; arrays and numbers arrive JSON-encoded.
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _describe(error: ErrorDetails, known_keys: list[str]) -> str:
    key = ".".join(str(part) for part in error["loc"]) or "(stack)"
    if error["type"] == "extra_forbidden":
        close = difflib.get_close_matches(str(error["loc"][0]), known_keys, n=1)
        hint = f"did you mean `{close[0]}`?" if close else "it is not a Launchpad setting"
        return f"{PROJECT}:{key}: unknown key ({hint}). Fix: pulumi config rm {key}"
    if error["type"] == "missing":
        return f"{PROJECT}:{key}: required but not set. Fix: declare it in Pulumi.yaml or the stack file"
    field = StackSettings.model_fields.get(_snake(str(error["loc"][0])))
    extra = field.json_schema_extra if field is not None else None
    fix = extra.get("fix") if isinstance(extra, dict) else None
    if fix is None and field is not None:
        top = str(error["loc"][0])
        fix = (
            f"pulumi config set {top} true|false"
            if field.annotation is bool
            else f"set {top} as its description in Pulumi.yaml says"
        )
    got = f" (got {error['input']!r})" if "input" in error and not isinstance(error["input"], dict) else ""
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "string_pattern_mismatch":
        message = "has an invalid format"
    return f"{PROJECT}:{key}: {message}{got}." + (f" Fix: {fix}" if fix else "")


def _snake(camel: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", camel).lower()


def _plain(raw: dict[str, Any]) -> dict[str, Any]:
    # The engine hands values over as strings; JSON-decode only where the field wants a number, a bool or
    # a list, so a string that merely looks like a number (dbEngineVersion "17") stays a string.
    secrets = secret_keys()
    return {
        key: value if key in _STRING_KEYS else _decode(value)
        for key, value in raw.items()
        if key not in secrets
    }


def _validated(plain: dict[str, Any]) -> tuple[StackSettings | None, list[ErrorDetails]]:
    try:
        return StackSettings.model_validate(plain), []
    except ValidationError as exc:
        return None, exc.errors()


def settings_problems(
    raw: dict[str, Any], fallback: dict[str, Any] | None = None
) -> tuple[StackSettings | None, list[Problem]]:
    """Every problem of the raw `launchpad:*` values at once, as (key, message): each key alone, then the
    rules between keys. When keys fail alone, the rules are checked with `fallback` values (the project's
    defaults) in their place, and only the rules' problems about other keys are kept, so one run lists
    what would otherwise take several. Also returns the settings the rules were checked on (None when
    they could not be): the stack's own when there is no problem."""
    plain = _plain(raw)
    settings, errors = _validated(plain)
    known = [to_camel(name) for name in StackSettings.model_fields] + list(secret_keys())
    problems = [(_top_key(e), _describe(e, known)) for e in errors]
    failed = {key for key, _ in problems}
    checked = settings
    if checked is None and fallback is not None:
        # A required text key without a default (owner) stands in as a placeholder no rule reads.
        text_keys = [to_camel(name) for name, f in StackSettings.model_fields.items() if f.annotation is str]
        defaults = dict.fromkeys(text_keys, UNSET) | _plain(fallback)
        substitute = {k: v for k, v in plain.items() if k not in failed}
        checked, _ = _validated(substitute | {k: defaults[k] for k in failed if k in defaults})
    if checked is not None:
        problems += [
            (key, f"{PROJECT}:{key}: {message}")
            for key, message in cross_field_problems(checked)
            if key not in failed
        ]
    return checked, problems


def _top_key(error: ErrorDetails) -> str:
    return str(error["loc"][0]) if error["loc"] else ""


def parse_settings(raw: dict[str, Any]) -> StackSettings:
    """Validates raw `launchpad:*` values (JSON strings or decoded) into settings, or raises ConfigError."""
    settings, problems = settings_problems(raw)
    if problems or settings is None:
        raise ConfigError([message for _, message in problems])
    return settings


def stack_name_problems(stack: str) -> list[str]:
    """The stack name is in most physical names; one that breaks any of their rules is refused here."""
    if len(stack) <= STACK_NAME_MAX and re.fullmatch(STACK_NAME_PATTERN, stack):
        return []
    return [
        f"stack name: `{stack}` cannot be deployed. Stack names are part of AWS and GCP resource names, so "
        f"they must be at most {STACK_NAME_MAX} characters of lower-case letters and digits in groups joined "
        "by single hyphens (e.g. dev, prod, pr-12345, staging-eu-central-1). Fix: pulumi stack init <name> "
        "with such a name (pulumi stack rename cannot change the physical names already created)"
    ]


def provider_problems(
    targets: tuple[str, ...], aws_region: str | None, gcp_project: str | None, gcp_region: str | None
) -> list[str]:
    """The provider keys a stack's targets need, and regions their clouds have."""
    problems = []
    if "aws" in targets and not aws_region:
        problems.append(
            "aws:region: required when targets include aws. Fix: pulumi config set aws:region us-east-1"
        )
    if "gcp" in targets:
        problems += [
            f"gcp:{key}: required when targets include gcp. Fix: pulumi config set gcp:{key} {example}"
            for key, example, value in (
                ("project", "my-project-id", gcp_project),
                ("region", "us-central1", gcp_region),
            )
            if not value
        ]
    return problems + region_problems(aws_region, gcp_region)


def load() -> StackConfig:
    """Reads and validates the current stack's configuration. Call before creating any resource."""
    problems = stack_name_problems(pulumi.get_stack())
    try:
        settings = parse_settings(_all_project_config())
    except ConfigError as error:
        raise ConfigError(problems + error.problems) from None
    region = pulumi.Config("aws").get("region")
    gcp = pulumi.Config("gcp")
    gcp_project, gcp_region = gcp.get("project"), gcp.get("region")
    problems += provider_problems(settings.targets, region, gcp_project, gcp_region)
    if problems:
        raise ConfigError(problems)
    project_config = pulumi.Config(PROJECT)
    secrets = SecretInputs(
        {s.name: project_config.get_secret(s.config_key) for s in contract.APP_SECRETS if s.config_key}
    )
    return StackConfig(
        project=pulumi.get_project(),
        stack=pulumi.get_stack(),
        aws_region=region or "",
        settings=settings,
        secrets=secrets,
        gcp_project=gcp_project or "",
        gcp_region=gcp_region or "",
    )
