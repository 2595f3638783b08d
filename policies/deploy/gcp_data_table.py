"""What Google Cloud refuses at create time in the managed data tier and its workloads: the network, Cloud
KMS, Cloud SQL, Memorystore, Cloud Storage, the worker pool, the jobs and their scheduler."""

from __future__ import annotations

from cloud_facts.checks import AllOf, Between, Forbidden, Length, OneOf, Pattern, TimeZone
from cloud_facts.gcp.cloud_run import RUN_NAME_MAX, CloudRunSizing, JobNameAndToken
from cloud_facts.gcp.cloud_sql import CloudSqlInstanceId, CloudSqlMachine
from cloud_facts.gcp.formats import ArtifactRegistryImage, SoftDelete, UnixCron
from cloud_facts.gcp.monitoring import Duration
from policies.deploy.gcp_table import AR_PATHS, GCP, RFC1035
from policies.deploy.limit import Limit

TF = "https://github.com/hashicorp/terraform-provider-google/blob/main/google/services/"
SQL = "gcp:sql/databaseInstance:DatabaseInstance"
REDIS = "gcp:redis/instance:Instance"
BUCKET = "gcp:storage/bucket:Bucket"
JOB = "gcp:cloudrunv2/job:Job"
POOL = "gcp:cloudrunv2/workerPool:WorkerPool"
SCHEDULER = "gcp:cloudscheduler/job:Job"
NAME_63 = AllOf([Length(63), RFC1035])
KMS_NAME = Pattern(r"[A-Za-z0-9_-]{1,63}", "1-63 letters, digits, _ and -")

_NETWORK = (
    Limit(
        "gcp-network-name",
        "gcp:compute/network:Network",
        "name",
        NAME_63,
        GCP + "compute/docs/naming-resources",
    ),
    Limit(
        "gcp-subnet-name",
        "gcp:compute/subnetwork:Subnetwork",
        "name",
        NAME_63,
        GCP + "compute/docs/naming-resources",
    ),
    Limit(
        "gcp-services-range-name",
        "gcp:compute/globalAddress:GlobalAddress",
        "name",
        NAME_63,
        GCP + "compute/docs/naming-resources",
    ),
    Limit(
        "gcp-services-range-prefix",
        "gcp:compute/globalAddress:GlobalAddress",
        "prefixLength",
        Between(8, 24),
        GCP + "vpc/docs/configure-private-services-access#allocating-range (a /24 or larger)",
        at="up",
    ),
    Limit(
        "gcp-services-peering-service",
        "gcp:servicenetworking/connection:Connection",
        "service",
        OneOf(("servicenetworking.googleapis.com",)),
        GCP + "vpc/docs/configure-private-services-access#creating-connection",
        at="up",
    ),
)

_KMS = (
    Limit(
        "gcp-kms-key-ring-name",
        "gcp:kms/keyRing:KeyRing",
        "name",
        KMS_NAME,
        GCP + "kms/docs/reference/rest/v1/projects.locations.keyRings/create",
        at="up",
    ),
    Limit(
        "gcp-kms-key-name",
        "gcp:kms/cryptoKey:CryptoKey",
        "name",
        KMS_NAME,
        GCP + "kms/docs/reference/rest/v1/projects.locations.keyRings.cryptoKeys/create",
        at="up",
    ),
    Limit(
        "gcp-kms-rotation-period",
        "gcp:kms/cryptoKey:CryptoKey",
        "rotationPeriod",
        Duration(86_400),
        TF + "kms/kms_utils.go (validateKmsCryptoKeyRotationPeriod)",
    ),
    Limit(
        "gcp-kms-destroy-duration",
        "gcp:kms/cryptoKey:CryptoKey",
        "destroyScheduledDuration",
        Duration(86_400, 120 * 86_400),
        GCP + "kms/docs/create-key#customize-destruction-duration (1-120 days)",
        at="up",
    ),
)

