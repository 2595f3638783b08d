"""The validated shape of a stack's `launchpad:*` keys: types, ranges and formats of each key alone.

Every project key is flat and camelCase (`launchpad:dbMultiAz`), so Pulumi's own project-level schema in
`Pulumi.yaml` can declare its type, description and default; this model adds what that schema cannot say.
Rules between keys live in `rules.py`.
"""

from __future__ import annotations

import ipaddress
import re
import zoneinfo
from typing import Annotated, Literal

from croniter import croniter
from pydantic import AfterValidator, ConfigDict, Field, field_validator
from pydantic.alias_generators import to_camel

from app import contract
from app.contract import DeploymentEnv
from cloud_facts.aws.api import TAG_VALUE_PATTERN
from cloud_facts.aws.elasticache import ELASTICACHE_SNAPSHOT_RETENTION_DAYS
from cloud_facts.aws.rds import RDS_BACKUPS_ON_DAYS, RDS_MONITORING_INTERVALS, rds_memory_gib
from cloud_facts.aws.scheduler import eventbridge_cron
from stack_config.compute import ComputeSettings
from stack_config.gcp import GcpSettings
from stack_config.hints import fix as _fix
from stack_config.monitoring import MonitoringSettings

NatStrategy = Literal["none", "single", "per_az"]
Target = Literal["aws", "gcp", "local"]
CpuArchitecture = Literal["arm64", "x86_64"]
_CLOUD_RUN_CPUS = (1, 2, 4, 6, 8)
EdgeMode = Literal["cloudfront", "alb"]
CloudRunIngress = Literal["all", "internal", "internal-and-cloud-load-balancing"]


def _gcp_secret(name: str) -> str:
    """One of the app secrets kept in Secret Manager on GCP (app/contract.py APP_SECRETS)."""
    kept = [secret.name for secret in contract.app_secrets("gcp")]
    if name not in kept:
        raise ValueError(f"{name!r} is not a secret the gcp target keeps ({', '.join(kept)})")
    return name


# Listed in gcpPopulatedSecrets once a value exists.
GcpAppSecret = Annotated[str, AfterValidator(_gcp_secret)]
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


