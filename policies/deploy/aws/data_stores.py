"""ElastiCache replication groups and RDS instances: identifiers, windows, sizes, engines."""

from __future__ import annotations

from cloud_facts.autonaming import NAME_PREFIX_SUFFIX_LENGTH
from cloud_facts.aws.elasticache import ELASTICACHE_SNAPSHOT_RETENTION_DAYS
from cloud_facts.aws.maintenance_windows import DAILY_WINDOW, WEEKLY_WINDOW, Windows
from cloud_facts.aws.rds import RDS_BACKUP_RETENTION_DAYS, RDS_MONITORING_INTERVALS, StorageHeadroom
from cloud_facts.checks import AllOf, Between, Forbidden, Length, OneOf, Pattern
from policies.deploy.aws.common import API, DB, LOWER_IDENTIFIER, REPLICATION_GROUP, TF, TF_WINDOWS
from policies.deploy.limit import Limit

_CACHE = TF + "elasticache/"
CACHE_LIMITS = (
    Limit(
        "aws-elasticache-group-id",
        REPLICATION_GROUP,
        "replicationGroupId",
        AllOf([Length(40), LOWER_IDENTIFIER]),
        _CACHE + "replication_group.go (validateReplicationGroupID)",
    ),
    Limit(
        "aws-elasticache-description",
        REPLICATION_GROUP,
        "description",
        Pattern(r".+", "not empty"),
        _CACHE + "replication_group.go (description: StringIsNotEmpty)",
    ),
    Limit(
        "aws-elasticache-auth-token",
        REPLICATION_GROUP,
        "authToken",
        AllOf([Length(128, minimum=16), Pattern(r"[^@\"/]+", 'no @, " or /')]),
        _CACHE + "validate.go (validReplicationGroupAuthToken)",
    ),
    Limit(
        "aws-elasticache-maintenance-window",
        REPLICATION_GROUP,
        "maintenanceWindow",
        Pattern(WEEKLY_WINDOW, "ddd:hh24:mi-ddd:hh24:mi"),
        TF_WINDOWS + " (ValidOnceAWeekWindowFormat)",
    ),
    Limit(
        "aws-elasticache-snapshot-window",
        REPLICATION_GROUP,
        "snapshotWindow",
        Pattern(DAILY_WINDOW, "hh24:mi-hh24:mi"),
        TF_WINDOWS + " (ValidOnceADayWindowFormat)",
    ),
    Limit(
        "aws-elasticache-windows",
        REPLICATION_GROUP,
        "",
        Windows("maintenanceWindow", "snapshotWindow", 60, 60),
        API + "AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html",
        at="up",
    ),
    Limit(
        "aws-elasticache-snapshot-retention",
        REPLICATION_GROUP,
        "snapshotRetentionLimit",
        Between(*ELASTICACHE_SNAPSHOT_RETENTION_DAYS),
        _CACHE + "replication_group.go",
    ),
    Limit(
        "aws-elasticache-subnet-group-name",
        "aws:elasticache/subnetGroup:SubnetGroup",
        "name",
        AllOf([Length(255), Pattern(r"[0-9A-Za-z-]+", "letters, digits and hyphens")]),
        API + "AmazonElastiCache/latest/APIReference/API_CreateCacheSubnetGroup.html",
        at="up",
    ),
)

_RDS = TF + "rds/"
DATABASE_LIMITS = (
    Limit(
        "aws-rds-identifier",
        DB,
        "identifier",
        AllOf([Length(63), LOWER_IDENTIFIER]),
        _RDS + "validate.go (validIdentifier); API_CreateDBInstance: 1-63",
    ),
    Limit(
        "aws-rds-identifier-prefix",
        DB,
        "identifierPrefix",
        AllOf(
            [
                Length(63 - NAME_PREFIX_SUFFIX_LENGTH),
                Pattern(r"[a-z][0-9a-z-]*", "lower-case letters, digits and hyphens, starting with a letter"),
                Forbidden(r"--", "no two hyphens in a row"),
            ]
        ),
        _RDS + "validate.go (validIdentifierPrefix); 63 less the 26 characters Terraform appends",
    ),
    Limit(
        "aws-rds-final-snapshot-identifier",
        DB,
        "finalSnapshotIdentifier",
        AllOf(
            [
                Length(255),
                Pattern(r"[A-Za-z][0-9A-Za-z-]*", "letters, digits and hyphens, starting with a letter"),
                Forbidden(r"--|-$", "no two hyphens in a row and no hyphen last"),
            ]
        ),
        _RDS + "instance.go (final_snapshot_identifier)",
    ),
    Limit(
        "aws-rds-backup-window",
        DB,
        "backupWindow",
        Pattern(DAILY_WINDOW, "hh24:mi-hh24:mi"),
        TF_WINDOWS,
    ),
    Limit(
        "aws-rds-maintenance-window",
        DB,
        "maintenanceWindow",
        Pattern(WEEKLY_WINDOW, "ddd:hh24:mi-ddd:hh24:mi"),
        TF_WINDOWS,
    ),
    Limit(
        "aws-rds-windows-apart",
        DB,
        "",
        Windows("backupWindow", "maintenanceWindow", 30, 30),
        API + "AmazonRDS/latest/APIReference/API_CreateDBInstance.html (PreferredBackupWindow)",
        at="up",
    ),
    Limit(
        "aws-rds-monitoring-interval",
        DB,
        "monitoringInterval",
        OneOf(RDS_MONITORING_INTERVALS),
        _RDS + "instance.go",
    ),
    Limit(
        "aws-rds-backup-retention",
        DB,
        "backupRetentionPeriod",
        Between(*RDS_BACKUP_RETENTION_DAYS),
        _RDS + "instance.go",
    ),
    Limit(
        "aws-rds-storage",
        DB,
        "allocatedStorage",
        Between(20, 65536),
        API + "AmazonRDS/latest/UserGuide/CHAP_Storage.html#gp3-storage",
        at="up",
    ),
    Limit(
        "aws-rds-max-storage-headroom",
        DB,
        "",
        StorageHeadroom("maxAllocatedStorage", "allocatedStorage"),
        API
        + "AmazonRDS/latest/UserGuide/USER_PIOPS.Autoscaling.html (at least 10 % above allocated storage)",
        at="up",
    ),
    Limit(
        "aws-rds-insights-retention",
        DB,
        "performanceInsightsRetentionPeriod",
        OneOf((7, *(31 * month for month in range(1, 24)), 731)),
        API + "AmazonRDS/latest/APIReference/API_CreateDBInstance.html (PerformanceInsightsRetentionPeriod)",
        at="up",
    ),
    Limit(
        "aws-rds-subnet-group-name",
        "aws:rds/subnetGroup:SubnetGroup",
        "name",
        AllOf([Length(255), Pattern(r"[0-9a-z_ .-]+", "lower-case"), Forbidden(r"^default$", "not default")]),
        _RDS + "validate.go (validSubnetGroupName)",
    ),
    Limit(
        "aws-rds-parameter-group-name",
        "aws:rds/parameterGroup:ParameterGroup",
        "name",
        AllOf(
            [Length(255), Pattern(r"[a-z][0-9a-z.-]*", "lower-case"), Forbidden(r"--|-$", "no --, no - last")]
        ),
        _RDS + "validate.go (validParamGroupName)",
    ),
)
