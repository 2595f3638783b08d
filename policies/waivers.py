"""Waivers: a rule may be waived for one resource, with a justification and an expiry date, in the policy
config file (`policies/config/<stack>.json`):

    "rds-multi-az": {"enforcementLevel": "advisory",
                     "waivers": [{"resource": "launchpad-dev-db-instance", "expires": "2027-03-31",
                                  "justification": "dev runs one zone to stay under its budget"}]}

`resource` is the logical name (or an fnmatch pattern such as `launchpad-pr-*-db-instance`; `(stack)` for
a finding about the stack as a whole). Every policy declares `waivers` in its config schema, so the Pulumi
CLI refuses a waiver without a justification or a date, as `launchpad plan` does. A waiver in force hides
its finding; once expired the finding comes back at the rule's level, saying which waiver expired.
"""

from __future__ import annotations

import contextvars
import datetime
import fnmatch
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pulumi_policy import ReportViolation

STACK = "(stack)"
WAIVER_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["resource", "justification", "expires"],
        "additionalProperties": False,
        "properties": {
            "resource": {"type": "string", "minLength": 1},
            # A sentence, not a placeholder: at least 10 characters with some non-space in them.
            "justification": {"type": "string", "minLength": 10, "pattern": r"\S"},
            "expires": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        },
    },
}


@dataclass(frozen=True)
class Waiver:
    rule: str
    resource: str
    justification: str
    expires: datetime.date

    def covers(self, resource_name: str) -> bool:
        return fnmatch.fnmatchcase(resource_name, self.resource)

    def expired(self, today: datetime.date) -> bool:
        return today > self.expires  # valid through its expiry date


@dataclass(frozen=True)
class WaiverUse:
    waiver: Waiver
    resource: str
    message: str
    expired: bool


# Set by the offline checker to learn which waivers a run used; None under the real engine.
USED: contextvars.ContextVar[list[WaiverUse] | None] = contextvars.ContextVar("waivers_used", default=None)
TODAY: contextvars.ContextVar[Callable[[], datetime.date]] = contextvars.ContextVar(
    "waiver_today", default=datetime.date.today
)


class WaiverError(ValueError):
    """A waiver the CLI would refuse (its schema): no justification, no date, or a bad one."""


def parse_waivers(rule: str, config: Mapping[str, Any]) -> list[Waiver]:
    waivers = []
    for entry in config.get("waivers") or []:
        justification = str(entry.get("justification") or "").strip()
        if len(justification) < 10:
            raise WaiverError(f"{rule}: the waiver for {entry.get('resource')!r} needs a justification")
        try:
            expires = datetime.date.fromisoformat(str(entry.get("expires")))
        except ValueError as error:
            raise WaiverError(f"{rule}: the waiver for {entry.get('resource')!r}: {error}") from error
        waivers.append(Waiver(rule, str(entry["resource"]), justification, expires))
    return waivers


def resource_name(urn: str | None) -> str:
    return urn.rsplit("::", 1)[-1] if urn else STACK


def waiving(
    rule: str, config: Mapping[str, Any], report: ReportViolation, default_name: str = STACK
) -> ReportViolation:
    """`report` with the rule's waivers applied: waived findings are dropped, expired ones marked."""
    waivers = parse_waivers(rule, config)
    if not waivers:
        return report
    today = TODAY.get()()

    def waived_report(message: str, urn: str | None = None) -> None:
        name = resource_name(urn) if urn else default_name
        waiver = next((w for w in waivers if w.covers(name)), None)
        if waiver is None:
            report(message, urn)
            return
        expired = waiver.expired(today)
        used = USED.get()
        if used is not None:
            used.append(WaiverUse(waiver, name, message, expired))
        if expired:
            report(f"{message} [waiver expired {waiver.expires}: {waiver.justification}]", urn)

    return waived_report
