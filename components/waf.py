"""AWS WAF in front of the service: a per-client-IP rate limit and AWS's managed baseline rule groups.

On a public ALB it is REGIONAL and associated with the load balancer; in front of CloudFront it is
CLOUDFRONT-scoped, lives in us-east-1, and the distribution names it (so it sees the viewer's own IP).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pulumi
import pulumi_aws as aws

# The common rule set blocks bodies over 8 KB (SizeRestrictions_BODY); uploads are multipart files of
# up to 10 MiB, whose size the app itself limits, so that one rule only counts.
COUNT_ONLY_RULES = ("SizeRestrictions_BODY",)
MANAGED_GROUPS = ("AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet")


# terraform-provider-aws wafv2 schemas.go validates the limit as IntBetween(100, 2e9) at plan time,
# although the API itself accepts 10 since 2024; the provider is what a deploy meets first.
RATE_LIMIT_MIN = 100
RATE_LIMIT_MAX = 2_000_000_000
CLOUDFRONT_REGION = "us-east-1"


@dataclass
class WafArgs:
    requests_per_minute: int  # per client IP; seed 001 allows ~10 req/s
    resource_arn: pulumi.Input[str] | None = None  # the regional ALB to protect; None for CloudFront
    scope: Literal["REGIONAL", "CLOUDFRONT"] = "REGIONAL"


def _visibility(metric: str) -> aws.wafv2.WebAclRuleVisibilityConfigArgs:
    return aws.wafv2.WebAclRuleVisibilityConfigArgs(
        cloudwatch_metrics_enabled=True, metric_name=metric, sampled_requests_enabled=True
    )


def _rate_rule(requests_per_minute: int) -> aws.wafv2.WebAclRuleArgs:
    return aws.wafv2.WebAclRuleArgs(
        name="per-ip-rate-limit",
        priority=0,
        action=aws.wafv2.WebAclRuleActionArgs(block=aws.wafv2.WebAclRuleActionBlockArgs()),
        statement=aws.wafv2.WebAclRuleStatementArgs(
            rate_based_statement=aws.wafv2.WebAclRuleStatementRateBasedStatementArgs(
                aggregate_key_type="IP",
                # The shortest window WAF offers, so a burst is cut within a minute, not five.
                evaluation_window_sec=60,
                limit=requests_per_minute,
            )
        ),
        visibility_config=_visibility("per-ip-rate-limit"),
    )


def _managed_rule(group: str, priority: int) -> aws.wafv2.WebAclRuleArgs:
    Statement = aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementArgs
    Override = aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideArgs
    Action = aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideActionToUseArgs
    overrides = [
        Override(
            name=rule,
            action_to_use=Action(
                count=aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideActionToUseCountArgs()
            ),
        )
        for rule in COUNT_ONLY_RULES
        if group == "AWSManagedRulesCommonRuleSet"
    ]
    return aws.wafv2.WebAclRuleArgs(
        name=group,
        priority=priority,
        override_action=aws.wafv2.WebAclRuleOverrideActionArgs(
            none=aws.wafv2.WebAclRuleOverrideActionNoneArgs()
        ),
        statement=aws.wafv2.WebAclRuleStatementArgs(
            managed_rule_group_statement=Statement(
                name=group, vendor_name="AWS", rule_action_overrides=overrides or None
            )
        ),
        visibility_config=_visibility(group),
    )


class Waf(pulumi.ComponentResource):
    web_acl_arn: pulumi.Output[str]

    def __init__(self, name: str, args: WafArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        if not RATE_LIMIT_MIN <= args.requests_per_minute <= RATE_LIMIT_MAX:
            raise ValueError(f"WafArgs.requests_per_minute must be {RATE_LIMIT_MIN}-{RATE_LIMIT_MAX}")
        if (args.scope == "REGIONAL") != (args.resource_arn is not None):
            raise ValueError("WafArgs.resource_arn is given exactly for a REGIONAL web ACL")
        super().__init__("launchpad:waf:Waf", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        rules = [_rate_rule(args.requests_per_minute)] + [
            _managed_rule(group, priority) for priority, group in enumerate(MANAGED_GROUPS, start=1)
        ]
        acl = aws.wafv2.WebAcl(
            f"{name}-acl",
            scope=args.scope,
            region=CLOUDFRONT_REGION if args.scope == "CLOUDFRONT" else None,
            default_action=aws.wafv2.WebAclDefaultActionArgs(allow=aws.wafv2.WebAclDefaultActionAllowArgs()),
            rules=rules,
            visibility_config=aws.wafv2.WebAclVisibilityConfigArgs(
                cloudwatch_metrics_enabled=True, metric_name=name, sampled_requests_enabled=True
            ),
            opts=child,
        )
        if args.resource_arn is not None:
            aws.wafv2.WebAclAssociation(
                f"{name}-association", resource_arn=args.resource_arn, web_acl_arn=acl.arn, opts=child
            )
        self.web_acl_arn = acl.arn
        self.register_outputs({"web_acl_arn": self.web_acl_arn})
