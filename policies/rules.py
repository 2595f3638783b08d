"""Launchpad's CrossGuard rules, from ../shared/reference/policy-catalogue.md (Checkov / Trivy / FSBP ids).

Security rules are mandatory everywhere. Availability rules (multi-AZ, deletion protection, backups,
failover, access logs) are advisory by default and made mandatory for production stacks by
`policies/config/prod.json` (`pulumi preview --policy-pack policies --policy-pack-config ...`).
Rules read resource properties by their engine (camelCase) names.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from policies.deploy import DEPLOY_POLICIES
from policies.monitoring_rules import MONITORING_POLICIES

MANDATORY = EnforcementLevel.MANDATORY
ADVISORY = EnforcementLevel.ADVISORY
Check = Callable[[Mapping[str, Any]], Iterable[str]]  # props -> violation messages

S3_BUCKET = "aws:s3/bucket:Bucket"
S3_ENCRYPTION = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
OPEN_CIDRS = ("0.0.0.0/0", "::/0")
PUBLIC_WEB_PORTS = (80, 443)
SECRET_NAME_HINTS = ("KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL")
# Variables that name a resource (a secret's ARN, a bucket such as TOKEN_SYNC_BUCKET), not a secret value.
RESOURCE_NAME_SUFFIXES = ("_ARN", "_BUCKET")
BASIC_GCP_ROLES = ("roles/owner", "roles/editor", "roles/viewer")


def resource_rule(
    name: str, description: str, resource_type: str, check: Check, level: EnforcementLevel = MANDATORY
) -> ResourceValidationPolicy:
    """A policy that runs `check` over every resource of one type."""

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if args.resource_type == resource_type:
            for message in check(args.props):
                report_violation(message, None)

    return ResourceValidationPolicy(
        name=name, description=description, validate=validate, enforcement_level=level
    )


def _require(props: Mapping[str, Any], key: str, expected: Any, message: str) -> list[str]:
    return [] if props.get(key) == expected else [message]


def _statements(policy: Any) -> list[dict[str, Any]]:
    document = json.loads(policy) if isinstance(policy, str) else policy or {}
    statements = document.get("Statement", [])
    return statements if isinstance(statements, list) else [statements]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


# --- S3 -----------------------------------------------------------------------------------------------


def _public_access_block(props: Mapping[str, Any]) -> list[str]:
    flags = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    return [
        f"public access block leaves {flag} off (CKV_AWS_53-56, S3.1)"
        for flag in flags
        if props.get(flag) is not True
    ]


def _denies_plain_http(props: Mapping[str, Any]) -> list[str]:
    for statement in _statements(props.get("policy")):
        condition = statement.get("Condition", {}).get("Bool", {})
        if statement.get("Effect") == "Deny" and str(condition.get("aws:SecureTransport")).lower() == "false":
            return []
    return ["bucket policy does not deny requests without TLS (aws:SecureTransport=false; CKV_AWS_379, S3.5)"]


def _bucket_children(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    """Each bucket has all its hardening resources, not just some."""
    required = {
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "ownership controls disabling ACLs",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "a public access block",
        S3_ENCRYPTION: "default encryption",
        "aws:s3/bucketVersioning:BucketVersioning": "versioning",
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "a lifecycle configuration",
        "aws:s3/bucketPolicy:BucketPolicy": "a bucket policy",
    }
    covered: dict[str, set[str]] = {}
    for resource in args.resources:
        if resource.resource_type in required:
            for bucket_key in _bucket_keys(resource):
                covered.setdefault(bucket_key, set()).add(resource.resource_type)
    for bucket in (r for r in args.resources if r.resource_type == S3_BUCKET):
        for missing in (
            set(required)
            - covered.get(bucket.urn, set())
            - covered.get(str(bucket.props.get("bucket")), set())
        ):
            report_violation(f"bucket {bucket.name} lacks {required[missing]}", bucket.urn)


def _bucket_keys(resource: Any) -> list[str]:
    # In a preview a new bucket's name is unknown; the `bucket` property's dependency names it by URN.
    depended = [d.urn for d in resource.property_dependencies.get("bucket", [])]
    return depended or [str(resource.props.get("bucket"))]


def _ownership_enforced(props: Mapping[str, Any]) -> list[str]:
    rule = props.get("rule") or {}
    return _require(
        rule, "objectOwnership", "BucketOwnerEnforced", "object ownership must be BucketOwnerEnforced (S3.12)"
    )


def _encrypted(props: Mapping[str, Any]) -> list[str]:
    rules = props.get("rules") or []
    algorithms = {(r.get("applyServerSideEncryptionByDefault") or {}).get("sseAlgorithm") for r in rules}
    return (
        []
        if algorithms and algorithms <= {"aws:kms", "aws:kms:dsse", "AES256"}
        else ["bucket has no default encryption"]
    )


def _versioned(props: Mapping[str, Any]) -> list[str]:
    status = (props.get("versioningConfiguration") or {}).get("status")
    return [] if status == "Enabled" else ["versioning is not enabled (CKV_AWS_21)"]


# --- RDS ----------------------------------------------------------------------------------------------


def _rds_security(props: Mapping[str, Any]) -> list[str]:
    problems = _require(props, "publiclyAccessible", False, "database is publicly accessible (RDS.2)")
    problems += _require(props, "storageEncrypted", True, "storage is not encrypted (RDS.3)")
    problems += _require(
        props, "iamDatabaseAuthenticationEnabled", True, "IAM authentication is off (RDS.10)"
    )
    problems += _require(props, "autoMinorVersionUpgrade", True, "auto minor version upgrade is off (RDS.13)")
    if not props.get("manageMasterUserPassword") and props.get("password"):
        problems.append("master password is set in code; use manageMasterUserPassword")
    if "postgresql" not in (props.get("enabledCloudwatchLogsExports") or []):
        problems.append("postgresql logs are not exported to CloudWatch (RDS.9)")
    if props.get("performanceInsightsEnabled") and not props.get("performanceInsightsKmsKeyId"):
        problems.append("Performance Insights is not encrypted with the stack key (CKV_AWS_354)")
    return problems


def _rds_availability(props: Mapping[str, Any]) -> list[str]:
    problems = _require(props, "multiAz", True, "not multi-AZ (RDS.5)")
    problems += _require(props, "deletionProtection", True, "deletion protection is off (RDS.8)")
    if (props.get("backupRetentionPeriod") or 0) < 7:
        problems.append("backups kept under 7 days (RDS.11)")
    if props.get("skipFinalSnapshot", True):
        problems.append("no final snapshot on deletion")
    if not props.get("monitoringInterval"):
        problems.append("enhanced monitoring is off (RDS.6)")
    return problems


def _forces_tls(props: Mapping[str, Any]) -> list[str]:
    family = str(props.get("family", ""))
    if not family.startswith("postgres"):
        return []
    values = {p.get("name"): str(p.get("value")) for p in props.get("parameters") or []}
    return (
        []
        if values.get("rds.force_ssl") == "1"
        else ["parameter group does not set rds.force_ssl=1 (CKV2_AWS_69)"]
    )


# --- ElastiCache ----------------------------------------------------------------------------------------


def _cache_security(props: Mapping[str, Any]) -> list[str]:
    problems = _require(props, "atRestEncryptionEnabled", True, "at-rest encryption is off (ElastiCache.4)")
    problems += _require(
        props, "transitEncryptionEnabled", True, "in-transit encryption is off (ElastiCache.5)"
    )
    if props.get("transitEncryptionMode") not in (None, "required"):
        problems.append("transit encryption is not required (preferred mode admits plain text)")
    if not props.get("authToken"):
        problems.append("no AUTH token (ElastiCache.6)")
    if not props.get("kmsKeyId"):
        problems.append("not encrypted with the stack's KMS key (CKV_AWS_191)")
    problems += _require(props, "autoMinorVersionUpgrade", True, "auto minor upgrade is off (ElastiCache.2)")
    return problems


def _cache_availability(props: Mapping[str, Any]) -> list[str]:
    problems = _require(props, "automaticFailoverEnabled", True, "no automatic failover (ElastiCache.3)")
    if not props.get("snapshotRetentionLimit"):
        problems.append("no snapshots retained (ElastiCache.1)")
    return problems


# --- network, keys, logs, secrets, IAM ---------------------------------------------------------------------


def _ingress_rule(props: Mapping[str, Any]) -> list[str]:
    if props.get("cidrIpv4") not in OPEN_CIDRS and props.get("cidrIpv6") not in OPEN_CIDRS:
        return []
    ports = (props.get("fromPort"), props.get("toPort"))
    if ports[0] == ports[1] and ports[0] in PUBLIC_WEB_PORTS:
        return []
    return [f"ingress from the internet on ports {ports}; only 80/443 (the load balancer) may be open"]


def _inline_ingress(props: Mapping[str, Any]) -> list[str]:
    """Inline rules list several CIDRs each; every one is judged like a standalone rule."""
    problems: list[str] = []
    for rule in props.get("ingress") or []:
        ports = {"fromPort": rule.get("fromPort"), "toPort": rule.get("toPort")}
        for cidr in rule.get("cidrBlocks") or []:
            problems += _ingress_rule({**ports, "cidrIpv4": cidr})
        for cidr in rule.get("ipv6CidrBlocks") or []:
            problems += _ingress_rule({**ports, "cidrIpv6": cidr})
    return problems


def _policy_actions(props: Mapping[str, Any]) -> list[str]:
    problems = []
    for statement in _statements(props.get("policy")):
        if statement.get("Effect") == "Allow" and "*" in _as_list(statement.get("Action", [])):
            problems.append(f"statement {statement.get('Sid', '?')} allows every action ('*')")
    return problems


def _require_key(key: str, message: str) -> Check:
    return lambda props: [] if props.get(key) else [message]


def _log_group(props: Mapping[str, Any]) -> list[str]:
    problems = [] if props.get("retentionInDays") else ["log group keeps logs forever; set a retention"]
    return problems + ([] if props.get("kmsKeyId") else ["log group is not encrypted with the stack key"])


# --- ECS ----------------------------------------------------------------------------------------------


def _container_definitions(props: Mapping[str, Any]) -> list[dict[str, Any]]:
    raw = props.get("containerDefinitions")
    return json.loads(raw) if isinstance(raw, str) else list(raw or [])


def _task_definition(props: Mapping[str, Any]) -> list[str]:
    problems = []
    if props.get("networkMode") not in (None, "awsvpc"):
        problems.append("task networking must be awsvpc (no host networking; ECS.3)")
    if props.get("pidMode") == "host" or props.get("ipcMode") == "host":
        problems.append("task shares the host's PID or IPC namespace (CKV_AWS_335)")
    if props.get("executionRoleArn") and props.get("executionRoleArn") == props.get("taskRoleArn"):
        problems.append("execution role and task role are the same role (CKV_AWS_249)")
    for container in _container_definitions(props):
        name = container.get("name", "?")
        if container.get("privileged"):
            problems.append(f"container {name} is privileged (ECS.4)")
        if container.get("readonlyRootFilesystem") is not True:
            problems.append(f"container {name} has a writable root filesystem (ECS.5)")
        for env in container.get("environment") or []:
            if any(hint in str(env.get("name", "")).upper() for hint in SECRET_NAME_HINTS) and not str(
                env.get("name", "")
            ).upper().endswith(RESOURCE_NAME_SUFFIXES):
                problems.append(
                    f"container {name} passes {env.get('name')} as plain environment; use secrets (ECS.8)"
                )
    return problems


def _ecs_public_ip(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != "aws:ecs/service:Service":
        return
    network = args.props.get("networkConfiguration") or {}
    if network.get("assignPublicIp") and not args.get_config().get("allowPublicIp", False):
        report_violation(
            "service tasks get public IPs; allowed only where the stack has no NAT (ECS.2)", None
        )


def _container_insights(props: Mapping[str, Any]) -> list[str]:
    settings = {s.get("name"): s.get("value") for s in props.get("settings") or []}
    return (
        []
        if settings.get("containerInsights") in ("enabled", "enhanced")
        else ["Container Insights is off (ECS.12)"]
    )


# --- GCP ----------------------------------------------------------------------------------------------


def _cloud_run_identity(props: Mapping[str, Any]) -> list[str]:
    account = str((props.get("template") or {}).get("serviceAccount") or "")
    if not account or account.endswith("-compute@developer.gserviceaccount.com"):
        return ["Cloud Run runs as the default compute service account; give it a dedicated one"]
    return []


def _no_basic_roles(props: Mapping[str, Any]) -> list[str]:
    role = str(props.get("role", ""))
    return (
        [f"grants the basic role {role}; grant a predefined role instead"] if role in BASIC_GCP_ROLES else []
    )


def _public_invoker(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if not args.resource_type.startswith("gcp:cloudrunv2/serviceIam"):
        return
    members = _as_list(args.props.get("member") or args.props.get("members") or [])
    if "allUsers" in members and not args.get_config().get("allowPublic", False):
        report_violation(
            "Cloud Run service is invokable by allUsers; set allowPublic only where intended", None
        )


rule = resource_rule

SECURITY_POLICIES: list[Policy] = [
    rule(
        "s3-public-access-block",
        "Buckets block all public access.",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        _public_access_block,
    ),
    rule(
        "s3-ownership-enforced",
        "Bucket ACLs are disabled.",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        _ownership_enforced,
    ),
    rule(
        "s3-default-encryption",
        "Buckets encrypt by default.",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        _encrypted,
    ),
    rule("s3-versioning", "Buckets keep versions.", "aws:s3/bucketVersioning:BucketVersioning", _versioned),
    rule(
        "s3-tls-only",
        "Bucket policies deny plain HTTP.",
        "aws:s3/bucketPolicy:BucketPolicy",
        _denies_plain_http,
    ),
    StackValidationPolicy(
        name="s3-bucket-hardening-complete",
        description="Every bucket has each hardening resource.",
        validate=_bucket_children,
        enforcement_level=MANDATORY,
    ),
    rule(
        "rds-security",
        "Databases are private, encrypted, patched and log to CloudWatch.",
        "aws:rds/instance:Instance",
        _rds_security,
    ),
    rule(
        "rds-availability",
        "Databases survive a zone and an operator.",
        "aws:rds/instance:Instance",
        _rds_availability,
        ADVISORY,
    ),
    rule("rds-force-tls", "PostgreSQL requires TLS.", "aws:rds/parameterGroup:ParameterGroup", _forces_tls),
    rule(
        "elasticache-security",
        "Caches encrypt at rest and in transit and require AUTH.",
        "aws:elasticache/replicationGroup:ReplicationGroup",
        _cache_security,
    ),
    rule(
        "elasticache-availability",
        "Caches fail over and keep snapshots.",
        "aws:elasticache/replicationGroup:ReplicationGroup",
        _cache_availability,
        ADVISORY,
    ),
    rule(
        "sg-rule-no-open-ingress",
        "Only the load balancer's 80/443 face the internet.",
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        _ingress_rule,
    ),
    rule(
        "sg-no-open-inline-ingress",
        "Inline rules never open the internet.",
        "aws:ec2/securityGroup:SecurityGroup",
        _inline_ingress,
    ),
    rule(
        "kms-rotation",
        "Customer keys rotate.",
        "aws:kms/key:Key",
        _require_key("enableKeyRotation", "key rotation is off (CKV_AWS_7)"),
    ),
    rule(
        "secrets-cmk",
        "Secrets use the stack key.",
        "aws:secretsmanager/secret:Secret",
        _require_key("kmsKeyId", "secret is not encrypted with the stack key"),
    ),
    rule(
        "log-group-retention-and-key",
        "Log groups expire and are encrypted.",
        "aws:cloudwatch/logGroup:LogGroup",
        _log_group,
    ),
    rule(
        "sns-encrypted",
        "Topics are encrypted.",
        "aws:sns/topic:Topic",
        _require_key("kmsMasterKeyId", "topic is not encrypted (SNS.1)"),
    ),
    *[
        rule(f"iam-no-star-actions-{kind}", "No policy allows every action.", type_, _policy_actions)
        for kind, type_ in (
            ("role-policy", "aws:iam/rolePolicy:RolePolicy"),
            ("policy", "aws:iam/policy:Policy"),
        )
    ],
    rule(
        "ecs-task-definition",
        "Containers are unprivileged, read-only, and get secrets from stores.",
        "aws:ecs/taskDefinition:TaskDefinition",
        _task_definition,
    ),
    rule(
        "ecs-container-insights",
        "Clusters have Container Insights.",
        "aws:ecs/cluster:Cluster",
        _container_insights,
    ),
    ResourceValidationPolicy(
        name="ecs-no-public-ip",
        description="Tasks get no public IP unless the stack has no NAT.",
        validate=_ecs_public_ip,
        enforcement_level=MANDATORY,
        config_schema=PolicyConfigSchema(properties={"allowPublicIp": {"type": "boolean"}}),
    ),
    rule(
        "cloud-run-dedicated-identity",
        "Cloud Run runs as its own service account.",
        "gcp:cloudrunv2/service:Service",
        _cloud_run_identity,
    ),
    *[
        rule(f"gcp-no-basic-roles-{kind}", "No basic roles.", type_, _no_basic_roles)
        for kind, type_ in (
            ("project", "gcp:projects/iAMMember:IAMMember"),
            ("secret", "gcp:secretmanager/secretIamMember:SecretIamMember"),
        )
    ],
    ResourceValidationPolicy(
        name="cloud-run-no-public-invoker",
        description="allUsers may invoke only where allowed.",
        validate=_public_invoker,
        enforcement_level=MANDATORY,
        config_schema=PolicyConfigSchema(properties={"allowPublic": {"type": "boolean"}}),
    ),
]

POLICIES: list[Policy] = [*SECURITY_POLICIES, *MONITORING_POLICIES, *DEPLOY_POLICIES]
