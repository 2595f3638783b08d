"""The edge hardened: TLS to the origin with the stack's own certificate, security headers on every
response, CloudFront's standard logs, and a VPC origin that is replaced rather than updated."""

from __future__ import annotations

import pytest

from app import contract
from components.aws.cdn import VPC_ORIGIN_TIMEOUT
from components.aws.load_balancer import TLS_POLICY
from components.aws.security_headers import response_headers
from components.aws.vended_logs import VENDED_LOG_GROUP_PREFIX
from stack_config import parse_settings
from tests.infra.conftest import HTTPS_OVERRIDES, plan_with, raw_config
from tests.infra.plan_query import Plan

DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
VPC_ORIGIN = "aws:cloudfront/vpcOrigin:VpcOrigin"
LISTENER = "aws:lb/listener:Listener"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
HEADERS = "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy"
SOURCE = "aws:cloudwatch/logDeliverySource:LogDeliverySource"
DESTINATION = "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination"
DELIVERY = "aws:cloudwatch/logDelivery:LogDelivery"


def _origin_port(plan: Plan) -> tuple[str, int]:
    endpoint = plan.one(VPC_ORIGIN).inputs["vpcOriginEndpointConfig"]
    ingress = plan.one(INGRESS, "-origin-ingress").inputs
    assert ingress["fromPort"] == ingress["toPort"]
    return endpoint["originProtocolPolicy"], int(ingress["fromPort"])


def test_with_its_own_certificate_cloudfront_speaks_tls_to_the_load_balancer(prod_https: Plan) -> None:
    assert _origin_port(prod_https) == ("https-only", 443)
    viewer = prod_https.one(DISTRIBUTION).inputs["viewerCertificate"]["acmCertificateArn"]
    [https] = [r for r in prod_https.of_type(LISTENER) if r.inputs["port"] == 443]
    assert https.inputs["protocol"] == "HTTPS" and https.inputs["sslPolicy"] == TLS_POLICY
    assert https.inputs["certificateArn"] == viewer  # one certificate: the load balancer is in us-east-1 too
    assert (
        https.inputs["loadBalancerArn"] == prod_https.one("aws:lb/loadBalancer:LoadBalancer").outputs["arn"]
    )
    [forward] = https.inputs["defaultActions"]
    assert forward["targetGroupArn"] == prod_https.one("aws:lb/targetGroup:TargetGroup").outputs["arn"]
    # CloudFront checks the load balancer's certificate against the origin's domain name.
    [origin] = prod_https.one(DISTRIBUTION).inputs["origins"]
    assert origin["domainName"] == HTTPS_OVERRIDES["domainName"]
    assert https.urn in prod_https.one(DISTRIBUTION).dependencies  # no viewer before the listener
    assert not any("ORIGIN HTTP" in w for w in prod_https.outputs["warnings"])


def test_without_a_certificate_of_its_own_the_origin_stays_http_inside_the_vpc(prod: Plan) -> None:
    assert _origin_port(prod) == ("http-only", 80)
    [origin] = prod.one(DISTRIBUTION).inputs["origins"]
    assert origin["domainName"] == prod.one("aws:lb/loadBalancer:LoadBalancer").outputs["dnsName"]
    assert {r.inputs["port"] for r in prod.of_type(LISTENER)} == {80}


def test_outside_us_east_1_a_domain_keeps_the_origin_on_http_and_says_why() -> None:
    plan = plan_with("prod", {**HTTPS_OVERRIDES, "aws:region": "eu-west-1"})
    assert _origin_port(plan) == ("http-only", 80)
    assert any(w.startswith("ORIGIN HTTP") and "eu-west-1" in w for w in plan.outputs["warnings"])
    # WAF's and CloudFront's logs stay in us-east-1, under a key of that region.
    edge_key = plan.one("aws:kms/key:Key", "-edge-key")
    assert edge_key.inputs["region"] == "us-east-1"
    for group in (plan.one("aws:cloudwatch/logGroup:LogGroup", n) for n in ("-waf-logs", "-cdn-access-logs")):
        assert (group.inputs["region"], group.inputs["kmsKeyId"]) == ("us-east-1", edge_key.outputs["arn"])


