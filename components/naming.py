"""Physical names for resources whose cloud name limit Pulumi's autonaming would overflow.

Autonaming appends "-" and 7 random characters to the logical name, and the logical names here carry the
project and stack ("launchpad-staging-eu-central-1-lb"), so a 32-character ALB name or a 30-character
service account id cannot hold them. These resources get an explicit name instead: `{base}-{role}` when it
fits, else the base shortened and a hash of the full name appended, so two stacks never share a name.

An explicit name loses what the random suffix gave: a replacement can no longer create the new resource
before deleting the old one under the same name. `keepers` restores that: pass the inputs whose change
forces a replacement, and their hash is part of the name, so a replacement always comes with a new name.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import pulumi

HASH_LENGTH = 6


def moved_from_parent(opts: pulumi.ResourceOptions | None) -> list[pulumi.Alias]:
    """Aliases for the children of a component that took them over from `opts.parent`: each keeps its
    URN (and is not replaced) though its parent changed. None when there was no parent."""
    return [pulumi.Alias(parent=opts.parent)] if opts is not None and opts.parent is not None else []


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:HASH_LENGTH]


def fitted_name(base: str, role: str, limit: int, keepers: Sequence[str] = ()) -> str:
    """`{base}-{role}`, or `{shortened base}-{role}-{hash}` when it does not fit or keepers are given.

    The role stays whole (it says what the resource is); only the base is shortened, never ending in a
    hyphen, so no name gets a doubled or trailing hyphen. The hash covers the full name and the keepers.
    """
    full = f"{base}-{role}"
    if not keepers and len(full) <= limit:
        return full
    suffix = f"-{_digest(full, *keepers)}"
    room = limit - len(role) - len(suffix) - 1
    if room < 1:
        raise ValueError(f"role {role!r} leaves no room for a name within {limit} characters")
    return f"{base[:room].rstrip('-')}-{role}{suffix}"


def fitted_name_output(
    base: str, role: str, limit: int, keepers: Sequence[pulumi.Input[str]]
) -> pulumi.Output[str]:
    """`fitted_name` with keepers that are only known at deploy time (an id, an ARN)."""
    return pulumi.Output.all(*keepers).apply(
        lambda known: fitted_name(base, role, limit, [str(k) for k in known])
    )


def fitted_prefix(name: str, limit: int) -> str:
    """A `name_prefix`/`bucket_prefix` of at most `limit` characters, ending in "-"; the provider appends a
    unique suffix. Only when `name` does not fit is it shortened, with a hash of the whole name."""
    if len(name) + 1 <= limit:
        return f"{name}-"
    suffix = f"-{_digest(name)}"
    return f"{name[: limit - len(suffix) - 1].rstrip('-')}{suffix}-"


def stable_key(value: str) -> str:
    """A readable key for a logical name from a list member (an e-mail, an IAM member), so a resource keeps
    its name whatever the member's position: group:team@example.com -> group-team-example-com-1a2b3c."""
    slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")[:40]
    return f"{slug}-{_digest(value)}"