class StackSettings(MonitoringSettings, ComputeSettings, GcpSettings):
    """The validated shape of the `launchpad:*` keys. Field names are snake_case; keys are camelCase.
    The alerting, alarm and budget keys are declared in `monitoring.py`, the ECS task sizes, counts and
    capacity in `compute.py`, the Google Cloud data tier and worker in `gcp.py` (all inherited)."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=False, extra="forbid", frozen=True, strict=False
    )

    # Both become tag values on every resource: AWS's common tag rule (letters, digits, spaces and
    # + - = . _ : / @, at most 256) is the strictest of the services tagged.
    owner: Annotated[
        str, Field(pattern=TAG_VALUE_PATTERN, json_schema_extra=_fix("pulumi config set owner <team>"))
    ]
    cost_center: Annotated[
        str, Field(pattern=TAG_VALUE_PATTERN, json_schema_extra=_fix("pulumi config set costCenter <code>"))
    ]
    targets: Annotated[
        tuple[Target, ...],
        Field(min_length=1, json_schema_extra=_fix("pulumi config set --path 'targets[0]' aws")),
    ]
    deployment_env: Annotated[
        DeploymentEnv,
        Field(
            json_schema_extra=_fix(
                f"pulumi config set deploymentEnv {'|'.join(contract.DEPLOYMENT_ENVIRONMENTS)}"
            )
        ),
    ]
    cpu_architecture: Annotated[
        CpuArchitecture, Field(json_schema_extra=_fix("pulumi config set cpuArchitecture arm64|x86_64"))
    ]
    cors_origins: tuple[AnyHttpUrlStr, ...]
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
    public_subnet_cidrs: tuple[ipaddress.IPv4Network, ...]
    private_subnet_cidrs: tuple[ipaddress.IPv4Network, ...]
    isolated_subnet_cidrs: tuple[ipaddress.IPv4Network, ...]
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
        int,
        Field(
            ge=RDS_BACKUPS_ON_DAYS[0],
            le=RDS_BACKUPS_ON_DAYS[1],
            json_schema_extra=_fix("pulumi config set dbBackupRetentionDays 14"),
        ),
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
        int,
        Field(
            ge=ELASTICACHE_SNAPSHOT_RETENTION_DAYS[0],
            le=ELASTICACHE_SNAPSHOT_RETENTION_DAYS[1],
            json_schema_extra=_fix("pulumi config set cacheSnapshotRetentionDays 7"),
        ),
    ]

    uploads_expire_days: Annotated[
        int, Field(ge=1, le=3650, json_schema_extra=_fix("pulumi config set uploadsExpireDays 30"))
    ]
    noncurrent_version_expire_days: Annotated[
        int,
        Field(ge=1, le=3650, json_schema_extra=_fix("pulumi config set noncurrentVersionExpireDays 30")),
    ]
    access_logs: bool

    # ---- compute (AWS ECS Fargate, ALB, WAF); task sizes, counts and capacity are in compute.py ----
    log_retention_days: Annotated[
        int,
        Field(json_schema_extra=_fix("pulumi config set logRetentionDays 30 (a CloudWatch retention value)")),
    ]
    ecs_exec: bool
    waf_enabled: bool
    waf_requests_per_minute: Annotated[
        int,
        # The AWS provider validates 100-2e9 at plan time (wafv2 schemas.go), stricter than the API's 10.
        Field(ge=100, le=2_000_000_000, json_schema_extra=_fix("pulumi config set wafRequestsPerMinute 600")),
    ]
    alb_deletion_protection: bool
    domain_name: Annotated[
        str,
        Field(json_schema_extra=_fix("pulumi config set domainName api.example.com (or '' for HTTP only)")),
    ]
    hosted_zone_id: Annotated[
        str, Field(json_schema_extra=_fix("pulumi config set hostedZoneId Z0123456789ABC (Route 53 zone)"))
    ]
    certificate_arn: Annotated[
        str,
        Field(
            json_schema_extra=_fix("pulumi config set certificateArn arn:aws:acm:... (or use hostedZoneId)")
        ),
    ]
    ecr_keep_images: Annotated[
        int, Field(ge=1, le=1000, json_schema_extra=_fix("pulumi config set ecrKeepImages 20"))
    ]

    edge: Annotated[EdgeMode, Field(json_schema_extra=_fix("pulumi config set edge cloudfront|alb"))]

    # ---- lifecycle: can `pulumi destroy` remove data, and can the stack be re-created right after? ----
    force_destroy_data: bool
    secret_recovery_days: Annotated[
        int,
        Field(
            json_schema_extra=_fix(
                "pulumi config set secretRecoveryDays 0 (deleted at once) or 7-30 (recoverable that long)"
            )
        ),
    ]

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
    cloud_run_invokers: tuple[IamMember, ...]
    cloud_run_deletion_protection: bool
    cloud_run_request_timeout_seconds: Annotated[
        int,
        Field(ge=1, le=3600, json_schema_extra=_fix("pulumi config set cloudRunRequestTimeoutSeconds 60")),
    ]
    gcp_populated_secrets: tuple[GcpAppSecret, ...]
    gcp_secret_write_version: Annotated[
        int, Field(ge=1, json_schema_extra=_fix("pulumi config set gcpSecretWriteVersion 2 (bump by one)"))
    ]
    artifact_keep_count: Annotated[
        int, Field(ge=1, le=100, json_schema_extra=_fix("pulumi config set artifactKeepCount 10"))
    ]
    # A rollback pins an image the stack ran before (delivery/rollback.py); empty builds one.
    image_digest: Annotated[
        str,
        Field(
            pattern=r"^(sha256:[0-9a-f]{64})?$",
            json_schema_extra=_fix("pulumi config set imageDigest sha256:<64 hex> (or '' to build)"),
        ),
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

    @property
    def fargate_architecture(self) -> Literal["ARM64", "X86_64"]:
        """ECS's name for cpuArchitecture (the task definition's runtimePlatform.cpuArchitecture)."""
        return "ARM64" if self.cpu_architecture == "arm64" else "X86_64"

    @field_validator("db_monitoring_interval_seconds")
    @classmethod
    def _monitoring_interval(cls, value: int) -> int:
        if value not in RDS_MONITORING_INTERVALS:
            raise ValueError(f"must be one of {RDS_MONITORING_INTERVALS} (0 turns it off)")
        return value

    @field_validator("db_instance_class")
    @classmethod
    def _offered_class(cls, value: str) -> str:
        # The database alarms size their memory and connection thresholds from the class's memory.
        if rds_memory_gib(value) is None:
            raise ValueError("is not a class RDS offers (t3/t4g: micro..2xlarge; m/r/x2g: large, Nxlarge)")
        return value

    @field_validator("secret_recovery_days")
    @classmethod
    def _recovery_window(cls, value: int) -> int:
        if value != 0 and not 7 <= value <= 30:
            raise ValueError("must be 0 (delete at once) or 7-30 days (Secrets Manager's recovery window)")
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
