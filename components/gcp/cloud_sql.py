"""Cloud SQL for PostgreSQL: private IP only, TLS required, backups with point-in-time recovery, CMEK.

The instance has no public address (`ipv4_enabled` off) and takes connections from the VPC through
private services access. It accepts only TLS (`ENCRYPTED_ONLY`), signed by a CA of its own
(`GOOGLE_MANAGED_INTERNAL_CA`): the app verifies the chain against that CA (sslmode verify-ca), which
signs no other server, so a verified chain is this instance. The app's login is a built-in user with a
generated password, and the read-only role of seed 004 (made by the app's migrations) gets a generated
password too; both reach the app through Secret Manager. Users and the database are abandoned on destroy,
not dropped: PostgreSQL refuses to drop a role that owns tables, and the instance takes them with it.

The instance name is autonamed (a random suffix): Cloud SQL keeps a deleted instance's name for about a
week, so a fixed name would stop a destroyed stack from being created again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_random as random
from pulumi_gcp import sql

from cloud_facts.gcp.cloud_sql import cloud_sql_tier_problems

PITR_MAX_DAYS = {"ENTERPRISE": 7, "ENTERPRISE_PLUS": 35}  # transaction log retention (Cloud SQL)


@dataclass
class CloudSqlDatabaseArgs:
    project: str  # the project of the instance
    region: str  # its region (beside Cloud Run)
    database_version: str  # POSTGRES_17
    tier: str  # the machine type (db-f1-micro, db-custom-2-7680, ...)
    edition: str  # ENTERPRISE or ENTERPRISE_PLUS; the tier must be one of its machines
    regional: bool  # high availability: a standby in another zone of the region
    disk_gb: int  # the storage the instance starts with (SSD)
    disk_limit_gb: int  # storage grows automatically up to this
    backup_days: int  # days of backups kept; point-in-time recovery covers them
    deletion_protection: bool  # Cloud SQL refuses to delete the instance while this is on
    network_id: pulumi.Input[str]  # the VPC whose private IP the instance takes
    services_range: pulumi.Input[str]  # the private services access range to take the address from
    kms_key_id: pulumi.Input[str]  # the CMEK that encrypts the instance's disk and backups
    database_name: str = "launchpad"  # the database the app uses
    user_name: str = "launchpad"  # the app's user; its generated password goes to Secret Manager
    # The provider's default labels do not reach Cloud SQL (its labels are settings.user_labels).
    labels: Mapping[str, str] = field(default_factory=dict)
    depends_on: Sequence[pulumi.Resource] = ()  # the peering, the key grant, the API


class CloudSqlDatabase(pulumi.ComponentResource):
    instance_name: pulumi.Output[str]
    host: pulumi.Output[str]  # the private IP
    ca_cert: pulumi.Output[str]  # PEM of the instance's own server CA
    password: pulumi.Output[str]  # the app user's (secret)
    readonly_password: pulumi.Output[str]  # the read-only role's (secret)
    database_name: str
    user_name: str

    def __init__(
        self, name: str, args: CloudSqlDatabaseArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        _validate(args)
        super().__init__("launchpad:cloud_sql:CloudSqlDatabase", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        password = random.RandomPassword(f"{name}-password", length=40, special=False, opts=child)
        reader = random.RandomPassword(f"{name}-readonly-password", length=40, special=False, opts=child)
        instance = sql.DatabaseInstance(
            f"{name}-instance",
            project=args.project,
            region=args.region,
            database_version=args.database_version,
            encryption_key_name=args.kms_key_id,
            deletion_protection=args.deletion_protection,  # Pulumi's own guard; the API's is in settings
            settings=_settings(args),
            # Storage grows by itself (disk_autoresize); the configured size must not shrink it back.
            opts=pulumi.ResourceOptions(
                parent=self, depends_on=list(args.depends_on), ignore_changes=["settings.diskSize"]
            ),
        )
        sql.Database(
            f"{name}-database",
            project=args.project,
            instance=instance.name,
            name=args.database_name,
            deletion_policy="ABANDON",
            opts=child,
        )
        sql.User(
            f"{name}-user",
            project=args.project,
            instance=instance.name,
            name=args.user_name,
            # Diffed (password_wo is not): a replaced RandomPassword changes the login and its secret at once.
            password=password.result,
            deletion_policy="ABANDON",
            opts=child,
        )
        self.instance_name = instance.name
        self.host = instance.private_ip_address
        self.ca_cert = instance.server_ca_certs.apply(lambda certs: (certs[0].cert or "") if certs else "")
        self.password = pulumi.Output.secret(password.result)
        self.readonly_password = pulumi.Output.secret(reader.result)
        self.database_name, self.user_name = args.database_name, args.user_name
        self.register_outputs({"instance_name": self.instance_name, "host": self.host})


def _settings(args: CloudSqlDatabaseArgs) -> sql.DatabaseInstanceSettingsArgs:
    log_days = min(args.backup_days, PITR_MAX_DAYS[args.edition])
    return sql.DatabaseInstanceSettingsArgs(
        tier=args.tier,
        edition=args.edition,  # PostgreSQL 16+ defaults to ENTERPRISE_PLUS, which refuses these tiers
        availability_type="REGIONAL" if args.regional else "ZONAL",
        disk_type="PD_SSD",
        disk_size=args.disk_gb,
        disk_autoresize=True,
        disk_autoresize_limit=args.disk_limit_gb,
        deletion_protection_enabled=args.deletion_protection,
        ip_configuration=sql.DatabaseInstanceSettingsIpConfigurationArgs(
            ipv4_enabled=False,
            private_network=args.network_id,
            allocated_ip_range=args.services_range,
            ssl_mode="ENCRYPTED_ONLY",
            server_ca_mode="GOOGLE_MANAGED_INTERNAL_CA",
        ),
        backup_configuration=sql.DatabaseInstanceSettingsBackupConfigurationArgs(
            enabled=True,
            point_in_time_recovery_enabled=True,
            transaction_log_retention_days=log_days,
            start_time="03:00",  # UTC, an hour before the maintenance window
            backup_retention_settings=sql.DatabaseInstanceSettingsBackupConfigurationBackupRetentionSettingsArgs(
                retained_backups=max(args.backup_days, log_days), retention_unit="COUNT"
            ),
        ),
        maintenance_window=sql.DatabaseInstanceSettingsMaintenanceWindowArgs(
            day=7, hour=4, update_track="stable"
        ),
        user_labels=dict(args.labels),
        database_flags=[
            # Statements slower than a second land in the log (the app's time budget is 1.5 s).
            sql.DatabaseInstanceSettingsDatabaseFlagArgs(name="log_min_duration_statement", value="1000"),
        ],
    )


def _validate(args: CloudSqlDatabaseArgs) -> None:
    problems = cloud_sql_tier_problems(args.tier, args.edition)
    if problems:
        raise ValueError(f"CloudSqlDatabaseArgs.tier: {'; '.join(problems)}")
    if not args.database_version.startswith("POSTGRES_"):
        raise ValueError("CloudSqlDatabaseArgs.database_version must be POSTGRES_<major>")
    if args.disk_gb < 10 or args.disk_limit_gb < args.disk_gb:
        raise ValueError("CloudSqlDatabaseArgs: disk_gb at least 10, disk_limit_gb at least disk_gb")
    if not 1 <= args.backup_days <= 365:
        raise ValueError("CloudSqlDatabaseArgs.backup_days must be 1-365 (retained backups)")
