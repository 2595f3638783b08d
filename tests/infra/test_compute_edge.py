"""The public edge: ALB hardening, HTTPS and redirect, WAF, target group health and draining, ECR."""

from __future__ import annotations

import json

import pytest

from app import contract
from components.load_balancer import TLS_POLICY
from tests.infra.conftest import plan_with
from tests.infra.ecs_plan import app_container
from tests.infra.plan_query import Plan

ALB = "aws:lb/loadBalancer:LoadBalancer"
LISTENER = "aws:lb/listener:Listener"
TG = "aws:lb/targetGroup:TargetGroup"


def _listeners(plan: Plan) -> dict[int, dict]:
    return {r.inputs["port"]: r.inputs for r in plan.of_type(LISTENER)}


def test_alb_drops_invalid_headers_and_mitigates_desync_strictly(stack_plan: Plan) -> None:
    alb = stack_plan.one(ALB).inputs
    assert alb["dropInvalidHeaderFields"] is True
    assert alb["desyncMitigationMode"] == "strictest"


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


def test_without_a_domain_the_stack_says_it_is_http_only(stack_plan: Plan) -> None:
    assert stack_plan.outputs["https_enabled"] is False
    assert any("HTTP ONLY" in w for w in stack_plan.outputs["warnings"])
    assert stack_plan.outputs["service_url"].startswith("http://")
    assert _listeners(stack_plan)[80]["defaultActions"][0]["type"] == "forward"


def test_prod_with_a_domain_serves_https_and_redirects_http(prod_https: Plan) -> None:
    listeners = _listeners(prod_https)
    assert set(listeners) == {80, 443}
    https = listeners[443]
    assert https["protocol"] == "HTTPS" and https["sslPolicy"] == TLS_POLICY
    validation = prod_https.one("aws:acm/certificateValidation:CertificateValidation")
    assert https["certificateArn"] == validation.outputs["certificateArn"]
    certificate = prod_https.one("aws:acm/certificate:Certificate")
    assert validation.inputs["certificateArn"] == certificate.outputs["arn"]
    record = prod_https.one("aws:route53/record:Record", "validation")
    assert record.inputs["name"] == certificate.outputs["domainValidationOptions"][0]["resourceRecordName"]
    assert validation.inputs["validationRecordFqdns"] == [record.outputs["fqdn"]]
    redirect = listeners[80]["defaultActions"][0]
    assert redirect["type"] == "redirect"
    assert redirect["redirect"] == {"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}
    assert prod_https.outputs["https_enabled"] is True and prod_https.outputs["warnings"] == []
    alias = prod_https.one("aws:route53/record:Record", "alias").inputs
    assert alias["aliases"][0]["name"] == prod_https.one(ALB).outputs["dnsName"]


def test_an_existing_certificate_is_used_as_is() -> None:
    arn = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666"
    plan = plan_with("dev", {"domainName": "dev.launchpad.example.com", "certificateArn": arn})
    assert _listeners(plan)[443]["certificateArn"] == arn
    assert plan.count("aws:acm/certificate:Certificate") == 0


def test_waf_guards_the_prod_alb_with_rate_limit_and_managed_rules(prod: Plan, dev: Plan) -> None:
    association = prod.one("aws:wafv2/webAclAssociation:WebAclAssociation").inputs
    acl = prod.one("aws:wafv2/webAcl:WebAcl")
    assert association["resourceArn"] == prod.one(ALB).outputs["arn"]
    assert association["webAclArn"] == acl.outputs["arn"]
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


def test_web_service_waits_for_the_forwarding_listener(stack_plan: Plan, prod_https: Plan) -> None:
    # ECS rejects a service whose target group is not yet behind a listener.
    for plan in (stack_plan, prod_https):
        web = plan.one("aws:ecs/service:Service", "-web-")
        forwarding = next(
            r for r in plan.of_type(LISTENER) if r.inputs["defaultActions"][0]["type"] == "forward"
        )
        assert forwarding.urn in web.dependencies
