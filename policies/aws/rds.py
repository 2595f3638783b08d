"""RDS PostgreSQL: private, encrypted, patched, audited; highly available where the stack config says so."""

from __future__ import annotations

from pulumi_policy import Severity

from policies.base import ADVISORY, Props, require, require_set, resource_rule
from policies.meta import RuleMeta

INSTANCE = "aws:rds/instance:Instance"
PARAMETER_GROUP = "aws:rds/parameterGroup:ParameterGroup"
MIN_BACKUP_DAYS = 7


def _backups(props: Props) -> list[str]:
    days = props.get("backupRetentionPeriod") or 0
    return [] if days >= MIN_BACKUP_DAYS else [f"backups kept {days:g} days; keep at least {MIN_BACKUP_DAYS}"]


def _final_snapshot(props: Props) -> list[str]:
    # The provider's default for skipFinalSnapshot is false, but Launchpad always sets it; unset is a bug.
    return [] if props.get("skipFinalSnapshot") is False else ["no final snapshot is taken on deletion"]


def _no_password_in_code(props: Props) -> list[str]:
    if props.get("manageMasterUserPassword") is True:
        return []
    return ["the master password is not managed (and rotated) by RDS; set manageMasterUserPassword"]


def _log_exports(props: Props) -> list[str]:
    exports = props.get("enabledCloudwatchLogsExports") or []
    return [] if "postgresql" in exports else ["postgresql logs are not exported to CloudWatch"]


def _insights_encrypted(props: Props) -> list[str]:
    if not props.get("performanceInsightsEnabled"):
        return []
    return [] if props.get("performanceInsightsKmsKeyId") else ["Performance Insights uses AWS's key"]


_monitoring = require_set("monitoringInterval", "enhanced monitoring is off")


def _forces_tls(props: Props) -> list[str]:
    if not str(props.get("family", "")).startswith("postgres"):
        return []
    values = {p.get("name"): str(p.get("value")) for p in props.get("parameters") or []}
    return [] if values.get("rds.force_ssl") == "1" else ["parameter group does not set rds.force_ssl=1"]


