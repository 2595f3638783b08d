"""`launchpad token-sync push|status` (seed 000): keep a credential minted on a machine with a browser fresh
on headless services.

`push` reads the credential from stdin with its expiry (`--expires-in`, or the token's own `exp` claim when
it is a JWT), writes the record to the token-sync bucket (SSE-KMS with the stack key; the bucket is
versioned, so every push is kept as history) and then as the synced-token secret's new value. The app reads
only the secret, re-reading it every SYNCED_TOKEN_REFRESH_SECONDS; nothing at runtime reads the bucket.
`status` shows the age and time to expiry from the bucket's current object (its metadata: the value is not
read). Both publish `synced_token_age`, the metric the token's alarm watches.
"""

from __future__ import annotations

import argparse
import re
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from app import contract
from app.core.synced_token import TokenRecord, age_seconds, claim_time, jwt_claims
from launchpad.clouds import Clouds, aws_error, aws_error_code, quiet_sdk_logs
from launchpad.errors import OperateError
from launchpad.outputs import StackOutputs, load_outputs
from launchpad.secret_input import SecretValue, read_secret, scrubbed

OBJECT_KEY = "synced-token.json"
SECRET_ROLE = contract.SYNCED_TOKEN_SECRET
DEFAULT_REFRESH_SECONDS = 300  # app.core.config's synced_token_refresh_seconds
_DURATION = re.compile(r"^(\d+)([smhd]?)$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
# Claude's consumer OAuth tokens (`claude setup-token`) are licensed for Anthropic's own apps only.
CLAUDE_OAUTH_PREFIX = "sk-ant-oat"


def register(commands: Any) -> None:
    sync = commands.add_parser("token-sync", help="push a browser-minted credential; show its age")
    actions = sync.add_subparsers(dest="action", required=True)
    push = actions.add_parser("push", help="store the credential read from stdin, with its expiry")
    push.add_argument("--expires-in", metavar="DURATION", help="e.g. 12h, 30d, 3600 (seconds)")
    push.add_argument("--prompt", action="store_true", help="type the credential at a no-echo prompt")
    status = actions.add_parser("status", help="age and time to expiry of the synced token")
    status.add_argument("--no-publish", action="store_true", help="do not publish synced_token_age")
    for parser in (push, status):
        parser.add_argument("--stack", required=True, help="the deployed stack (`pulumi stack ls`)")
        parser.add_argument("--outputs", type=Path, metavar="FILE", help="`pulumi stack output --json` saved")


def run(
    options: argparse.Namespace, clouds: Clouds, stdin: TextIO | None = None, now: datetime | None = None
) -> int:
    quiet_sdk_logs()
    now = now or datetime.now(UTC)
    if options.action == "push":
        return push(options, clouds, stdin or sys.stdin, now)
    return status(options, clouds, now)


def parse_duration(text: str) -> timedelta:
    match = _DURATION.match(text.strip().lower())
    if not match or int(match.group(1)) == 0:
        raise OperateError(
            "--expires-in",
            "is not a positive duration",
            "give seconds or a number with s, m, h or d, e.g. --expires-in 30d",
        )
    return timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)])


def build_record(token: SecretValue, expires_in: str | None, now: datetime) -> TokenRecord:
    """The record to store; refuses what no service should run on (an expired or unknown expiry)."""
    value = token.reveal()
    if any(c.isspace() for c in value):
        raise OperateError("stdin", "the credential contains whitespace", "pipe the bare credential alone")
    if value.startswith(CLAUDE_OAUTH_PREFIX):
        raise OperateError(
            "stdin",
            "this is a Claude consumer OAuth token, licensed for Anthropic's own apps, not for "
            "third-party services",
            "create an Anthropic API key and run `launchpad secrets set anthropic-api-key --stack S`",
        )
    claims = jwt_claims(value)
    stated = claim_time(claims, "exp")
    given = now + parse_duration(expires_in) if expires_in else None
    known = [t for t in (stated, given) if t is not None]
    if not known:
        raise OperateError(
            "--expires-in",
            "the credential does not say when it expires",
            "pass its lifetime, e.g. --expires-in 30d (the alarm and `status` count down to it)",
        )
    expires_at = min(known)  # a token never outlives its own exp claim
    if expires_at <= now:
        raise OperateError(
            "stdin",
            f"the credential expired at {_when(expires_at)}; it was not stored",
            "mint a new one and push that",
        )
    minted = claim_time(claims, "iat")
    return TokenRecord(value, minted if minted and minted <= now else now, expires_at)


