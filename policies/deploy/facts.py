"""Numbers and enumerations the clouds enforce, each stated once with its source.

The deploy-constraint table (`table.py`) checks every planned resource against them; `stack_config`
and the components read the same values to refuse bad settings early and to size the names they make.
"""

from __future__ import annotations

# Pulumi autonaming: the logical name, "-", then 7 random hex characters; with a maximum length the name
# is refused, not cut ("name '...' plus 7 random chars is longer than maximum length N"):
# pulumi/pulumi sdk/go/common/resource/resource_id.go NewUniqueName, called by the bridge's AutoName.
AUTONAME_SUFFIX_LENGTH = 8
# Terraform's `name_prefix` appends id.PrefixedUniqueId's 26 characters (a UTC timestamp and a counter)
# (terraform-plugin-sdk helper/id: UniqueIDSuffixLength = 26).
NAME_PREFIX_SUFFIX_LENGTH = 26

# The stack name is part of most physical names; 20 characters keep every one inside its limit.
STACK_NAME_MAX = 20
STACK_NAME_PATTERN = r"[a-z0-9]+(-[a-z0-9]+)*"

# CloudWatch Logs PutRetentionPolicy, `retentionInDays`
# (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html).
LOG_RETENTION_DAYS = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
    3653,
)  # fmt: skip

# Fargate task sizes: CPU units -> allowed memory in MiB
# (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size).
FARGATE_TASK_SIZES: dict[int, tuple[int, ...]] = {
    256: (512, 1024, 2048),
    512: tuple(range(1024, 4096 + 1, 1024)),
    1024: tuple(range(2048, 8192 + 1, 1024)),
    2048: tuple(range(4096, 16384 + 1, 1024)),
    4096: tuple(range(8192, 30720 + 1, 1024)),
    8192: tuple(range(16384, 61440 + 1, 4096)),
    16384: tuple(range(32768, 122880 + 1, 8192)),
}
FARGATE_CPU_ARCHITECTURES = ("X86_64", "ARM64")
# Fargate's capacity providers: every account has them; a cluster must be associated with one before a
# strategy names it (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html).
FARGATE_ON_DEMAND, FARGATE_SPOT = "FARGATE", "FARGATE_SPOT"
# Fargate Spot runs Linux X86_64 tasks on platform version 1.3.0 or later and Linux ARM64 (Graviton) tasks
# on 1.4.0 or later (the same page). ARM64 on Spot launched on 2024-09-06 ("Amazon ECS now supports AWS
# Graviton-based Spot compute with AWS Fargate", aws.amazon.com/about-aws/whats-new/2024/09/); the
# statements that Spot refuses ARM64 (aws/containers-roadmap#1594, #2202, an old CloudFormation note on
# Batch) predate it, and roadmap issue #2407 on that very error is closed as shipped.
FARGATE_SPOT_MIN_PLATFORM: dict[str, tuple[int, int, int]] = {"X86_64": (1, 3, 0), "ARM64": (1, 4, 0)}
# Zones where Fargate runs no Linux task of an architecture, by zone ID: an ID names the same physical
# zone in every account, a name (us-east-1a) does not
# (https://docs.aws.amazon.com/ram/latest/userguide/working-with-az-ids.html). Every architecture: the
# zones the Fargate Regions table leaves out (us-west-1: usw1-az1 and usw1-az3 only; ap-northeast-1:
# apne1-az1, -az2 and -az4 only; https://docs.aws.amazon.com/AmazonECS/latest/developerguide/AWS_Fargate-Regions.html).
# ARM64 (Graviton) also not in use1-az3, as AWS's review of this stack found (issue 22).
_FARGATE_NO_LINUX_ZONE_IDS = ("usw1-az2", "apne1-az3")
FARGATE_UNSUPPORTED_ZONE_IDS: dict[str, tuple[str, ...]] = {
    "X86_64": _FARGATE_NO_LINUX_ZONE_IDS,
    "ARM64": (*_FARGATE_NO_LINUX_ZONE_IDS, "use1-az3"),
}
# A strategy item's base is 0-100,000 tasks and its weight 0-1,000 (terraform-provider-aws
# internal/service/ecs/service.go and scheduler/schedule.go validators); a schedule takes at most 6 items.
STRATEGY_BASE_MAX, STRATEGY_WEIGHT_MAX, SCHEDULE_STRATEGY_ITEMS = 100_000, 1_000, 6
# ECS ContainerDefinition.stopTimeout on Fargate: at most 120 s
# (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html).
FARGATE_MAX_STOP_TIMEOUT = 120

