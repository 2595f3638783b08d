"""Input formats of the smaller Google Cloud services, and those several share: labels, Artifact Registry
image paths, Cloud Storage soft delete and Cloud Scheduler's cron (durations: monitoring.Duration)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from croniter import croniter


@dataclass(frozen=True)
class LabelMap:
    """GCP labels: keys 1-63 starting with a lower-case letter, values 0-63, both [a-z0-9_-]."""

    def problems(self, labels: Any) -> list[str]:
        if not isinstance(labels, Mapping):
            return []
        key_rule, value_rule = r"[a-z][a-z0-9_-]{0,62}", r"[a-z0-9_-]{0,63}"
        return [
            f"label {key!r}={value!r} breaks GCP's rules (lower-case letters, digits, _ and -, at most 63)"
            for key, value in labels.items()
            if not re.fullmatch(key_rule, str(key)) or not re.fullmatch(value_rule, str(value))
        ]


@dataclass(frozen=True)
class ArtifactRegistryImage:
    """An image reference into Artifact Registry names an image inside the repository:
    <location>-docker.pkg.dev/<project>/<repository>/<image>[:tag|@digest]; the repository root itself is
    refused at push ("NAME_INVALID: Missing image name")."""

    def problems(self, value: Any) -> list[str]:
        text = str(value)
        if "docker.pkg.dev/" not in text:
            return []
        path = re.split(r"[:@]", text.split("docker.pkg.dev/", 1)[1], maxsplit=1)[0]
        if len([part for part in path.split("/") if part]) >= 3:
            return []
        return [f"{text!r} points at a repository, not an image in it (add /<image> after the repository)"]


@dataclass(frozen=True)
class SoftDelete:
    """Cloud Storage soft delete: 0 (off) or 7-90 days, in seconds."""

    def problems(self, value: Any) -> list[str]:
        seconds = float(value)
        return [] if seconds == 0 or 604_800 <= seconds <= 7_776_000 else [f"{value} s is not 0 or 7-90 days"]


@dataclass(frozen=True)
class UnixCron:
    """A five-field unix cron (Cloud Scheduler)."""

    def problems(self, value: Any) -> list[str]:
        text = str(value)
        if len(text.split()) == 5 and croniter.is_valid(text):
            return []
        return [f"{text!r} is not a five-field cron expression"]
