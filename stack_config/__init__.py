"""One typed, immutable view of a stack's configuration, validated before any resource exists.

`settings.py` holds each key's type and range, `rules.py` the rules between keys, `loader.py` what the
engine hands over and the stack name; every problem is reported at once in one `ConfigError`.
"""

from stack_config.compute import fargate_memory_choices
from stack_config.errors import ConfigError, Problem
from stack_config.loader import (
    PROJECT,
    SecretInputs,
    StackConfig,
    load,
    parse_settings,
    secret_keys,
    stack_name_problems,
)
from stack_config.rules import cross_field_problems
from stack_config.settings import StackSettings

__all__ = [
    "PROJECT",
    "ConfigError",
    "Problem",
    "SecretInputs",
    "StackConfig",
    "StackSettings",
    "cross_field_problems",
    "fargate_memory_choices",
    "load",
    "parse_settings",
    "secret_keys",
    "stack_name_problems",
]
