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

# A protobuf Duration in JSON: seconds with at most 9 fractional digits, then "s".
_DURATION = re.compile(r"[0-9]+(\.[0-9]{1,9})?s")


@dataclass(frozen=True)
class Duration:
    """A protobuf Duration ("300s") within `minimum..maximum` seconds (no maximum when None), and a
    multiple of `multiple`: alert policies, Cloud KMS periods, Cloud Scheduler deadlines."""

    minimum: int
    maximum: int | None = None
    multiple: int = 1

    def problems(self, value: Any) -> list[str]:
        text = str(value)
        if _DURATION.fullmatch(text) is None:
            return [f"{value!r} is not a duration in seconds such as '300s'"]
        seconds = float(text[:-1])
        in_range = self.minimum <= seconds and (self.maximum is None or seconds <= self.maximum)
        stepped = self.multiple == 1 or seconds % self.multiple == 0  # 1: any duration, fractions too
        if in_range and stepped:
            return []
        step = f", a multiple of {self.multiple}" if self.multiple > 1 else ""
        top = f"{self.maximum}s" if self.maximum is not None else "(no maximum)"
        return [f"{value!r} is not within {self.minimum}s..{top}{step}"]


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