def push(options: argparse.Namespace, clouds: Clouds, stdin: TextIO, now: datetime) -> int:
    outputs = load_outputs(options.stack, options.outputs)
    bucket, arn, key_arn = (
        str(outputs.require("token_sync_bucket")),
        outputs.secret_arn(SECRET_ROLE),
        str(outputs.require("kms_key_arn")),
    )
    s3, sm = clouds.aws("s3", outputs.region), clouds.aws("secretsmanager", outputs.region)
    token = read_secret(stdin, label="the credential", prompt=options.prompt)
    record = build_record(token, options.expires_in, now)
    version = uuid.uuid4().hex  # the secret version this push creates, named in the object's metadata
    object_version = _put_object(s3, bucket, key_arn, record, version=version, token=token)
    try:
        sm.put_secret_value(SecretId=arn, SecretString=record.to_json(), ClientRequestToken=version)
    except Exception as error:
        _forget_object(s3, bucket, object_version)
        raise scrubbed(aws_error(error, "secretsmanager:PutSecretValue"), token) from None
    print(f"Pushed the synced token of stack {outputs.stack} (secret version {version}).")
    if record.expires_at:  # always: build_record refuses a credential without a known expiry
        print(f"  expires {_when(record.expires_at)} ({_span(_left(record, now))} from now)")
    print(
        "  running tasks use it within SYNCED_TOKEN_REFRESH_SECONDS "
        f"({DEFAULT_REFRESH_SECONDS} s by default), at once on a 401; no restart"
    )
    _publish(clouds, outputs, age_seconds(record.minted_at, record.expires_at, now))
    return 0


def _put_object(
    s3: Any, bucket: str, key_arn: str, record: TokenRecord, *, version: str, token: SecretValue
) -> str | None:
    metadata = {"minted-at": record.minted_at.isoformat(), "secret-version": version}
    if record.expires_at:
        metadata["expires-at"] = record.expires_at.isoformat()
    try:
        put = s3.put_object(
            Bucket=bucket,
            Key=OBJECT_KEY,
            Body=record.to_json().encode(),
            ContentType="application/json",
            ServerSideEncryption="aws:kms",
            SSEKMSKeyId=key_arn,
            Metadata=metadata,
        )
    except Exception as error:
        raise scrubbed(aws_error(error, "s3:PutObject on the token-sync bucket"), token) from None
    return put.get("VersionId")


def _forget_object(s3: Any, bucket: str, object_version: str | None) -> None:
    """Undo the bucket write when the secret could not follow, so bucket and secret still agree."""
    if not object_version:
        return
    try:
        s3.delete_object(Bucket=bucket, Key=OBJECT_KEY, VersionId=object_version)
    except Exception as error:
        print(
            f"warning: the bucket keeps version {object_version} the secret never got "
            f"({type(error).__name__}); the next push replaces it",
            file=sys.stderr,
        )


