"""What the permission closure found, per identity."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Gap:
    identity: str
    permission: str
    resource: str
    subjects: tuple[str, ...]
    result: str
    error: str = ""
    sources: tuple[str, ...] = ()  # where the need for this permission was read


@dataclass
class Coverage:
    """One identity's result: how many (resource, permission) pairs were checked, and what it may not do."""

    identity: str
    cloud: str  # aws | gcp
    use: str  # deploy | preview
    checked: int
    gaps: list[Gap] = field(default_factory=list)
