"""One typed, immutable view of a stack's configuration, validated before any resource exists.

Every project key is flat and camelCase (`launchpad:dbMultiAz`), so Pulumi's own project-level schema in
`Pulumi.yaml` can declare its type, description and default. Pulumi.yaml is the single source of defaults:
the engine merges them into the stack's config before the program runs. This module adds what that schema
cannot say (ranges, formats, cross-field rules) and reports every problem at once, each with its key and
the command that fixes it.
"""

from __future__ import annotations

import difflib
import ipaddress
import json
import re
import types
import typing
import zoneinfo
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import pulumi
from croniter import croniter
from pulumi.runtime import config as runtime_config
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    ValidationError,
    field_validator,
)
from pydantic.alias_generators import to_camel
from pydantic_core import ErrorDetails

from app.contract import ENV
from components.database import ENHANCED_MONITORING_INTERVALS
from targets.cron import eventbridge_cron

PROJECT = "launchpad"

# Keys read with get_secret so their values stay Outputs marked secret; never part of the plain model.
SECRET_KEYS = ("huggingfaceApiKey", "geminiApiKey", "anthropicApiKey", "syncedToken")

NatStrategy = Literal["none", "single", "per_az"]
Target = Literal["aws", "gcp", "local"]
DeploymentEnv = Literal["local", "development", "production"]
CpuArchitecture = Literal["arm64", "x86_64"]
_CLOUD_RUN_CPUS = (1, 2, 4, 6, 8)
# Service account ids are "<project>-<stack>-<role>", at most 30 characters; "-nightly" is the longest role.
GCP_MAX_BASE_NAME = 30 - len("-nightly")
CloudRunIngress = Literal["all", "internal", "internal-and-cloud-load-balancing"]
# App secrets kept in Secret Manager on GCP; listed in gcpPopulatedSecrets once a value exists.
GcpAppSecret = Literal["huggingface-api-key", "gemini-api-key", "anthropic-api-key", "api-keys"]
# A tag is required (no implicit :latest); a digest may follow.
_PINNED_IMAGE = re.compile(r"^[a-z0-9./_-]+:[A-Za-z0-9._-]+(@sha256:[0-9a-f]{64})?$")
_IAM_MEMBER = re.compile(r"^(user|group|serviceAccount|domain|principal|principalSet):\S+$")

_RDS_INSTANCE_CLASS = re.compile(
    r"^db\.(t3|t4g|m5|m5d|m6g|m6gd|m6i|m6id|m7g|m7gd|m7i|m8g|r5|r6g|r6gd|r6i|r7g|r7i|r8g|x2g)"
    r"\.(micro|small|medium|large|xlarge|[1-9][0-9]?xlarge)$"
)
_CACHE_NODE_TYPE = re.compile(
    r"^cache\.(t3|t4g|m5|m6g|m7g|r5|r6g|r7g)\.(micro|small|medium|large|xlarge|[1-9][0-9]?xlarge)$"
)
# Major only ("17") lets RDS pick the newest minor and auto-upgrades keep it patched without drift in
# state; "17.6" pins a minor explicitly. Both name a supported major (13+).
_POSTGRES_VERSION = re.compile(r"^(1[3-9]|[2-9][0-9])(\.[0-9]{1,2})?$")


