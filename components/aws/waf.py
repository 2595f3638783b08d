"""AWS WAF in front of the service: a per-client-IP rate limit and AWS's managed baseline rule groups.

On a public ALB it is REGIONAL and associated with the load balancer; in front of CloudFront it is
CLOUDFRONT-scoped, lives in us-east-1, and the distribution names it (so it sees the viewer's own IP).
With logging, every request WAF inspects is logged to a KMS-encrypted log group in the web ACL's region,
with the headers that carry credentials redacted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import pulumi
import pulumi_aws as aws

from cloud_facts.aws.cloudfront import CLOUDFRONT_CERTIFICATE_REGION
from components.naming import fitted_name

# The common rule set blocks bodies over 8 KB (SizeRestrictions_BODY); uploads are multipart files of
# up to 10 MiB, whose size the app itself limits, so that one rule only counts.
COUNT_ONLY_RULES = ("SizeRestrictions_BODY",)
MANAGED_GROUPS = ("AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet")


# terraform-provider-aws wafv2 schemas.go validates the limit as IntBetween(100, 2e9) at plan time,
# although the API itself accepts 10 since 2024; the provider is what a deploy meets first.
RATE_LIMIT_MIN = 100
RATE_LIMIT_MAX = 2_000_000_000
# CloudFront's home region: a CLOUDFRONT-scope web ACL lives there, as its certificates and delivery sources
# do (targets/aws/edge.py puts one key there for the WAF's logs and CloudFront's).
CLOUDFRONT_REGION = CLOUDFRONT_CERTIFICATE_REGION
WAF_NAME_MAX = 128
# WAF only delivers to CloudWatch Logs groups whose name starts so (logging-cw-logs.html).
LOG_GROUP_PREFIX = "aws-waf-logs-"
LOGGED_ACTIONS = ("BLOCK", "COUNT")


@dataclass
class WafLogging:
    kms_key_arn: pulumi.Input[str]  # a key in the web ACL's region that CloudWatch Logs may use
    retention_days: int
    log_group_name: str  # must start with aws-waf-logs-
    redacted_headers: Sequence[str] = field(default_factory=lambda: ["authorization"])


@dataclass
class WafArgs:
    requests_per_minute: int  # per client IP; seed 001 allows ~10 req/s
    resource_arn: pulumi.Input[str] | None = None  # the regional ALB to protect; None for CloudFront
    # REGIONAL for an ALB, CLOUDFRONT for a distribution (made in us-east-1)
    scope: Literal["REGIONAL", "CLOUDFRONT"] = "REGIONAL"
    logging: WafLogging | None = None  # log blocked and counted requests to CloudWatch Logs; None: no logs


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
    # The value of the WebACL dimension of its metrics: the web ACL's name, equal to its metric name.
    metric_name: str
    region: str | None  # None: the provider's region (REGIONAL); us-east-1 for CLOUDFRONT

    def __init__(self, name: str, args: WafArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        _validate(args)
        super().__init__("launchpad:waf:Waf", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        rules = [_rate_rule(args.requests_per_minute)] + [
            _managed_rule(group, priority) for priority, group in enumerate(MANAGED_GROUPS, start=1)
        ]
        # One value for the name and the metric name, so alarms and graphs address the web ACL's metrics
        # whichever of the two CloudWatch's WebACL dimension carries; the scope (which replaces the web ACL)
        # is hashed into it, so a replacement never collides with the web ACL it replaces.
        self.metric_name = fitted_name(name, "acl", WAF_NAME_MAX, keepers=[args.scope])
        self.region = CLOUDFRONT_REGION if args.scope == "CLOUDFRONT" else None
        acl = aws.wafv2.WebAcl(
            f"{name}-acl",
            name=self.metric_name,
            scope=args.scope,
            region=self.region,
            default_action=aws.wafv2.WebAclDefaultActionArgs(allow=aws.wafv2.WebAclDefaultActionAllowArgs()),
            rules=rules,
            visibility_config=aws.wafv2.WebAclVisibilityConfigArgs(
                cloudwatch_metrics_enabled=True, metric_name=self.metric_name, sampled_requests_enabled=True
            ),
            opts=child,
        )
        if args.resource_arn is not None:
            aws.wafv2.WebAclAssociation(
                f"{name}-association", resource_arn=args.resource_arn, web_acl_arn=acl.arn, opts=child
            )
        if args.logging is not None:
            self._logging(name, acl, args.logging)
        self.web_acl_arn = acl.arn
        self.register_outputs({"web_acl_arn": self.web_acl_arn})

    def _logging(self, name: str, acl: aws.wafv2.WebAcl, logging: WafLogging) -> None:
        child = pulumi.ResourceOptions(parent=self)
        group = aws.cloudwatch.LogGroup(
            f"{name}-logs",
            name=logging.log_group_name,
            retention_in_days=logging.retention_days,
            kms_key_id=logging.kms_key_arn,
            region=self.region,
            opts=child,
        )
        Redacted = aws.wafv2.WebAclLoggingConfigurationRedactedFieldArgs
        Header = aws.wafv2.WebAclLoggingConfigurationRedactedFieldSingleHeaderArgs
        aws.wafv2.WebAclLoggingConfiguration(
            f"{name}-logging",
            resource_arn=acl.arn,
            log_destination_configs=[group.arn],
            # Credentials never reach the logs: WAF writes "REDACTED" in place of these headers' values.
            redacted_fields=[Redacted(single_header=Header(name=h)) for h in logging.redacted_headers],
            logging_filter=_decisions_only(),
            region=self.region,
            opts=child,
        )


def _decisions_only() -> aws.wafv2.WebAclLoggingConfigurationLoggingFilterArgs:
    """Log the requests WAF blocked or counted, drop the ones it let through: those are what a false
    positive or an attack is investigated from, and the load balancer's access logs already hold every
    request, so the per-GB log ingestion is not paid twice for the allowed traffic."""
    Filter = aws.wafv2.WebAclLoggingConfigurationLoggingFilterFilterArgs
    Condition = aws.wafv2.WebAclLoggingConfigurationLoggingFilterFilterConditionArgs
    Action = aws.wafv2.WebAclLoggingConfigurationLoggingFilterFilterConditionActionConditionArgs
    return aws.wafv2.WebAclLoggingConfigurationLoggingFilterArgs(
        default_behavior="DROP",
        filters=[
            Filter(
                behavior="KEEP",
                requirement="MEETS_ANY",
                conditions=[Condition(action_condition=Action(action=a)) for a in LOGGED_ACTIONS],
            )
        ],
    )


def _validate(args: WafArgs) -> None:
    if not RATE_LIMIT_MIN <= args.requests_per_minute <= RATE_LIMIT_MAX:
        raise ValueError(f"WafArgs.requests_per_minute must be {RATE_LIMIT_MIN}-{RATE_LIMIT_MAX}")
    if (args.scope == "REGIONAL") != (args.resource_arn is not None):
        raise ValueError("WafArgs.resource_arn is given exactly for a REGIONAL web ACL")
    logging = args.logging
    if logging is not None and not logging.log_group_name.startswith(LOG_GROUP_PREFIX):
        raise ValueError(f"WafLogging.log_group_name must start with {LOG_GROUP_PREFIX} (WAF refuses others)")
    if logging is not None and not 1 <= len(logging.redacted_headers) <= 100:
        raise ValueError("WafLogging.redacted_headers lists 1-100 headers")
