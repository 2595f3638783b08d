"""The load balancer and what guards the public entry: HTTPS, TLS 1.2+, strict parsing, logs, WAF, and
CloudFront's security headers and standard logs."""

from __future__ import annotations

from typing import Any

from pulumi_policy import ReportViolation, Severity, StackValidationArgs

from policies.base import ADVISORY, Props, depends_on, of_type, require, resource_rule, stack_rule
from policies.meta import RuleMeta

LOAD_BALANCER = "aws:lb/loadBalancer:LoadBalancer"
LISTENER = "aws:lb/listener:Listener"
WEB_ACL_ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation"
DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
DELIVERY_SOURCE = "aws:cloudwatch/logDeliverySource:LogDeliverySource"
# ELBSecurityPolicy names that allow nothing older than TLS 1.2.
TLS12_POLICIES = (
    "ELBSecurityPolicy-TLS13-1-2",
    "ELBSecurityPolicy-TLS13-1-3",
    "ELBSecurityPolicy-TLS-1-2",
    "ELBSecurityPolicy-FS-1-2",
)


def _redirects_to_https(listener: Any) -> bool:
    actions = listener.props.get("defaultActions") or []
    return bool(actions) and all(
        a.get("type") == "redirect" and (a.get("redirect") or {}).get("protocol") == "HTTPS" for a in actions
    )


def https_listeners(args: StackValidationArgs, report: ReportViolation) -> None:
    """Internet-facing listeners serve HTTPS or only redirect to it. An internal load balancer behind a
    CloudFront VPC origin is exempt: viewers get TLS at CloudFront, and the hop stays inside the VPC."""
    for balancer in of_type(args.resources, LOAD_BALANCER):
        if balancer.props.get("internal") is True:
            continue
        for listener in of_type(args.resources, LISTENER):
            if not depends_on(listener, "loadBalancerArn", balancer):
                continue
            if listener.props.get("protocol") != "HTTPS" and not _redirects_to_https(listener):
                report(f"listener {listener.name} on a public load balancer serves plain HTTP", listener.urn)


def _tls_policy(props: Props) -> list[str]:
    if props.get("protocol") != "HTTPS":
        return []
    policy = str(props.get("sslPolicy") or "ELBSecurityPolicy-2016-08")  # the provider's default
    return [] if policy.startswith(TLS12_POLICIES) else [f"{policy} admits TLS older than 1.2"]


def _desync(props: Props) -> list[str]:
    mode = props.get("desyncMitigationMode") or "defensive"  # AWS's default
    return [] if mode in ("defensive", "strictest") else [f"desync mitigation mode is {mode}"]


def _access_logs(props: Props) -> list[str]:
    logs = props.get("accessLogs") or {}
    return [] if logs.get("enabled") and logs.get("bucket") else ["access logs are off"]


def public_entry_has_waf(args: StackValidationArgs, report: ReportViolation) -> None:
    """Whatever faces the internet has a web ACL: the CloudFront distribution, or a public ALB."""
    for distribution in of_type(args.resources, DISTRIBUTION):
        if not distribution.props.get("webAclId") and not distribution.property_dependencies.get("webAclId"):
            report(f"distribution {distribution.name} has no WAF web ACL", distribution.urn)
    associations = of_type(args.resources, WEB_ACL_ASSOCIATION)
    for balancer in of_type(args.resources, LOAD_BALANCER):
        if balancer.props.get("internal") is True:
            continue
        if not any(depends_on(a, "resourceArn", balancer) for a in associations):
            report(f"public load balancer {balancer.name} has no WAF web ACL", balancer.urn)


def _security_headers(props: Props) -> list[str]:
    behaviors = [("default", props.get("defaultCacheBehavior") or {})] + [
        (str(b.get("pathPattern")), b) for b in props.get("orderedCacheBehaviors") or []
    ]
    return [
        f"the {name} cache behavior sends no response headers policy (HSTS, nosniff, frame options)"
        for name, behavior in behaviors
        if not behavior.get("responseHeadersPolicyId")
    ]


