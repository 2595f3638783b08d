"""CloudFront in front of an internal load balancer: HTTPS from the first deploy, no public origin.

A CloudFront VPC origin reaches the load balancer inside the VPC, so the load balancer has no public
address and nothing on the internet can reach it except through CloudFront (and its WAF). Viewers get
HTTPS on CloudFront's own `*.cloudfront.net` name, or on `domain_name` with a certificate from us-east-1;
plain HTTP is refused (`https-only`), never redirected, so a client that sends a key over HTTP fails at
once instead of being taught to retry. Nothing is cached: every request is an API call.

With `origin_https` (the load balancer is in us-east-1 too, so the viewer certificate is valid there)
CloudFront also speaks TLS to the load balancer, for `domain_name`: an HTTPS listener with that
certificate, end to end. A response headers policy puts the app's security headers on every response,
the ones CloudFront makes itself included, and standard logs (v2) go to an encrypted log group.

The VPC origin is replaced, never updated: CloudFront refuses UpdateVpcOrigin while a distribution uses
it (409, aws-cdk#35765; terraform-provider-aws#40905). Its name carries a hash of its configuration, so
the new one is created, the distribution moved to it, then the old one deleted; its creation may take
longer than the provider's 15 minutes (internal/service/cloudfront/vpc_origin.go), so it gets 45.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from cloud_facts.aws.cloudfront import CLOUDFRONT_CERTIFICATE_REGION
from components.aws.certificate import alias_records, dns_validated_certificate
from components.aws.load_balancer import TLS_POLICY as ORIGIN_TLS_POLICY
from components.aws.security_headers import response_headers
from components.aws.vended_logs import VendedLogs, VendedLogsArgs
from components.naming import fitted_name, fitted_name_output

ORIGIN_ID = "load-balancer"
ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
# AWS-managed policies, looked up by name: no caching, and every viewer header, cookie and query string
# forwarded except Host (the load balancer's own name goes to the origin, which the app allows).
CACHE_POLICY = "Managed-CachingDisabled"
ORIGIN_REQUEST_POLICY = "Managed-AllViewerExceptHostHeader"
VPC_ORIGIN_NAME_MAX = 64
# CloudFront creates this group in the VPC with its first VPC origin and puts the origin's network
# interfaces in it: the load balancer admits exactly this group.
VPC_ORIGIN_SECURITY_GROUP = "CloudFront-VPCOrigins-Service-SG"
TLS_MINIMUM = "TLSv1.2_2021"  # with a certificate of our own; CloudFront's default name allows TLS 1.0+
VPC_ORIGIN_TIMEOUT = "45m"  # create, update and delete; the provider's default is 15m
HEADERS_POLICY_NAME_MAX = 128
LOG_TYPE = "ACCESS_LOGS"  # a distribution's only vended log type (PutDeliverySource)


@dataclass
class CdnAccessLogs:
    """Standard logging (v2) into a CloudWatch log group, which lives in us-east-1 with the distribution's
    delivery source."""

    log_group_name: str  # under /aws/vendedlogs/
    kms_key_arn: pulumi.Input[str]  # a us-east-1 key that CloudWatch Logs may use
    retention_days: int


@dataclass
class CdnArgs:
    load_balancer_arn: pulumi.Input[str]  # an internal ALB in private subnets
    load_balancer_dns_name: pulumi.Input[str]  # the internal ALB's name: the origin's domain
    load_balancer_security_group_id: pulumi.Input[str]  # admits the VPC origin once it exists
    target_group_arn: pulumi.Input[str]  # what the origin's HTTPS listener forwards to
    vpc_id: pulumi.Input[str]  # the VPC the origin reaches into; CloudFront makes its security group there
    # Name -> value of the headers every response carries (app.contract.SECURITY_HEADERS); HSTS required.
    security_headers: Mapping[str, str]
    domain_name: str = ""  # empty: serve on CloudFront's own name
    hosted_zone_id: str = ""  # issue a certificate in us-east-1 and alias domain_name here
    certificate_arn: str = ""  # or an existing us-east-1 certificate (DNS is then the owner's)
    # TLS to the load balancer for domain_name, with the viewer certificate: only when the load balancer is
    # in us-east-1 as well (an ACM certificate serves its own region only).
    origin_https: bool = False
    web_acl_arn: pulumi.Input[str] | None = None  # a CLOUDFRONT-scope WAF web ACL
    # standard logging (v2) of every request to CloudWatch Logs; None: none
    access_logs: CdnAccessLogs | None = None
    price_class: str = "PriceClass_100"  # North America and Europe edges: the cheapest class
    origin_read_timeout_seconds: int = 60  # how long CloudFront waits for the origin's answer (1-60 s)


class Cdn(pulumi.ComponentResource):
    url: pulumi.Output[str]
    domain_name: pulumi.Output[str]
    distribution_id: pulumi.Output[str]

    def __init__(self, name: str, args: CdnArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        _validate(args)
        super().__init__("launchpad:cdn:Cdn", name, None, opts)
        self._name = name
        certificate = self._certificate(args)
        origin = self._vpc_origin(args)
        ready: list[pulumi.Resource] = [self._admit_origin(args, origin)]
        if args.origin_https:
            assert certificate is not None  # checked in _validate
            ready.append(self._origin_listener(args, certificate))
        distribution = aws.cloudfront.Distribution(
            f"{name}-distribution",
            enabled=True,
            comment=f"{name}: the only public entry to the service"[:128],
            is_ipv6_enabled=True,
            http_version="http2and3",
            price_class=args.price_class,
            aliases=[args.domain_name] if args.domain_name else None,
            origins=[_origin(args, origin)],
            default_cache_behavior=self._behavior(args),
            restrictions=aws.cloudfront.DistributionRestrictionsArgs(
                geo_restriction=aws.cloudfront.DistributionRestrictionsGeoRestrictionArgs(
                    restriction_type="none"
                )
            ),
            viewer_certificate=_viewer_certificate(certificate),
            web_acl_id=args.web_acl_arn,
            # No viewer reaches the origin before the load balancer admits it (and listens for it).
            opts=pulumi.ResourceOptions(parent=self, depends_on=ready),
        )
        if args.domain_name and args.hosted_zone_id:
            alias_records(
                name,
                domain_name=args.domain_name,
                hosted_zone_id=args.hosted_zone_id,
                target_dns_name=distribution.domain_name,
                target_zone_id=distribution.hosted_zone_id,
                parent=self,
                record_types=("A", "AAAA"),
            )
        if args.access_logs is not None:
            VendedLogs(
                f"{name}-access",
                VendedLogsArgs(
                    resource_arn=distribution.arn,
                    log_type=LOG_TYPE,
                    log_group_name=args.access_logs.log_group_name,
                    kms_key_arn=args.access_logs.kms_key_arn,
                    retention_days=args.access_logs.retention_days,
                    region=CLOUDFRONT_CERTIFICATE_REGION,  # a distribution's delivery source lives there
                ),
                opts=pulumi.ResourceOptions(parent=self),
            )
        self.domain_name = distribution.domain_name
        self.distribution_id = distribution.id
        self.url = (
            pulumi.Output.from_input(f"https://{args.domain_name}")
            if args.domain_name
            else pulumi.Output.concat("https://", distribution.domain_name)
        )
        self.register_outputs({"url": self.url, "distribution_id": self.distribution_id})

    def _vpc_origin(self, args: CdnArgs) -> aws.cloudfront.VpcOrigin:
        protocol, port = ("https-only", 443) if args.origin_https else ("http-only", 80)
        return aws.cloudfront.VpcOrigin(
            f"{self._name}-origin",
            vpc_origin_endpoint_config=aws.cloudfront.VpcOriginVpcOriginEndpointConfigArgs(
                # A new configuration is a new origin under a new name (see the module's docstring).
                name=fitted_name_output(
                    self._name, "origin", VPC_ORIGIN_NAME_MAX, [args.load_balancer_arn, protocol, str(port)]
                ),
                arn=args.load_balancer_arn,
                http_port=80,
                https_port=443,
                origin_protocol_policy=protocol,
                origin_ssl_protocols=aws.cloudfront.VpcOriginVpcOriginEndpointConfigOriginSslProtocolsArgs(
                    items=["TLSv1.2"], quantity=1
                ),
            ),
            timeouts=aws.cloudfront.VpcOriginTimeoutsArgs(
                create=VPC_ORIGIN_TIMEOUT, update=VPC_ORIGIN_TIMEOUT, delete=VPC_ORIGIN_TIMEOUT
            ),
            opts=pulumi.ResourceOptions(parent=self, replace_on_changes=["vpcOriginEndpointConfig"]),
        )

    def _certificate(self, args: CdnArgs) -> pulumi.Input[str] | None:
        if not args.domain_name:
            return None
        return args.certificate_arn or dns_validated_certificate(
            self._name,
            domain_name=args.domain_name,
            hosted_zone_id=args.hosted_zone_id,
            parent=self,
            region=CLOUDFRONT_CERTIFICATE_REGION,
        )

    def _origin_listener(self, args: CdnArgs, certificate: pulumi.Input[str]) -> aws.lb.Listener:
        """The load balancer's HTTPS listener for the origin, with the viewer certificate; TLS 1.2+."""
        return aws.lb.Listener(
            f"{self._name}-origin-https",
            load_balancer_arn=args.load_balancer_arn,
            port=443,
            protocol="HTTPS",
            ssl_policy=ORIGIN_TLS_POLICY,
            certificate_arn=certificate,
            default_actions=[
                aws.lb.ListenerDefaultActionArgs(type="forward", target_group_arn=args.target_group_arn)
            ],
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _admit_origin(
        self, args: CdnArgs, origin: aws.cloudfront.VpcOrigin
    ) -> aws.vpc.SecurityGroupIngressRule:
        """The load balancer's one ingress rule: from the group CloudFront put the origin's interfaces in,
        looked up once the origin exists (CloudFront creates the group with it), on the origin's port."""
        group = aws.ec2.get_security_group_output(
            vpc_id=args.vpc_id,
            name=VPC_ORIGIN_SECURITY_GROUP,
            opts=pulumi.InvokeOutputOptions(parent=self, depends_on=[origin]),
        )
        port = 443 if args.origin_https else 80
        return aws.vpc.SecurityGroupIngressRule(
            f"{self._name}-origin-ingress",
            security_group_id=args.load_balancer_security_group_id,
            referenced_security_group_id=group.id,
            ip_protocol="tcp",
            from_port=port,
            to_port=port,
            description="CloudFront VPC origin",
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _behavior(self, args: CdnArgs) -> aws.cloudfront.DistributionDefaultCacheBehaviorArgs:
        invoke = pulumi.InvokeOutputOptions(parent=self)
        cache = aws.cloudfront.get_cache_policy_output(name=CACHE_POLICY, opts=invoke)
        forward = aws.cloudfront.get_origin_request_policy_output(name=ORIGIN_REQUEST_POLICY, opts=invoke)
        headers = aws.cloudfront.ResponseHeadersPolicy(
            f"{self._name}-headers",
            name=fitted_name(self._name, "security-headers", HEADERS_POLICY_NAME_MAX),
            comment="The app's security headers on every response, CloudFront's own included",
            opts=pulumi.ResourceOptions(parent=self),
            **response_headers(args.security_headers),
        )
        return aws.cloudfront.DistributionDefaultCacheBehaviorArgs(
            target_origin_id=ORIGIN_ID,
            viewer_protocol_policy="https-only",
            allowed_methods=ALL_METHODS,
            cached_methods=["GET", "HEAD"],
            cache_policy_id=cache.id.apply(lambda i: i or ""),
            origin_request_policy_id=forward.id.apply(lambda i: i or ""),
            response_headers_policy_id=headers.id,
            compress=False,
        )


def _viewer_certificate(
    certificate: pulumi.Input[str] | None,
) -> aws.cloudfront.DistributionViewerCertificateArgs:
    if certificate is None:
        return aws.cloudfront.DistributionViewerCertificateArgs(cloudfront_default_certificate=True)
    return aws.cloudfront.DistributionViewerCertificateArgs(
        acm_certificate_arn=certificate, ssl_support_method="sni-only", minimum_protocol_version=TLS_MINIMUM
    )


def _origin(args: CdnArgs, origin: aws.cloudfront.VpcOrigin) -> aws.cloudfront.DistributionOriginArgs:
    return aws.cloudfront.DistributionOriginArgs(
        origin_id=ORIGIN_ID,
        # Over HTTPS, CloudFront checks the load balancer's certificate against this name (and sends it as
        # SNI and Host); over HTTP inside the VPC it is the load balancer's own name.
        domain_name=args.domain_name if args.origin_https else args.load_balancer_dns_name,
        vpc_origin_config=aws.cloudfront.DistributionOriginVpcOriginConfigArgs(
            vpc_origin_id=origin.id,
            origin_read_timeout=args.origin_read_timeout_seconds,
            origin_keepalive_timeout=5,
        ),
    )


def _validate(args: CdnArgs) -> None:
    if args.domain_name and bool(args.hosted_zone_id) == bool(args.certificate_arn):
        raise ValueError("CdnArgs with domain_name needs exactly one of hosted_zone_id and certificate_arn")
    if args.certificate_arn and f":acm:{CLOUDFRONT_CERTIFICATE_REGION}:" not in args.certificate_arn:
        raise ValueError(f"CdnArgs.certificate_arn must be in {CLOUDFRONT_CERTIFICATE_REGION} for CloudFront")
    if args.origin_https and not args.domain_name:
        raise ValueError("CdnArgs.origin_https needs domain_name: the load balancer's certificate names it")
    if not 1 <= args.origin_read_timeout_seconds <= 60:
        raise ValueError("CdnArgs.origin_read_timeout_seconds must be 1-60 (CloudFront's default quota)")
    if args.price_class not in ("PriceClass_100", "PriceClass_200", "PriceClass_All"):
        raise ValueError("CdnArgs.price_class must be PriceClass_100, PriceClass_200 or PriceClass_All")
