"""CloudFront: where its certificates and log delivery sources live, and the response header values it
accepts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# CloudFront serves only ACM certificates from us-east-1
# (https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html).
CLOUDFRONT_CERTIFICATE_REGION = "us-east-1"
# botocore's cloudfront model (FrameOptionsList, ReferrerPolicyList); the security headers component
# checks the same lists before any resource exists.
FRAME_OPTIONS = ("DENY", "SAMEORIGIN")
REFERRER_POLICIES = (
    "no-referrer",
    "no-referrer-when-downgrade",
    "origin",
    "origin-when-cross-origin",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
    "unsafe-url",
)


@dataclass(frozen=True)
class DeliverySourceRegion:
    """A CloudFront distribution's delivery source is made in us-east-1, CloudFront's home region."""

    def problems(self, props: Mapping[str, Any]) -> list[str]:
        if ":cloudfront:" not in str(props.get("resourceArn") or ""):
            return []
        region = props.get("region")
        if region == CLOUDFRONT_CERTIFICATE_REGION:
            return []
        return [f"a CloudFront delivery source is in {region or 'the provider region'}, not us-east-1"]
