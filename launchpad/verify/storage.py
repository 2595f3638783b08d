"""Buckets private, encrypted with the stack key and versioned; every required secret has a value."""

from __future__ import annotations

from functools import partial
from typing import Any

from botocore.exceptions import ClientError

from app import contract
from launchpad.clouds import aws_error_code
from launchpad.outputs import StackOutputs
from launchpad.verify.checks import Check, ai_provider_keys, guarded
from targets.generated_secrets import AWS_CACHE_AUTH, AWS_DB_READONLY

PUBLIC_BLOCKS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
SYNCED = contract.SYNCED_TOKEN_SECRET
# Written by the stack or RDS: a missing value means the deploy itself went wrong.
GENERATED_OUTPUTS = {
    "db_master_secret_arn": "db-master",
    "db_readonly_secret_arn": AWS_DB_READONLY,
    "redis_auth_secret_arn": AWS_CACHE_AUTH,
}


def bucket_checks(outputs: StackOutputs, s3: Any) -> list[Check]:
    key_arn = str(outputs.require("kms_key_arn"))
    checks = []
    for output in ("uploads_bucket", "token_sync_bucket"):
        bucket = str(outputs.require(output))
        checks += [
            guarded(
                f"bucket {bucket} private", "s3:GetBucketPublicAccessBlock", partial(_private, s3, bucket)
            ),
            guarded(
                f"bucket {bucket} encrypted with the stack key",
                "s3:GetEncryptionConfiguration",
                partial(_encrypted, s3, bucket, key_arn),
            ),
            guarded(f"bucket {bucket} versioned", "s3:GetBucketVersioning", partial(_versioned, s3, bucket)),
        ]
    return checks


def _private(s3: Any, bucket: str) -> Check:
    name = f"bucket {bucket} private"
    try:
        config = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    except ClientError as error:
        if aws_error_code(error) != "NoSuchPublicAccessBlockConfiguration":
            raise
        config = {}
    off = [flag for flag in PUBLIC_BLOCKS if not config.get(flag)]
    if off:
        return Check(name, "fail", f"public access block has {', '.join(off)} off: `pulumi up` restores it")
    return Check(name, "pass", "all four public access blocks on")


def _encrypted(s3: Any, bucket: str, key_arn: str) -> Check:
    name = f"bucket {bucket} encrypted with the stack key"
    try:
        rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    except ClientError as error:
        if aws_error_code(error) != "ServerSideEncryptionConfigurationNotFoundError":
            raise
        rules = []
    default = rules[0].get("ApplyServerSideEncryptionByDefault", {}) if rules else {}
    key = str(default.get("KMSMasterKeyID", ""))
    key_id = key_arn.rsplit("/", 1)[-1]
    if default.get("SSEAlgorithm") == "aws:kms" and key in (key_arn, key_id):
        return Check(name, "pass", f"SSE-KMS with {key_arn}")
    found = f"{default.get('SSEAlgorithm', 'none')} {key}".strip()
    return Check(name, "fail", f"default encryption is {found}, not the stack key: `pulumi up` restores it")


def _versioned(s3: Any, bucket: str) -> Check:
    name = f"bucket {bucket} versioned"
    state = s3.get_bucket_versioning(Bucket=bucket).get("Status", "never enabled")
    if state == "Enabled":
        return Check(name, "pass", "versioning enabled (history kept)")
    return Check(name, "fail", f"versioning is {state}: `pulumi up` enables it")


def has_value(sm: Any, arn: str) -> bool:
    stages = sm.describe_secret(SecretId=arn).get("VersionIdsToStages", {})
    return any("AWSCURRENT" in labels for labels in stages.values())


def secret_checks(outputs: StackOutputs, sm: Any, token_provider: str | None) -> list[Check]:
    arns: dict[str, str] = dict(outputs.require("secret_arns"))
    arns |= {role: str(outputs.values[key]) for key, role in GENERATED_OUTPUTS.items() if outputs.has(key)}
    present = {role: _probe(sm, role, arn) for role, arn in arns.items()}
    checks = []
    for role, found in present.items():
        if isinstance(found, Check):
            checks.append(found)
        else:
            checks.append(_secret_line(role, found, outputs.stack, token_provider))
    checks.append(_ai_credential(present, outputs.stack))
    return checks


def _ai_credential(present: dict[str, bool | Check], stack: str) -> Check:
    name = "an AI provider has a credential"
    ai = [role for role in (*ai_provider_keys(), SYNCED) if present.get(role) is True]
    unread = [role for role in (*ai_provider_keys(), SYNCED) if isinstance(present.get(role), Check)]
    if ai:
        return Check(name, "pass", ", ".join(ai))
    if unread:
        return Check(name, "skip", f"unknown: {', '.join(unread)} could not be read (see above)")
    # The service still answers (the chain ends in the rules), so this warns rather than fails.
    return Check(
        name,
        "warn",
        "no provider key and no synced token: every decision comes from the rules; "
        f"`launchpad secrets set huggingface-api-key --stack {stack}` (or another provider)",
    )


def _probe(sm: Any, role: str, arn: str) -> bool | Check:
    name = f"secret {role} has a value"
    result: list[bool] = []

    def probe() -> Check:
        result.append(has_value(sm, arn))
        return Check(name, "pass", "")

    check = guarded(name, "secretsmanager:DescribeSecret", probe)
    return result[0] if result else check


def _secret_line(role: str, found: bool, stack: str, token_provider: str | None) -> Check:
    name = f"secret {role} has a value"
    if found:
        return Check(name, "pass", "AWSCURRENT version present")
    if role == SYNCED:
        if token_provider:
            fix = f"`launchpad token-sync push --stack {stack} --expires-in 30d`"
            return Check(name, "fail", f"{token_provider} runs on the synced token; fix: {fix}")
        return Check(name, "skip", "no value; the stack uses no synced token (syncedTokenProvider unset)")
    if role in ai_provider_keys():
        return Check(name, "warn", f"empty: the chain skips this provider; `launchpad secrets set {role}`")
    if role in GENERATED_OUTPUTS.values():
        return Check(name, "fail", "empty, though the stack writes it: run `pulumi up` and read its errors")
    return Check(name, "fail", f"empty; fix: `launchpad secrets set {role} --stack {stack}`")