RDS_POLICIES = [
    resource_rule(
        RuleMeta(
            "rds-not-public",
            "Databases are not publicly accessible.",
            Severity.CRITICAL,
            "Set publiclyAccessible false and keep the instance in the isolated subnets.",
            checkov=("CKV_AWS_17",),
            trivy=("AWS-0180",),
            fsbp=("RDS.2",),
            cis=("2.3.3",),
        ),
        INSTANCE,
        lambda p: require(p, "publiclyAccessible", False, "the database is publicly accessible"),
    ),
    resource_rule(
        RuleMeta(
            "rds-storage-encrypted",
            "Database storage is encrypted.",
            Severity.HIGH,
            "Set storageEncrypted true with kmsKeyId the stack key (a change that replaces the instance).",
            checkov=("CKV_AWS_16",),
            trivy=("AWS-0080",),
            fsbp=("RDS.3",),
            cis=("2.3.1",),
        ),
        INSTANCE,
        lambda p: require(p, "storageEncrypted", True, "storage is not encrypted"),
    ),
    resource_rule(
        RuleMeta(
            "rds-iam-auth",
            "IAM database authentication is on.",
            Severity.MEDIUM,
            "Set iamDatabaseAuthenticationEnabled true.",
            checkov=("CKV_AWS_161",),
            trivy=("AWS-0176",),
            fsbp=("RDS.10",),
        ),
        INSTANCE,
        lambda p: require(p, "iamDatabaseAuthenticationEnabled", True, "IAM authentication is off"),
    ),
    resource_rule(
        RuleMeta(
            "rds-auto-minor-upgrade",
            "Minor engine versions are applied automatically.",
            Severity.LOW,
            "Set autoMinorVersionUpgrade true (and an engine version that names only the major).",
            checkov=("CKV_AWS_226",),
            fsbp=("RDS.13",),
            cis=("2.3.2",),
        ),
        INSTANCE,
        lambda p: require(p, "autoMinorVersionUpgrade", True, "auto minor version upgrade is off"),
    ),
    resource_rule(
        RuleMeta(
            "rds-managed-master-password",
            "RDS keeps and rotates the master password.",
            Severity.HIGH,
            "Set manageMasterUserPassword true and read the login from its managed secret.",
            checkov=("CKV2_AWS_57",),
            fsbp=("SecretsManager.1",),
        ),
        INSTANCE,
        _no_password_in_code,
    ),
    resource_rule(
        RuleMeta(
            "rds-log-exports",
            "PostgreSQL logs go to CloudWatch.",
            Severity.MEDIUM,
            "Add postgresql to enabledCloudwatchLogsExports.",
            checkov=("CKV_AWS_129",),
            fsbp=("RDS.9",),
        ),
        INSTANCE,
        _log_exports,
    ),
    resource_rule(
        RuleMeta(
            "rds-performance-insights-encrypted",
            "Performance Insights data is encrypted with the stack key.",
            Severity.MEDIUM,
            "Set performanceInsightsKmsKeyId to the stack key whenever Insights is on.",
            checkov=("CKV_AWS_354",),
            trivy=("AWS-0133",),
        ),
        INSTANCE,
        _insights_encrypted,
    ),
    resource_rule(
        RuleMeta(
            "rds-performance-insights",
            "Performance Insights is on.",
            Severity.LOW,
            "Set dbPerformanceInsights true (7 days of history are free).",
            category="operations",
            checkov=("CKV_AWS_353",),
        ),
        INSTANCE,
        lambda p: require(p, "performanceInsightsEnabled", True, "Performance Insights is off"),
        ADVISORY,
    ),
    resource_rule(
        RuleMeta(
            "rds-enhanced-monitoring",
            "Enhanced monitoring is on.",
            Severity.LOW,
            "Set dbMonitoringIntervalSeconds to 60 (or lower).",
            category="operations",
            checkov=("CKV_AWS_118",),
            fsbp=("RDS.6",),
        ),
        INSTANCE,
        _monitoring,
        ADVISORY,
    ),
    resource_rule(
        RuleMeta(
            "rds-multi-az",
            "Databases keep a standby in another zone.",
            Severity.MEDIUM,
            "Set dbMultiAz true.",
            category="availability",
            checkov=("CKV_AWS_157",),
            fsbp=("RDS.5",),
        ),
        INSTANCE,
        lambda p: require(p, "multiAz", True, "the database runs in one zone"),
        ADVISORY,
    ),
    resource_rule(
        RuleMeta(
            "rds-deletion-protection",
            "Databases refuse deletion.",
            Severity.MEDIUM,
            "Set dbDeletionProtection true.",
            category="availability",
            checkov=("CKV_AWS_293",),
            trivy=("AWS-0177",),
            fsbp=("RDS.8",),
        ),
        INSTANCE,
        lambda p: require(p, "deletionProtection", True, "deletion protection is off"),
        ADVISORY,
    ),
    resource_rule(
        RuleMeta(
            "rds-backup-retention",
            f"Backups are kept at least {MIN_BACKUP_DAYS} days.",
            Severity.MEDIUM,
            f"Set dbBackupRetentionDays to {MIN_BACKUP_DAYS} or more.",
            category="availability",
            checkov=("CKV_AWS_133",),
            trivy=("AWS-0077",),
            fsbp=("RDS.11",),
        ),
        INSTANCE,
        _backups,
        ADVISORY,
    ),
    resource_rule(
        RuleMeta(
            "rds-final-snapshot",
            "Deleting a database leaves a final snapshot.",
            Severity.LOW,
            "Set dbFinalSnapshot true.",
            category="availability",
        ),
        INSTANCE,
        _final_snapshot,
        ADVISORY,
    ),
    resource_rule(
        RuleMeta(
            "rds-force-tls",
            "PostgreSQL refuses connections without TLS.",
            Severity.HIGH,
            "Set rds.force_ssl=1 in the instance's parameter group.",
            checkov=("CKV2_AWS_69",),
        ),
        PARAMETER_GROUP,
        _forces_tls,
    ),
]
