"""Rules between keys of a stack's configuration, checked once every key is valid on its own."""

from __future__ import annotations

import ipaddress
import re

from cloud_facts.aws.cloudfront import CLOUDFRONT_CERTIFICATE_REGION
from cloud_facts.aws.cloudwatch import LOG_RETENTION_DAYS, alarm_evaluation_limit
from cloud_facts.aws.notifications import AWS_BUDGET_EMAILS_MAX
from cloud_facts.aws.rds import rds_max_storage_floor
from cloud_facts.gcp.monitoring import GCP_BUDGET_CHANNELS_MAX
from stack_config.compute import compute_problems
from stack_config.errors import Problem
from stack_config.gcp import gcp_problems
from stack_config.settings import StackSettings


def _subnet_problems(s: StackSettings) -> list[Problem]:
    problems: list[Problem] = []
    explicit = {
        "publicSubnetCidrs": s.public_subnet_cidrs,
        "privateSubnetCidrs": s.private_subnet_cidrs,
        "isolatedSubnetCidrs": s.isolated_subnet_cidrs,
    }
    seen: list[tuple[str, ipaddress.IPv4Network]] = []
    for key, cidrs in explicit.items():
        if cidrs and len(cidrs) != s.az_count:
            problems.append((key, f"lists {len(cidrs)} CIDRs but azCount is {s.az_count}; give one per zone"))
        for cidr in cidrs:
            if not cidr.subnet_of(s.vpc_cidr):
                problems.append((key, f"{key} {cidr} is outside vpcCidr {s.vpc_cidr}"))
            problems.extend(
                (key, f"{key} {cidr} overlaps {other_key} {other}; pick disjoint blocks")
                for other_key, other in seen
                if cidr.overlaps(other)
            )
            seen.append((key, cidr))
    return problems


def cross_field_problems(s: StackSettings) -> list[Problem]:
    """Rules between keys; checked once every key is valid on its own."""
    problems = _subnet_problems(s)
    storage_floor = rds_max_storage_floor(s.db_allocated_storage_gb)
    if s.db_max_allocated_storage_gb < storage_floor:
        problems.append(
            (
                "dbMaxAllocatedStorageGb",
                f"({s.db_max_allocated_storage_gb}) must be at least 10 % above dbAllocatedStorageGb "
                f"({s.db_allocated_storage_gb}), or RDS refuses storage autoscaling. "
                f"Fix: pulumi config set dbMaxAllocatedStorageGb {storage_floor} (or more)",
            )
        )
    if "aws" in s.targets and s.monthly_budget_usd is None:
        problems.append(
            (
                "monthlyBudgetUsd",
                "required when targets include aws (it drives the AWS Budget). "
                "Fix: pulumi config set monthlyBudgetUsd 100",
            )
        )
    if "local" in s.targets and len(s.targets) > 1:
        problems.append(("targets", "`local` runs alone (a Docker stack); make a separate stack for clouds"))
    if s.image_digest and "local" in s.targets:
        problems.append(("imageDigest", "pins a pushed image; the local stack builds its own. Fix: unset it"))
    return problems + _compute_problems(s) + _cloud_run_problems(s) + _alerting_problems(s)


def _compute_problems(s: StackSettings) -> list[Problem]:
    problems = compute_problems(s, production=s.deployment_env == "production")
    if s.log_retention_days not in LOG_RETENTION_DAYS:
        problems.append(
            ("logRetentionDays", f"{s.log_retention_days} is not one of CloudWatch's {LOG_RETENTION_DAYS}")
        )
    return problems + _https_problems(s)


def _https_problems(s: StackSettings) -> list[Problem]:
    problems: list[Problem] = []
    if s.hosted_zone_id and s.certificate_arn:
        problems.append(
            ("certificateArn", "excludes hostedZoneId: pick DNS validation or an existing certificate")
        )
    if s.hosted_zone_id and not s.domain_name:
        problems.append(
            ("hostedZoneId", "needs domainName (the name to certify and point at the load balancer)")
        )
    if s.domain_name and not (s.hosted_zone_id or s.certificate_arn):
        problems.append(("domainName", "needs hostedZoneId (DNS-validated certificate) or certificateArn"))
    if s.domain_name and not re.fullmatch(r"(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}", s.domain_name):
        problems.append(
            ("domainName", f"{s.domain_name!r} is not a lower-case DNS name such as api.example.com")
        )
    arn = re.fullmatch(r"arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate/[\w-]+", s.certificate_arn)
    if s.certificate_arn and not arn:
        problems.append(("certificateArn", f"{s.certificate_arn!r} is not an ACM certificate ARN"))
    elif arn and s.edge == "cloudfront" and arn.group(1) != CLOUDFRONT_CERTIFICATE_REGION:
        problems.append(
            (
                "certificateArn",
                f"is in {arn.group(1)}; CloudFront only uses certificates from "
                f"{CLOUDFRONT_CERTIFICATE_REGION}. Fix: request or import it there, or use hostedZoneId",
            )
        )
    return problems + _plain_http_problems(s)