_SQL = (
    Limit(
        "gcp-sql-instance-name",
        SQL,
        "",
        CloudSqlInstanceId(),
        GCP + "sql/docs/postgres/instance-settings",
        at="up",
    ),
    Limit(
        "gcp-sql-machine",
        SQL,
        "",
        CloudSqlMachine(),
        TF + "sql/resource_sql_database_instance.go (tier, edition, transaction_log_retention_days)",
        at="up",
    ),
    Limit(
        "gcp-sql-version",
        SQL,
        "databaseVersion",
        Pattern(r"POSTGRES_(1[3-8])", "POSTGRES_13 to POSTGRES_18"),
        GCP + "sql/docs/db-versions",
        at="up",
    ),
    Limit(
        "gcp-sql-availability",
        SQL,
        "settings.availabilityType",
        OneOf(("ZONAL", "REGIONAL")),
        TF + "sql/resource_sql_database_instance.go (availability_type)",
    ),
    Limit(
        "gcp-sql-disk-size",
        SQL,
        "settings.diskSize",
        Between(10, 65_536),
        TF + "sql/resource_sql_database_instance.go (disk_size: at least 10 GB on SSD)",
        at="up",
    ),
    Limit(
        "gcp-sql-backup-start",
        SQL,
        "settings.backupConfiguration.startTime",
        Pattern(r"([01][0-9]|2[0-3]):[0-5][0-9]", "HH:MM in UTC"),
        GCP + "sql/docs/postgres/backup-recovery/backups",
        at="up",
    ),
    Limit(
        "gcp-sql-retained-backups",
        SQL,
        "settings.backupConfiguration.backupRetentionSettings.retainedBackups",
        Between(1, 365),
        GCP + "sql/docs/postgres/backup-recovery/backups#retention",
        at="up",
    ),
    Limit(
        "gcp-sql-maintenance-day",
        SQL,
        "settings.maintenanceWindow.day",
        Between(1, 7),
        TF + "sql/resource_sql_database_instance.go (maintenance_window.day)",
    ),
    Limit(
        "gcp-sql-maintenance-hour",
        SQL,
        "settings.maintenanceWindow.hour",
        Between(0, 23),
        TF + "sql/resource_sql_database_instance.go (maintenance_window.hour)",
    ),
)

_REDIS = (
    Limit(
        "gcp-redis-name",
        REDIS,
        "name",
        AllOf([Pattern(r"[a-z][a-z0-9-]{0,39}[a-z0-9]", "a letter first, a-z 0-9 -, no - last"), Length(40)]),
        TF + "redis/resource_redis_instance.go (name) and the API's 40 characters",
    ),
    Limit(
        "gcp-redis-memory",
        REDIS,
        "memorySizeGb",
        Between(1, 300),
        GCP + "memorystore/docs/redis/pricing",
        at="up",
    ),
    Limit(
        "gcp-redis-tier",
        REDIS,
        "tier",
        OneOf(("BASIC", "STANDARD_HA")),
        TF + "redis/resource_redis_instance.go (tier)",
    ),
    Limit(
        "gcp-redis-version",
        REDIS,
        "redisVersion",
        OneOf(("REDIS_3_2", "REDIS_4_0", "REDIS_5_0", "REDIS_6_X", "REDIS_7_0", "REDIS_7_2")),
        GCP + "memorystore/docs/redis/supported-versions",
        at="up",
    ),
    Limit(
        "gcp-redis-transit-encryption",
        REDIS,
        "transitEncryptionMode",
        OneOf(("SERVER_AUTHENTICATION", "DISABLED")),
        TF + "redis/resource_redis_instance.go (transit_encryption_mode)",
    ),
    Limit(
        "gcp-redis-connect-mode",
        REDIS,
        "connectMode",
        OneOf(("DIRECT_PEERING", "PRIVATE_SERVICE_ACCESS")),
        TF + "redis/resource_redis_instance.go (connect_mode)",
    ),
    Limit(
        "gcp-redis-snapshot-period",
        REDIS,
        "persistenceConfig.rdbSnapshotPeriod",
        OneOf(("ONE_HOUR", "SIX_HOURS", "TWELVE_HOURS", "TWENTY_FOUR_HOURS")),
        TF + "redis/resource_redis_instance.go (rdb_snapshot_period)",
    ),
    Limit(
        "gcp-redis-maintenance-day",
        REDIS,
        "maintenancePolicy.weeklyMaintenanceWindows[].day",
        OneOf(("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")),
        TF + "redis/resource_redis_instance.go (weekly_maintenance_window.day)",
    ),
)

