"""The edge: CloudFront in front of an internal ALB by default, a public ALB on request; HTTPS, WAF,
target-group health and draining, ECR."""

from __future__ import annotations

import json

import pytest

from app import contract
from components.aws.cdn import CACHE_POLICY, ORIGIN_REQUEST_POLICY, VPC_ORIGIN_SECURITY_GROUP
from components.aws.load_balancer import TLS_POLICY
from stack_config import ConfigError
from tests.infra.conftest import plan_with
from tests.infra.ecs_plan import app_container
from tests.infra.plan_query import Plan

ALB = "aws:lb/loadBalancer:LoadBalancer"
LISTENER = "aws:lb/listener:Listener"
TG = "aws:lb/targetGroup:TargetGroup"
DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
VPC_ORIGIN = "aws:cloudfront/vpcOrigin:VpcOrigin"


def _listeners(plan: Plan) -> dict[int, dict]:
    return {r.inputs["port"]: r.inputs for r in plan.of_type(LISTENER)}


def _env(plan: Plan, role: str) -> dict[str, str]:
    return {e["name"]: e["value"] for e in app_container(plan, role)["environment"]}


def test_alb_drops_invalid_headers_and_mitigates_desync_strictly(stack_plan: Plan) -> None:
    alb = stack_plan.one(ALB).inputs
    assert alb["dropInvalidHeaderFields"] is True
    assert alb["desyncMitigationMode"] == "strictest"


def test_by_default_the_alb_is_internal_in_private_subnets(stack_plan: Plan) -> None:
    alb = stack_plan.one(ALB).inputs
    assert alb["internal"] is True
    private = stack_plan.outputs["private_subnet_ids"]
    assert alb["subnets"] == private


