"""Environment entries for Cloud Run services and jobs, built with the provider's typed Args classes.

Services and jobs have distinct (but identically shaped) Args classes; this builds either, so both get
plain values and `secret_key_ref` entries the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi

from app.contract import SECRET_ENV_VARS


def check_env(env: Mapping[str, str], secret_env: Mapping[str, pulumi.Input[str]]) -> None:
    """Refuses a secret variable passed as a plain value, and a name given both ways."""
    leaked = sorted(set(env) & set(SECRET_ENV_VARS))
    if leaked:
        raise ValueError(f"{leaked} hold secrets: pass them in secret_env (Secret Manager), not env")
    both = sorted(set(env) & set(secret_env))
    if both:
        raise ValueError(f"{both} given both as plain and as secret env")


def env_entries(
    env: Mapping[str, str],
    secret_env: Mapping[str, pulumi.Input[str]],
    *,
    env_cls: Any,
    source_cls: Any,
    ref_cls: Any,
) -> list[Any]:
    """Plain entries, then one `secret_key_ref` entry (latest version) per secret variable."""
    entries = [env_cls(name=name, value=value) for name, value in sorted(env.items())]
    entries += [
        env_cls(
            name=name, value_source=source_cls(secret_key_ref=ref_cls(secret=secret_id, version="latest"))
        )
        for name, secret_id in sorted(secret_env.items())
    ]
    return entries
