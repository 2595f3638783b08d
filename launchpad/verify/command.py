"""`launchpad verify --stack S [--outputs FILE] [--format text|json]`: the checklist, exit 1 on a failure."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from launchpad.clouds import Clouds, quiet_sdk_logs
from launchpad.outputs import StackOutputs, load_outputs
from launchpad.verify import gcp, health, runtime, storage
from launchpad.verify.checks import Check, render_json, render_text

RETRY_SECONDS = 15


def register(commands: Any) -> None:
    verify = commands.add_parser("verify", help="check a deployed stack with the clouds' APIs")
    verify.add_argument("--stack", required=True, help="the deployed stack (`pulumi stack ls`)")
    verify.add_argument("--outputs", type=Path, metavar="FILE", help="`pulumi stack output --json` saved")
    verify.add_argument("--format", choices=("text", "json"), default="text")
    verify.add_argument(
        "--wait",
        type=int,
        default=0,
        metavar="SECONDS",
        help="run the checks again every 15 s until they pass or SECONDS have gone (after `pulumi up`, "
        "which does not wait for ECS deployments to finish)",
    )


def aws_checks(outputs: StackOutputs, clouds: Clouds, now: datetime) -> list[Check]:
    region = outputs.region
    s3 = clouds.aws("s3", region)
    provider = str(outputs.values.get("synced_token_provider") or "") or None
    checks = storage.bucket_checks(outputs, s3)
    checks += storage.secret_checks(outputs, clouds.aws("secretsmanager", region), provider)
    if provider:
        checks.append(runtime.token_expiry_check(outputs, s3, now))
    checks.append(runtime.alarm_check(outputs, clouds.aws("cloudwatch", region)))
    checks += runtime.ecs_checks(outputs, clouds.aws("ecs", region))
    checks.append(runtime.target_check(outputs, clouds.aws("elbv2", region)))
    https = outputs.values.get("https_enabled") is True
    checks.append(health.health_check("service", str(outputs.require("service_url")), https))
    return checks


def gcp_checks(outputs: StackOutputs, clouds: Clouds) -> list[Check]:
    checks = [gcp.cloud_run_check(outputs, clouds.gcp("run"))]
    checks += gcp.gcp_secret_checks(outputs, clouds.gcp("secrets"))
    url = str(outputs.require("gcp_service_url"))
    checks.append(health.health_check("Cloud Run", url, https_required=True, private_ok=True))
    return checks


def checklist(outputs: StackOutputs, clouds: Clouds) -> list[Check]:
    checks: list[Check] = []
    if outputs.has_aws:
        checks += aws_checks(outputs, clouds, datetime.now(UTC))
    if outputs.has_gcp:
        checks += gcp_checks(outputs, clouds)
    if not checks:
        checks.append(Check("stack has cloud outputs", "fail", "neither AWS nor GCP outputs: a local stack?"))
    return checks


def run(options: argparse.Namespace, clouds: Clouds) -> int:
    quiet_sdk_logs()
    outputs = load_outputs(options.stack, options.outputs)
    deadline = time.monotonic() + max(0, options.wait)
    checks = checklist(outputs, clouds)
    while any(c.failed for c in checks) and time.monotonic() + RETRY_SECONDS <= deadline:
        failing = ", ".join(c.name for c in checks if c.failed)
        print(f"not yet: {failing}; checking again in {RETRY_SECONDS} s", file=sys.stderr)
        time.sleep(RETRY_SECONDS)
        checks = checklist(outputs, clouds)
    render = render_json if options.format == "json" else render_text
    sys.stdout.write(render(options.stack, checks))
    return 1 if any(c.failed for c in checks) else 0
