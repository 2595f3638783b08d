"""The fix hint every setting carries, shown beside its problem in a ConfigError."""

from __future__ import annotations

from typing import Any


def fix(hint: str) -> dict[str, Any]:
    """Field metadata naming the `pulumi config set` command that repairs the key."""
    return {"fix": hint}
