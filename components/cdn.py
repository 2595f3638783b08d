"""CloudFront in front of an internal load balancer: HTTPS from the first deploy, no public origin.

A CloudFront VPC origin reaches the load balancer inside the VPC, so the load balancer has no public
address and nothing on the internet can reach it except through CloudFront (and its WAF). Viewers get
HTTPS on CloudFront's own `*.cloudfront.net` name, or on `domain_name` with a certificate from us-east-1;
plain HTTP is refused (`https-only`), never redirected, so a client that sends a key over HTTP fails at
once instead of being taught to retry. Nothing is cached: every request is an API call.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.certificate import alias_records, dns_validated_certificate
from components.naming import fitted_name
from policies.deploy.facts import CLOUDFRONT_CERTIFICATE_REGION

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


@dataclass
class CdnArgs:
    load_balancer_arn: pulumi.Input[str]  # an internal ALB in private subnets
    load_balancer_dns_name: pulumi.Input[str]
    load_balancer_security_group_id: pulumi.Input[str]  # admits the VPC origin once it exists
    vpc_id: pulumi.Input[str]
    domain_name: str = ""  # empty: serve on CloudFront's own name
    hosted_zone_id: str = ""  # issue a certificate in us-east-1 and alias domain_name here
    certificate_arn: str = ""  # or an existing us-east-1 certificate (DNS is then the owner's)
    web_acl_arn: pulumi.Input[str] | None = None  # a CLOUDFRONT-scope WAF web ACL
    price_class: str = "PriceClass_100"  # North America and Europe edges: the cheapest class
    origin_read_timeout_seconds: int = 60


class Cdn(pulumi.ComponentResource):
    url: pulumi.Output[str]
    domain_name: pulumi.Output[str]
    distribution_id: pulumi.Output[str]

    def __init__(self, name: str, args: CdnArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        _validate(args)
        super().__init__("launchpad:cdn:Cdn", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        origin = aws.cloudfront.VpcOrigin(
            f"{name}-origin",
            vpc_origin_endpoint_config=aws.cloudfront.VpcOriginVpcOriginEndpointConfigArgs(
                name=fitted_name(name, "origin", VPC_ORIGIN_NAME_MAX),
                arn=args.load_balancer_arn,
                http_port=80,
                https_port=443,
                # Inside the VPC, on AWS's network; the load balancer has no certificate for its own name.
                origin_protocol_policy="http-only",
                origin_ssl_protocols=aws.cloudfront.VpcOriginVpcOriginEndpointConfigOriginSslProtocolsArgs(
                    items=["TLSv1.2"], quantity=1
                ),
            ),
            opts=child,
        )
        admitted = self._admit_origin(name, args, origin)
        distribution = aws.cloudfront.Distribution(
            f"{name}-distribution",
            enabled=True,
            comment=f"{name}: the only public entry to the service"[:128],
            is_ipv6_enabled=True,
            http_version="http2and3",
            price_class=args.price_class,
            aliases=[args.domain_name] if args.domain_name else None,
            origins=[_origin(args, origin)],
            default_cache_behavior=self._behavior(),
            restrictions=aws.cloudfront.DistributionRestrictionsArgs(
                geo_restriction=aws.cloudfront.DistributionRestrictionsGeoRestrictionArgs(
                    restriction_type="none"
                )
            ),
            viewer_certificate=self._viewer_certificate(name, args),
            web_acl_id=args.web_acl_arn,
            # No viewer reaches the origin before the load balancer admits it.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[admitted]),
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
        self.domain_name = distribution.domain_name
        self.distribution_id = distribution.id
        self.url = (
            pulumi.Output.from_input(f"https://{args.domain_name}")
            if args.domain_name
            else pulumi.Output.concat("https://", distribution.domain_name)
        )
        self.register_outputs({"url": self.url, "distribution_id": self.distribution_id})

    def _admit_origin(
        self, name: str, args: CdnArgs, origin: aws.cloudfront.VpcOrigin
    ) -> aws.vpc.SecurityGroupIngressRule:
        """The load balancer's one ingress rule: from the group CloudFront put the origin's interfaces in,
        looked up once the origin exists (CloudFront creates the group with it)."""
        group = aws.ec2.get_security_group_output(
            vpc_id=args.vpc_id,
            name=VPC_ORIGIN_SECURITY_GROUP,
            opts=pulumi.InvokeOutputOptions(parent=self, depends_on=[origin]),
        )
        return aws.vpc.SecurityGroupIngressRule(
            f"{name}-origin-ingress",
            security_group_id=args.load_balancer_security_group_id,
            referenced_security_group_id=group.id,
            ip_protocol="tcp",
            from_port=80,
            to_port=80,
            description="CloudFront VPC origin",
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _behavior(self) -> aws.cloudfront.DistributionDefaultCacheBehaviorArgs:
        invoke = pulumi.InvokeOutputOptions(parent=self)
        cache = aws.cloudfront.get_cache_policy_output(name=CACHE_POLICY, opts=invoke)
        forward = aws.cloudfront.get_origin_request_policy_output(name=ORIGIN_REQUEST_POLICY, opts=invoke)
        return aws.cloudfront.DistributionDefaultCacheBehaviorArgs(
            target_origin_id=ORIGIN_ID,
            viewer_protocol_policy="https-only",
            allowed_methods=ALL_METHODS,
            cached_methods=["GET", "HEAD"],
            cache_policy_id=cache.id.apply(lambda i: i or ""),
            origin_request_policy_id=forward.id.apply(lambda i: i or ""),
            compress=False,
        )

    def _viewer_certificate(
        self, name: str, args: CdnArgs
    ) -> aws.cloudfront.DistributionViewerCertificateArgs:
        if not args.domain_name:
            return aws.cloudfront.DistributionViewerCertificateArgs(cloudfront_default_certificate=True)
        certificate = args.certificate_arn or dns_validated_certificate(
            name,
            domain_name=args.domain_name,
            hosted_zone_id=args.hosted_zone_id,
            parent=self,
            region=CLOUDFRONT_CERTIFICATE_REGION,
        )
        return aws.cloudfront.DistributionViewerCertificateArgs(
            acm_certificate_arn=certificate,
            ssl_support_method="sni-only",
            minimum_protocol_version=TLS_MINIMUM,
        )


def _origin(args: CdnArgs, origin: aws.cloudfront.VpcOrigin) -> aws.cloudfront.DistributionOriginArgs:
    return aws.cloudfront.DistributionOriginArgs(
        origin_id=ORIGIN_ID,
        domain_name=args.load_balancer_dns_name,
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
    if not 1 <= args.origin_read_timeout_seconds <= 60:
        raise ValueError("CdnArgs.origin_read_timeout_seconds must be 1-60 (CloudFront's default quota)")
    if args.price_class not in ("PriceClass_100", "PriceClass_200", "PriceClass_All"):
        raise ValueError("CdnArgs.price_class must be PriceClass_100, PriceClass_200 or PriceClass_All")
