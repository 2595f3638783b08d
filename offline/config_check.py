"""Every problem of a stack's configuration in one round, before the program runs.

The Pulumi CLI stops at the first kind of problem (missing keys, then types), and the program's own
validation runs only once the CLI is satisfied, so fixing a stack file could take one run per kind. Here
the CLI's rules (`offline/stack_files.py`), the stack name, each key's type and range, the rules between
keys and the provider keys are checked together and reported as one ConfigError.
"""

from __future__ import annotations

from dataclasses import replace

from offline.stack_files import ProjectConfigError, StackFileConfig, resolution
from stack_config import stack_name_problems
from stack_config.loader import provider_problems, settings_problems


def checked(config: StackFileConfig) -> StackFileConfig:
    """`config` resolved, or one ProjectConfigError listing every problem it has."""
    found = resolution(config.stack, list(config.declarations), config.entries, config.project)
    prefix = f"{config.project}:"
    faulty = {key.removeprefix(prefix) for key in found.faulty}
    raw = {k.removeprefix(prefix): v for k, v in found.values.items() if k.startswith(prefix)}
    defaults = {
        d.key.removeprefix(prefix): d.default
        for d in config.declarations
        if d.key.startswith(prefix) and d.default is not None
    }
    settings, problems = settings_problems(raw, fallback=defaults)
    listed = [*found.problems, *stack_name_problems(config.stack)]
    listed += [message for key, message in problems if key not in faulty]
    values = found.values
    targets = settings.targets if settings is not None else ()
    listed += provider_problems(
        targets, values.get("aws:region"), values.get("gcp:project"), values.get("gcp:region")
    )
    if listed:
        raise ProjectConfigError(listed)
    return replace(config, values=values)
