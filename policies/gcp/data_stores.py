"""Cloud SQL and Memorystore: private, TLS-only, authenticated, encrypted with the stack's key, backed up;
highly available and protected from deletion where the stack config says so (advisory in dev, mandatory
in prod, as for RDS and ElastiCache)."""

from __future__ import annotations

import re

from pulumi_policy import Severity

from cloud_facts.gcp.cloud_sql import CLOUD_SQL_SHARED_CORE
from policies.base import ADVISORY, Props, resource_rule
from policies.meta import RuleMeta

SQL = "gcp:sql/databaseInstance:DatabaseInstance"
REDIS = "gcp:redis/instance:Instance"
TLS_ONLY = ("ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED")


def _settings(props: Props, key: str) -> Props:
    return ((props.get("settings") or {}).get(key)) or {}


def _no_public_ip(props: Props) -> list[str]:
    # The API enables a public address unless told not to: unset is public.
    return [] if _settings(props, "ipConfiguration").get("ipv4Enabled") is False else ["it has a public IP"]


def _tls_only(props: Props) -> list[str]:
    mode = _settings(props, "ipConfiguration").get("sslMode")
    return [] if mode in TLS_ONLY else [f"sslMode {mode or 'unset'} accepts connections without TLS"]


def _backups(props: Props) -> list[str]:
    backup = _settings(props, "backupConfiguration")
    problems = [] if backup.get("enabled") else ["automated backups are off"]
    if not backup.get("pointInTimeRecoveryEnabled"):
        problems.append("point-in-time recovery is off")
    return problems


def _deletion_protection(props: Props) -> list[str]:
    if (props.get("settings") or {}).get("deletionProtectionEnabled"):
        return []
    return ["Cloud SQL's own deletion protection is off (the API, gcloud and the console can delete it)"]


def _regional(props: Props) -> list[str]:
    zone = (props.get("settings") or {}).get("availabilityType", "ZONAL")
    return [] if zone == "REGIONAL" else ["the instance runs in one zone (availabilityType ZONAL)"]


def _dedicated_core(props: Props) -> list[str]:
    tier = str((props.get("settings") or {}).get("tier", ""))
    if re.fullmatch(CLOUD_SQL_SHARED_CORE, tier):
        return [f"{tier} is a shared core, which Cloud SQL's SLA does not cover"]
    return []


def _sql_key(props: Props) -> list[str]:
    return (
        [] if props.get("encryptionKeyName") else ["storage is encrypted with Google's key, not the stack's"]
    )


def _redis_auth(props: Props) -> list[str]:
    return [] if props.get("authEnabled") is True else ["AUTH is off: anyone on the network may connect"]


def _redis_tls(props: Props) -> list[str]:
    mode = props.get("transitEncryptionMode")
    return [] if mode == "SERVER_AUTHENTICATION" else ["in-transit encryption is off"]


def _redis_key(props: Props) -> list[str]:
    return [] if props.get("customerManagedKey") else ["data is encrypted with Google's key, not the stack's"]


def _redis_replicated(props: Props) -> list[str]:
    return [] if props.get("tier") == "STANDARD_HA" else ["a Basic instance has no replica to fail over to"]


SQL_RUNBOOK = (
    "Set it on components/gcp/cloud_sql.py (the stack's dbMultiAz, dbDeletionProtection, cloudSqlTier)."
)
DATA_STORE_POLICIES = [
    resource_rule(
        RuleMeta(
            "gcp-cloud-sql-no-public-ip",
            "Cloud SQL has no public IP.",
            Severity.CRITICAL,
            "Set settings.ipConfiguration.ipv4Enabled false; connect over private services access.",
            checkov=("CKV_GCP_60",),
        ),
        SQL,
        _no_public_ip,
    ),
    resource_rule(
        RuleMeta(
            "gcp-cloud-sql-tls-only",
            "Cloud SQL accepts TLS connections only.",
            Severity.HIGH,
            "Set settings.ipConfiguration.sslMode ENCRYPTED_ONLY.",
            checkov=("CKV_GCP_6",),
        ),
        SQL,
        _tls_only,
    ),
    resource_rule(
        RuleMeta(
            "gcp-cloud-sql-backups",
            "Cloud SQL takes automated backups with point-in-time recovery.",
            Severity.HIGH,
            "Enable settings.backupConfiguration and its pointInTimeRecoveryEnabled.",
            category="availability",
            checkov=("CKV_GCP_14",),
        ),
        SQL,
        _backups,
    ),
    resource_rule(
        RuleMeta(
            "gcp-cloud-sql-cmek",
            "Cloud SQL is encrypted with the stack's Cloud KMS key.",
            Severity.MEDIUM,
            "Set encryptionKeyName to the stack's key (a change that replaces the instance).",
        ),
        SQL,
        _sql_key,
    ),
    resource_rule(
        RuleMeta(
            "gcp-cloud-sql-deletion-protection",
            "Cloud SQL refuses deletion where the stack keeps its data.",
            Severity.MEDIUM,
            SQL_RUNBOOK,
            category="availability",
        ),
        SQL,
        _deletion_protection,
        ADVISORY,
    ),
    resource_rule(
        RuleMeta(
            "gcp-cloud-sql-high-availability",
            "Cloud SQL keeps a standby in another zone.",
            Severity.MEDIUM,
            SQL_RUNBOOK,
            category="availability",
        ),
        SQL,
        _regional,
        ADVISORY,
    ),
    resource_rule(
        RuleMeta(
            "gcp-cloud-sql-dedicated-core",
            "Cloud SQL runs on a dedicated core, which its SLA covers.",
            Severity.LOW,
            SQL_RUNBOOK,
            category="availability",
        ),
        SQL,
        _dedicated_core,
        ADVISORY,
    ),
    resource_rule(
        RuleMeta(
            "gcp-memorystore-auth",
            "Memorystore requires AUTH.",
            Severity.HIGH,
            "Set authEnabled true; the app reads the AUTH string from Secret Manager.",
            checkov=("CKV_GCP_95",),
        ),
        REDIS,
        _redis_auth,
    ),
    resource_rule(
        RuleMeta(
            "gcp-memorystore-tls",
            "Memorystore encrypts traffic in transit.",
            Severity.HIGH,
            "Set transitEncryptionMode SERVER_AUTHENTICATION (a change that replaces the instance).",
            checkov=("CKV_GCP_97",),
        ),
        REDIS,
        _redis_tls,
    ),
    resource_rule(
        RuleMeta(
            "gcp-memorystore-cmek",
            "Memorystore is encrypted with the stack's Cloud KMS key.",
            Severity.MEDIUM,
            "Set customerManagedKey to the stack's key (a change that replaces the instance).",
        ),
        REDIS,
        _redis_key,
    ),
    resource_rule(
        RuleMeta(
            "gcp-memorystore-high-availability",
            "Memorystore keeps a replica to fail over to.",
            Severity.MEDIUM,
            "Set cacheNodeCount 2 or more (a STANDARD_HA instance).",
            category="availability",
        ),
        REDIS,
        _redis_replicated,
        ADVISORY,
    ),
]