# CloudWatch PutMetricAlarm: period x evaluation periods is at most a day when the period is under an hour,
# else at most seven days
# (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html).
DAY_SECONDS, WEEK_SECONDS = 86_400, 7 * 86_400


def alarm_evaluation_limit(period: int) -> int:
    """The most seconds of data an alarm with this period may evaluate (period x evaluation periods)."""
    return DAY_SECONDS if period < 3600 else WEEK_SECONDS


# AWS Budgets notifies at most 10 e-mail subscribers (and one topic) per notification
# (https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_NotificationWithSubscribers.html).
AWS_BUDGET_EMAILS_MAX = 10
# A Google Cloud billing budget: a display name of at most 60 characters, at most 5 notification channels
# (terraform-provider-google-beta billingbudgets/resource_billing_budget.go).
GCP_BUDGET_DISPLAY_NAME_MAX, GCP_BUDGET_CHANNELS_MAX = 60, 5

# RDS enhanced monitoring intervals; 0 turns it off
# (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html, MonitoringInterval).
RDS_MONITORING_INTERVALS = (0, 1, 5, 10, 15, 30, 60)
# Storage autoscaling: the maximum storage threshold must be at least 10 % above the allocated storage, or
# RDS refuses it ("Invalid max storage size for engine"); 0 turns autoscaling off
# (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIOPS.Autoscaling.html).
RDS_MAX_STORAGE_HEADROOM = 1.1


def rds_max_storage_floor(allocated_gb: int) -> int:
    """The least maximum storage threshold RDS accepts above `allocated_gb` (whole GiB)."""
    return -(-allocated_gb * 11 // 10)  # ceil(allocated x 1.1) in integers: 1.1 is not exact in binary


# CloudFront serves only ACM certificates from us-east-1
# (https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html).
CLOUDFRONT_CERTIFICATE_REGION = "us-east-1"

# Tag values common to AWS services: letters, digits, spaces and + - = . _ : / @, at most 256
# (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions).
TAG_VALUE_PATTERN = r"^[A-Za-z0-9_ .:/=+\-@]{1,256}$"  # ASCII: stricter than AWS, valid everywhere

# Memory of RDS instance classes, in GiB, from the class name: burstable (t3, t4g) sizes have fixed memory;
# general purpose (m*) has 4 GiB, memory optimized (r*) 8 GiB and x2g 16 GiB per vCPU, with 2 vCPUs in a
# `large`, 4 in an `xlarge` and 4N in an `Nxlarge` (https://aws.amazon.com/rds/instance-types/).
_BURSTABLE_GIB = {"micro": 1, "small": 2, "medium": 4, "large": 8, "xlarge": 16, "2xlarge": 32}
_GIB_PER_VCPU = {"m": 4, "r": 8, "x": 16}


def rds_memory_gib(instance_class: str) -> int | None:
    """The class's memory, or None when the name is not a class RDS offers (db.m5.micro, db.t4g.4xlarge)."""
    parts = instance_class.split(".")
    if len(parts) != 3 or parts[0] != "db":
        return None
    family, size = parts[1], parts[2]
    if family in ("t3", "t4g"):
        return _BURSTABLE_GIB.get(size)
    per_vcpu = _GIB_PER_VCPU.get(family[0])
    if per_vcpu is None:
        return None
    if size == "large":
        return 2 * per_vcpu
    multiple = size.removesuffix("xlarge")
    if size.endswith("xlarge") and (multiple == "" or multiple.isdigit()):
        return 4 * (int(multiple) if multiple else 1) * per_vcpu
    return None