def cloudfront_logged(args: StackValidationArgs, report: ReportViolation) -> None:
    """Each distribution writes standard logs: a v2 delivery source of its access logs, or the legacy
    logging to a bucket."""
    sources = [s for s in of_type(args.resources, DELIVERY_SOURCE) if s.props.get("logType") == "ACCESS_LOGS"]
    for distribution in of_type(args.resources, DISTRIBUTION):
        legacy = (distribution.props.get("loggingConfig") or {}).get("bucket")
        if not legacy and not any(depends_on(s, "resourceArn", distribution) for s in sources):
            report(f"distribution {distribution.name} writes no access logs", distribution.urn)


ELB_POLICIES = [
    stack_rule(
        RuleMeta(
            "alb-https-listeners",
            "Public listeners serve HTTPS or only redirect to it.",
            Severity.HIGH,
            "Use edge cloudfront (the default), or set domainName with hostedZoneId/certificateArn.",
            checkov=("CKV_AWS_2", "CKV2_AWS_20"),
            trivy=("AWS-0054",),
            fsbp=("ELB.1",),
        ),
        https_listeners,
    ),
    resource_rule(
        RuleMeta(
            "alb-tls-policy",
            "HTTPS listeners allow TLS 1.2 and newer only.",
            Severity.HIGH,
            "Set sslPolicy ELBSecurityPolicy-TLS13-1-2-2021-06 (or a stricter one).",
            checkov=("CKV_AWS_103",),
            trivy=("AWS-0047",),
            fsbp=("ELB.17",),
        ),
        LISTENER,
        _tls_policy,
    ),
    resource_rule(
        RuleMeta(
            "alb-drop-invalid-headers",
            "Load balancers drop invalid header fields.",
            Severity.MEDIUM,
            "Set dropInvalidHeaderFields true.",
            checkov=("CKV_AWS_131",),
            trivy=("AWS-0052",),
            fsbp=("ELB.4",),
        ),
        LOAD_BALANCER,
        lambda p: require(p, "dropInvalidHeaderFields", True, "invalid header fields reach the targets"),
    ),
    resource_rule(
        RuleMeta(
            "alb-desync-mitigation",
            "Load balancers mitigate HTTP desync.",
            Severity.MEDIUM,
            "Set desyncMitigationMode defensive or strictest.",
            checkov=("CKV_AWS_328",),
            fsbp=("ELB.12",),
        ),
        LOAD_BALANCER,
        _desync,
    ),
    resource_rule(
        RuleMeta(
            "alb-access-logs",
            "Load balancers write access logs.",
            Severity.LOW,
            "Set accessLogs true.",
            category="operations",
            checkov=("CKV_AWS_91",),
            fsbp=("ELB.5",),
        ),
        LOAD_BALANCER,
        _access_logs,
        ADVISORY,
    ),
    resource_rule(
        RuleMeta(
            "alb-deletion-protection",
            "Load balancers refuse deletion.",
            Severity.LOW,
            "Set albDeletionProtection true.",
            category="availability",
            checkov=("CKV_AWS_150",),
            fsbp=("ELB.6",),
        ),
        LOAD_BALANCER,
        lambda p: require(p, "enableDeletionProtection", True, "deletion protection is off"),
        ADVISORY,
    ),
    resource_rule(
        RuleMeta(
            "cloudfront-security-headers",
            "CloudFront adds HSTS and the other security headers to every response.",
            Severity.MEDIUM,
            "Attach a response headers policy to every cache behavior (components/aws/cdn.py does).",
            checkov=("CKV2_AWS_32",),
        ),
        DISTRIBUTION,
        _security_headers,
    ),
    stack_rule(
        RuleMeta(
            "cloudfront-access-logs",
            "CloudFront distributions write standard (access) logs.",
            Severity.LOW,
            "Set accessLogs true (standard logging v2 into a CloudWatch log group).",
            category="operations",
            checkov=("CKV_AWS_86",),
            fsbp=("CloudFront.5",),
        ),
        cloudfront_logged,
        ADVISORY,
    ),
    stack_rule(
        RuleMeta(
            "waf-on-public-entry",
            "The public entry (CloudFront or a public ALB) has a WAF web ACL.",
            Severity.MEDIUM,
            "Set wafEnabled true.",
            checkov=("CKV2_AWS_28",),
        ),
        public_entry_has_waf,
        ADVISORY,
    ),
]