def status(options: argparse.Namespace, clouds: Clouds, now: datetime) -> int:
    outputs = load_outputs(options.stack, options.outputs)
    bucket, arn = str(outputs.require("token_sync_bucket")), outputs.secret_arn(SECRET_ROLE)
    s3, sm = clouds.aws("s3", outputs.region), clouds.aws("secretsmanager", outputs.region)
    head = _head(s3, bucket, options.stack)
    meta = head.get("Metadata", {})
    minted = _parse_time(meta.get("minted-at")) or head["LastModified"]
    expires = _parse_time(meta.get("expires-at"))
    record = TokenRecord("", minted, expires)
    age = age_seconds(minted, expires, now)
    print(f"Synced token of stack {outputs.stack} (values are never shown)")
    print(f"  minted   {_when(minted)} ({_span((now - minted).total_seconds())} ago)")
    if expires:
        left = _left(record, now)
        print(f"  expires  {_when(expires)} ({'EXPIRED' if left <= 0 else _span(left) + ' from now'})")
    print(f"  secret   {_sync_state(sm, arn, meta.get('secret-version'))}")
    print(f"  history  {_history(s3, bucket)} pushes kept in s3://{bucket}/{OBJECT_KEY}")
    if not options.no_publish:
        _publish(clouds, outputs, age)
    return 1 if expires and expires <= now else 0


def _head(s3: Any, bucket: str, stack: str) -> dict[str, Any]:
    try:
        return dict(s3.head_object(Bucket=bucket, Key=OBJECT_KEY))
    except Exception as error:
        code = aws_error_code(error)
        if code in ("404", "NoSuchKey", "NotFound"):
            raise OperateError(
                "token-sync bucket",
                "holds no synced token yet",
                f"push one: `<mint> | launchpad token-sync push --stack {stack} --expires-in 30d`",
            ) from None
        raise aws_error(error, "s3:GetObject (HEAD) on the token-sync bucket") from None


def _sync_state(sm: Any, arn: str, pushed_version: str | None) -> str:
    try:
        stages = sm.describe_secret(SecretId=arn).get("VersionIdsToStages", {})
    except Exception as error:
        raise aws_error(error, "secretsmanager:DescribeSecret") from None
    current = next((v for v, labels in stages.items() if "AWSCURRENT" in labels), None)
    if current is None:
        return "HAS NO VALUE: push again"
    if current == pushed_version:
        return f"holds the last push (version {current})"
    return f"CHANGED OUTSIDE token-sync (version {current}): push again so age and expiry are known"


def _history(s3: Any, bucket: str) -> int:
    try:
        listed = s3.list_object_versions(Bucket=bucket, Prefix=OBJECT_KEY)
    except Exception as error:
        raise aws_error(error, "s3:ListBucketVersions on the token-sync bucket") from None
    return sum(1 for v in listed.get("Versions", []) if v["Key"] == OBJECT_KEY)


def _publish(clouds: Clouds, outputs: StackOutputs, age: float) -> None:
    """The age, to the metric the stack's alarm watches (the nightly job publishes it as well)."""
    if not outputs.has("deployment_env"):
        print("warning: not published: the stack has no deployment_env output (`pulumi up`)", file=sys.stderr)
        return
    dimensions = {
        contract.DIM.SERVICE: contract.SERVICE_NAME,
        contract.DIM.ENVIRONMENT: outputs.values["deployment_env"],
    }
    try:
        clouds.aws("cloudwatch", outputs.region).put_metric_data(
            Namespace=contract.METRICS_NAMESPACE,
            MetricData=[
                {
                    "MetricName": contract.SYNCED_TOKEN_AGE.name,
                    "Dimensions": [{"Name": k, "Value": v} for k, v in dimensions.items()],
                    "Value": age,
                    "Unit": contract.SYNCED_TOKEN_AGE.unit,
                }
            ],
        )
    except Exception as error:
        failed = aws_error(error, "cloudwatch:PutMetricData")
        print(f"warning: age not published: {failed.problem}; the nightly job publishes it", file=sys.stderr)
        return
    print(f"  published {contract.SYNCED_TOKEN_AGE.name} = {age:.0f} s")


def _left(record: TokenRecord, now: datetime) -> float:
    return (record.expires_at - now).total_seconds() if record.expires_at else float("inf")


def _parse_time(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _span(seconds: float) -> str:
    seconds = max(0, int(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    if days:
        return f"{days}d {hours}h"
    return f"{hours}h {rest // 60}m" if hours else f"{rest // 60}m {rest % 60}s"
