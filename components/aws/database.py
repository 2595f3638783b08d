"""RDS PostgreSQL in the isolated subnets, reachable only from the app security group."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from cloud_facts.aws.rds import RDS_BACKUPS_ON_DAYS, RDS_MONITORING_INTERVALS
from components.aws.secrets import check_recovery_window, stored_secret
from components.aws.security_rules import private_service_group
from components.iam_policy import assume_role_policy
from components.naming import fitted_prefix

POSTGRES_PORT = 5432
IDENTIFIER_PREFIX_MAX = 63 - 26  # RDS identifiers are at most 63; Terraform appends 26 to a prefix


@dataclass
class DatabaseArgs:
    vpc_id: pulumi.Input[str]  # the VPC of the database's security group
    subnet_ids: pulumi.Input[list[str]]  # the isolated (data) subnets, one per zone
    app_security_group_id: pulumi.Input[str]  # the only group admitted on the PostgreSQL port
    kms_key_arn: pulumi.Input[str]  # encrypts storage, Performance Insights and the logins' secrets
    instance_class: str  # db.t4g.micro and the like
    engine_version: str  # "17" or "17.6"
    allocated_storage_gb: int  # the storage the instance starts with (gp3)
    max_allocated_storage_gb: int  # storage autoscaling's ceiling, at least allocated_storage_gb
    multi_az: bool  # a synchronous standby in another zone that takes over on failure
    backup_retention_days: int  # days of automated backups and point-in-time recovery (1-35)
    deletion_protection: bool  # RDS refuses to delete the instance while this is on
    final_snapshot: bool  # a snapshot is taken when the instance is deleted
    performance_insights: bool  # query-level load monitoring (7 days free)
    monitoring_interval_seconds: int  # enhanced monitoring's interval; 0 turns it off
    db_name: str = "launchpad"  # the database the app uses
    username: str = "launchpad_admin"  # the master user; RDS keeps its password in a secret it rotates
    # The read-only role's login (seed 004): created here, granted by the app's migrations.
    readonly_secret_name: str = ""
    readonly_username: str = "launchpad_reader"  # the read-only role's name (the migrations grant it)
    secret_recovery_days: int = 7  # see AppSecretsArgs.recovery_window_days


class Database(pulumi.ComponentResource):
    address: pulumi.Output[str]
    port: pulumi.Output[int]
    db_name: pulumi.Output[str]
    master_secret_arn: pulumi.Output[str]
    security_group_id: pulumi.Output[str]
    arn: pulumi.Output[str]
    readonly_secret_arn: pulumi.Output[str]
    identifier: pulumi.Output[str]  # the DBInstanceIdentifier dimension of its CloudWatch metrics

    def __init__(self, name: str, args: DatabaseArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        major = _validate(args)
        super().__init__("launchpad:database:Database", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        security_group = private_service_group(
            name,
            vpc_id=args.vpc_id,
            client_group_id=args.app_security_group_id,
            port=POSTGRES_PORT,
            service="PostgreSQL",
            opts=child,
        )
        subnet_group = aws.rds.SubnetGroup(f"{name}-subnets", subnet_ids=args.subnet_ids, opts=child)
        parameters = self._parameter_group(name, major)
        monitoring_role = self._monitoring_role(name, args)
        instance = aws.rds.Instance(
            f"{name}-instance",
            identifier_prefix=fitted_prefix(name, IDENTIFIER_PREFIX_MAX),
            engine="postgres",
            engine_version=args.engine_version,
            instance_class=args.instance_class,
            db_name=args.db_name,
            username=args.username,
            manage_master_user_password=True,
            master_user_secret_kms_key_id=args.kms_key_arn,
            storage_type="gp3",
            allocated_storage=args.allocated_storage_gb,
            max_allocated_storage=args.max_allocated_storage_gb,
            storage_encrypted=True,
            kms_key_id=args.kms_key_arn,
            db_subnet_group_name=subnet_group.name,
            vpc_security_group_ids=[security_group.id],
            parameter_group_name=parameters.name,
            publicly_accessible=False,
            multi_az=args.multi_az,
            backup_retention_period=args.backup_retention_days,
            backup_window="03:00-04:00",
            maintenance_window="sun:04:30-sun:05:30",
            copy_tags_to_snapshot=True,
            deletion_protection=args.deletion_protection,
            skip_final_snapshot=not args.final_snapshot,
            final_snapshot_identifier=self._final_snapshot_identifier(name, args),
            auto_minor_version_upgrade=True,
            allow_major_version_upgrade=False,
            iam_database_authentication_enabled=True,
            enabled_cloudwatch_logs_exports=["postgresql", "upgrade"],
            performance_insights_enabled=args.performance_insights,
            performance_insights_kms_key_id=args.kms_key_arn if args.performance_insights else None,
            performance_insights_retention_period=7 if args.performance_insights else None,
            monitoring_interval=args.monitoring_interval_seconds,
            monitoring_role_arn=monitoring_role.arn if monitoring_role else None,
            opts=child,
        )
        self.address = instance.address
        self.port = instance.port
        self.db_name = instance.db_name
        self.master_secret_arn = instance.master_user_secrets.apply(lambda s: s[0].secret_arn or "")
        self.security_group_id = security_group.id
        self.arn = instance.arn
        self.identifier = instance.identifier
        self.readonly_secret_arn = self._readonly_login(name, args)
        self.register_outputs(
            {
                "address": self.address,
                "port": self.port,
                "master_secret_arn": self.master_secret_arn,
                "security_group_id": self.security_group_id,
                "readonly_secret_arn": self.readonly_secret_arn,
            }
        )

    def _readonly_login(self, name: str, args: DatabaseArgs) -> pulumi.Output[str]:
        """A generated password for the read-only role, kept in Secrets Manager with its user name. The
        password is in Pulumi state (encrypted) by necessity, like the cache token; `app.migrate` sets it."""
        child = pulumi.ResourceOptions(parent=self)
        password = random.RandomPassword(f"{name}-readonly-password", length=40, special=False, opts=child)
        # Derived from the generated password, the JSON stays a secret output.
        login = password.result.apply(
            lambda value: json.dumps({"username": args.readonly_username, "password": value})
        )
        secret = stored_secret(
            f"{name}-readonly-secret",
            secret_name=args.readonly_secret_name,
            description=f"{name}: login of the read-only role {args.readonly_username}",
            kms_key_arn=args.kms_key_arn,
            recovery_window_days=args.secret_recovery_days,
            value=login,
            parent=self,
        )
        return secret.arn

    def _final_snapshot_identifier(self, name: str, args: DatabaseArgs) -> pulumi.Output[str] | None:
        """Unique per instance: a fixed name would make the next destroy (of a re-created stack, or of an
        instance replaced by a change of these inputs) fail with DBSnapshotAlreadyExists."""
        if not args.final_snapshot:
            return None
        suffix = random.RandomId(
            f"{name}-final-snapshot-suffix",
            byte_length=4,
            keepers={"kms": args.kms_key_arn, "db_name": args.db_name, "username": args.username},
            opts=pulumi.ResourceOptions(parent=self),
        )
        return pulumi.Output.concat(name, "-final-", suffix.hex)

    def _parameter_group(self, name: str, major: int) -> aws.rds.ParameterGroup:
        child = pulumi.ResourceOptions(parent=self)
        parameters = aws.rds.ParameterGroup(
            f"{name}-params",
            family=f"postgres{major}",
            description=f"{name}: TLS required, slow statements logged",
            parameters=[
                aws.rds.ParameterGroupParameterArgs(name="rds.force_ssl", value="1"),
                aws.rds.ParameterGroupParameterArgs(name="log_min_duration_statement", value="1000"),
            ],
            opts=child,
        )
        return parameters

    def _monitoring_role(self, name: str, args: DatabaseArgs) -> aws.iam.Role | None:
        if args.monitoring_interval_seconds == 0:
            return None
        role = aws.iam.Role(
            f"{name}-monitoring-role",
            assume_role_policy=assume_role_policy("monitoring.rds.amazonaws.com"),
            opts=pulumi.ResourceOptions(parent=self),
        )
        aws.iam.RolePolicyAttachment(
            f"{name}-monitoring-policy",
            role=role.name,
            policy_arn="arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
            opts=pulumi.ResourceOptions(parent=self),
        )
        return role


def _validate(args: DatabaseArgs) -> int:
    if not args.readonly_secret_name:
        raise ValueError("DatabaseArgs.readonly_secret_name names the read-only role's login secret")
    check_recovery_window(args.secret_recovery_days)
    match = re.fullmatch(r"(\d{2})(\.\d{1,2})?", args.engine_version)
    if not match:
        raise ValueError("DatabaseArgs.engine_version must look like '17' or '17.6'")
    if args.max_allocated_storage_gb < args.allocated_storage_gb:
        raise ValueError("DatabaseArgs.max_allocated_storage_gb must be >= allocated_storage_gb")
    if args.monitoring_interval_seconds not in RDS_MONITORING_INTERVALS:
        raise ValueError(
            f"DatabaseArgs.monitoring_interval_seconds must be one of {RDS_MONITORING_INTERVALS}"
        )
    least, most = RDS_BACKUPS_ON_DAYS
    if not least <= args.backup_retention_days <= most:
        raise ValueError(f"DatabaseArgs.backup_retention_days must be {least}-{most} (backups on)")
    return int(match.group(1))