class ConfigError(Exception):
    """Every problem found in a stack's configuration, one per line, each naming its key and fix."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        listing = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"invalid stack configuration ({len(problems)} problem(s)):\n{listing}")


def _origin(value: str) -> str:
    if value != "*" and not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?", value):
        raise ValueError(f"{value!r} is not an origin like https://app.example.com")
    return value


AnyHttpUrlStr = Annotated[str, AfterValidator(_origin)]


def _iam_member(value: str) -> str:
    if not _IAM_MEMBER.fullmatch(value):
        raise ValueError(
            f"{value!r} is not an IAM member like group:team@example.com "
            "(allUsers is refused: set cloudRunPublic true instead)"
        )
    return value


IamMember = Annotated[str, AfterValidator(_iam_member)]


def _fix(hint: str) -> dict[str, Any]:
    return {"fix": hint}


class StackSettings(BaseModel):
    """The validated shape of the `launchpad:*` keys. Field names are snake_case; keys are camelCase."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=False, extra="forbid", frozen=True, strict=False
    )

    owner: Annotated[str, Field(min_length=1, json_schema_extra=_fix("pulumi config set owner <team>"))]
    cost_center: Annotated[
        str, Field(min_length=1, json_schema_extra=_fix("pulumi config set costCenter <code>"))
    ]
    targets: Annotated[
        tuple[Target, ...],
        Field(min_length=1, json_schema_extra=_fix("pulumi config set --path 'targets[0]' aws")),
    ]
    deployment_env: Annotated[
        DeploymentEnv,
        Field(json_schema_extra=_fix("pulumi config set deploymentEnv development|production|local")),
    ]
    cpu_architecture: Annotated[
        CpuArchitecture, Field(json_schema_extra=_fix("pulumi config set cpuArchitecture arm64|x86_64"))
    ]
    cors_origins: tuple[AnyHttpUrlStr, ...] = ()
    nightly_cron: Annotated[
        str,
        Field(
            json_schema_extra=_fix("pulumi config set nightlyCron '0 2 * * *' (minute hour dom month dow)")
        ),
    ]
    nightly_timezone: Annotated[
        str, Field(json_schema_extra=_fix("pulumi config set nightlyTimezone UTC (an IANA zone name)"))
    ]
    vpc_cidr: Annotated[
        ipaddress.IPv4Network, Field(json_schema_extra=_fix("pulumi config set vpcCidr 10.40.0.0/16"))
    ]
    az_count: Annotated[
        int, Field(ge=2, le=3, json_schema_extra=_fix("pulumi config set azCount 2 (2 or 3 zones)"))
    ]
    nat_strategy: Annotated[
        NatStrategy,
        Field(json_schema_extra=_fix("pulumi config set natStrategy none|single|per_az")),
    ]
    public_subnet_cidrs: tuple[ipaddress.IPv4Network, ...] = ()
    private_subnet_cidrs: tuple[ipaddress.IPv4Network, ...] = ()
    isolated_subnet_cidrs: tuple[ipaddress.IPv4Network, ...] = ()
    flow_log_retention_days: Annotated[
        int, Field(ge=0, le=3653, json_schema_extra=_fix("pulumi config set flowLogRetentionDays 90 (0=off)"))
    ]

    db_instance_class: Annotated[
        str,
        Field(
            pattern=_RDS_INSTANCE_CLASS.pattern,
            json_schema_extra=_fix("pulumi config set dbInstanceClass db.t4g.micro"),
        ),
    ]
    db_engine_version: Annotated[
        str,
        Field(
            pattern=_POSTGRES_VERSION.pattern,
            json_schema_extra=_fix("pulumi config set dbEngineVersion 17 (major, or major.minor)"),
        ),
    ]
    db_allocated_storage_gb: Annotated[
        int, Field(ge=20, le=65536, json_schema_extra=_fix("pulumi config set dbAllocatedStorageGb 20"))
    ]
    db_max_allocated_storage_gb: Annotated[
        int,
        Field(ge=20, le=65536, json_schema_extra=_fix("pulumi config set dbMaxAllocatedStorageGb 100")),
    ]
    db_multi_az: bool
    db_backup_retention_days: Annotated[
        int, Field(ge=1, le=35, json_schema_extra=_fix("pulumi config set dbBackupRetentionDays 14"))
    ]
    db_deletion_protection: bool
    db_final_snapshot: bool
    db_performance_insights: bool
    db_monitoring_interval_seconds: Annotated[
        int, Field(json_schema_extra=_fix("pulumi config set dbMonitoringIntervalSeconds 60"))
    ]

    cache_engine_version: Annotated[
        str,
        Field(
            pattern=r"^[0-9]+\.[0-9]+$", json_schema_extra=_fix("pulumi config set cacheEngineVersion 8.1")
        ),
    ]
    cache_node_type: Annotated[
        str,
        Field(
            pattern=_CACHE_NODE_TYPE.pattern,
            json_schema_extra=_fix("pulumi config set cacheNodeType cache.t4g.micro"),
        ),
    ]
    cache_node_count: Annotated[
        int, Field(ge=1, le=6, json_schema_extra=_fix("pulumi config set cacheNodeCount 2 (1-6)"))
    ]
    cache_snapshot_retention_days: Annotated[
        int, Field(ge=0, le=35, json_schema_extra=_fix("pulumi config set cacheSnapshotRetentionDays 7"))
    ]

    uploads_expire_days: Annotated[
        int, Field(ge=1, le=3650, json_schema_extra=_fix("pulumi config set uploadsExpireDays 30"))
    ]
    noncurrent_version_expire_days: Annotated[
        int,
        Field(ge=1, le=3650, json_schema_extra=_fix("pulumi config set noncurrentVersionExpireDays 30")),
    ]
    access_logs: bool

    # ---- compute (AWS ECS Fargate, ALB, WAF) ----
    web_cpu: Annotated[int, Field(json_schema_extra=_fix("pulumi config set webCpu 512 (Fargate CPU units)"))]
    web_memory: Annotated[
        int, Field(json_schema_extra=_fix("pulumi config set webMemory 1024 (MiB, allowed for webCpu)"))
    ]
    web_desired_count: Annotated[
        int,
        Field(ge=0, json_schema_extra=_fix("pulumi config set webDesiredCount 2 (webMinCount..webMaxCount)")),
    ]
    web_min_count: Annotated[
        int, Field(ge=0, json_schema_extra=_fix("pulumi config set webMinCount 1 (at most webMaxCount)"))
    ]
    web_max_count: Annotated[
        int, Field(ge=1, le=100, json_schema_extra=_fix("pulumi config set webMaxCount 4"))
    ]
    web_cpu_target_percent: Annotated[
        int, Field(ge=10, le=90, json_schema_extra=_fix("pulumi config set webCpuTargetPercent 60"))
    ]
    web_requests_per_target: Annotated[
        int, Field(ge=1, json_schema_extra=_fix("pulumi config set webRequestsPerTarget 600 (per minute)"))
    ]
    worker_cpu: Annotated[
        int, Field(json_schema_extra=_fix("pulumi config set workerCpu 512 (Fargate CPU units)"))
    ]
    worker_memory: Annotated[
        int, Field(json_schema_extra=_fix("pulumi config set workerMemory 1024 (MiB, allowed for workerCpu)"))
    ]
    worker_min_count: Annotated[
        int,
        Field(ge=1, json_schema_extra=_fix("pulumi config set workerMinCount 1 (at most workerMaxCount)")),
    ]
    worker_max_count: Annotated[
        int, Field(ge=1, le=100, json_schema_extra=_fix("pulumi config set workerMaxCount 4"))
    ]
    worker_jobs_per_task: Annotated[
        int,
        Field(
            ge=1, json_schema_extra=_fix("pulumi config set workerJobsPerTask 10 (queued jobs per worker)")
        ),
    ]
    log_retention_days: Annotated[
        int,
        Field(json_schema_extra=_fix("pulumi config set logRetentionDays 30 (a CloudWatch retention value)")),
    ]
    ecs_exec: bool
    waf_enabled: bool
    waf_requests_per_minute: Annotated[
        int,
        Field(ge=10, le=2_000_000_000, json_schema_extra=_fix("pulumi config set wafRequestsPerMinute 600")),
    ]
    alb_deletion_protection: bool
    domain_name: Annotated[
        str,
        Field(json_schema_extra=_fix("pulumi config set domainName api.example.com (or '' for HTTP only)")),
    ] = ""
    hosted_zone_id: Annotated[
        str, Field(json_schema_extra=_fix("pulumi config set hostedZoneId Z0123456789ABC (Route 53 zone)"))
    ] = ""
    certificate_arn: Annotated[
        str,
        Field(
            json_schema_extra=_fix("pulumi config set certificateArn arn:aws:acm:... (or use hostedZoneId)")
        ),
    ] = ""
    ecr_keep_images: Annotated[
        int, Field(ge=1, le=1000, json_schema_extra=_fix("pulumi config set ecrKeepImages 20"))
    ]

    # Required where a budget is created (AWS targets); see cross_field_problems.
    alert_email: Annotated[
        EmailStr | None, Field(json_schema_extra=_fix("pulumi config set alertEmail ops@example.com"))
    ] = None
    monthly_budget_usd: Annotated[
        int | None,
        Field(gt=0, json_schema_extra=_fix("pulumi config set monthlyBudgetUsd 100 (whole USD > 0)")),
    ] = None

    # ---- Google Cloud Run (used when targets include gcp) ----
    cloud_run_cpu: Annotated[
        int, Field(json_schema_extra=_fix("pulumi config set cloudRunCpu 1 (1, 2, 4, 6 or 8)"))
    ]
    cloud_run_memory: Annotated[
        str,
        Field(
            pattern=r"^[1-9][0-9]*(Mi|Gi)$",
            json_schema_extra=_fix("pulumi config set cloudRunMemory 512Mi (Mi or Gi)"),
        ),
    ]
    cloud_run_concurrency: Annotated[
        int, Field(ge=1, le=1000, json_schema_extra=_fix("pulumi config set cloudRunConcurrency 80"))
    ]
    cloud_run_min_instances: Annotated[
        int, Field(ge=0, le=100, json_schema_extra=_fix("pulumi config set cloudRunMinInstances 0"))
    ]
    cloud_run_max_instances: Annotated[
        int, Field(ge=1, le=1000, json_schema_extra=_fix("pulumi config set cloudRunMaxInstances 3"))
    ]
    cloud_run_cpu_always_allocated: bool
    cloud_run_ingress: Annotated[
        CloudRunIngress,
        Field(
            json_schema_extra=_fix(
                "pulumi config set cloudRunIngress all|internal|internal-and-cloud-load-balancing"
            )
        ),
    ]
    cloud_run_public: bool
    cloud_run_invokers: tuple[IamMember, ...] = ()
    cloud_run_deletion_protection: bool
    cloud_run_request_timeout_seconds: Annotated[
        int,
        Field(ge=1, le=3600, json_schema_extra=_fix("pulumi config set cloudRunRequestTimeoutSeconds 60")),
    ]
    gcp_populated_secrets: tuple[GcpAppSecret, ...] = ()
    gcp_secret_write_version: Annotated[
        int, Field(ge=1, json_schema_extra=_fix("pulumi config set gcpSecretWriteVersion 2 (bump by one)"))
    ]
    artifact_keep_count: Annotated[
        int, Field(ge=1, le=100, json_schema_extra=_fix("pulumi config set artifactKeepCount 10"))
    ]

    # ---- Local Docker stack (targets: [local]) ----
    local_web_port: Annotated[
        int, Field(ge=1024, le=65535, json_schema_extra=_fix("pulumi config set localWebPort 8000"))
    ]
    local_postgres_port: Annotated[
        int,
        Field(ge=0, le=65535, json_schema_extra=_fix("pulumi config set localPostgresPort 55432 (0=off)")),
    ]
    local_postgres_image: Annotated[
        str,
        Field(
            pattern=_PINNED_IMAGE.pattern,
            json_schema_extra=_fix("pulumi config set localPostgresImage postgres:17.6-bookworm"),
        ),
    ]
    local_redis_image: Annotated[
        str,
        Field(
            pattern=_PINNED_IMAGE.pattern,
            json_schema_extra=_fix("pulumi config set localRedisImage valkey/valkey:8.1.3-bookworm"),
        ),
    ]

    @field_validator("db_monitoring_interval_seconds")
    @classmethod
    def _monitoring_interval(cls, value: int) -> int:
        if value not in ENHANCED_MONITORING_INTERVALS:
            raise ValueError(f"must be one of {ENHANCED_MONITORING_INTERVALS} (0 turns it off)")
        return value

    @field_validator("cloud_run_cpu")
    @classmethod
    def _cloud_run_cpu(cls, value: int) -> int:
        if value not in _CLOUD_RUN_CPUS:
            raise ValueError(f"must be one of {_CLOUD_RUN_CPUS} whole vCPUs")
        return value

    @field_validator("nightly_cron")
    @classmethod
    def _standard_cron(cls, value: str) -> str:
        # One five-field cron serves EventBridge (converted) and Cloud Scheduler (as is).
        if len(value.split()) != 5 or not croniter.is_valid(value):
            raise ValueError("must be a five-field cron expression such as '0 2 * * *'")
        eventbridge_cron(value)  # raises when AWS cannot express it
        return value

    @field_validator("nightly_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        if value not in zoneinfo.available_timezones():
            raise ValueError("must be an IANA time zone name such as UTC or Europe/Berlin")
        return value

    @field_validator("cors_origins")
    @classmethod
    def _no_wildcard_origin(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(origin.strip() == "*" for origin in value):
            raise ValueError("must list origins explicitly; '*' is refused")
        return value

    @field_validator("targets")
    @classmethod
    def _distinct_targets(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError("lists a target twice")
        return value

    @field_validator("vpc_cidr")
    @classmethod
    def _vpc_size(cls, value: ipaddress.IPv4Network) -> ipaddress.IPv4Network:
        if not 16 <= value.prefixlen <= 24:
            raise ValueError("must be a /16 to /24 network")
        return value


Problem = tuple[str, str]  # (key, what is wrong and how to fix it)


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
    return problems + _compute_problems(s) + _cloud_run_problems(s)


# Fargate's allowed task sizes: CPU units -> (lowest MiB, highest MiB, step MiB).
FARGATE_MEMORY: dict[int, tuple[int, int, int]] = {
    256: (512, 2048, 512),  # 512, 1024, 2048 (1536 is not offered)
    512: (1024, 4096, 1024),
    1024: (2048, 8192, 1024),
    2048: (4096, 16384, 1024),
    4096: (8192, 30720, 1024),
    8192: (16384, 61440, 4096),
    16384: (32768, 122880, 8192),
}
LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557)


def fargate_memory_choices(cpu: int) -> list[int]:
    """Memory sizes (MiB) Fargate accepts with `cpu` units; empty if `cpu` is not a Fargate size."""
    if cpu == 256:
        return [512, 1024, 2048]
    low, high, step = FARGATE_MEMORY.get(cpu, (0, -1, 1))
    return list(range(low, high + 1, step))


def _fargate_size_problems(role: str, cpu: int, memory: int) -> list[Problem]:
    if cpu not in FARGATE_MEMORY:
        return [(f"{role}Cpu", f"{cpu} is not a Fargate size; use one of {sorted(FARGATE_MEMORY)}")]
    if memory not in fargate_memory_choices(cpu):
        low, high, step = FARGATE_MEMORY[cpu]
        return [
            (
                f"{role}Memory",
                f"{memory} is not allowed with {role}Cpu {cpu}; Fargate takes {low}-{high} MiB in steps of "
                f"{step}. Fix: pulumi config set {role}Memory {low}",
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
    arn = r"arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[\w-]+"
    if s.certificate_arn and not re.fullmatch(arn, s.certificate_arn):
        problems.append(("certificateArn", f"{s.certificate_arn!r} is not an ACM certificate ARN"))
    return problems


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


@dataclass(frozen=True)
class SecretInputs:
    """Optional secret values from `pulumi config set --secret`; None means "set out of band"."""

    huggingface_api_key: pulumi.Output[str] | None
    gemini_api_key: pulumi.Output[str] | None
    anthropic_api_key: pulumi.Output[str] | None
    synced_token: pulumi.Output[str] | None

    def provider_keys(self) -> dict[str, pulumi.Output[str] | None]:
        """The AI provider keys, by the env variable the app reads each from."""
        return {
            ENV.HUGGINGFACE_API_KEY: self.huggingface_api_key,
            ENV.GEMINI_API_KEY: self.gemini_api_key,
            ENV.ANTHROPIC_API_KEY: self.anthropic_api_key,
        }


@dataclass(frozen=True)
class StackConfig:
    """Everything the program needs to know about the stack it deploys."""

    project: str
    stack: str
    aws_region: str
    settings: StackSettings
    secrets: SecretInputs
    gcp_project: str = ""
    gcp_region: str = ""

    @property
    def base_name(self) -> str:
        return f"{self.project}-{self.stack}"

    @property
    def tags(self) -> dict[str, str]:
        return {
            "project": self.project,
            "stack": self.stack,
            "owner": self.settings.owner,
            "cost-center": self.settings.cost_center,
            "managed-by": "pulumi",
        }


def _all_project_config() -> dict[str, Any]:
    # pulumi.Config offers no way to list keys; the runtime keeps them in PULUMI_CONFIG (a real run) and
    # in its config context (set_all_config in tests). Unknown keys can only be found by listing them.
    merged = {**(runtime_config.get_config_env() or {}), **runtime_config.CONFIG.get()}
    prefix = f"{PROJECT}:"
    return {key[len(prefix) :]: value for key, value in merged.items() if key.startswith(prefix)}


def _wants_string(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _wants_string(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return all(_wants_string(a) for a in typing.get_args(annotation) if a is not type(None))
    # str, Literal of strings, EmailStr and IPv4Network are all given as text.
    return not (origin is tuple or annotation in (int, bool, float))


_STRING_KEYS = frozenset(
    field.alias
    for field in StackSettings.model_fields.values()
    if field.alias and _wants_string(field.annotation)
)


def _decode(value: Any) -> Any:
    # The engine hands every value over as a string; arrays and numbers arrive JSON-encoded.
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _describe(error: ErrorDetails, known_keys: list[str]) -> str:
    key = ".".join(str(part) for part in error["loc"]) or "(stack)"
    if error["type"] == "extra_forbidden":
        close = difflib.get_close_matches(str(error["loc"][0]), known_keys, n=1)
        hint = f"did you mean `{close[0]}`?" if close else "it is not a Launchpad setting"
        return f"{PROJECT}:{key}: unknown key ({hint}). Fix: pulumi config rm {key}"
    if error["type"] == "missing":
        return f"{PROJECT}:{key}: required but not set. Fix: declare it in Pulumi.yaml or the stack file"
    field = StackSettings.model_fields.get(_snake(str(error["loc"][0])))
    extra = field.json_schema_extra if field is not None else None
    fix = extra.get("fix") if isinstance(extra, dict) else None
    if fix is None and field is not None:
        top = str(error["loc"][0])
        fix = (
            f"pulumi config set {top} true|false"
            if field.annotation is bool
            else f"set {top} as its description in Pulumi.yaml says"
        )
    got = f" (got {error['input']!r})" if "input" in error and not isinstance(error["input"], dict) else ""
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "string_pattern_mismatch":
        message = "has an invalid format"
    return f"{PROJECT}:{key}: {message}{got}." + (f" Fix: {fix}" if fix else "")


def _snake(camel: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", camel).lower()


def parse_settings(raw: dict[str, Any]) -> StackSettings:
    """Validates raw `launchpad:*` values (JSON strings or decoded) into settings, or raises ConfigError."""
    # The engine hands values over as strings; JSON-decode only where the field wants a number, a bool or
    # a list, so a string that merely looks like a number (dbEngineVersion "17") stays a string.
    plain = {
        key: value if key in _STRING_KEYS else _decode(value)
        for key, value in raw.items()
        if key not in SECRET_KEYS
    }
    known = [to_camel(name) for name in StackSettings.model_fields] + list(SECRET_KEYS)
    try:
        settings = StackSettings.model_validate(plain)
    except ValidationError as exc:
        raise ConfigError([_describe(e, known) for e in exc.errors()]) from None
    problems = cross_field_problems(settings)
    if problems:
        raise ConfigError([f"{PROJECT}:{key}: {message}" for key, message in problems])
    return settings


def load() -> StackConfig:
    """Reads and validates the current stack's configuration. Call before creating any resource."""
    settings = parse_settings(_all_project_config())
    region = pulumi.Config("aws").get("region")
    gcp = pulumi.Config("gcp")
    gcp_project, gcp_region = gcp.get("project"), gcp.get("region")
    problems = []
    if "aws" in settings.targets and not region:
        problems.append(
            "aws:region: required when targets include aws. Fix: pulumi config set aws:region us-east-1"
        )
    if "gcp" in settings.targets:
        problems += [
            f"gcp:{key}: required when targets include gcp. Fix: pulumi config set gcp:{key} {example}"
            for key, value, example in (
                ("project", gcp_project, "my-project-id"),
                ("region", gcp_region, "us-central1"),
            )
            if not value
        ]
        base_name = f"{pulumi.get_project()}-{pulumi.get_stack()}"
        if len(base_name) > GCP_MAX_BASE_NAME:
            problems.append(
                f"stack name: `{base_name}` is longer than {GCP_MAX_BASE_NAME} characters, too long for the "
                "service account ids derived from it (30 at most). Fix: use a shorter stack name"
            )
    if problems:
        raise ConfigError(problems)
    project_config = pulumi.Config(PROJECT)
    secrets = SecretInputs(*(project_config.get_secret(key) for key in SECRET_KEYS))
    return StackConfig(
        project=pulumi.get_project(),
        stack=pulumi.get_stack(),
        aws_region=region or "",
        settings=settings,
        secrets=secrets,
        gcp_project=gcp_project or "",
        gcp_region=gcp_region or "",
    )
