"""No alarm in ALARM, ECS services steady, load balancer targets healthy, the synced token unexpired."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from functools import partial
from typing import Any

from launchpad.clouds import aws_error_code
from launchpad.outputs import StackOutputs
from launchpad.token_sync import OBJECT_KEY
from launchpad.verify.checks import Check, guarded

ALARM_BATCH = 100  # DescribeAlarms takes at most 100 names


def alarm_check(outputs: StackOutputs, cloudwatch: Any) -> Check:
    names = [str(n) for n in outputs.require("alarm_names")]
    return guarded("no alarm in ALARM", "cloudwatch:DescribeAlarms", lambda: _alarms(cloudwatch, names))


def _alarms(cloudwatch: Any, names: list[str]) -> Check:
    states: dict[str, str] = {}
    for start in range(0, len(names), ALARM_BATCH):
        found = cloudwatch.describe_alarms(
            AlarmNames=names[start : start + ALARM_BATCH], AlarmTypes=["MetricAlarm", "CompositeAlarm"]
        )
        for alarm in [*found.get("MetricAlarms", []), *found.get("CompositeAlarms", [])]:
            states[alarm["AlarmName"]] = alarm["StateValue"]
    firing = sorted(name for name, state in states.items() if state == "ALARM")
    missing = sorted(set(names) - set(states))
    if firing:
        return Check("no alarm in ALARM", "fail", f"in ALARM: {', '.join(firing)} (docs/runbook.md)")
    if missing:
        return Check("no alarm in ALARM", "fail", f"{len(missing)} alarms missing: {', '.join(missing)}")
    waiting = sum(state == "INSUFFICIENT_DATA" for state in states.values())
    return Check("no alarm in ALARM", "pass", f"{len(states)} alarms, {waiting} without data yet")


def ecs_checks(outputs: StackOutputs, ecs: Any) -> list[Check]:
    cluster = str(outputs.require("cluster_name"))
    checks = []
    for output in ("web_service_name", "worker_service_name"):
        service = str(outputs.require(output))
        name = f"ECS service {service} steady"
        checks.append(guarded(name, "ecs:DescribeServices", partial(_steady, ecs, cluster, service, name)))
    return checks


def _steady(ecs: Any, cluster: str, service: str, name: str) -> Check:
    found = ecs.describe_services(cluster=cluster, services=[service])
    if not found["services"]:
        return Check(name, "fail", f"not found in cluster {cluster}: `pulumi up` creates it")
    svc = found["services"][0]
    deployments = svc.get("deployments", [])
    failed = [d for d in deployments if d.get("rolloutState") == "FAILED"]
    running, desired = svc.get("runningCount", 0), svc.get("desiredCount", 0)
    if svc.get("status") != "ACTIVE":
        return Check(name, "fail", f"status {svc.get('status')}")
    if failed:
        reason = failed[0].get("rolloutStateReason", "")
        return Check(name, "fail", f"failed deployment: {reason} (see the service's events)")
    if len(deployments) > 1 or any(d.get("rolloutState") == "IN_PROGRESS" for d in deployments):
        return Check(name, "fail", "a deployment is in progress: run verify again once it completes")
    if running != desired:
        return Check(name, "fail", f"{running} tasks running of {desired} desired (see stopped tasks)")
    return Check(name, "pass", f"{running}/{desired} tasks running, no deployment in progress")


def target_check(outputs: StackOutputs, elbv2: Any) -> Check:
    arn = str(outputs.require("target_group_arn"))
    name = "load balancer targets healthy"
    return guarded(name, "elasticloadbalancing:DescribeTargetHealth", lambda: _targets(elbv2, arn, name))


def _targets(elbv2: Any, arn: str, name: str) -> Check:
    targets = elbv2.describe_target_health(TargetGroupArn=arn)["TargetHealthDescriptions"]
    if not targets:
        return Check(name, "fail", "no targets registered: the web service runs no task")
    states = Counter(t["TargetHealth"]["State"] for t in targets)
    if set(states) == {"healthy"}:
        return Check(name, "pass", f"{states['healthy']} healthy")
    reasons = sorted({t["TargetHealth"].get("Reason", "") for t in targets} - {""})
    summary = ", ".join(f"{count} {state}" for state, count in sorted(states.items()))
    return Check(name, "fail", summary + (f" ({', '.join(reasons)})" if reasons else ""))


def token_expiry_check(outputs: StackOutputs, s3: Any, now: datetime) -> Check:
    bucket = str(outputs.require("token_sync_bucket"))
    name = "synced token not expired"

    def probe() -> Check:
        try:
            meta = s3.head_object(Bucket=bucket, Key=OBJECT_KEY).get("Metadata", {})
        except Exception as error:
            if aws_error_code(error) in ("404", "NoSuchKey"):
                return Check(
                    name, "fail", f"never pushed: `launchpad token-sync push --stack {outputs.stack}`"
                )
            raise
        expires = datetime.fromisoformat(meta["expires-at"]) if meta.get("expires-at") else None
        if expires is None:
            return Check(name, "warn", "expiry unknown: push it again with --expires-in")
        if expires <= now:
            return Check(name, "fail", f"expired {expires:%Y-%m-%d %H:%M} UTC: mint one and push it")
        return Check(name, "pass", f"expires {expires:%Y-%m-%d %H:%M} UTC")

    return guarded(name, "s3:GetObject (HEAD) on the token-sync bucket", probe)
