"""`launchpad secrets set NAME --stack S` and `launchpad secrets list --stack S`.

`set` reads the value from stdin (or a no-echo prompt) and writes a new version straight to Secrets Manager,
and to Secret Manager when the stack also runs on Cloud Run, so no key passes through Pulumi state. `list`
shows which secrets have a value and when it last changed, never a value.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from app import contract
from launchpad.clouds import Clouds, aws_error, quiet_sdk_logs
from launchpad.errors import OperateError
from launchpad.gcp_errors import gcp_error, gcp_secret_name
from launchpad.outputs import StackOutputs, load_outputs
from launchpad.secret_input import SecretValue, read_secret, refuse_value_argument, scrubbed
from targets.generated_secrets import AWS_CACHE_AUTH, AWS_DB_READONLY

# Secrets the stack writes itself, shown by `list` but never set here.
GENERATED = {
    "db-master": ("db_master_secret_arn", "RDS (rotates it)"),
    AWS_DB_READONLY: ("db_readonly_secret_arn", "the stack (pulumi-random)"),
    AWS_CACHE_AUTH: ("redis_auth_secret_arn", "the stack (pulumi-random)"),
}
TOKEN_SYNC = contract.SYNCED_TOKEN_SECRET
# What `set` writes: the app's secrets (app/contract.py APP_SECRETS) less the synced token.
# Not argparse choices: a value pasted where the name goes would be echoed in argparse's error.
SETTABLE = tuple(secret.name for secret in contract.APP_SECRETS if secret.name != TOKEN_SYNC)
AFTER_SET = {
    "api-keys": "ECS tasks load client API keys when they start: "
    "`aws ecs update-service --cluster <cluster_name> --service <web_service_name> --force-new-deployment`.",
}
PROVIDER_KEY_NOTE = (
    "ECS tasks read it within SECRET_CACHE_TTL_SECONDS (1 h by default), and at once when the provider "
    "answers 401 or 403."
)
CLOUD_RUN_NOTE = (
    "Cloud Run reads secrets when an instance starts: the first time, add {role} to gcpPopulatedSecrets; "
    "then `pulumi up` (a new revision) makes running instances use it."
)


def register(commands: Any) -> None:
    secrets = commands.add_parser("secrets", help="set a secret's value out of band; list which have values")
    actions = secrets.add_subparsers(dest="action", required=True)
    set_ = actions.add_parser("set", help="write NAME's value, read from stdin, to the stack's secret stores")
    set_.add_argument(
        "name",
        metavar="NAME",
        help=f"one of {', '.join(SETTABLE)} (the synced token: `launchpad token-sync push`)",
    )
    set_.add_argument("value", nargs="?", help=argparse.SUPPRESS)  # caught and refused, never used
    set_.add_argument("--prompt", action="store_true", help="type the value at a prompt that does not echo")
    listing = actions.add_parser("list", help="which secrets have a value and when it changed")
    for parser in (set_, listing):
        parser.add_argument("--stack", required=True, help="the deployed stack (`pulumi stack ls`)")
        parser.add_argument("--outputs", type=Path, metavar="FILE", help="`pulumi stack output --json` saved")


def run(options: argparse.Namespace, clouds: Clouds, stdin: TextIO | None = None) -> int:
    quiet_sdk_logs()
    if options.action == "set":
        return set_secret(options, clouds, stdin or sys.stdin)
    return list_secrets(load_outputs(options.stack, options.outputs), clouds)


def _settable_arn(outputs: StackOutputs, name: str) -> str:
    arns = outputs.require("secret_arns")
    settable = sorted(role for role in arns if role != TOKEN_SYNC)
    if name == TOKEN_SYNC:
        raise OperateError(
            "NAME",
            "the synced token is set by `launchpad token-sync push`",
            f"run `launchpad token-sync push --stack {outputs.stack}`: it records the expiry and keeps "
            "history",
        )
    if name in GENERATED:
        raise OperateError("NAME", f"{name} is written by {GENERATED[name][1]}", f"set one of {settable}")
    if name not in settable:
        # Not repeated: a value pasted where the name goes must not be echoed.
        raise OperateError("NAME", "is not a secret of this stack (not shown here)", f"use one of {settable}")
    return str(arns[name])


def set_secret(options: argparse.Namespace, clouds: Clouds, stdin: TextIO) -> int:
    command = f"secrets set NAME --stack {options.stack}"
    if options.value is not None:
        raise refuse_value_argument(command)
    outputs = load_outputs(options.stack, options.outputs)
    arn = _settable_arn(outputs, options.name)
    gcp_name = gcp_secret_name(outputs, options.name)
    sm = clouds.aws("secretsmanager", outputs.region)
    _preflight(sm, arn, clouds, gcp_name)
    value = read_secret(stdin, label=options.name, prompt=options.prompt)
    try:
        version = sm.put_secret_value(SecretId=arn, SecretString=value.reveal())["VersionId"]
    except Exception as error:
        raise scrubbed(aws_error(error, "secretsmanager:PutSecretValue"), value) from None
    print(f"{options.name}: new value stored in Secrets Manager (version {version}).")
    print(f"  {AFTER_SET.get(options.name, PROVIDER_KEY_NOTE)}")
    if gcp_name:
        _add_gcp_version(clouds, gcp_name, value, options.name)
    return 0


def _preflight(sm: Any, arn: str, clouds: Clouds, gcp_name: str | None) -> None:
    """Both stores answer before anything is written, so a denied or missing one stops both writes."""
    try:
        sm.describe_secret(SecretId=arn)
    except Exception as error:
        raise aws_error(error, "secretsmanager:DescribeSecret") from None
    if gcp_name:
        try:
            clouds.gcp("secrets").get_secret(request={"name": gcp_name})
        except OperateError:
            raise
        except Exception as error:
            raise gcp_error(error, "secretmanager.secrets.get") from None


def _add_gcp_version(clouds: Clouds, gcp_name: str, value: SecretValue, role: str) -> None:
    try:
        added = clouds.gcp("secrets").add_secret_version(
            request={"parent": gcp_name, "payload": {"data": value.reveal().encode()}}
        )
    except Exception as error:
        failed = scrubbed(gcp_error(error, "secretmanager.versions.add"), value)
        raise OperateError(
            failed.field,
            f"{failed.problem}; Secrets Manager already has the new value",
            "run the same command again: each run adds a version, so retrying is safe",
        ) from None
    print(f"{role}: new value stored in Secret Manager ({added.name}).")
    print(f"  {CLOUD_RUN_NOTE.format(role=role)}")


def current_version_date(sm: Any, arn: str) -> datetime | None:
    """When the AWSCURRENT value was stored; None for a container that has no value yet."""
    versions = sm.list_secret_version_ids(SecretId=arn)["Versions"]
    dates = [v["CreatedDate"] for v in versions if "AWSCURRENT" in v.get("VersionStages", [])]
    return dates[0] if dates else None


def _when(date: datetime | None) -> str:
    return date.strftime("%Y-%m-%d %H:%M %Z").strip() if date else "-"


def list_secrets(outputs: StackOutputs, clouds: Clouds) -> int:
    sm = clouds.aws("secretsmanager", outputs.region)
    rows = [(role, str(arn), _setter(role)) for role, arn in sorted(outputs.require("secret_arns").items())]
    rows += [
        (role, str(outputs.values[key]), by) for role, (key, by) in GENERATED.items() if outputs.has(key)
    ]
    print(f"Secrets of stack {outputs.stack} in Secrets Manager ({outputs.region}); values are never shown.")
    print(f"  {'NAME':<22}{'VALUE':<7}{'CHANGED':<22}SET BY")
    for role, arn, setter in rows:
        try:
            changed = current_version_date(sm, arn)
        except Exception as error:
            raise aws_error(error, "secretsmanager:ListSecretVersionIds") from None
        print(f"  {role:<22}{'yes' if changed else 'no':<7}{_when(changed):<22}{setter}")
    if outputs.has_gcp:
        _list_gcp(outputs, clouds)
    return 0


def _setter(role: str) -> str:
    return "launchpad token-sync push" if role == TOKEN_SYNC else "launchpad secrets set"


def _list_gcp(outputs: StackOutputs, clouds: Clouds) -> None:
    print(f"Secrets of stack {outputs.stack} in Secret Manager ({outputs.values['gcp_project']}).")
    print(f"  {'NAME':<22}{'VALUE':<7}CHANGED")
    for role in sorted(outputs.values.get("gcp_secret_ids") or {}):
        name = gcp_secret_name(outputs, role)
        try:
            versions = list(
                clouds.gcp("secrets").list_secret_versions(
                    request={"parent": name, "filter": "state:ENABLED"}
                )
            )
        except OperateError:
            raise
        except Exception as error:
            raise gcp_error(error, "secretmanager.versions.list") from None
        latest = max((v.create_time for v in versions), default=None)
        print(f"  {role:<22}{'yes' if versions else 'no':<7}{_when(latest)}")