def test_the_vpc_origin_is_replaced_under_a_new_name_never_updated(prod: Plan, prod_https: Plan) -> None:
    # CloudFront refuses UpdateVpcOrigin while a distribution uses the origin (409): any change of its
    # configuration replaces it, and the new one has a new name, so it exists before the old one goes.
    http, https = prod.one(VPC_ORIGIN), prod_https.one(VPC_ORIGIN)
    for origin in (http, https):
        assert origin.replace_on_changes == ["vpcOriginEndpointConfig"]
        assert not origin.delete_before_replace
        timeouts = origin.inputs["timeouts"]
        assert timeouts == {
            "create": VPC_ORIGIN_TIMEOUT,
            "update": VPC_ORIGIN_TIMEOUT,
            "delete": VPC_ORIGIN_TIMEOUT,
        }
    assert int(VPC_ORIGIN_TIMEOUT.removesuffix("m")) > 15  # the provider's default (vpc_origin.go)
    names = [o.inputs["vpcOriginEndpointConfig"]["name"] for o in (http, https)]
    assert names[0] != names[1] and all(len(n) <= 64 for n in names)


def test_every_response_carries_the_apps_security_headers(stack_plan: Plan) -> None:
    policy = stack_plan.one(HEADERS)
    behavior = stack_plan.one(DISTRIBUTION).inputs["defaultCacheBehavior"]
    assert behavior["responseHeadersPolicyId"] == policy.id
    security = policy.inputs["securityHeadersConfig"]
    sent = {
        "Strict-Transport-Security": "max-age={:.0f}; includeSubDomains".format(
            security["strictTransportSecurity"]["accessControlMaxAgeSec"]
        ),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": security["frameOptions"]["frameOption"],
        "Referrer-Policy": security["referrerPolicy"]["referrerPolicy"],
    }
    sent |= {item["header"]: item["value"] for item in policy.inputs["customHeadersConfig"]["items"]}
    assert sent == contract.SECURITY_HEADERS
    assert security["strictTransportSecurity"]["includeSubdomains"] is True
    overrides = [v["override"] for v in security.values()] + [
        i["override"] for i in policy.inputs["customHeadersConfig"]["items"]
    ]
    assert all(overrides)  # CloudFront's own answers (a WAF block, a 502) carry them too


@pytest.mark.parametrize(
    ("headers", "problem"),
    [
        ({"X-Frame-Options": "DENY"}, "Strict-Transport-Security"),
        ({"Strict-Transport-Security": "max-age=forever"}, "max-age=N"),
        ({"Strict-Transport-Security": "max-age=1", "X-Frame-Options": "ALLOW-FROM x"}, "DENY, SAMEORIGIN"),
        ({"Strict-Transport-Security": "max-age=1", "Referrer-Policy": "never"}, "no-referrer"),
        ({"Strict-Transport-Security": "max-age=1", "X-Content-Type-Options": "sniff"}, "nosniff"),
        ({"Strict-Transport-Security": "max-age=1", "X-XSS-Protection": "1"}, "obsolete"),
    ],
)
def test_headers_cloudfront_would_refuse_are_refused_before_any_resource(headers: dict, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        response_headers(headers)


def test_prod_sends_cloudfronts_standard_logs_to_an_encrypted_group_for_a_year(prod: Plan, dev: Plan) -> None:
    distribution = prod.one(DISTRIBUTION)
    source, destination, delivery = prod.one(SOURCE), prod.one(DESTINATION), prod.one(DELIVERY)
    group = prod.one("aws:cloudwatch/logGroup:LogGroup", "-cdn-access-logs")
    assert (source.inputs["resourceArn"], source.inputs["logType"]) == (
        distribution.outputs["arn"],
        "ACCESS_LOGS",
    )
    assert (
        destination.inputs["deliveryDestinationConfiguration"]["destinationResourceArn"]
        == group.outputs["arn"]
    )
    assert delivery.inputs["deliverySourceName"] == source.outputs["name"]
    assert delivery.inputs["deliveryDestinationArn"] == destination.outputs["arn"]
    # A distribution's delivery source exists only in us-east-1; the rest of the chain lives with it.
    assert {r.inputs["region"] for r in (source, destination, delivery, group)} == {"us-east-1"}
    assert group.inputs["name"].startswith(VENDED_LOG_GROUP_PREFIX)
    assert group.inputs["kmsKeyId"] == prod.one("aws:kms/key:Key").outputs["arn"]
    assert group.inputs["retentionInDays"] == parse_settings(raw_config("prod")).log_retention_days >= 365
    assert dev.count(SOURCE) == 0 and not parse_settings(raw_config("dev")).access_logs
