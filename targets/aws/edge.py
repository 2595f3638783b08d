"""What faces the internet on AWS, chosen by `edge`.

`cloudfront` (default): CloudFront with a VPC origin in front of an internal load balancer in the private
subnets. HTTPS from the first deploy on CloudFront's own name (or `domainName`), no public origin, WAF at
the edge where it sees the viewer's address. `alb`: an internet-facing load balancer, HTTPS when a
domain is configured (stack_config refuses production without one), WAF on the load balancer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pulumi

from app import contract
from cloud_facts.aws.cloudfront import CLOUDFRONT_CERTIFICATE_REGION
from components.aws.cdn import Cdn, CdnAccessLogs, CdnArgs
from components.aws.encryption import Encryption, EncryptionArgs
from components.aws.load_balancer import HttpsArgs, LoadBalancer, LoadBalancerArgs
from components.aws.vended_logs import VENDED_LOG_GROUP_PREFIX
from components.aws.waf import CLOUDFRONT_REGION, LOG_GROUP_PREFIX, Waf, WafArgs, WafLogging
from stack_config import StackConfig
from targets.aws.foundation import ALB_LOG_PREFIX, Foundation

# The app drains in-flight requests for SHUTDOWN_GRACE_SECONDS after SIGTERM; the ALB's draining
# (deregistration delay) must end within the same budget so no admitted request outlives the task.
DEREGISTRATION_DELAY = contract.SHUTDOWN_GRACE_SECONDS + 2
# Headers that carry credentials: the app's API key and any bearer token. WAF logs them as REDACTED.
REDACTED_HEADERS = ("authorization", contract.API_KEY_HEADER.lower())


@dataclass
class Edge:
    load_balancer: LoadBalancer
    url: pulumi.Output[str]
    https_enabled: bool
    # Proxies that append to X-Forwarded-For before the app: the client is that many entries from the end.
    proxy_hops: int
    outputs: dict[str, Any]
    waf: Waf | None = None
    distribution_id: pulumi.Output[str] | None = None
    notes: list[str] = field(default_factory=list)  # for the stack's `warnings` output


def deploy_edge(config: StackConfig, foundation: Foundation) -> Edge:
    s, base = config.settings, config.base_name
    if s.edge == "alb":
        lb = _load_balancer(config, foundation, internet_facing=True)
        waf = (
            Waf(
                f"{base}-waf",
                WafArgs(
                    requests_per_minute=s.waf_requests_per_minute,
                    resource_arn=lb.arn,
                    logging=_waf_logging(config, foundation.encryption.key_arn),
                ),
                opts=foundation.opts,
            )
            if s.waf_enabled
            else None
        )
        outputs = {"alb_dns_name": lb.dns_name, "target_group_arn": lb.target_group_arn}
        return Edge(lb, lb.url, lb.https_enabled, proxy_hops=1, outputs=outputs, waf=waf)
    return _cloudfront(config, foundation)


def _cloudfront(config: StackConfig, foundation: Foundation) -> Edge:
    s, base = config.settings, config.base_name
    lb = _load_balancer(config, foundation, internet_facing=False)
    # WAF's logs and CloudFront's standard logs live in us-east-1, whatever the stack's region.
    key_arn = _key_in(CLOUDFRONT_REGION, config, foundation) if s.waf_enabled or s.access_logs else None
    waf = (
        Waf(
            f"{base}-waf",
            WafArgs(
                requests_per_minute=s.waf_requests_per_minute,
                scope="CLOUDFRONT",
                logging=_waf_logging(config, key_arn),
            ),
            opts=foundation.opts,
        )
        if s.waf_enabled and key_arn is not None
        else None
    )
    # The viewer certificate is in us-east-1; the load balancer can present it only from there.
    origin_https = bool(s.domain_name) and config.aws_region == CLOUDFRONT_CERTIFICATE_REGION
    cdn = Cdn(
        f"{base}-cdn",
        CdnArgs(
            load_balancer_arn=lb.arn,
            load_balancer_dns_name=lb.dns_name,
            load_balancer_security_group_id=lb.security_group_id,
            target_group_arn=lb.target_group_arn,
            vpc_id=foundation.network.vpc_id,
            security_headers=contract.SECURITY_HEADERS,
            domain_name=s.domain_name,
            hosted_zone_id=s.hosted_zone_id,
            certificate_arn=s.certificate_arn,
            origin_https=origin_https,
            web_acl_arn=waf.web_acl_arn if waf else None,
            access_logs=CdnAccessLogs(
                f"{VENDED_LOG_GROUP_PREFIX}cloudfront/{base}", key_arn, s.log_retention_days
            )
            if s.access_logs and key_arn is not None
            else None,
        ),
        opts=foundation.opts,
    )
    outputs = {
        "cloudfront_domain_name": cdn.domain_name,
        "cloudfront_distribution_id": cdn.distribution_id,
        "target_group_arn": lb.target_group_arn,  # `launchpad verify` reads the targets' health
    }
    return Edge(
        lb,
        cdn.url,
        https_enabled=True,
        proxy_hops=2,
        outputs=outputs,
        waf=waf,
        distribution_id=cdn.distribution_id,
        notes=_origin_notes(config, origin_https),
    )


def _origin_notes(config: StackConfig, origin_https: bool) -> list[str]:
    domain = config.settings.domain_name
    if not domain or origin_https:
        return []
    return [
        f"ORIGIN HTTP: CloudFront reaches the load balancer over HTTP inside the VPC, because the stack runs "
        f"in {config.aws_region} and the certificate for {domain} is in {CLOUDFRONT_CERTIFICATE_REGION} (ACM "
        f"certificates serve their own region). Deploy the stack in {CLOUDFRONT_CERTIFICATE_REGION} for TLS "
        "to the origin as well."
    ]


def _key_in(region: str, config: StackConfig, foundation: Foundation) -> pulumi.Output[str]:
    """A key of `region` that CloudWatch Logs may use: the stack's when the stack is there, else a key of its
    own (CloudFront's web ACL and delivery sources are always in us-east-1)."""
    if region == config.aws_region:
        return foundation.encryption.key_arn
    edge_key = Encryption(
        f"{config.base_name}-edge",
        EncryptionArgs(alias=f"{config.base_name}-edge", region=region, topic_publishers=[]),
        opts=foundation.opts,
    )
    return edge_key.key_arn


def _waf_logging(config: StackConfig, key_arn: pulumi.Input[str]) -> WafLogging:
    """WAF logs to a group in the web ACL's region, encrypted with a key of that region."""
    return WafLogging(
        kms_key_arn=key_arn,
        retention_days=config.settings.log_retention_days,
        log_group_name=f"{LOG_GROUP_PREFIX}{config.base_name}",
        redacted_headers=list(REDACTED_HEADERS),
    )


def _load_balancer(config: StackConfig, foundation: Foundation, *, internet_facing: bool) -> LoadBalancer:
    s, network = config.settings, foundation.network
    log_bucket = foundation.log_bucket
    https = (
        HttpsArgs(s.domain_name, hosted_zone_id=s.hosted_zone_id, certificate_arn=s.certificate_arn)
        if s.domain_name and internet_facing
        else None
    )
    return LoadBalancer(
        f"{config.base_name}-lb",
        LoadBalancerArgs(
            vpc_id=network.vpc_id,
            subnet_ids=network.public_subnet_ids if internet_facing else network.private_subnet_ids,
            container_port=contract.CONTAINER_PORT,
            # Liveness, not the deep HEALTH_PATH: decisions are served with the database or Redis down,
            # and a deep check would make the ALB fail every task and ECS replace them all in an outage.
            health_check_path=contract.LIVE_PATH,
            deregistration_delay_seconds=DEREGISTRATION_DELAY,
            deletion_protection=s.alb_deletion_protection,
            https=https,
            internet_facing=internet_facing,
            access_log_bucket=log_bucket.bucket_name if log_bucket else None,
            access_log_prefix=ALB_LOG_PREFIX,
            depends_on=[log_bucket] if log_bucket else [],
        ),
        opts=foundation.opts,
    )


def edge_warnings(edge: Edge) -> list[str]:
    if edge.https_enabled:
        return list(edge.notes)
    return [
        "HTTP ONLY: no domainName is configured, so the public load balancer serves plain HTTP and API keys "
        "cross the internet unencrypted. Set domainName with hostedZoneId or certificateArn, or edge "
        "cloudfront (HTTPS on CloudFront's name)."
    ]
