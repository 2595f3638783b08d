"""HTTP security headers, written once as name -> value (app.contract.SECURITY_HEADERS), as the typed
arguments of a CloudFront response headers policy.

CloudFront has a typed field for each well-known security header (CreateResponseHeadersPolicy,
ResponseHeadersPolicySecurityHeadersConfig) and refuses those as custom headers; any other header goes in
the custom headers. Every header overrides what the origin sent: the values are the app's own, and
responses CloudFront makes itself (an error, a WAF block) carry them too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pulumi_aws as aws

from cloud_facts.aws.cloudfront import FRAME_OPTIONS, REFERRER_POLICIES

TYPED = (
    "strict-transport-security",
    "x-content-type-options",
    "x-frame-options",
    "referrer-policy",
    "content-security-policy",
    "x-xss-protection",
)
_HSTS = re.compile(r"max-age=(\d+)((?:\s*;\s*(?:includeSubDomains|preload))*)\s*;?", re.IGNORECASE)


def _hsts(value: str) -> aws.cloudfront.ResponseHeadersPolicySecurityHeadersConfigStrictTransportSecurityArgs:
    match = _HSTS.fullmatch(value.strip())
    if match is None:
        raise ValueError(
            f"Strict-Transport-Security {value!r}: expected max-age=N[; includeSubDomains][; preload]"
        )
    directives = {d.strip().lower() for d in match.group(2).split(";") if d.strip()}
    return aws.cloudfront.ResponseHeadersPolicySecurityHeadersConfigStrictTransportSecurityArgs(
        access_control_max_age_sec=int(match.group(1)),
        include_subdomains="includesubdomains" in directives,
        preload="preload" in directives,
        override=True,
    )


def _one_of(header: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError(f"{header} {value!r}: CloudFront takes one of {', '.join(allowed)}")
    return value


def response_headers(headers: Mapping[str, str]) -> dict[str, Any]:
    """The security and custom header arguments of a ResponseHeadersPolicy setting exactly `headers`."""
    by_name = {name.lower(): (name, value) for name, value in headers.items()}
    if "strict-transport-security" not in by_name:
        raise ValueError("security headers must include Strict-Transport-Security")
    if "x-xss-protection" in by_name:
        raise ValueError("X-XSS-Protection is obsolete (browsers ignore it); leave it out")
    cf = aws.cloudfront
    value = {key: v for key, (_, v) in by_name.items()}
    config = cf.ResponseHeadersPolicySecurityHeadersConfigArgs(
        strict_transport_security=_hsts(value["strict-transport-security"]),
        content_type_options=cf.ResponseHeadersPolicySecurityHeadersConfigContentTypeOptionsArgs(
            override=True
        )
        if _nosniff(value)
        else None,
        frame_options=cf.ResponseHeadersPolicySecurityHeadersConfigFrameOptionsArgs(
            frame_option=_one_of("X-Frame-Options", value["x-frame-options"], FRAME_OPTIONS), override=True
        )
        if "x-frame-options" in value
        else None,
        referrer_policy=cf.ResponseHeadersPolicySecurityHeadersConfigReferrerPolicyArgs(
            referrer_policy=_one_of("Referrer-Policy", value["referrer-policy"], REFERRER_POLICIES),
            override=True,
        )
        if "referrer-policy" in value
        else None,
        content_security_policy=cf.ResponseHeadersPolicySecurityHeadersConfigContentSecurityPolicyArgs(
            content_security_policy=value["content-security-policy"], override=True
        )
        if "content-security-policy" in value
        else None,
    )
    custom = [
        cf.ResponseHeadersPolicyCustomHeadersConfigItemArgs(header=name, value=v, override=True)
        for key, (name, v) in sorted(by_name.items())
        if key not in TYPED
    ]
    return {
        "security_headers_config": config,
        "custom_headers_config": cf.ResponseHeadersPolicyCustomHeadersConfigArgs(items=custom)
        if custom
        else None,
    }


def _nosniff(value: Mapping[str, str]) -> bool:
    if "x-content-type-options" not in value:
        return False
    if value["x-content-type-options"].lower() != "nosniff":
        raise ValueError("X-Content-Type-Options: CloudFront can only send nosniff")
    return True