def _plain_http_problems(s: StackSettings) -> list[Problem]:
    """Production never serves plain HTTP: CloudFront always terminates TLS; a public ALB needs a domain."""
    if s.deployment_env != "production" or s.edge != "alb" or s.domain_name:
        return []
    return [
        (
            "domainName",
            "is required when deploymentEnv is production and edge is alb: a public load balancer "
            "without a certificate serves API keys in plain HTTP. Fix: pulumi config set domainName "
            "api.example.com and hostedZoneId (or certificateArn), or pulumi config set edge cloudfront",
        )
    ]


def _cloud_run_problems(s: StackSettings) -> list[Problem]:
    problems = gcp_problems(s, run_cpu=s.cloud_run_cpu, run_memory=s.cloud_run_memory)
    if s.cloud_run_min_instances > s.cloud_run_max_instances:
        problems.append(
            (
                "cloudRunMinInstances",
                f"({s.cloud_run_min_instances}) exceeds cloudRunMaxInstances ({s.cloud_run_max_instances});"
                " lower it or raise the maximum",
            )
        )
    if s.cloud_run_public and s.cloud_run_invokers:
        problems.append(
            ("cloudRunInvokers", "is redundant when cloudRunPublic is true (allUsers); remove one of them")
        )
    return problems


def _alerting_problems(s: StackSettings) -> list[Problem]:
    problems: list[Problem] = []
    addresses = s.alert_addresses
    cloud = [target for target in s.targets if target in ("aws", "gcp")]
    if cloud and not addresses:
        problems.append(
            (
                "alertEmails",
                f"needs at least one address when targets include {' or '.join(cloud)} (alarms and budgets "
                "notify it; alertEmail, one address, is read too). "
                "Fix: pulumi config set --path 'alertEmails[0]' ops@example.com",
            )
        )
    if len(addresses) > AWS_BUDGET_EMAILS_MAX:
        problems.append(
            (
                "alertEmails",
                f"lists {len(addresses)} addresses; AWS Budgets notifies at most {AWS_BUDGET_EMAILS_MAX}",
            )
        )
    if s.alert_https_endpoint and "aws" not in s.targets:
        problems.append(("alertHttpsEndpoint", "is subscribed to the AWS alerts topic; this stack has none"))
    return problems + _alarm_timing_problems(s) + _cost_guard_problems(s)


def _alarm_timing_problems(s: StackSettings) -> list[Problem]:
    problems: list[Problem] = []
    if s.alarm_datapoints_to_alarm > s.alarm_evaluation_periods:
        problems.append(
            (
                "alarmDatapointsToAlarm",
                f"({s.alarm_datapoints_to_alarm}) exceeds alarmEvaluationPeriods "
                f"({s.alarm_evaluation_periods}); CloudWatch needs M <= N in an M-out-of-N alarm",
            )
        )
    window = s.alarm_period_seconds * s.alarm_evaluation_periods
    limit = alarm_evaluation_limit(s.alarm_period_seconds)
    if window > limit:
        problems.append(
            (
                "alarmEvaluationPeriods",
                f"x alarmPeriodSeconds is {window} s; CloudWatch evaluates at most {limit} s (a day "
                "below an hour's period, else seven days). "
                f"Fix: pulumi config set alarmEvaluationPeriods {limit // s.alarm_period_seconds}",
            )
        )
    return problems


def _cost_guard_problems(s: StackSettings) -> list[Problem]:
    problems: list[Problem] = []
    if s.cost_anomaly_monitor == "stack" and not s.activate_cost_allocation_tag:
        problems.append(
            (
                "costAnomalyMonitor",
                "`stack` watches spend tagged stack=<stack>, which needs that cost allocation tag "
                "active from this program (and so a payer account). "
                "Fix: pulumi config set activateCostAllocationTag true, or costAnomalyMonitor off",
            )
        )
    if s.cost_anomaly_monitor != "off" and "aws" not in s.targets:
        problems.append(
            ("costAnomalyMonitor", "is an AWS Cost Anomaly Detection monitor; this stack has no aws")
        )
    if bool(s.gcp_monthly_budget_usd) != bool(s.gcp_billing_account):
        key, needs = (
            ("gcpMonthlyBudgetUsd", "gcpBillingAccount (the account the budget is set on)")
            if s.gcp_monthly_budget_usd
            else ("gcpBillingAccount", "gcpMonthlyBudgetUsd (the monthly amount in whole USD)")
        )
        problems.append((key, f"is set without {needs}. Fix: set both, or neither for no GCP budget"))
    if s.gcp_billing_account and len(s.alert_addresses) > GCP_BUDGET_CHANNELS_MAX:
        problems.append(
            (
                "alertEmails",
                f"lists {len(s.alert_addresses)} addresses; a GCP budget notifies at most "
                f"{GCP_BUDGET_CHANNELS_MAX} channels",
            )
        )
    return problems
