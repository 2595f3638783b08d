"""Rules between keys of a stack's configuration, checked once every key is valid on its own."""

from __future__ import annotations

import ipaddress
import re

from policies.deploy.facts import CLOUDFRONT_CERTIFICATE_REGION, FARGATE_TASK_SIZES, LOG_RETENTION_DAYS
from stack_config.errors import Problem
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
    if s.db_max_allocated_storage_gb < s.db_allocated_storage_gb:
        problems.append(
            (
                "dbMaxAllocatedStorageGb",
                f"({s.db_max_allocated_storage_gb}) is below dbAllocatedStorageGb "
                f"({s.db_allocated_storage_gb}); raise it to enable storage autoscaling",
            )
        )
    if "aws" in s.targets:
        problems += [
            (
                key,
                f"required when targets include aws (it drives the AWS Budget). "
                f"Fix: pulumi config set {key} {hint}",
            )
            for key, value, hint in (
                ("alertEmail", s.alert_email, "ops@example.com"),
                ("monthlyBudgetUsd", s.monthly_budget_usd, "100"),
            )
            if value is None
        ]
    if "local" in s.targets and len(s.targets) > 1:
        problems.append(("targets", "`local` runs alone (a Docker stack); make a separate stack for clouds"))
    if s.image_digest and "local" in s.targets:
        problems.append(("imageDigest", "pins a pushed image; the local stack builds its own. Fix: unset it"))
    return problems + _compute_problems(s) + _cloud_run_problems(s)


def fargate_memory_choices(cpu: int) -> list[int]:
    """Memory sizes (MiB) Fargate accepts with `cpu` units; empty if `cpu` is not a Fargate size."""
    return list(FARGATE_TASK_SIZES.get(cpu, ()))


def _fargate_size_problems(role: str, cpu: int, memory: int) -> list[Problem]:
    if cpu not in FARGATE_TASK_SIZES:
        return [(f"{role}Cpu", f"{cpu} is not a Fargate size; use one of {sorted(FARGATE_TASK_SIZES)}")]
    choices = FARGATE_TASK_SIZES[cpu]
    if memory not in choices:
        return [
            (
                f"{role}Memory",
                f"{memory} is not allowed with {role}Cpu {cpu}; Fargate takes {', '.join(map(str, choices))} "
                f"MiB. Fix: pulumi config set {role}Memory {choices[0]}",
            )
        ]
    return []


def _count_problems(s: StackSettings) -> list[Problem]:
    problems: list[Problem] = []
    if s.web_min_count > s.web_max_count:
        problems.append(("webMinCount", f"({s.web_min_count}) exceeds webMaxCount ({s.web_max_count})"))
    elif not s.web_min_count <= s.web_desired_count <= s.web_max_count:
        problems.append(
            (
                "webDesiredCount",
                f"({s.web_desired_count}) must lie within webMinCount..webMaxCount "
                f"({s.web_min_count}..{s.web_max_count})",
            )
        )
    if s.deployment_env == "production" and s.web_min_count < 2:
        problems.append(("webMinCount", "must be at least 2 when deploymentEnv is production (one per zone)"))
    if s.worker_min_count > s.worker_max_count:
        problems.append(
            ("workerMinCount", f"({s.worker_min_count}) exceeds workerMaxCount ({s.worker_max_count})")
        )
    return problems


def _compute_problems(s: StackSettings) -> list[Problem]:
    problems = _fargate_size_problems("web", s.web_cpu, s.web_memory)
    problems += _fargate_size_problems("worker", s.worker_cpu, s.worker_memory)
    problems += _count_problems(s)
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
    problems: list[Problem] = []
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