_STORAGE = (
    Limit(
        "gcp-bucket-name",
        BUCKET,
        "name",
        AllOf(
            [
                Pattern(r"[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]", "3-63 lower-case letters, digits, -, _ and ."),
                Forbidden(r"^goog|google|g00gle", "no goog prefix, no google in the name"),
            ]
        ),
        GCP + "storage/docs/buckets#naming",
        at="up",
    ),
    Limit(
        "gcp-bucket-public-access-prevention-value",
        BUCKET,
        "publicAccessPrevention",
        OneOf(("enforced", "inherited")),
        TF + "storage/resource_storage_bucket.go (public_access_prevention)",
    ),
    Limit(
        "gcp-bucket-soft-delete",
        BUCKET,
        "softDeletePolicy.retentionDurationSeconds",
        SoftDelete(),
        GCP + "storage/docs/soft-delete#retention-duration",
        at="up",
    ),
    Limit(
        "gcp-bucket-lifecycle-state",
        BUCKET,
        "lifecycleRules[].condition.withState",
        OneOf(("LIVE", "ARCHIVED", "ANY")),
        TF + "storage/resource_storage_bucket.go (with_state)",
    ),
)

_WORKLOADS = (
    Limit(
        "gcp-run-job-name",
        JOB,
        "name",
        NAME_63,
        GCP + "run/docs/reference/rest/v2/projects.locations.jobs/create",
    ),
    Limit(
        "gcp-run-job-token",
        JOB,
        "",
        JobNameAndToken(),
        TF + "cloudrunv2/resource_cloud_run_v2_job.go (run_execution_token)",
        at="up",
    ),
    Limit(
        "gcp-run-job-limits",
        JOB,
        "template.template",
        CloudRunSizing(serves_requests=False),
        GCP + "run/docs/configuring/jobs/memory-limits (CPU: .../jobs/cpu)",
        at="up",
    ),
    Limit(
        "gcp-run-job-retries",
        JOB,
        "template.template.maxRetries",
        Between(0, 10),
        GCP + "run/docs/configuring/max-retries",
        at="up",
    ),
    Limit(
        "gcp-image-path-job",
        JOB,
        "template.template.containers[].image",
        ArtifactRegistryImage(),
        AR_PATHS,
        at="up",
    ),
    Limit(
        "gcp-run-worker-pool-name",
        POOL,
        "name",
        AllOf([Length(RUN_NAME_MAX), RFC1035]),
        GCP + "run/docs/reference/rest/v2/projects.locations.workerPools/create (workerPoolId)",
        at="up",
    ),
    Limit(
        "gcp-run-worker-pool-limits",
        POOL,
        "template",
        CloudRunSizing(serves_requests=False),
        TF + "cloudrunv2/resource_cloud_run_v2_worker_pool.go (resources.limits)",
        at="up",
    ),
    Limit(
        "gcp-image-path-worker-pool",
        POOL,
        "template.containers[].image",
        ArtifactRegistryImage(),
        AR_PATHS,
        at="up",
    ),
    Limit(
        "gcp-scheduler-job-name",
        SCHEDULER,
        "name",
        Pattern(r"[A-Za-z0-9_-]{1,500}", "1-500 letters, digits, _ and -"),
        GCP + "scheduler/docs/reference/rest/v1/projects.locations.jobs#Job",
        at="up",
    ),
    Limit(
        "gcp-scheduler-schedule",
        SCHEDULER,
        "schedule",
        UnixCron(),
        GCP + "scheduler/docs/configuring/cron-job-schedules",
        at="up",
    ),
    Limit(
        "gcp-scheduler-time-zone",
        SCHEDULER,
        "timeZone",
        TimeZone(),
        GCP + "scheduler/docs/reference/rest/v1/projects.locations.jobs#Job",
        at="up",
    ),
    Limit(
        "gcp-scheduler-attempt-deadline",
        SCHEDULER,
        "attemptDeadline",
        Duration(15, 1800),
        TF + "cloudscheduler/resource_cloud_scheduler_job.go (attempt_deadline: 15 s to 30 min for HTTP)",
        at="up",
    ),
    Limit(
        "gcp-log-metric-name",
        "gcp:logging/metric:Metric",
        "name",
        Pattern(r"[A-Za-z0-9_./%+!*'(),-]{1,100}", "1-100 letters, digits and _-.,+!*'()%/"),
        GCP + "logging/docs/reference/v2/rest/v2/projects.metrics#LogMetric",
        at="up",
    ),
)

GCP_DATA_LIMITS: tuple[Limit, ...] = (*_NETWORK, *_KMS, *_SQL, *_REDIS, *_STORAGE, *_WORKLOADS)
