"""The fix hint every setting carries, shown beside its problem in a ConfigError, and the same hint for
a key given with `launchpad plan --set` (where `pulumi config set` is the wrong advice)."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable
from typing import Any


def fix(hint: str) -> dict[str, Any]:
    """Field metadata naming the `pulumi config set` command that repairs the key."""
    return {"fix": hint}


def for_set_keys(problem: str, keys: Iterable[str], project: str = "launchpad") -> str:
    """`problem` with each `pulumi config set|rm KEY ...` about one of `keys` (given with --set) turned into
    the --set that repairs it: `--set azCount=2`, `--set 'targets=[aws]'` for a --path item."""
    for key in keys:
        short = key.removeprefix(f"{project}:")
        name = re.escape(short)
        setter = re.compile(rf"pulumi config set (?:--path )?'?{name}(\[0\])?'? ('[^']*'|\S+)")

        def as_set(match: re.Match[str], short: str = short) -> str:
            value = match.group(2).strip("'")
            return "--set " + shlex.quote(f"{short}=[{value}]" if match.group(1) else f"{short}={value}")

        problem = setter.sub(as_set, problem)
        problem = re.sub(rf"pulumi config rm {name}\b", f"drop --set {short}=...", problem)
    return problem
