"""Load balancers, target groups and listeners: names, ports, health checks, TLS policies."""

from __future__ import annotations

from cloud_facts.checks import AllOf, Between, Forbidden, Length, OneOf, Pattern, Smaller
from policies.deploy.aws.common import ALNUM_HYPHEN, API, LB, TF, TG
from policies.deploy.limit import Limit

ELB_SSL_POLICIES = (
    "ELBSecurityPolicy-2016-08",
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-0-2021-06",
    "ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
)

_ELBV2 = TF + "elbv2/"
LOAD_BALANCER_LIMITS = (
    Limit("aws-lb-name", LB, "name", AllOf([Length(32), ALNUM_HYPHEN]), _ELBV2 + "validate.go (validName)"),
    Limit(
        "aws-lb-name-internal",
        LB,
        "name",
        Forbidden(r"^internal-", "must not begin with internal-"),
        _ELBV2 + "validate.go (validName)",
    ),
    Limit("aws-lb-name-prefix", LB, "namePrefix", Length(6), _ELBV2 + "validate.go (validNamePrefix)"),
    Limit("aws-tg-name", TG, "name", AllOf([Length(32), ALNUM_HYPHEN]), _ELBV2 + "target_group.go"),
    Limit("aws-tg-name-prefix", TG, "namePrefix", Length(6), _ELBV2 + "target_group.go"),
    Limit("aws-tg-port", TG, "port", Between(1, 65535), _ELBV2 + "target_group.go"),
    Limit("aws-tg-deregistration", TG, "deregistrationDelay", Between(0, 3600), _ELBV2 + "target_group.go"),
    Limit(
        "aws-tg-health-path",
        TG,
        "healthCheck.path",
        AllOf([Length(1024), Pattern(r"/.*", "an absolute path starting with /")]),
        _ELBV2 + "target_group.go",
    ),
    Limit("aws-tg-health-interval", TG, "healthCheck.interval", Between(5, 300), _ELBV2 + "target_group.go"),
    Limit("aws-tg-health-timeout", TG, "healthCheck.timeout", Between(2, 120), _ELBV2 + "target_group.go"),
    Limit(
        "aws-tg-health-thresholds",
        TG,
        "healthCheck.healthyThreshold",
        Between(2, 10),
        _ELBV2 + "target_group.go",
    ),
    Limit(
        "aws-tg-unhealthy-threshold",
        TG,
        "healthCheck.unhealthyThreshold",
        Between(2, 10),
        _ELBV2 + "target_group.go",
    ),
    Limit(
        "aws-tg-health-timeout-under-interval",
        TG,
        "",
        Smaller("timeout", "interval", path="healthCheck"),
        API + "elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
        at="up",
    ),
    Limit(
        "aws-tg-health-matcher",
        TG,
        "healthCheck.matcher",
        Pattern(r"[2-4][0-9]{2}(-[2-4][0-9]{2})?(,[2-4][0-9]{2}(-[2-4][0-9]{2})?)*", "HTTP codes 200-499"),
        API + "elasticloadbalancing/latest/APIReference/API_Matcher.html",
        at="up",
    ),
    Limit(
        "aws-listener-ssl-policy",
        "aws:lb/listener:Listener",
        "sslPolicy",
        OneOf(ELB_SSL_POLICIES),
        API + "elasticloadbalancing/latest/application/describe-ssl-policies.html",
        at="up",
    ),
)