def test_cloudfront_reaches_the_alb_through_a_vpc_origin_and_serves_https_only(stack_plan: Plan) -> None:
    alb = stack_plan.one(ALB)
    origin = stack_plan.one(VPC_ORIGIN)
    assert origin.inputs["vpcOriginEndpointConfig"]["arn"] == alb.outputs["arn"]
    distribution = stack_plan.one(DISTRIBUTION).inputs
    [served] = distribution["origins"]
    assert served["vpcOriginConfig"]["vpcOriginId"] == origin.id
    assert served["domainName"] == alb.outputs["dnsName"]
    behavior = distribution["defaultCacheBehavior"]
    assert behavior["viewerProtocolPolicy"] == "https-only"  # refused, not redirected: a key never goes twice
    assert set(behavior["allowedMethods"]) >= {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
    assert distribution["viewerCertificate"] == {"cloudfrontDefaultCertificate": True}
    assert (
        stack_plan.outputs["service_url"] == f"https://{stack_plan.one(DISTRIBUTION).outputs['domainName']}"
    )
    assert stack_plan.outputs["https_enabled"] is True
    assert not any("HTTP ONLY" in w for w in stack_plan.outputs["warnings"])


def test_the_alb_admits_cloudfronts_origin_group_before_any_viewer_arrives(stack_plan: Plan) -> None:
    rule = stack_plan.one("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "-origin-ingress")
    alb_group = stack_plan.one("aws:ec2/securityGroup:SecurityGroup", "-alb-sg")
    assert rule.inputs["securityGroupId"] == alb_group.id
    assert (rule.inputs["fromPort"], rule.inputs["toPort"]) == (80, 80)
    [lookup] = [c for c in stack_plan.run.calls if c[0] == "aws:ec2/getSecurityGroup:getSecurityGroup"]
    assert lookup[1]["name"] == VPC_ORIGIN_SECURITY_GROUP
    assert lookup[1]["vpcId"] == stack_plan.outputs["vpc_id"]
    assert rule.urn in stack_plan.one(DISTRIBUTION).dependencies


def test_cloudfront_caches_nothing_and_forwards_the_viewer_request(stack_plan: Plan) -> None:
    behavior = stack_plan.one(DISTRIBUTION).inputs["defaultCacheBehavior"]
    lookups = {c[0].split(":")[-1]: c[1]["name"] for c in stack_plan.run.calls if "cloudfront/get" in c[0]}
    assert lookups == {"getCachePolicy": CACHE_POLICY, "getOriginRequestPolicy": ORIGIN_REQUEST_POLICY}
    assert behavior["cachePolicyId"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
    assert behavior["originRequestPolicyId"] == "b689b0a8-53d0-40ab-baf2-68738e2966ac"


def test_the_app_counts_two_proxies_behind_cloudfront_and_one_behind_a_public_alb(stack_plan: Plan) -> None:
    assert _env(stack_plan, "web")[contract.ENV.TRUSTED_PROXY_HOPS] == "2"
    assert _env(plan_with("dev", {"edge": "alb"}), "web")[contract.ENV.TRUSTED_PROXY_HOPS] == "1"


def test_prod_with_a_domain_gets_a_us_east_1_certificate_on_cloudfront(prod_https: Plan) -> None:
    certificate = prod_https.one("aws:acm/certificate:Certificate")
    validation = prod_https.one("aws:acm/certificateValidation:CertificateValidation")
    assert certificate.inputs["region"] == validation.inputs["region"] == "us-east-1"
    viewer = prod_https.one(DISTRIBUTION).inputs["viewerCertificate"]
    assert viewer["acmCertificateArn"] == validation.outputs["certificateArn"]
    assert (viewer["sslSupportMethod"], viewer["minimumProtocolVersion"]) == ("sni-only", "TLSv1.2_2021")
    assert prod_https.one(DISTRIBUTION).inputs["aliases"] == ["api.launchpad.example.com"]
    aliases = [r.inputs for r in prod_https.of_type("aws:route53/record:Record") if "-alias" in r.name]
    assert {a["type"] for a in aliases} == {"A", "AAAA"}
    assert {a["aliases"][0]["name"] for a in aliases} == {prod_https.one(DISTRIBUTION).outputs["domainName"]}
    assert prod_https.outputs["service_url"] == "https://api.launchpad.example.com"


def test_a_cloudfront_certificate_from_another_region_is_a_config_error() -> None:
    arn = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666"
    with pytest.raises(ConfigError, match="certificateArn: is in eu-west-1; CloudFront only uses"):
        plan_with("prod", {"domainName": "api.launchpad.example.com", "certificateArn": arn})


def test_prod_waf_sits_at_the_edge_where_it_sees_the_viewer(prod: Plan, dev: Plan) -> None:
    acl = prod.one("aws:wafv2/webAcl:WebAcl")
    assert (acl.inputs["scope"], acl.inputs["region"]) == ("CLOUDFRONT", "us-east-1")
    assert prod.one(DISTRIBUTION).inputs["webAclId"] == acl.outputs["arn"]
    assert prod.count("aws:wafv2/webAclAssociation:WebAclAssociation") == 0
    rules = {r["name"]: r for r in acl.inputs["rules"]}
    rate = next(
        r["statement"]["rateBasedStatement"] for r in rules.values() if "rateBasedStatement" in r["statement"]
    )
    assert rate["aggregateKeyType"] == "IP"
    # seed 001: ~10 requests per second per client
    assert rate["limit"] / rate["evaluationWindowSec"] == pytest.approx(10, rel=0.1)
    managed = {
        r["statement"]["managedRuleGroupStatement"]["name"] for r in rules.values() if "overrideAction" in r
    }
    assert managed == {"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"}
    assert len({r["priority"] for r in rules.values()}) == len(rules)
    assert dev.count("aws:wafv2/webAcl:WebAcl") == 0


def test_production_never_serves_plain_http_on_a_public_alb() -> None:
    with pytest.raises(ConfigError) as refused:
        plan_with("prod", {"edge": "alb"})
    [problem] = refused.value.problems
    assert problem.startswith("launchpad:domainName: is required when deploymentEnv is production and edge")
    assert "hostedZoneId" in problem and "edge cloudfront" in problem


def test_a_development_alb_without_a_domain_says_it_is_http_only() -> None:
    plan = plan_with("dev", {"edge": "alb"})
    assert plan.one(ALB).inputs["internal"] is False
    assert plan.outputs["https_enabled"] is False
    assert any("HTTP ONLY" in w for w in plan.outputs["warnings"])
    assert plan.outputs["service_url"].startswith("http://")
    assert _listeners(plan)[80]["defaultActions"][0]["type"] == "forward"


def test_a_public_alb_with_a_domain_serves_https_and_redirects_http(prod_alb_https: Plan) -> None:
    listeners = _listeners(prod_alb_https)
    assert set(listeners) == {80, 443}
    https = listeners[443]
    assert https["protocol"] == "HTTPS" and https["sslPolicy"] == TLS_POLICY
    validation = prod_alb_https.one("aws:acm/certificateValidation:CertificateValidation")
    assert https["certificateArn"] == validation.outputs["certificateArn"]
    certificate = prod_alb_https.one("aws:acm/certificate:Certificate")
    assert validation.inputs["certificateArn"] == certificate.outputs["arn"]
    record = prod_alb_https.one("aws:route53/record:Record", "validation")
    assert record.inputs["name"] == certificate.outputs["domainValidationOptions"][0]["resourceRecordName"]
    assert validation.inputs["validationRecordFqdns"] == [record.outputs["fqdn"]]
    redirect = listeners[80]["defaultActions"][0]
    assert redirect["type"] == "redirect"
    assert redirect["redirect"] == {"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}
    assert prod_alb_https.outputs["https_enabled"] is True
    assert not any("HTTP ONLY" in w for w in prod_alb_https.outputs["warnings"])
    alias = prod_alb_https.one("aws:route53/record:Record", "alias").inputs
    assert alias["aliases"][0]["name"] == prod_alb_https.one(ALB).outputs["dnsName"]


def test_an_existing_certificate_is_used_as_is() -> None:
    arn = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666"
    plan = plan_with("dev", {"edge": "alb", "domainName": "dev.launchpad.example.com", "certificateArn": arn})
    assert _listeners(plan)[443]["certificateArn"] == arn
    assert plan.count("aws:acm/certificate:Certificate") == 0
    on_cloudfront = plan_with("dev", {"domainName": "dev.launchpad.example.com", "certificateArn": arn})
    assert on_cloudfront.one(DISTRIBUTION).inputs["viewerCertificate"]["acmCertificateArn"] == arn


def test_waf_on_a_public_alb_is_regional_and_associated(prod_alb_https: Plan) -> None:
    association = prod_alb_https.one("aws:wafv2/webAclAssociation:WebAclAssociation").inputs
    acl = prod_alb_https.one("aws:wafv2/webAcl:WebAcl")
    assert acl.inputs["scope"] == "REGIONAL" and association["webAclArn"] == acl.outputs["arn"]
    assert association["resourceArn"] == prod_alb_https.one(ALB).outputs["arn"]


def test_prod_alb_is_protected_and_logged(prod: Plan) -> None:
    alb = prod.one(ALB).inputs
    assert alb["enableDeletionProtection"] is True
    log_bucket = next(b for b in prod.of_type("aws:s3/bucket:Bucket") if "-logs-" in b.name)
    assert alb["accessLogs"]["enabled"] is True and alb["accessLogs"]["bucket"] == log_bucket.id
    policy = next(
        json.loads(p.inputs["policy"])
        for p in prod.of_type("aws:s3/bucketPolicy:BucketPolicy")
        if p.inputs["bucket"] == log_bucket.id
    )
    elb = [s for s in policy["Statement"] if "elasticloadbalancing" in str(s.get("Principal"))]
    prefix = alb["accessLogs"]["prefix"]
    assert [s["Resource"] for s in elb] == [f"{log_bucket.outputs['arn']}/{prefix}/AWSLogs/123456789012/*"]
    assert elb[0]["Action"] == "s3:PutObject"
    # both delivery identities: the region's ELB account (older regions) and the service principal
    assert set(elb[0]["Principal"]) == {"AWS", "Service"}


def test_dev_alb_has_no_deletion_protection_or_logs(dev: Plan) -> None:
    alb = dev.one(ALB).inputs
    assert alb["enableDeletionProtection"] is False and "accessLogs" not in alb


def test_target_group_checks_the_apps_liveness_route(stack_plan: Plan) -> None:
    # The deep route answers 503 in a dependency outage that the app is built to ride out.
    tg = stack_plan.one(TG).inputs
    assert tg["healthCheck"]["path"] == contract.LIVE_PATH != contract.HEALTH_PATH
    assert tg["port"] == contract.CONTAINER_PORT and tg["targetType"] == "ip"


def test_draining_ends_within_the_apps_shutdown_budget(stack_plan: Plan) -> None:
    delay = stack_plan.one(TG).inputs["deregistrationDelay"]
    assert int(delay) < app_container(stack_plan, "web")["stopTimeout"]


def test_ecr_repository_is_immutable_scanned_encrypted_and_pruned(stack_plan: Plan) -> None:
    repo = stack_plan.one("aws:ecr/repository:Repository").inputs
    assert repo["imageTagMutability"] == "IMMUTABLE"
    assert repo["imageScanningConfiguration"]["scanOnPush"] is True
    key_arn = stack_plan.one("aws:kms/key:Key").outputs["arn"]
    assert repo["encryptionConfigurations"] == [{"encryptionType": "KMS", "kmsKey": key_arn}]
    rules = json.loads(stack_plan.one("aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs["policy"])["rules"]
    untagged = next(r["selection"] for r in rules if r["selection"]["tagStatus"] == "untagged")
    assert (untagged["countType"], untagged["countNumber"]) == ("sinceImagePushed", 1)
    assert any(r["selection"]["countType"] == "imageCountMoreThan" for r in rules)


def test_the_image_is_pushed_with_ecr_credentials(stack_plan: Plan) -> None:
    image = stack_plan.one("docker-build:index:Image").inputs
    repo = stack_plan.one("aws:ecr/repository:Repository").outputs["repositoryUrl"]
    assert image["registries"][0]["address"] == repo.split("/")[0]
    assert image["registries"][0]["username"] == "AWS"
    token_calls = [c for c in stack_plan.run.calls if c[0].startswith("aws:ecr/getAuthorizationToken")]
    assert token_calls and token_calls[0][1]["registryId"] == repo.split(".")[0]


def test_cluster_has_container_insights(stack_plan: Plan) -> None:
    settings = stack_plan.one("aws:ecs/cluster:Cluster").inputs["settings"]
    assert {"name": "containerInsights", "value": "enabled"} in settings or {
        "name": "containerInsights",
        "value": "enhanced",
    } in settings


def test_web_service_waits_for_the_forwarding_listener(stack_plan: Plan, prod_alb_https: Plan) -> None:
    # ECS rejects a service whose target group is not yet behind a listener.
    for plan in (stack_plan, prod_alb_https):
        web = plan.one("aws:ecs/service:Service", "-web-")
        forwarding = next(
            r for r in plan.of_type(LISTENER) if r.inputs["defaultActions"][0]["type"] == "forward"
        )
        assert forwarding.urn in web.dependencies
