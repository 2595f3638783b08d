"""Cloud Monitoring and Cloud Billing: budgets, notification channels and the durations alert policies
take."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cloud_facts.checks import EMAIL_ADDRESS

# A Google Cloud billing budget: a display name of at most 60 characters, at most 5 notification channels
# (terraform-provider-google-beta billingbudgets/resource_billing_budget.go).
GCP_BUDGET_DISPLAY_NAME_MAX, GCP_BUDGET_CHANNELS_MAX = 60, 5

_DURATION = re.compile(r"(?P<seconds>\d+)(\.\d+)?s")


@dataclass(frozen=True)
class Duration:
    """A protobuf Duration ("300s") within `minimum..maximum` seconds, and a multiple of `multiple`."""

    minimum: int
    maximum: int
    multiple: int = 1

    def problems(self, value: Any) -> list[str]:
        match = _DURATION.fullmatch(str(value))
        if match is None:
            return [f"{value!r} is not a duration in seconds such as '300s'"]
        seconds = int(match["seconds"])
        if self.minimum <= seconds <= self.maximum and seconds % self.multiple == 0:
            return []
        step = f", a multiple of {self.multiple}" if self.multiple > 1 else ""
        return [f"{value!r} is not within {self.minimum}s..{self.maximum}s{step}"]


@dataclass(frozen=True)
class EmailChannel:
    """A Cloud Monitoring channel of type email carries its address in labels.email_address."""

    def problems(self, props: Mapping[str, Any]) -> list[str]:
        if props.get("type") != "email":
            return []
        address = (props.get("labels") or {}).get("email_address")
        if address and EMAIL_ADDRESS.fullmatch(str(address)):
            return []
        return [f"an email channel needs labels.email_address set to an address, not {address!r}"]
